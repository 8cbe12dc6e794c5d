"""`/calendar.ics`: the calendar page's records as an iCalendar feed (RFC 5545) that Outlook,
Thunderbird and other calendar programs subscribe to, narrowed by the same filters.

Every record is an all-day VEVENT: DTSTART is its first day and DTEND the day after its
last (DTEND is exclusive). Its UID is its slug (which never changes) at the site's host,
so a program that reads the feed again updates its copy instead of adding another.
DTSTAMP and LAST-MODIFIED are when the record last changed: without METHOD, RFC 5545 reads
DTSTAMP so, and the same records give the same bytes, which any cache may keep. The feed
holds at most CALENDAR_FEED_MAX_EVENTS records, those that start last. Building 2000 takes
seconds, so the feed of published records is kept per catalogue generation, address,
language and host, as the pages' shared fragments are.
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vDuration

from ..selectors.calendar import calendar_feed_entries
from .browse import filters_query
from .calendar import calendar_records
from .fragments import shared_key

PRODUCT_ID = "-//Concord//Cyberspace cooperation initiatives//EN"
# How often a subscribed program should read the feed again (RFC 7986 and Outlook's own name).
REFRESH_INTERVAL = datetime.timedelta(hours=6)
# How long a built feed of published records is kept, at most: a change to the catalogue
# retires it at once (its key holds the catalogue generation, views/fragments.py).
KEPT_SECONDS = 600


def _uid_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "concord"


def _event(entry, *, url: str, host: str) -> Event:
    event = Event()
    event.add("uid", f"{entry.slug}@{host}")
    event.add("dtstamp", entry.updated_at)
    event.add("last-modified", entry.updated_at)
    event.add("dtstart", entry.first_day)
    if entry.last_day < datetime.date.max:
        event.add("dtend", entry.last_day + datetime.timedelta(days=1))
    else:
        # The day after 9999-12-31 has no date: the same span, said as a length.
        event.add("duration", datetime.timedelta(days=entry.days))
    event.add("summary", entry.title)
    # Outlook shows neither URL nor CATEGORIES to the reader: the address ends the description.
    event.add("description", f"{entry.summary}\n\n{url}")
    event.add("url", url)
    event.add("categories", [entry.key_task_name])
    # A record in a public calendar does not make its subscriber busy.
    event.add("transp", "TRANSPARENT")
    return event


def calendar_document(entries, *, name: str, description: str, absolute) -> bytes:
    """The VCALENDAR of these entries; `absolute` makes a path an absolute address."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-caldesc", description)
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
    host = _uid_host()
    for entry in entries:
        calendar.add_component(_event(entry, url=absolute(entry.url), host=host))
    return calendar.to_ical()


def _kept_key(request) -> str | None:
    """Where the feed of published records is kept for this address, language and host (its
    addresses are absolute); None for a feed of other states, which is the reader's own."""
    if request.GET.get("moderation_state"):
        return None
    return "calendar-feed:" + shared_key(request, request.get_host(), request.is_secure())


def calendar_feed(request):
    key = _kept_key(request)
    body = cache.get(key) if key else None
    if body is None:
        records, errors = calendar_records(request)
        if errors:
            lines = [f"{field}: {' '.join(messages)}" for field, messages in errors.items()]
            return HttpResponseBadRequest("\n".join(lines), content_type="text/plain; charset=utf-8")
        entries = calendar_feed_entries(records, limit=settings.CALENDAR_FEED_MAX_EVENTS)
        name = _("Concord calendar") if not filters_query(request) else _("Concord calendar (filtered)")
        body = calendar_document(
            entries,
            name=name,
            description=_("Dialogues, events and mechanisms of cyberspace cooperation, by date."),
            absolute=request.build_absolute_uri,
        )
        if key:
            cache.set(key, body, KEPT_SECONDS)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="concord.ics"'
    return response
