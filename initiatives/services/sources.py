"""Whether a record's sources were checked, which only curators say.

Every write of a record's links passes them through `links_checked`: from anyone who may not
check sources, each link keeps the state of the record's link with the same address (a new
address starts unchecked), whatever the web form, the API or an imported file said. A curator
sets it (through an edit, or `source_check` for one source), and the link remembers who and
when. A checked mark is part of the record's content, so each change of it is a new version
whose history entry names the curator.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..announcements import public_event_announce
from ..choices import HistoryAction, PublicEvent
from ..history import link_item, links_of, moment_text, snapshot_resolve
from ..models import Initiative
from .records import content_write, deny, initiative_locked, initiative_version_check


def may_check_sources(actor, initiative: Initiative | None = None) -> bool:
    return actor is not None and actor.has_perm("initiatives.check_source", initiative)


def links_checked(links: list[dict], *, current: list[dict], actor=None, may_check: bool) -> list[dict]:
    """The links to write, each with its checked state, who checked it and when.

    Someone who may not check sources changes none of it: each link keeps the state of the
    current link with the same address. A curator's link that says nothing of it (None) keeps
    it too; one that changes it is stamped with the curator and the moment.
    """
    kept = {}
    for link in current:
        kept.setdefault(link["url"], link_item(link))
    now = None
    written = []
    for link in links:
        link = dict(link)
        before = kept.get(link.get("url"), {"checked": False, "checked_by": None, "checked_at": None})
        wanted = link.get("checked")
        if not may_check or wanted is None or bool(wanted) == bool(before["checked"]):
            state = {key: before[key] for key in ("checked", "checked_by", "checked_at")}
        elif wanted:
            now = now or timezone.now()
            checker = actor.get_username() if actor is not None and actor.is_authenticated else None
            state = {"checked": True, "checked_by": checker, "checked_at": moment_text(now)}
        else:
            state = {"checked": False, "checked_by": None, "checked_at": None}
        written.append({**link, **state})
    return written


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
    public_event_announce(event=PublicEvent.UPDATED, initiative=initiative)
    return initiative
