"""Records with dates, as the calendar page and the iCalendar feed show them.

Dialogues, events and mechanisms happen on days, so they are the calendar's kinds; a record
of these kinds counts once it has a start or an end date. Its first day is the start (the
end when only that is known) and its last day the end (the start when only that is known),
so a record with one date lasts one day. Each read is one query of the few columns an
entry shows, bounded by the caller.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import get_language

from ..choices import InitiativeKind

CALENDAR_KINDS = (InitiativeKind.DIALOGUE, InitiativeKind.EVENT, InitiativeKind.MECHANISM)

_COLUMNS = (
    "pk",
    "slug",
    "title",
    "summary",
    "kind",
    "language",
    "first_day",
    "last_day",
    "updated_at",
    "key_task__name_en",
    "key_task__name_zh",
)


@dataclass(frozen=True)
class CalendarEntry:
    """One dated record: what a calendar cell, a list row and a VEVENT show."""

    pk: int
    slug: str
    title: str
    summary: str
    kind: str
    language: str
    first_day: datetime.date
    last_day: datetime.date
    updated_at: datetime.datetime
    key_task_name_en: str
    key_task_name_zh: str

    @property
    def url(self) -> str:
        return reverse("initiatives:detail", kwargs={"slug": self.slug})

    @property
    def key_task_name(self) -> str:
        language = get_language() or ""
        return (self.key_task_name_zh if language.startswith("zh") else self.key_task_name_en) or (
            self.key_task_name_en
        )

    @property
    def kind_label(self) -> str:
        return str(InitiativeKind(self.kind).label)

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    @property
    def html_language(self) -> str:
        return "zh-Hans" if self.language == "zh-hans" else self.language


def dated(queryset):
    """The calendar's records among these, each with its first and last day."""
    return (
        queryset.filter(kind__in=CALENDAR_KINDS)
        .filter(Q(start_date__isnull=False) | Q(end_date__isnull=False))
        .annotate(first_day=Coalesce("start_date", "end_date"), last_day=Coalesce("end_date", "start_date"))
    )


def calendar_entries(rows) -> list[CalendarEntry]:
    """Entries of rows read with the calendar's columns (a page of `calendar_agenda`)."""
    return [CalendarEntry(*row[:9], key_task_name_en=row[9], key_task_name_zh=row[10]) for row in rows]


def _entries(queryset) -> list[CalendarEntry]:
    return calendar_entries(queryset.values_list(*_COLUMNS))


def calendar_feed_entries(queryset, *, limit: int) -> list[CalendarEntry]:
    """The `limit` dated records that start last, in the order they start."""
    newest = dated(queryset).order_by("-first_day", "-pk")[:limit]
    return sorted(_entries(newest), key=lambda entry: (entry.first_day, entry.pk))


def calendar_entries_between(
    queryset, *, first: datetime.date, last: datetime.date, limit: int
) -> list[CalendarEntry]:
    """Dated records with at least one day from `first` to `last`, in the order they start."""
    overlapping = dated(queryset).filter(first_day__lte=last, last_day__gte=first)
    return _entries(overlapping.order_by("first_day", "pk")[:limit])


def calendar_agenda(
    queryset, *, today: datetime.date, first: datetime.date | None = None, last: datetime.date | None = None
):
    """Dated records for a list (those with a day from `first` to `last`, when given): those
    not yet over (running or to come) in the order they start, then those over, the latest
    first; rows of the calendar's columns, for a paginator to read a page at a time
    (`calendar_entries` makes entries of a page)."""
    over = Q(last_day__lt=today)
    records = dated(queryset)
    if first is not None and last is not None:
        records = records.filter(first_day__lte=last, last_day__gte=first)
    return (
        records.annotate(
            is_over=Case(When(over, then=Value(1)), default=Value(0), output_field=IntegerField()),
            coming_day=Case(When(~over, then=F("first_day"))),
            past_day=Case(When(over, then=F("first_day"))),
        )
        .order_by(
            "is_over",
            F("coming_day").asc(nulls_last=True),
            F("past_day").desc(nulls_last=True),
            "pk",
        )
        .values_list(*_COLUMNS)
    )
