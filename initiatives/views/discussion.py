"""A record's discussion on its page: posting a comment or a reply, the author's edit (within
COMMENT_EDIT_MINUTES) and deletion, readers' reports and moderators' hiding. Each form is
a plain POST with its CSRF token; the small pages here show a form again with its errors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import rules, services
from ..forms import CommentEditForm, CommentForm, CommentHideForm, CommentReportForm
from ..models import Comment
from ..selectors.discussion import comment_of
from .record_page import detail_context, initiative_or_404


def _comment_or_404(request, pk) -> Comment:
    """A comment the reader may read, on a record they may see."""
    comment = get_object_or_404(Comment.objects.select_related("initiative"), pk=pk)
    initiative = initiative_or_404(request, comment.initiative.slug)
    found = comment_of(user=request.user, initiative=initiative, pk=pk)
    if found is None:
        raise Http404(_("No such comment here, or not one you may see."))
    return found


def _back_to(comment) -> str:
    return f"{comment.initiative.get_absolute_url()}#comment-{comment.pk}"


@login_required
@require_POST
def comment_create(request, slug):
    initiative = initiative_or_404(request, slug)
    form = CommentForm(request.POST)
    if form.is_valid():
        parent = None
        if form.cleaned_data.get("parent"):
            parent = comment_of(user=request.user, initiative=initiative, pk=form.cleaned_data["parent"])
            if parent is None:
                form.add_error(None, _("Reply to a top-level comment of this initiative."))
        if form.is_valid():
            try:
                comment = services.comment_create(
                    actor=request.user,
                    initiative=initiative,
                    body=form.cleaned_data["body"],
                    parent=parent,
                    language=form.cleaned_data.get("language") or None,
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error("body" if field == "body" else None, errors)
            else:
                messages.success(request, _("Your comment is posted."))
                return redirect(_back_to(comment))
    context = detail_context(request, initiative, comment_form=form)
    return render(request, "initiatives/initiative_detail.html", context, status=400)


@login_required
def comment_edit(request, pk):
    """The author changes their comment's wording while the window is open."""
    comment = _comment_or_404(request, pk)
    form = CommentEditForm(request.POST or None, initial={"body": comment.body})
    refusal, status = None, 200
    if not request.user.has_perm("initiatives.edit_own_comment", comment):
        refusal, status = _("You may no longer change this comment."), 403
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.comment_edit(
                    actor=request.user,
                    comment=comment,
                    body=form.cleaned_data["body"],
                    language=form.cleaned_data.get("language") or None,
                )
            except ValidationError as error:
                form.add_error("body", error.messages)
            except PermissionDenied as error:
                refusal, status = str(error), 403
            else:
                messages.success(request, _("Your comment is changed."))
                return redirect(_back_to(comment))
    context = {"comment": comment, "form": form, "refusal": refusal}
    return render(request, "initiatives/comment_edit.html", context, status=status)


@login_required
@require_POST
def comment_delete(request, pk):
    comment = _comment_or_404(request, pk)
    services.comment_delete(actor=request.user, comment=comment)
    messages.success(request, _("Your comment is deleted."))
    return redirect(f"{comment.initiative.get_absolute_url()}#comments")


@login_required
def comment_report(request, pk):
    """A reader tells the moderators what is wrong with a comment."""
    comment = _comment_or_404(request, pk)
    if not request.user.has_perm("initiatives.report_comment", comment):
        raise PermissionDenied(_("You cannot report your own comment."))
    form = CommentReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_report(actor=request.user, comment=comment, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("reason", error.messages)
        else:
            messages.success(request, _("Thank you; the moderators will look at this comment."))
            return redirect(_back_to(comment))
    return render(
        request,
        "initiatives/comment_report.html",
        {"comment": comment, "form": form},
        status=400 if form.is_bound else 200,
    )


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
