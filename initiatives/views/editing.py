"""Writing a record: create, edit (directly or as a proposal), submit, notes, invitations,
and the form's helpers (Markdown preview, autocomplete, and the presence notice that tells
an editor who else has the form open).

Each form shapes input and hands it to a service; the service's per-field messages come
back onto the fields the person filled in.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import rules, services
from ..choices import UpdateState
from ..forms import (
    InitiativeForm,
    InviteForm,
    LinkFormSet,
    ParticipationFormSet,
    SourceCheckForm,
    SubmitForm,
    UpdateForm,
)
from ..markup import BODY_MAX_LENGTH, render_markdown
from ..models import CollaborationInvitation, Initiative, PendingRevision
from ..selectors import (
    catalogue,
    initiative_for_presence,
    initiative_similar,
    others_editing,
    presence_heartbeat_seconds,
)
from ..selectors.discussion import usernames_starting
from .record_page import detail_context, initiative_or_404, initiative_to_edit


def _apply_service_errors(error: ValidationError, form, participations, links) -> None:
    """Put the services' per-field messages on the fields the person filled in."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages_ in error.message_dict.items():
        if field in form.fields:
            form.add_error(field, messages_)
        elif field == "participations":
            participations._non_form_errors = participations.error_class(messages_)
        elif field == "links":
            links._non_form_errors = links.error_class(messages_)
        elif field == "translations":
            form.add_error("translation_title", messages_)
        else:
            form.add_error(None, messages_)


def _initiative_form(request, *, initiative=None, initial=None, participations=(), links=()):
    if request.method == "POST":
        return (
            InitiativeForm(request.POST),
            ParticipationFormSet(request.POST, prefix="participants"),
            LinkFormSet(request.POST, prefix="links"),
        )
    return (
        InitiativeForm(initial=initial),
        ParticipationFormSet(initial=list(participations), prefix="participants"),
        LinkFormSet(initial=list(links), prefix="links"),
    )


def _form_page(request, *, form, participations, links, initiative=None, mode="direct", status=200):
    context = {
        "form": form,
        "participations": participations,
        "links": links,
        "initiative": initiative,
        "mode": mode,
        "invite_form": InviteForm(),
    }
    if initiative is not None:
        # The form is open now: say so to other editors, and tell this one who else is here.
        services.edit_presence_touch(actor=request.user, initiative=initiative)
        context["editing_now"] = others_editing(initiative=initiative, user=request.user)
        context["presence_every"] = presence_heartbeat_seconds()
    return render(request, "initiatives/initiative_form.html", context, status=status)


@login_required
def initiative_create(request):
    if not rules.can_create(request.user):
        raise PermissionDenied(_("You need a contributor account to create initiatives."))
    initial = {"language": request.LANGUAGE_CODE if request.LANGUAGE_CODE in ("en", "zh-hans") else "en"}
    form, participations, links = _initiative_form(request, initial=initial)
    if request.method == "POST":
        if form.is_valid() and participations.is_valid() and links.is_valid():
            data = form.service_data(participations=participations.rows(), links=links.rows())
            try:
                initiative = services.initiative_create(
                    actor=request.user, data=data, change_message=form.cleaned_data["change_message"]
                )
            except ValidationError as error:
                _apply_service_errors(error, form, participations, links)
            else:
                messages.success(request, _("Your draft is saved. Submit it for review when it is ready."))
                return redirect(initiative)
        return _form_page(request, form=form, participations=participations, links=links, status=400)
    return _form_page(request, form=form, participations=participations, links=links)


@login_required
def initiative_edit(request, slug):
    initiative, mode, snapshot = initiative_to_edit(request, slug)
    form, participations, links = _initiative_form(
        request,
        initiative=initiative,
        initial=InitiativeForm.initial_from_snapshot(snapshot, version=initiative.version),
        participations=snapshot.get("participations") or [],
        links=snapshot.get("links") or [],
    )
    if request.method == "POST":
        if form.is_valid() and participations.is_valid() and links.is_valid():
            data = form.service_data(participations=participations.rows(), links=links.rows())
            try:
                result = services.initiative_edit(
                    actor=request.user,
                    initiative=initiative,
                    data=data,
                    expected_version=form.cleaned_data["version"] or initiative.version,
                    change_message=form.cleaned_data["change_message"],
                )
            except services.ConcurrentEditError as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                _apply_service_errors(error, form, participations, links)
            else:
                services.edit_presence_release(actor=request.user, initiative=initiative)
                if isinstance(result, PendingRevision):
                    messages.success(
                        request,
                        _("Your change is waiting for a moderator; the published text stays until then."),
                    )
                else:
                    messages.success(request, _("Your changes are saved."))
                return redirect(initiative)
        return _form_page(
            request,
            form=form,
            participations=participations,
            links=links,
            initiative=initiative,
            mode=mode,
            status=400,
        )
    return _form_page(
        request, form=form, participations=participations, links=links, initiative=initiative, mode=mode
    )


@login_required
@require_POST
def edit_presence(request, slug):
    """An open edit form says so every minute (static/js/edit_presence.js); the answer is the
    notice of who else is editing, for the form to show."""
    initiative = initiative_for_presence(user=request.user, slug=slug)
    if initiative is None:
        raise Http404(_("No initiative here, or not one you may see."))
    services.edit_presence_touch(actor=request.user, initiative=initiative)
    return render(
        request,
        "initiatives/_edit_presence.html",
        {"editing_now": others_editing(initiative=initiative, user=request.user)},
    )


@login_required
def initiative_submit(request, slug):
    initiative = initiative_or_404(request, slug)
    if not rules.can_submit(request.user, initiative):
        raise PermissionDenied(_("Only a draft or rejected initiative can be submitted, by its members."))
    form = SubmitForm(request.POST or None, initial={"version": initiative.version})
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            services.initiative_submit(
                actor=request.user, initiative=initiative, expected_version=form.cleaned_data["version"]
            )
        except services.ConcurrentEditError as exc:
            error = str(exc)
        else:
            messages.success(request, _("Submitted. A moderator will review it."))
            return redirect(initiative)
    similar = initiative_similar(initiative, limit=5, queryset=Initiative.objects.visible_to(request.user))
    return render(
        request,
        "initiatives/initiative_submit.html",
        {"initiative": initiative, "form": form, "similar": similar, "error": error},
        status=409 if error else 200,
    )


@login_required
@require_POST
def update_create(request, slug):
    initiative = initiative_or_404(request, slug)
    if not rules.can_add_update(request.user, initiative):
        raise PermissionDenied(_("You may not add updates to this initiative."))
    form = UpdateForm(request.POST, initiative=initiative)
    if form.is_valid():
        try:
            update = services.update_create(actor=request.user, initiative=initiative, data=form.cleaned_data)
        except ValidationError as error:
            for field, messages_ in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages_)
        else:
            if update.state == UpdateState.HELD:
                messages.success(
                    request,
                    _("Your update is waiting for a moderator; it appears on the page once approved."),
                )
            else:
                messages.success(request, _("Update added."))
            return redirect(f"{initiative.get_absolute_url()}#updates")
    context = detail_context(request, initiative, update_form=form)
    return render(request, "initiatives/initiative_detail.html", context, status=400)


@login_required
@require_POST
def collaborator_invite(request, slug):
    initiative = initiative_or_404(request, slug)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.collaborator_invite(
                actor=request.user, initiative=initiative, identifier=form.cleaned_data["identifier"]
            )
        except ValidationError as error:
            for messages_ in error.message_dict.values():
                form.add_error("identifier", messages_)
        else:
            if invitation is None:
                # The same words whether or not an account uses the address.
                messages.success(
                    request, _("If an account uses that e-mail address, its owner has been invited.")
                )
            else:
                messages.success(
                    request,
                    _("%(user)s is invited; they join once they accept.")
                    % {"user": invitation.invitee.get_username()},
                )
            return redirect(initiative)
    if rules.edit_mode(request.user, initiative) is None:
        raise PermissionDenied(_("You may not invite collaborators to this initiative."))
    context = detail_context(request, initiative, invite_form=form)
    return render(request, "initiatives/initiative_detail.html", context, status=400)


@login_required
@require_POST
def invitation_answer(request, pk, answer):
    """Accept or decline one of one's own open invitations from the workspace; anyone else's
    is not found."""
    service = {"accept": services.invitation_accept, "decline": services.invitation_decline}[answer]
    try:
        invitation = service(actor=request.user, invitation_id=pk)
    except CollaborationInvitation.DoesNotExist:
        raise Http404(_("No open invitation of yours has this number.")) from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("initiatives:workspace")
    if answer == "accept":
        messages.success(request, _("You now work on this initiative."))
        return redirect(invitation.initiative)
    messages.success(request, _("You declined the invitation."))
    return redirect("initiatives:workspace")


@login_required
@require_POST
def invitation_withdraw(request, slug, pk):
    """Whoever sent an invitation to this record, or its owner, withdraws it from the record's page."""
    initiative = initiative_or_404(request, slug)
    if not initiative.invitations.filter(pk=pk).exists():
        raise Http404(_("No open invitation has this number."))
    try:
        invitation = services.invitation_withdraw(actor=request.user, invitation_id=pk)
    except CollaborationInvitation.DoesNotExist:
        raise Http404(_("No open invitation has this number.")) from None
    messages.success(
        request,
        _("The invitation to %(user)s is withdrawn.") % {"user": invitation.invitee.get_username()},
    )
    return redirect(initiative)


@login_required
@require_POST
def collaborator_remove(request, slug, username):
    """The owner, a curator or an administrator takes a collaborator off the record."""
    initiative = initiative_or_404(request, slug)
    person = initiative.collaborators.filter(username=username).first()
    if person is None:
        raise Http404(_("No such collaborator."))
    services.collaborator_remove(actor=request.user, initiative=initiative, user=person)
    messages.success(
        request, _("%(user)s no longer works on this initiative.") % {"user": person.get_username()}
    )
    return redirect(initiative)


@login_required
@require_POST
def source_check(request, slug):
    """A curator marks one of the record's sources checked, or takes the mark off; each is a
    new version, so the history says who checked what."""
    initiative = initiative_or_404(request, slug)
    form = SourceCheckForm(request.POST)
    back = f"{initiative.get_absolute_url()}#sources"
    if not form.is_valid():
        messages.error(request, _("Choose a source of this record to mark."))
        return redirect(back)
    checked = form.cleaned_data["checked"]
    try:
        services.source_check(
            actor=request.user,
            initiative=initiative,
            url=form.cleaned_data["url"],
            checked=checked,
            expected_version=form.cleaned_data["version"] or None,
        )
    except services.ConcurrentEditError as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The source is marked as checked.")
            if checked
            else _("The source is no longer marked as checked."),
        )
    return redirect(back)


@login_required
def invitation_accept(request, token):
    """The page an invitation e-mail links to: who invites the reader to which record, and
    the button that accepts."""
    error = None
    if request.method == "POST":
        try:
            initiative = services.collaborator_accept(actor=request.user, token=token)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("You now work on this initiative."))
            return redirect(initiative)
    initiative = inviter = None
    if error is None:
        try:
            initiative, inviter = services.collaborator_invitation_read(actor=request.user, token=token)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    return render(
        request,
        "initiatives/invitation.html",
        {"initiative": initiative, "inviter": inviter, "error": error},
        status=400 if error else 200,
    )


@login_required
@require_POST
def markdown_preview(request):
    body = request.POST.get("body", "")
    if len(body) > BODY_MAX_LENGTH:
        message = _("The description may have at most %(limit)s characters (it has %(count)s).") % {
            "limit": BODY_MAX_LENGTH,
            "count": len(body),
        }
        return HttpResponse(
            format_html('<p class="error">{}</p>', message),
            status=400,
            content_type="text/html; charset=utf-8",
        )
    return HttpResponse(render_markdown(body), content_type="text/html; charset=utf-8")


AUTOCOMPLETE_LIMIT = 10


def autocomplete(request, kind):
    """Suggestions for the form's text inputs: {"results": [{"value", "label"}]}. People (for
    @mentions in comments) only for signed-in users, by username alone."""
    q = (request.GET.get("q") or "").strip()
    results = []
    if kind == "people":
        if not request.user.is_authenticated:
            return JsonResponse({"detail": _("Sign in to look people up."), "results": []}, status=403)
        results = [{"value": name, "label": name} for name in usernames_starting(q)]
    elif kind == "countries":
        countries = catalogue.countries_matching(q)[:AUTOCOMPLETE_LIMIT]
        results = [{"value": c.code, "label": f"{c.name} ({c.code})"} for c in countries]
    elif kind == "stakeholders":
        stakeholders = catalogue.stakeholders_matching(q)[:AUTOCOMPLETE_LIMIT]
        results = [{"value": s.slug, "label": str(s)} for s in stakeholders]
    elif kind == "tags":
        tags = catalogue.public_tags_matching(q)[:AUTOCOMPLETE_LIMIT]
        results = [{"value": t.name, "label": t.name} for t in tags]
    else:
        raise Http404(_("Nothing to suggest here."))
    return JsonResponse({"results": results})
