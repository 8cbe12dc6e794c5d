"""The calendar page: dialogues, events and mechanisms on the days they take, as a month's grid
(`?month=YYYY-MM`) or as a list (`?view=list`), narrowed by the browse page's filters.

The records are the browse page's for the same reader and filters (published ones, unless
a moderation state is asked for), so a draft shows only to whom the browse page shows it.
A filter, view or month that names nothing answers 400 with the reason, as the feed does.
"""

import datetime
from calendar import Calendar

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..choices import ModerationState
from ..filtersets import InitiativeFilterSet
from ..selectors import catalogue
from ..selectors.calendar import CALENDAR_KINDS, calendar_agenda, calendar_entries, calendar_entries_between
from .browse import PAGE_PARAMETERS, curating, filters_query, plain_options
from .paging import paginate

VIEWS = ("month", "list")
# A record lasting up to this many days shows on each of them in the month's grid; a longer
# one (a mechanism that runs for years) shows on its first and last day only, and is listed
# above the grid when the grid holds neither.
SPANNED_UP_TO_DAYS = 31
LIST_PAGE_SIZE = 50
# The most records a day's cell shows, and the list above the grid; the rest are counted,
# with a link to the month as a list.
SHOWN_PER_DAY = 4
SHOWN_RUNNING = 10


def calendar_records(request):
    """(records the reader may see that match the query's filters, errors per parameter)."""
    any_state = bool(request.GET.get("moderation_state"))
    visible = catalogue.browsable(request.user, any_state=any_state)
    filterset = InitiativeFilterSet(request.GET, queryset=visible, request=request)
    if not filterset.is_valid():
        return visible.none(), {
            name: [str(error) for error in errors] for name, errors in filterset.errors.items()
        }
    return filterset.qs, {}


def _month(value: str | None) -> datetime.date | None:
    """The first day of the month `YYYY-MM` names (this month when none); None when invalid."""
    if not value:
        return timezone.localdate().replace(day=1)
    year, dash, month = value.partition("-")
    if not (dash and len(year) == 4 and len(month) == 2 and year.isdigit() and month.isdigit()):
        return None
    if not (1 <= int(year) <= 9999 and 1 <= int(month) <= 12):
        return None
    return datetime.date(int(year), int(month), 1)


def _month_value(month: datetime.date) -> str:
    """YYYY-MM, four digits of year always (strftime drops the zeros of years before 1000)."""
    return f"{month.year:04d}-{month.month:02d}"


def _shifted(month: datetime.date, months: int) -> datetime.date | None:
    index = month.year * 12 + month.month - 1 + months
    year, number = divmod(index, 12)
    if not 1 <= year <= 9999:
        return None
    return datetime.date(year, number + 1, 1)


def _mark(entry, day: datetime.date) -> str | None:
    """How an entry shows on a day of the grid: None (not at all), "" (on a day it takes),
    "continues" (a later day of a short span), "starts" or "ends" (a long span's ends)."""
    if not entry.first_day <= day <= entry.last_day:
        return None
    if entry.days <= SPANNED_UP_TO_DAYS:
        return "" if day == entry.first_day else "continues"
    if day == entry.first_day:
        return "starts"
    if day == entry.last_day:
        return "ends"
    return None


def _weeks(month: datetime.date) -> list[list[datetime.date | None]]:
    """The weeks (Monday first) that hold the month's days; a day before 0001-01-01 or after
    9999-12-31, which no date can be, is None."""
    weeks = []
    for week in Calendar(firstweekday=0).monthdays2calendar(month.year, month.month):
        days = []
        for number, weekday in week:
            if number:
                days.append(month.replace(day=number))
                continue
            # A day of the month before or after: counted from the week's day in the month.
            anchor_number, anchor_weekday = next((n, w) for n, w in week if n)
            try:
                days.append(
                    month.replace(day=anchor_number) + datetime.timedelta(days=weekday - anchor_weekday)
                )
            except OverflowError:
                days.append(None)
        weeks.append(days)
    return weeks


def _month_context(records, month: datetime.date) -> dict:
    weeks = _weeks(month)
    first = next(day for day in weeks[0] if day)
    last = next(day for day in reversed(weeks[-1]) if day)
    entries = calendar_entries_between(
        records, first=first, last=last, limit=settings.CALENDAR_FEED_MAX_EVENTS
    )
    today = timezone.localdate()
    grid = []
    for week in weeks:
        cells = []
        for day in week:
            if day is None:
                cells.append(None)
                continue
            items = []
            for entry in entries:
                mark = _mark(entry, day)
                if mark is not None:
                    items.append({"entry": entry, "mark": mark})
            cells.append(
                {
                    "day": day,
                    "in_month": day.month == month.month,
                    "today": day == today,
                    "items": items[:SHOWN_PER_DAY],
                    "more": len(items) - SHOWN_PER_DAY if len(items) > SHOWN_PER_DAY else 0,
                }
            )
        grid.append(cells)
    # Long spans whose first and last day both fall outside the grid would show nowhere in it.
    running = [
        entry
        for entry in entries
        if entry.days > SPANNED_UP_TO_DAYS and entry.first_day < first and entry.last_day > last
    ]
    previous, following = _shifted(month, -1), _shifted(month, 1)
    return {
        "month": month,
        "month_label": date_format(month, "YEAR_MONTH_FORMAT"),
        "weekdays": [(WEEKDAYS[number], WEEKDAYS_ABBR[number]) for number in range(7)],
        "weeks": grid,
        "running": running[:SHOWN_RUNNING],
        "running_more": max(len(running) - SHOWN_RUNNING, 0),
        "entry_count": len(entries),
        "entries_cut": len(entries) >= settings.CALENDAR_FEED_MAX_EVENTS,
        "previous_month": previous and _month_value(previous),
        "previous_label": previous and date_format(previous, "YEAR_MONTH_FORMAT"),
        "next_month": following and _month_value(following),
        "next_label": following and date_format(following, "YEAR_MONTH_FORMAT"),
        "this_month": _month_value(timezone.localdate()),
    }


def _list_context(request, records, month: datetime.date | None) -> dict:
    today = timezone.localdate()
    bounds = {}
    if month is not None:
        following = _shifted(month, 1)
        last = following - datetime.timedelta(days=1) if following else datetime.date.max
        bounds = {"first": month, "last": last}
    page = paginate(request, calendar_agenda(records, today=today, **bounds), LIST_PAGE_SIZE)
    groups = []
    for entry in calendar_entries(page.object_list):
        over = entry.last_day < today
        key = (over, entry.first_day.year, entry.first_day.month)
        if not groups or groups[-1]["key"] != key:
            groups.append(
                {
                    "key": key,
                    "over": over,
                    "first_coming": not over and not groups,
                    "first_over": over and not any(group["over"] for group in groups),
                    "label": date_format(entry.first_day.replace(day=1), "YEAR_MONTH_FORMAT"),
                    "entries": [],
                }
            )
        groups[-1]["entries"].append(entry)
    return {
        "page": page,
        "groups": groups,
        "month_label": month and date_format(month, "YEAR_MONTH_FORMAT"),
    }


def _options() -> dict:
    """The browse page's filter options (without counts), kinds narrowed to the calendar's."""
    options = dict(plain_options())
    options["kind"] = [option for option in options["kind"] if option[0] in CALENDAR_KINDS]
    return options


def calendar_page(request):
    view = request.GET.get("view") or "month"
    errors = {}
    if view not in VIEWS:
        errors["view"] = [_("Choose “month” or “list”.")]
    # The month view shows this month unless told; the list shows one month only when told.
    asked = request.GET.get("month")
    month = _month(asked) if view == "month" or asked else None
    if (view == "month" or asked) and month is None:
        errors["month"] = [_("Give a month as YYYY-MM, between 0001-01 and 9999-12.")]
    records, filter_errors = calendar_records(request)
    errors.update(filter_errors)

    query = filters_query(request)
    feed_path = reverse("initiatives:calendar_feed") + (f"?{query}" if query else "")
    context = {
        "view": view,
        "errors": errors,
        "filters_query": query,
        "feed_url": feed_path,
        "webcal_url": f"webcal://{request.get_host()}{feed_path}",
        "selected": {key: request.GET.getlist(key) for key in request.GET if key not in PAGE_PARAMETERS},
        "hidden_fields": [("view", view if view in VIEWS else "month")]
        + ([("month", _month_value(month))] if month else []),
        "month_value": month and _month_value(month),
        "clear_query": "?view=list" if view == "list" else "",
        "options": _options(),
        "moderation_states": ModerationState.choices if request.user.is_authenticated else [],
        "curating": curating(request),
    }
    if not errors:
        context.update(
            _month_context(records, month) if view == "month" else _list_context(request, records, month)
        )
    return render(request, "initiatives/calendar.html", context, status=400 if errors else 200)
