"""Single records and the rows around them, as the reader may see them.

The API's rows carry what their representation needs (no query per record).
"""

from django.db.models import Exists, JSONField, OuterRef, Subquery

from .. import rules
from ..models import Initiative, Revision


def initiatives_for_representation(*, user):
    """Initiatives this user may see, each row carrying what its API representation needs.

    Relations come from the snapshot of the current version, the four-eyes check from whether
    the user wrote any of it, membership from whether the user collaborates: no query per record.
    """
    current = Revision.objects.filter(initiative=OuterRef("pk"), version=OuterRef("version")).values(
        "snapshot"
    )[:1]
    queryset = (
        Initiative.objects.visible_to(user)
        .select_related("key_task", "action_line", "owner")
        # The API serves the Markdown, not the page's HTML.
        .defer("body_html")
        .annotate(
            current_snapshot=Subquery(current, output_field=JSONField()),
            # A subquery, not a join: COUNT(*) drops unused annotations but keeps joins, and
            # this one made the page-number count scan the table twice.
            # Named only to callers who may see the survivor: its slug gives away its title.
            merged_into_slug=Subquery(
                Initiative.objects.visible_to(user)
                .filter(pk=OuterRef("merged_into_id"))
                .order_by()
                .values("slug")[:1]
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
