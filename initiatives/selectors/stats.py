"""How many records there are by one or two dimensions, counted in one grouped query.

The records counted are any queryset of initiatives: the caller's visible records narrowed
by the list's FilterSet, so that a count here is the count the list gives for the same
filters. Each dimension names a value of a record: a slug, a code, a year or a boolean.
Single-valued dimensions put every record in one group. Countries, regions, advocacies and
stakeholder kinds are several per record: a record counts once under each of its values
(never twice under one), and under null when it has none. Counting is COUNT(DISTINCT id)
over the records joined to their values, so a record with two countries of one region still
counts once under that region.
"""

import csv
import io
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Value
from django.db.models.functions import ExtractYear, NullIf

from ..models import Initiative


@dataclass(frozen=True)
class Dimension:
    name: str
    # What a record's value is, as an expression over Initiative.
    expression: object
    # Several values per record (a record counts under each); None when it has none.
    several: bool = False


def _global_south():
    through = Initiative.countries.through.objects.filter(
        initiative_id=OuterRef("pk"), country__global_south=True
    )
    return Exists(through)


# In the order the documentation lists them.
DIMENSIONS = {
    dimension.name: dimension
    for dimension in (
        Dimension("key_task", F("key_task__slug")),
        Dimension("action_line", F("action_line__slug")),
        Dimension("advocacy", F("advocacies__slug"), several=True),
        # A country without a region (none of the seeded ones) counts as no region.
        Dimension("region", NullIf(F("countries__region"), Value("")), several=True),
        # As the list's filter reads it: true when a country of the Global South takes part,
        # false when none does (a record without countries too).
        Dimension("global_south", _global_south()),
        Dimension("country", F("countries__code"), several=True),
        Dimension("stakeholder_kind", F("participations__stakeholder__kind"), several=True),
        Dimension("kind", F("kind")),
        Dimension("status", F("status")),
        Dimension("year", ExtractYear("start_date")),
    )
}

# The most dimensions one question may cross.
MAX_DIMENSIONS = 2


def _column(name: str) -> str:
    # Annotations may not shadow the model's fields (kind, status), so they take a prefix.
    return f"by_{name}"


def _order(value):
    """Values in order, null last; booleans true first."""
    if value is None:
        return (2, 0)
    if isinstance(value, bool):
        return (1, not value)
    return (0, value)


def initiative_counts(queryset, dimensions: list[str]) -> list[dict]:
    """[{dimension: value, …, "count": n}] over the records of `queryset`, one row per
    combination of values that some record has, ordered by the values (null last).

    `dimensions` are names of DIMENSIONS, already checked; the records are read once.
    """
    records = Initiative.objects.filter(pk__in=queryset.order_by().values("pk"))
    columns = {_column(name): DIMENSIONS[name].expression for name in dimensions}
    rows = (
        records.annotate(**columns)
        .order_by()
        .values(*columns)
        .annotate(count=Count("pk", distinct=True))
        .values_list(*columns, "count")
    )
    results = [
        {**{name: value for name, value in zip(dimensions, row[:-1], strict=True)}, "count": row[-1]}
        for row in rows
    ]
    results.sort(key=lambda result: [_order(result[name]) for name in dimensions])
    return results


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def counts_csv(rows: list[dict], dimensions: list[str]) -> str:
    """Counts as the API and the statistics page hand them out as CSV: a column per
    dimension (empty for null), then `count`."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*dimensions, "count"])
    for row in rows:
        writer.writerow([*(_cell(row[name]) for name in dimensions), row["count"]])
    return "\ufeff" + out.getvalue()
