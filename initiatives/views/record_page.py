"""A record's page: the record a slug names, as the reader may see it, and its context,
which the forms posted from that page (notes, invitations, comments) render again on error;
and what an editor of the record edits (its edit form and its results page)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.choices import Language

from .. import rules
from ..forms import CommentForm, InviteForm, UpdateForm
from ..history import snapshot_of
from ..markup import kept_html
from ..models import Initiative
from ..selectors import discussion, latest_rejection, records, revisions_visible_to
from ..selectors.discussion import comment_html
from ..selectors.workspace import invitations_sent_open
from ..services.validation import RESULT_KINDS
from ..texts import html_lang, shown_text, translations_of


def initiative_or_404(request, slug: str) -> Initiative:
    """The initiative this slug names, as this user may see it; 404 when they may not."""
    initiative = records.initiative_for_page(user=request.user, slug=slug)
    if initiative is None:
        raise Http404(_("No initiative here, or not one you may see."))
    return initiative


def initiative_to_edit(request, slug: str) -> tuple[Initiative, str, dict]:
    """The record a slug names, how this user edits it ('direct' or 'revision'), and the
    content they edit: the live record's, with the open proposal's when their change would
    join it. 404 when they may not see the record, 403 when they may not edit it."""
    initiative = initiative_or_404(request, slug)
    mode = rules.edit_mode(request.user, initiative)
    if mode is None:
        raise PermissionDenied(_("You may not edit this initiative in its current state."))
    snapshot = snapshot_of(initiative)
    if mode == "revision":
        pending = records.open_proposal(initiative)
        if pending is not None:
            snapshot = {**snapshot, **pending.snapshot}
    return initiative, mode, snapshot


def _freshness_moment(initiative, updates):
    latest_update = max((update.published_at for update in updates if update.published_at), default=None)
    if latest_update and latest_update > initiative.updated_at:
        return latest_update
    return initiative.updated_at


def _invitations_sent(user, initiative) -> list:
    """The record's open invitations, each saying whether this reader may withdraw it."""
    invitations = list(invitations_sent_open(initiative))
    for invitation in invitations:
        invitation.initiative = initiative
        invitation.withdrawable = rules.can_withdraw_invitation(user, invitation)
    return invitations


def _threads(user, initiative) -> list:
    """The discussion's threads, each comment's kept HTML at hand for the template."""
    threads = list(discussion.comment_threads(user=user, initiative=initiative))
    for comment in threads:
        for shown in [comment, *comment.shown_replies] if comment.readable else comment.shown_replies:
            comment_html(shown)
    return threads


def _text_html(initiative, text) -> str:
    """The shown text's body as HTML: the translation's, or the original's (kept)."""
    if text.translation is not None:
        return text.translation.body_html
    return kept_html(initiative, source="body", target="body_html")


def _columns(initiative, translations: dict) -> list[dict]:
    """Both languages side by side: each column's own text, or None where there is none yet."""
    columns = []
    for code, label in Language.choices:
        text = shown_text(initiative, code, translations=translations)
        columns.append(
            {
                "language": code,
                "label": label,
                "lang": html_lang(code),
                "text": None if text.fallback else text,
                "body_html": None if text.fallback else _text_html(initiative, text),
            }
        )
    return columns


def detail_context(request, initiative, **forms) -> dict:
    user = request.user
    translations = translations_of(initiative)
    text = shown_text(initiative, translations=translations)
    side_by_side = request.GET.get("languages") == "both"
    updates = list(records.updates_visible_to(user=user, initiative=initiative))
    for update in updates:
        kept_html(update, source="text", target="text_html")
    member = rules.is_member(user, initiative)
    actions = rules.allowed_actions(user, initiative)
    can_manage = member or rules.is_curator(user) or rules.is_admin(user)
    sources = list(initiative.links.all())
    may_check_sources = not initiative.merged_into_id and user.has_perm(
        "initiatives.check_source", initiative
    )
    context = {
        "initiative": initiative,
        "text": text,
        "body_html": _text_html(initiative, text),
        "side_by_side": side_by_side,
        "columns": _columns(initiative, translations) if side_by_side else None,
        "participations": initiative.participations.all(),
        "updates": updates,
        "comments": _threads(user, initiative),
        "revisions": revisions_visible_to(user=user, initiative=initiative)[:20],
        "freshness_moment": _freshness_moment(initiative, updates),
        "actions": actions,
        "results": records.results_for_page(initiative=initiative, updates=updates),
        "may_edit_results": initiative.kind in RESULT_KINDS
        and ("edit" in actions or "propose_revision" in actions),
        "can_comment": user.is_authenticated and initiative.is_published,
        "can_hide_comments": rules.can_hide_comment(user),
        "mentions_url": reverse("initiatives:autocomplete", args=["people"]),
        "can_follow": user.is_authenticated,
        "following": records.is_following(user=user, initiative=initiative),
        "follower_count": records.follower_count(initiative),
        "can_manage": can_manage,
        "can_remove_collaborators": can_manage and rules.can_remove_collaborator(user, initiative),
        "sources": sources,
        "may_check_sources": may_check_sources,
        # Curators are told when no source of the record was checked yet.
        "no_checked_source": may_check_sources and not any(link.checked for link in sources),
        "comment_form": forms.get("comment_form") or CommentForm(),
        # For the reply and inline edit forms, which name the language as the comment form does.
        "language_choices": CommentForm.base_fields["language"].choices,
        "update_form": forms.get("update_form")
        or UpdateForm(initial={"date": timezone.localdate()}, initiative=initiative),
        "invite_form": forms.get("invite_form") or InviteForm(),
    }
    if can_manage:
        context["pending_revision"] = records.open_proposal(initiative)
        context["last_rejection"] = latest_rejection(initiative)
        context["invitations_sent"] = _invitations_sent(user, initiative)
    return context
