"""How many records match: exact up to a bound, the planner's estimate past it.

Counting a million published rows takes PostgreSQL over a hundred milliseconds, and a
common search word as long again; no reader needs to know whether there are 820,508 or
820,000 of them. So a count reads at most EXACT_UP_TO + 1 matching rows: below the bound
it is exact, past it the answer is PostgreSQL's own estimate of the rows the query returns
(never less than the bound). On SQLite, which has no such estimate, it is exact.

Counts are kept per catalogue generation (initiatives/catalogue.py) under the query's SQL
and parameters, so a page, its next page and the other readers of the same list count once
per change to the records.
"""

import hashlib
import json
from collections import OrderedDict
from dataclasses import dataclass

from django.db import DatabaseError, connections

from ..catalogue import generation

EXACT_UP_TO = 10_000
# Counts kept in this process, least recently used out first.
KEPT_COUNTS = 2_000

_kept: OrderedDict[str, tuple[int, "Count"]] = OrderedDict()


@dataclass(frozen=True)
class Count:
    value: int
    is_estimate: bool


def bounded_count(queryset, *, exact_up_to: int = EXACT_UP_TO) -> Count:
    """The number of rows `queryset` returns: exact up to `exact_up_to`, estimated past it."""
    queryset = queryset.order_by()
    try:
        sql, params = queryset.values("pk").query.sql_with_params()
    except Exception:  # an empty IN list and the like: Django raises EmptyResultSet
        return Count(queryset.count(), False)
    key = hashlib.sha256(
        json.dumps([queryset.db, sql, [str(p) for p in params], exact_up_to]).encode()
    ).hexdigest()
    current = generation()
    entry = _kept.get(key)
    if entry is not None and entry[0] == current:
        _kept.move_to_end(key)
        return entry[1]
    count = _count(queryset, sql, params, exact_up_to)
    _kept[key] = (current, count)
    _kept.move_to_end(key)
    while len(_kept) > KEPT_COUNTS:
        _kept.popitem(last=False)
    return count


def forget_counts() -> None:
    """Drop the counts kept in this process (a test's database starts again)."""
    _kept.clear()


def _count(queryset, sql: str, params, exact_up_to: int) -> Count:
    seen = queryset.values("pk")[: exact_up_to + 1].count()
    if seen <= exact_up_to:
        return Count(seen, False)
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return Count(queryset.count(), False)
    try:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0]
    except DatabaseError:
        return Count(queryset.count(), False)
    if isinstance(plan, str):
        plan = json.loads(plan)
    estimate = int(plan[0]["Plan"]["Plan Rows"])
    return Count(max(estimate, exact_up_to + 1), True)
