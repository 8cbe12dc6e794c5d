"""A record's discussion as a reader may read it: top-level comments oldest first, each with
its replies.

A deleted comment, and a hidden one for whoever may not read it, is gone; a top-level one
that still has replies the reader may read stays as a placeholder (`comment.readable` is
False) so that its replies keep their place. A hidden comment is read by its author and the
moderators, marked.
"""

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Prefetch, Q, Value

from .. import rules
from ..markup import render_comment
from ..models import Comment


def readable_comments(user) -> Q:
    """Comments whose wording this user may read (rules.can_read_comment, as a filter)."""
    readable = Q(deleted_at__isnull=True)
    if rules.can_hide_comment(user):
        return readable
    if user is not None and user.is_authenticated:
        return readable & (Q(hidden_at__isnull=True) | Q(author=user))
    return readable & Q(hidden_at__isnull=True)


def comment_threads(*, user, initiative):
    """The record's top-level comments, oldest first, readable or holding readable replies;
    each with `readable` and `shown_replies` (its replies the user may read, oldest first)."""
    readable = readable_comments(user)
    replies = (
        Comment.objects.filter(readable)
        .annotate(readable=Value(True))
        .select_related("author")
        .order_by("created_at", "id")
    )
    readable_replies = Comment.objects.filter(readable, parent=OuterRef("pk"))
    return (
        Comment.objects.filter(initiative=initiative, parent__isnull=True)
        .filter(readable | Q(Exists(readable_replies)))
        .annotate(readable=ExpressionWrapper(readable, output_field=BooleanField()))
        .select_related("author")
        .prefetch_related(Prefetch("replies", queryset=replies, to_attr="shown_replies"))
        .order_by("created_at", "id")
    )


def comment_of(*, user, initiative, pk):
    """One comment of this record whose wording the user may read, or None."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if not -(2**63) <= pk < 2**63:
        return None
    return (
        Comment.objects.filter(readable_comments(user), initiative=initiative, pk=pk)
        .select_related("author", "initiative")
        .first()
    )


def comment_html(comment: Comment) -> str:
    """The comment's kept HTML; rendered and kept now for a comment written before it was."""
    if comment.body_html is not None:
        return comment.body_html
    html = render_comment(comment.body)
    Comment.objects.filter(pk=comment.pk, body=comment.body, body_html__isnull=True).update(body_html=html)
    comment.body_html = html
    return html


MENTION_SUGGESTIONS = 8


def usernames_starting(prefix: str) -> list[str]:
    """At most MENTION_SUGGESTIONS usernames of active accounts starting with `prefix`, for
    @mention completion. Usernames are public on the site; nothing else about a person is."""
    prefix = (prefix or "").strip().lstrip("@")
    if not prefix:
        return []
    users = get_user_model().objects.filter(is_active=True, username__istartswith=prefix)
    return list(users.order_by("username").values_list("username", flat=True)[:MENTION_SUGGESTIONS])
