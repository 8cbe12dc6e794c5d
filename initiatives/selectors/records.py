"""Single records and the rows around them, as the reader may see them.

A record a reader may not see is, to them, absent (its page is a 404, not a 403). The API's
rows carry what their representation needs (no query per record); a record's page reads its
notes, followers and open proposal here (its discussion: selectors/discussion.py).
"""

from django.contrib.auth import get_user_model
from django.db.models import Exists, JSONField, OuterRef, Subquery

from governance.models import ActionLine, KeyTask

from .. import rules
from ..choices import RevisionState, UpdateState
from ..models import Initiative, PendingRevision, Result, Revision, TopicFollow


def initiatives_for_representation(*, user):
    """Initiatives this user may see, each row carrying what its API representation needs.

    Relations come from the snapshot of the current version, the four-eyes check from whether
    the user wrote any of it, membership from whether the user collaborates: no query per record.
    """
    current = Revision.objects.filter(initiative=OuterRef("pk"), version=OuterRef("version")).values(
        "snapshot"
    )[:1]
    visible = Initiative.objects.visible_to(user)
    queryset = (
        visible
        # The API serves the Markdown, not the page's HTML, and no search text.
        .defer("body_html", "search_document", "search_extra").annotate(
            # Subqueries, not joins: COUNT(*) and the page's ids drop unused annotations but
            # keep their joins (one made the page-number count scan the table twice). The
            # names of related rows come as values, not models: a page makes 50, not 200.
            key_task_slug=_name_of(KeyTask, "key_task_id", "slug"),
            action_line_slug=_name_of(ActionLine, "action_line_id", "slug"),
            owner_username=_name_of(get_user_model(), "owner_id", "username"),
            current_snapshot=Subquery(current, output_field=JSONField()),
            # Named only to callers who may see the survivor: its slug gives away its title.
            merged_into_slug=Subquery(
                visible.filter(pk=OuterRef("merged_into_id")).order_by().values("slug")[:1]
            ),
        )
    )
    if rules.is_admin(user) or rules.is_moderator(user):
        # rules.wrote_under_review reads this instead of a query per record (the four-eyes check).
        queryset = queryset.annotate(
            caller_wrote_under_review=Exists(rules.authoring_events(user.pk, OuterRef("pk")))
        )
    if user is not None and user.is_authenticated:
        collaborating = Initiative.collaborators.through.objects.filter(
            initiative_id=OuterRef("pk"), user_id=user.pk
        )
        queryset = queryset.annotate(caller_collaborates=Exists(collaborating))
    return queryset


def _name_of(model, column: str, field: str) -> Subquery:
    return Subquery(model._base_manager.filter(pk=OuterRef(column)).values(field)[:1])


def initiative_for_page(*, user, slug: str):
    """The record this slug names with what its page shows; None when this user may not see it."""
    return Initiative.objects.visible_to(user).for_detail().filter(slug=slug).first()


_MERGE_FIELDS = ("pk", "slug", "owner_id", "moderation_state", "published_at", "merged_into_id")


def merge_survivor(*, user, slug: str):
    """Where a merged record's address now leads this user (following chains of merges);
    None when it is not merged, or may not lead them on (rules.can_follow_merge)."""
    source = Initiative.objects.filter(slug=slug).only(*_MERGE_FIELDS).first()
    record = source
    seen = set()
    while record is not None and record.merged_into_id and record.pk not in seen:
        seen.add(record.pk)
        record = Initiative.objects.filter(pk=record.merged_into_id).only(*_MERGE_FIELDS).first()
    if not seen or record is None or not rules.can_follow_merge(user, source, record):
        return None
    return record


def updates_visible_to(*, user, initiative):
    """The record's notes this user may read: held and rejected ones only for its members and staff."""
    updates = initiative.updates.select_related("author", "indicator")
    if not rules.can_view_moderation(user, initiative):
        updates = updates.filter(state=UpdateState.PUBLISHED)
    return updates


def results_for_page(*, initiative, updates) -> list[Result]:
    """The record's results with their indicators and periods; each indicator carries the notes
    among `updates` (those the reader may see) that report against it, as `notes`."""
    results = list(
        Result.objects.filter(initiative=initiative)
        .prefetch_related("indicators__periods")
        .order_by("position", "id")
    )
    by_indicator = {}
    for update in updates:
        if update.indicator_id is not None:
            by_indicator.setdefault(update.indicator_id, []).append(update)
    for result in results:
        for indicator in result.indicators.all():
            indicator.notes = by_indicator.get(indicator.pk, [])
    return results


def is_following(*, user, initiative) -> bool:
    return user.is_authenticated and TopicFollow.objects.filter(user=user, initiative=initiative).exists()


def follower_count(initiative) -> int:
    return TopicFollow.objects.filter(initiative=initiative).count()


def open_proposal(initiative):
    """The record's proposal waiting for a moderator, if any (there is at most one)."""
    return PendingRevision.objects.filter(initiative=initiative, state=RevisionState.OPEN).first()
