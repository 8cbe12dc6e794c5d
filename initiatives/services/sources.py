"""Whether a record's sources were checked, which only curators say.

Every write of a record's links passes them through `history.links_checked`: from anyone
who may not check sources, each link keeps the state of the record's link with the same
address (a new address starts unchecked), whatever the web form, the API or an imported file
said. A curator sets it (through an edit, or `source_check` for one source), and the link
remembers who and when. A checked mark is part of the record's content, so each change of it is a new version
whose history entry names the curator.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..announcements import public_event_announce
from ..choices import EventAction, HistoryAction, PublicEvent
from ..history import links_checked, links_of, snapshot_resolve
from ..models import Initiative
from .records import content_write, deny, event_record, initiative_locked, initiative_version_check


def may_check_sources(actor, initiative: Initiative | None = None) -> bool:
    return actor is not None and actor.has_perm("initiatives.check_source", initiative)


@transaction.atomic
def source_check(
    *, actor, initiative: Initiative, url: str, checked: bool, expected_version: int | None = None
) -> Initiative:
    """Mark one of the record's sources checked (or not) as a new version; curators only."""
    initiative = initiative_locked(initiative)
    if not may_check_sources(actor, initiative) or initiative.merged_into_id:
        deny(_("Only curators mark sources as checked."))
    current = links_of(initiative)
    if not any(link["url"] == url for link in current):
        raise ValidationError({"url": [_("This record has no source at this address.")]})
    wanted = [{**link, "checked": bool(checked)} if link["url"] == url else link for link in current]
    links = links_checked(wanted, current=current, actor=actor, may_check=True)
    if links == current:
        # Already so; a stale page must still hear that the record moved on.
        initiative_version_check(initiative=initiative, expected_version=expected_version)
        return initiative
    if checked:
        message = _("Marked the source %(url)s as checked.") % {"url": url}
    else:
        message = _("Marked the source %(url)s as not checked.") % {"url": url}
    content_write(
        initiative=initiative,
        actor=actor,
        resolved=snapshot_resolve({"links": links}),
        expected_version=expected_version,
        action=HistoryAction.EDIT,
        change_message=message,
    )
    # Four eyes reads events: whoever checked a source wrote some of the record's content.
    event_record(initiative=initiative, actor=actor, action=EventAction.EDIT, reason=message)
    public_event_announce(event=PublicEvent.UPDATED, initiative=initiative)
    return initiative
