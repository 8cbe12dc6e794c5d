"""The web site: public pages, the contributor's workspace, comments and follows.

Views read through the querysets (`visible_to`, `for_list`) and write only through
`initiatives.services`; what a person may do is asked of `initiatives.rules`, so a
button appears exactly when the service would accept the click.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.db.models.functions import ExtractYear
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from taggit.models import Tag

from governance.choices import Region
from governance.models import ActionLine, Advocacy, Country, KeyTask, Stakeholder

from . import answers, rules, services
from .choices import (
    InitiativeKind,
    InitiativeStatus,
    ModerationState,
    RevisionState,
    UpdateState,
)
from .filtersets import InitiativeFilterSet
from .forms import (
    CommentForm,
    CommentHideForm,
    InitiativeForm,
    InviteForm,
    LinkFormSet,
    ParticipationFormSet,
    SubmitForm,
    UpdateForm,
)
from .history import snapshot_of
from .markup import BODY_MAX_LENGTH, kept_html, render_markdown
from .models import Comment, Follow, Initiative, PendingRevision
from .selectors import (
    initiative_similar,
    latest_rejection,
    latest_rejections,
    revisions_visible_to,
    tags_in_use,
    tags_visible_to,
)

PAGE_SIZE = 20
State = ModerationState
WORKSPACE_ORDER = [State.DRAFT, State.REJECTED, State.SUBMITTED, State.PUBLISHED, State.ARCHIVED]


def _page(request, queryset, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _published():
    return Initiative.objects.published().filter(merged_into__isnull=True)


# ---------------------------------------------------------------------------- public pages


def _bars(rows) -> list[dict]:
    """Chart rows (label, value, url) with each bar's share of the largest value."""
    rows = list(rows)
    top = max((value for _label, value, _url in rows), default=0) or 1
    return [
        {
            "label": Truncator(label).chars(70),
            "value": value,
            "url": url,
            "percent": round(100 * value / top, 1),
            "y": index * 40,
        }
        for index, (label, value, url) in enumerate(rows)
    ]


def _level(count: int, top: int) -> int:
    """Shade 0 (none) to 4 (most active) for the country grid."""
    if not count:
        return 0
    return min(4, 1 + (3 * count) // max(top, 1))


def home(request):
    published = Q(initiatives__moderation_state=State.PUBLISHED, initiatives__merged_into__isnull=True)
    key_tasks = list(
        KeyTask.objects.annotate(count=Count("initiatives", filter=published)).order_by("number")
    )
    latest = _published().for_list().order_by("-published_at", "-id")[:6]

    region_counts = dict(
        Country.objects.filter(published)
        .values_list("region")
        .annotate(count=Count("initiatives", distinct=True))
        .values_list("region", "count")
    )
    years = (
        _published()
        .exclude(start_date__isnull=True)
        .annotate(year=ExtractYear("start_date"))
        .values_list("year")
        .annotate(count=Count("id"))
        .order_by("year")
        .values_list("year", "count")
    )
    countries = list(
        Country.objects.annotate(count=Count("initiatives", filter=published)).order_by("name_en")
    )
    top = max((country.count for country in countries), default=0)
    grid = []
    for region, label in Region.choices:
        tiles = [c for c in countries if c.region == region]
        for country in tiles:
            country.level = _level(country.count, top)
        grid.append({"label": label, "countries": tiles})

    browse = reverse("initiatives:list")
    charts = [
        {
            "id": "chart-key-tasks",
            "title": _("Initiatives per key task"),
            "bars": _bars(
                (f"{task.number}. {task.name}", task.count, reverse("initiatives:key_task", args=[task.slug]))
                for task in key_tasks
            ),
        },
        {
            "id": "chart-regions",
            "title": _("Initiatives per region"),
            "bars": _bars(
                (label, region_counts.get(value, 0), f"{browse}?region={value}")
                for value, label in Region.choices
            ),
        },
        {
            "id": "chart-years",
            "title": _("Initiatives per start year"),
            "bars": _bars((str(year), count, None) for year, count in years),
        },
    ]
    for chart in charts:
        chart["height"] = max(len(chart["bars"]) * 40, 40)
    return render(
        request,
        "initiatives/home.html",
        {
            "key_tasks": key_tasks,
            "latest": latest,
            "charts": charts,
            "grid": grid,
            "total": sum(task.count for task in key_tasks),
        },
    )


def _in_use() -> dict:
    """Ids of the countries, stakeholders and tags of published records.

    They change only with the catalogue, so they are kept until it does (answers.py): at a
    million records, finding them takes seconds. EXISTS per country or stakeholder stops at
    its first published record.
    """
    countries = Initiative.countries.through.objects.filter(
        country_id=OuterRef("pk"), initiative__moderation_state=State.PUBLISHED
    )
    stakeholders = Initiative.participations.rel.related_model.objects.filter(
        stakeholder_id=OuterRef("pk"), initiative__moderation_state=State.PUBLISHED
    )
    return {
        "countries": list(Country.objects.filter(Exists(countries)).values_list("pk", flat=True)),
        "stakeholders": list(Stakeholder.objects.filter(Exists(stakeholders)).values_list("pk", flat=True)),
        "tags": list(tags_in_use(Initiative.objects.published()).values_list("pk", flat=True)),
    }


def _facets(user) -> dict:
    """Choices for the browse page's filters, in the reader's language."""
    in_use = answers.remembered("facets-in-use", _in_use)
    return {
        "key_tasks": KeyTask.objects.all(),
        "action_lines": ActionLine.objects.select_related("key_task"),
        "kinds": InitiativeKind.choices,
        "statuses": InitiativeStatus.choices,
        "regions": Region.choices,
        "countries": Country.objects.filter(pk__in=in_use["countries"]),
        "stakeholders": Stakeholder.objects.filter(pk__in=in_use["stakeholders"]),
        "tags": Tag.objects.filter(pk__in=in_use["tags"]).order_by("name"),
        "advocacies": Advocacy.objects.all(),
        "moderation_states": ModerationState.choices if user.is_authenticated else [],
        "orderings": [
            ("", _("Relevance or latest change")),
            ("-updated_at", _("Recently updated")),
            ("-published_at", _("Recently published")),
            ("-start_date", _("Start date, newest first")),
            ("start_date", _("Start date, oldest first")),
            ("title", _("Title A–Z")),
        ],
    }


def initiative_list(request):
    visible = Initiative.objects.visible_to(request.user).filter(merged_into__isnull=True)
    if not request.GET.get("moderation_state"):
        # Browsing means published records; members find their drafts in the workspace.
        visible = visible.published()
    filterset = InitiativeFilterSet(request.GET, queryset=visible, request=request)
    valid = filterset.is_valid()
    queryset = filterset.qs.for_list() if valid else Initiative.objects.none()
    page = _page(request, queryset)
    return render(
        request,
        "initiatives/initiative_list.html",
        {
            "page": page,
            "filterset": filterset,
            "filter_errors": None if valid else filterset.errors,
            "selected": _selected_filters(request),
            "chips": _filter_chips(request),
            **_facets(request.user),
        },
    )


def _selected_filters(request) -> dict:
    return {key: request.GET.getlist(key) for key in request.GET if key != "page"}


def _filter_chips(request) -> list[dict]:
    """The active filters, named as the reader knows them, each removable on its own."""
    labels = {
        "q": _("Search"),
        "key_task": _("Key task"),
        "action_line": _("Action line"),
        "kind": _("Kind"),
        "status": _("Status"),
        "moderation_state": _("Moderation state"),
        "country": _("Country"),
        "region": _("Region"),
        "global_south": _("Global South"),
        "stakeholder": _("Stakeholder"),
        "tag": _("Tag"),
        "advocacy": _("Advocacy"),
        "updated_since": _("Updated since"),
    }
    lookups = {
        "key_task": lambda v: KeyTask.objects.filter(slug=v).first(),
        "action_line": lambda v: ActionLine.objects.filter(slug=v).first(),
        "country": lambda v: Country.objects.filter(code=v.upper()).first(),
        "stakeholder": lambda v: Stakeholder.objects.filter(slug=v).first(),
        "advocacy": lambda v: Advocacy.objects.filter(slug=v).first(),
    }
    choices = {
        "kind": dict(InitiativeKind.choices),
        "status": dict(InitiativeStatus.choices),
        "region": dict(Region.choices),
        "moderation_state": dict(ModerationState.choices),
        "global_south": {"true": _("With Global South participation"), "false": _("Without")},
    }
    chips = []
    for key in request.GET:
        if key not in labels:
            continue
        for value in request.GET.getlist(key):
            if not value.strip():
                continue
            if key in lookups:
                found = lookups[key](value)
                text = str(found) if found is not None else value
            else:
                text = str(choices.get(key, {}).get(value, value))
            chips.append({"key": key, "value": value, "label": labels[key], "text": text})
    return chips


def _resolve_slug(request, slug: str) -> Initiative:
    """The initiative this slug names, as this user may see it; 404 when they may not."""
    initiative = Initiative.objects.visible_to(request.user).for_detail().filter(slug=slug).first()
    if initiative is None:
        raise Http404(_("No initiative here, or not one you may see."))
    return initiative


_MERGE_FIELDS = ("pk", "slug", "owner_id", "moderation_state", "published_at", "merged_into_id")


def _survivor(request, slug: str) -> Initiative | None:
    """Where a merged record's address now leads this user (following chains of merges);
    None when it is not merged, or may not lead them on (rules.can_follow_merge)."""
    source = Initiative.objects.filter(slug=slug).only(*_MERGE_FIELDS).first()
    record = source
    seen = set()
    while record is not None and record.merged_into_id and record.pk not in seen:
        seen.add(record.pk)
        record = Initiative.objects.filter(pk=record.merged_into_id).only(*_MERGE_FIELDS).first()
    if not seen or record is None or not rules.can_follow_merge(request.user, source, record):
        return None
    return record


def _freshness_moment(initiative, updates):
    latest_update = max((update.published_at for update in updates if update.published_at), default=None)
    if latest_update and latest_update > initiative.updated_at:
        return latest_update
    return initiative.updated_at


def _detail_context(request, initiative, **forms) -> dict:
    user = request.user
    updates = initiative.updates.select_related("author")
    if not rules.can_view_moderation(user, initiative):
        # Held and rejected notes are for the record's members and staff.
        updates = updates.filter(state=UpdateState.PUBLISHED)
    updates = list(updates)
    for update in updates:
        kept_html(update, source="text", target="text_html")
    comments = Comment.objects.filter(initiative=initiative).select_related("author")
    if user.is_authenticated:
        comments = comments.filter(Q(hidden_at__isnull=True) | Q(author=user))
    else:
        comments = comments.filter(hidden_at__isnull=True)
    member = rules.is_member(user, initiative)
    can_manage = member or rules.is_curator(user) or rules.is_admin(user)
    context = {
        "initiative": initiative,
        "body_html": kept_html(initiative, source="body", target="body_html"),
        "participations": initiative.participations.all(),
        "updates": updates,
        "comments": comments,
        "revisions": revisions_visible_to(user=user, initiative=initiative)[:20],
        "freshness_moment": _freshness_moment(initiative, updates),
        "actions": rules.allowed_actions(user, initiative),
        "can_comment": user.is_authenticated and initiative.is_published,
        "can_hide_comments": rules.can_hide_comment(user),
        "can_follow": user.is_authenticated,
        "following": user.is_authenticated
        and Follow.objects.filter(user=user, initiative=initiative).exists(),
        "follower_count": Follow.objects.filter(initiative=initiative).count(),
        "can_manage": can_manage,
        "comment_form": forms.get("comment_form") or CommentForm(),
        "update_form": forms.get("update_form") or UpdateForm(initial={"date": _today()}),
        "invite_form": forms.get("invite_form") or InviteForm(),
    }
    if can_manage:
        context["pending_revision"] = PendingRevision.objects.filter(
            initiative=initiative, state=RevisionState.OPEN
        ).first()
        context["last_rejection"] = latest_rejection(initiative)
    return context


def _today():
    from django.utils import timezone

    return timezone.localdate()


def initiative_detail(request, slug):
    survivor = _survivor(request, slug)
    if survivor is not None:
        return redirect(survivor.get_absolute_url(), permanent=True)
    initiative = _resolve_slug(request, slug)
    return render(request, "initiatives/initiative_detail.html", _detail_context(request, initiative))


def initiative_history(request, slug):
    initiative = _resolve_slug(request, slug)
    revisions = revisions_visible_to(user=request.user, initiative=initiative)
    return render(
        request,
        "initiatives/initiative_history.html",
        {"initiative": initiative, "page": _page(request, revisions, 50)},
    )


def _listing(request, template: str, queryset, **context):
    page = _page(request, queryset.for_list().order_by("-published_at", "-id"))
    return render(request, template, {"page": page, **context})


def key_task_detail(request, slug):
    key_task = get_object_or_404(KeyTask, slug=slug)
    in_task = _published().filter(key_task=key_task)
    lines = (
        ActionLine.objects.filter(key_task=key_task)
        .annotate(
            count=Count(
                "initiatives",
                filter=Q(
                    initiatives__moderation_state=State.PUBLISHED, initiatives__merged_into__isnull=True
                ),
            )
        )
        .order_by("position")
    )
    return _listing(
        request,
        "initiatives/key_task_detail.html",
        in_task,
        key_task=key_task,
        action_lines=lines,
        total=in_task.count(),
    )


def country_list(request):
    published = Q(initiatives__moderation_state=State.PUBLISHED, initiatives__merged_into__isnull=True)
    countries = Country.objects.annotate(count=Count("initiatives", filter=published)).order_by("name_en")
    groups = [
        {"label": label, "countries": [c for c in countries if c.region == value]}
        for value, label in Region.choices
    ]
    return render(request, "initiatives/country_list.html", {"groups": groups})


def country_detail(request, code):
    country = get_object_or_404(Country, code=code.upper())
    if code != country.code:
        return redirect("initiatives:country", code=country.code, permanent=True)
    return _listing(
        request,
        "initiatives/country_detail.html",
        _published().filter(countries=country),
        country=country,
        stakeholders=country.stakeholders.all(),
    )


def stakeholder_list(request):
    published = Q(
        participations__initiative__moderation_state=State.PUBLISHED,
        participations__initiative__merged_into__isnull=True,
    )
    stakeholders = (
        Stakeholder.objects.select_related("country")
        .annotate(count=Count("participations", filter=published))
        .order_by("name_en")
    )
    return render(request, "initiatives/stakeholder_list.html", {"stakeholders": stakeholders})


def stakeholder_detail(request, slug):
    stakeholder = get_object_or_404(Stakeholder.objects.select_related("country"), slug=slug)
    queryset = _published().filter(participations__stakeholder=stakeholder)
    roles = dict(
        stakeholder.participations.filter(initiative__in=queryset).values_list("initiative_id", "role")
    )
    page = _page(request, queryset.for_list().order_by("-published_at", "-id"))
    for initiative in page:
        initiative.stakeholder_role = roles.get(initiative.pk)
    return render(
        request,
        "initiatives/stakeholder_detail.html",
        {"page": page, "stakeholder": stakeholder},
    )


def tag_list(request):
    tags = tags_in_use(_published(), count_as="count").order_by("name")
    return render(request, "initiatives/tag_list.html", {"tags": tags})


def tag_detail(request, slug):
    # A tag that only records hidden from this reader carry is as unknown as one never used.
    tag = get_object_or_404(tags_visible_to(request.user), slug=slug)
    return _listing(request, "initiatives/tag_detail.html", _published().filter(tags=tag), tag=tag)


# ------------------------------------------------------------------------------- workspace


@login_required
def workspace(request):
    user = request.user
    collaborating = Initiative.collaborators.through.objects.filter(
        initiative_id=OuterRef("pk"), user_id=user.pk
    )
    mine = (
        Initiative.objects.filter(Q(owner=user) | Exists(collaborating))
        .select_related("key_task")
        .annotate(
            open_revisions=Count("pending_revisions", filter=Q(pending_revisions__state=RevisionState.OPEN))
        )
        .order_by("-updated_at")
    )
    rejections = latest_rejections(mine)
    groups = {state: [] for state in WORKSPACE_ORDER}
    for initiative in mine:
        initiative.rejection = rejections.get(initiative.pk)
        groups.setdefault(initiative.moderation_state, []).append(initiative)
    revisions = (
        PendingRevision.objects.filter(initiative__in=mine.values("pk"))
        .select_related("initiative", "decided_by")
        .prefetch_related("authors")
        .order_by("-created_at")[:20]
    )
    return render(
        request,
        "initiatives/workspace.html",
        {
            "groups": [(state, State(state).label, groups[state]) for state in WORKSPACE_ORDER],
            "revisions": revisions,
            "can_create": rules.can_create(user),
            "count": sum(len(items) for items in groups.values()),
        },
    )


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
    return render(
        request,
        "initiatives/initiative_form.html",
        {
            "form": form,
            "participations": participations,
            "links": links,
            "initiative": initiative,
            "mode": mode,
            "invite_form": InviteForm(),
        },
        status=status,
    )


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
    initiative = _resolve_slug(request, slug)
    mode = rules.edit_mode(request.user, initiative)
    if mode is None:
        raise PermissionDenied(_("You may not edit this initiative in its current state."))
    snapshot = snapshot_of(initiative)
    pending = None
    if mode == "revision":
        pending = PendingRevision.objects.filter(initiative=initiative, state=RevisionState.OPEN).first()
        if pending is not None:
            snapshot = {**snapshot, **pending.snapshot}
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
def initiative_submit(request, slug):
    initiative = _resolve_slug(request, slug)
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
    initiative = _resolve_slug(request, slug)
    if not rules.can_add_update(request.user, initiative):
        raise PermissionDenied(_("You may not add updates to this initiative."))
    form = UpdateForm(request.POST)
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
    context = _detail_context(request, initiative, update_form=form)
    return render(request, "initiatives/initiative_detail.html", context, status=400)


@login_required
@require_POST
def collaborator_invite(request, slug):
    initiative = _resolve_slug(request, slug)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitee = services.collaborator_invite(
                actor=request.user, initiative=initiative, identifier=form.cleaned_data["identifier"]
            )
        except ValidationError as error:
            for messages_ in error.message_dict.values():
                form.add_error("identifier", messages_)
        else:
            if invitee is None:
                # The same words whether or not an account uses the address.
                messages.success(
                    request, _("If an account uses that e-mail address, its owner has been invited.")
                )
            else:
                messages.success(
                    request,
                    _("%(user)s may now edit this initiative with you.") % {"user": invitee.get_username()},
                )
            return redirect(initiative)
    if rules.edit_mode(request.user, initiative) is None:
        raise PermissionDenied(_("You may not invite collaborators to this initiative."))
    context = _detail_context(request, initiative, invite_form=form)
    return render(request, "initiatives/initiative_detail.html", context, status=400)


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
    """Suggestions for the form's text inputs: {"results": [{"value", "label"}]}."""
    q = (request.GET.get("q") or "").strip()
    results = []
    if kind == "countries":
        countries = Country.objects.all()
        if q:
            countries = countries.filter(
                Q(code__iexact=q) | Q(name_en__icontains=q) | Q(name_zh__contains=q) | Q(alpha3__iexact=q)
            )
        results = [{"value": c.code, "label": f"{c.name} ({c.code})"} for c in countries[:AUTOCOMPLETE_LIMIT]]
    elif kind == "stakeholders":
        stakeholders = Stakeholder.objects.all()
        if q:
            stakeholders = stakeholders.filter(
                Q(slug__icontains=q)
                | Q(name_en__icontains=q)
                | Q(name_zh__contains=q)
                | Q(acronym__icontains=q)
            )
        results = [{"value": s.slug, "label": str(s)} for s in stakeholders[:AUTOCOMPLETE_LIMIT]]
    elif kind == "tags":
        # Only tags on published records: a tag that only a private draft carries is not public.
        tags = tags_in_use(Initiative.objects.published()).order_by("name")
        if q:
            tags = tags.filter(name__icontains=q)
        results = [{"value": t.name, "label": t.name} for t in tags[:AUTOCOMPLETE_LIMIT]]
    else:
        raise Http404(_("Nothing to suggest here."))
    return JsonResponse({"results": results})


# ------------------------------------------------------------------ comments and follows


@login_required
@require_POST
def comment_create(request, slug):
    initiative = _resolve_slug(request, slug)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_create(actor=request.user, initiative=initiative, body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error("body", error.messages)
        else:
            messages.success(request, _("Your comment is posted."))
            return redirect(f"{initiative.get_absolute_url()}#comments")
    context = _detail_context(request, initiative, comment_form=form)
    return render(request, "initiatives/initiative_detail.html", context, status=400)


@login_required
def comment_hide(request, pk):
    if not rules.can_hide_comment(request.user):
        raise PermissionDenied(_("Only moderators hide comments."))
    comment = get_object_or_404(Comment.objects.select_related("initiative", "author"), pk=pk)
    form = CommentHideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.comment_hide(actor=request.user, comment=comment, reason=form.cleaned_data["reason"])
        messages.success(request, _("The comment is hidden; its author sees your reason."))
        return redirect(f"{comment.initiative.get_absolute_url()}#comments")
    return render(
        request,
        "initiatives/comment_hide.html",
        {"comment": comment, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def follow_toggle(request, slug):
    initiative = _resolve_slug(request, slug)
    if request.POST.get("action") == "unfollow":
        services.follow_delete(actor=request.user, initiative=initiative)
        messages.success(request, _("You no longer follow this initiative."))
    else:
        services.follow_create(actor=request.user, initiative=initiative)
        messages.success(request, _("You follow this initiative; its news will be in your digest."))
    return redirect(initiative)


@login_required
def following(request):
    follows = (
        Follow.objects.filter(user=request.user)
        .select_related("initiative", "initiative__key_task")
        .annotate(
            last_update=Max(
                "initiative__updates__date",
                filter=Q(initiative__updates__state=UpdateState.PUBLISHED),
            )
        )
        .filter(initiative__in=Initiative.objects.visible_to(request.user))
        .order_by("-created_at", "-id")
    )
    return render(request, "initiatives/following.html", {"page": _page(request, follows)})
