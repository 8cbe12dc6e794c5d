"""The statistics page: the cross-tabulations people ask for, each a chart drawn on the
server as SVG, its table beside it and its rows as CSV.

It counts the records the browse page lists for the same query string (published ones,
unless a moderation state is asked for), through the same FilterSet, with the counting
of the API's /api/v1/stats/initiatives/ (selectors.stats): for an anonymous reader a
table's CSV holds the rows the API gives for the same dimensions and filters.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.choices import Region, StakeholderKind

from ..catalogue import remembered
from ..filtersets import InitiativeFilterSet
from ..selectors import catalogue
from ..selectors.stats import counts_csv, initiative_counts
from .browse import filter_chips

# Each table: its address's name, its dimensions and its title.
TABLES = {
    "key-task-by-region": (("key_task", "region"), gettext_lazy("Initiatives by key task and region")),
    "global-south-by-key-task": (
        ("key_task", "global_south"),
        gettext_lazy("Global South participation by key task"),
    ),
    "stakeholder-kinds-by-key-task": (
        ("key_task", "stakeholder_kind"),
        gettext_lazy("Kinds of stakeholders by key task"),
    ),
    "initiatives-per-year": (("year",), gettext_lazy("Initiatives started per year")),
    "results-by-key-task": (("key_task",), gettext_lazy("Records with results, by key task")),
}
# Tables that count only the records with results: the API's counts with `has_results=true`.
WITH_RESULTS = {"results-by-key-task"}

# The drawing's units: rows of ROW_HEIGHT, bars up to BAR_WIDTH long, room for the value.
ROW_HEIGHT = 40
BAR_WIDTH = 460
CHART_WIDTH = 600


def _filtered(request):
    """The FilterSet over what the browse page would list for this query string."""
    any_state = bool(request.GET.get("moderation_state"))
    visible = catalogue.browsable(request.user, any_state=any_state)
    return InitiativeFilterSet(request.GET, queryset=visible, request=request)


def _counts(request, filterset, name: str) -> list[dict]:
    """The table's counts; without any filter, the published catalogue's, kept until it changes."""
    dimensions = list(TABLES[name][0])

    def counted(queryset):
        if name in WITH_RESULTS:
            queryset = filterset.filter_has_results(queryset, "has_results", True)
        return initiative_counts(queryset, dimensions)

    if not request.GET.keys() & InitiativeFilterSet.base_filters.keys():
        return remembered(f"statistics-{name}", lambda: counted(catalogue.published_initiatives()))
    return counted(filterset.qs)


def _key_tasks() -> list[tuple[str, str]]:
    tasks = sorted(catalogue.facets()["key_tasks"], key=lambda task: task.number)
    return [(task.slug, f"{task.number}. {task.name}") for task in tasks]


def _columns(name: str) -> list[tuple[object, str]]:
    """The values of a table's second dimension, in order, with their labels."""
    if name == "key-task-by-region":
        return [*Region.choices, (None, _("No country given"))]
    if name == "stakeholder-kinds-by-key-task":
        return [*StakeholderKind.choices, (None, _("No stakeholder given"))]
    return [(True, _("With Global South participation")), (False, _("Without"))]


def _matrix(name: str, rows: list[dict]) -> dict:
    """A key task per row, a value of the other dimension per column; a column of null only
    when some record is in it."""
    other = TABLES[name][0][1]
    cells = {(row["key_task"], row[other]): row["count"] for row in rows}
    gathered_null = any(row[other] is None for row in rows)
    columns = [(value, label) for value, label in _columns(name) if value is not None or gathered_null]
    return {
        "columns": [label for _value, label in columns],
        "rows": [
            {"label": label, "cells": [cells.get((slug, value), 0) for value, _label in columns]}
            for slug, label in _key_tasks()
        ],
    }


def _share_table(rows: list[dict]) -> dict:
    """Per key task: records with a country of the Global South, without, and their share."""
    table = _matrix("global-south-by-key-task", rows)
    for row in table["rows"]:
        with_south, without = row["cells"]
        total = with_south + without
        row["share"] = round(100 * with_south / total) if total else None
        row["cells"] = [with_south, without, f"{row['share']} %" if total else "–"]
    table["columns"] = [*table["columns"][:2], _("Share with Global South participation")]
    return table


def _year_table(rows: list[dict]) -> dict:
    return {
        "columns": [_("Initiatives")],
        "rows": [
            {
                "label": str(row["year"]) if row["year"] is not None else _("No start date"),
                "cells": [row["count"]],
            }
            for row in rows
        ],
    }


def _results_table(rows: list[dict]) -> dict:
    """Per key task, how many of its records set out results with indicators."""
    counts = {row["key_task"]: row["count"] for row in rows}
    return {
        "columns": [_("Records with results")],
        "rows": [{"label": label, "cells": [counts.get(slug, 0)]} for slug, label in _key_tasks()],
    }


def _bars(rows: list[dict], *, top: int) -> list[dict]:
    """Rows of a horizontal bar chart: each row's segments laid end to end, scaled to `top`."""
    drawn = []
    for index, row in enumerate(rows):
        x = 0.0
        segments = []
        for series, (value, name) in enumerate(row["segments"]):
            width = round(BAR_WIDTH * value / top, 1) if top else 0
            if value:
                segments.append({"x": x, "width": width, "series": series, "value": value, "name": name})
            x = round(x + width, 1)
        drawn.append(
            {
                "label": Truncator(row["label"]).chars(60),
                "y": index * ROW_HEIGHT,
                "segments": segments,
                "end": x,
                "text": row["text"],
            }
        )
    return drawn


def _chart(chart_id: str, title, rows: list[dict], *, legend: list[str], top: int) -> dict:
    """A chart of one series needs no legend; its rows' labels say it."""
    series = list(enumerate(legend)) if len(legend) > 1 else []
    return {
        "id": chart_id,
        "title": title,
        "rows": _bars(rows, top=top),
        "legend": [{"series": number, "label": label} for number, label in series],
        "height": max(len(rows), 1) * ROW_HEIGHT,
        "width": CHART_WIDTH,
    }


def _stacked(name: str, table: dict) -> dict:
    rows = [
        {
            "label": row["label"],
            "segments": list(zip(row["cells"], table["columns"], strict=True)),
            "text": str(sum(row["cells"])),
        }
        for row in table["rows"]
    ]
    top = max((sum(row["cells"]) for row in table["rows"]), default=0)
    return _chart(f"chart-{name}", TABLES[name][1], rows, legend=table["columns"], top=top)


def _share_chart(name: str, table: dict) -> dict:
    rows = [
        {
            "label": row["label"],
            "segments": [(row["share"] or 0, table["columns"][0])],
            "text": f"{row['share']} %" if row["share"] is not None else "–",
        }
        for row in table["rows"]
    ]
    return _chart(f"chart-{name}", TABLES[name][1], rows, legend=[], top=100)


def _year_chart(name: str, table: dict) -> dict:
    rows = [
        {"label": row["label"], "segments": [(row["cells"][0], row["label"])], "text": str(row["cells"][0])}
        for row in table["rows"]
    ]
    top = max((row["cells"][0] for row in table["rows"]), default=0)
    return _chart(f"chart-{name}", TABLES[name][1], rows, legend=[], top=top)


def _section(request, filterset, name: str) -> dict:
    rows = _counts(request, filterset, name)
    if name == "global-south-by-key-task":
        table = _share_table(rows)
        chart = _share_chart(name, table)
    elif name == "initiatives-per-year":
        table = _year_table(rows)
        chart = _year_chart(name, table)
    elif name in WITH_RESULTS:
        table = _results_table(rows)
        chart = _year_chart(name, table)
    else:
        table = _matrix(name, rows)
        chart = _stacked(name, table)
    query = request.GET.urlencode()
    csv_url = reverse("initiatives:statistics_csv", args=[name]) + (f"?{query}" if query else "")
    return {"name": name, "title": TABLES[name][1], "chart": chart, "table": table, "csv_url": csv_url}


def statistics(request):
    """The cross-tabulations of the records the browse page lists for these filters."""
    filterset = _filtered(request)
    valid = filterset.is_valid()
    query = request.GET.urlencode()
    return render(
        request,
        "initiatives/statistics.html",
        {
            "sections": [_section(request, filterset, name) for name in TABLES] if valid else [],
            "filter_errors": None if valid else filterset.errors,
            "chips": filter_chips(request),
            "browse_url": reverse("initiatives:list") + (f"?{query}" if query else ""),
        },
    )


def statistics_csv(request, table: str):
    """One table's counts as CSV: a column per dimension (its slug, code or year), then `count`."""
    if table not in TABLES:
        raise Http404
    filterset = _filtered(request)
    if not filterset.is_valid():
        messages = "; ".join(f"{field}: {' '.join(errors)}" for field, errors in filterset.errors.items())
        return HttpResponse(messages, status=400, content_type="text/plain; charset=utf-8")
    dimensions = list(TABLES[table][0])
    response = HttpResponse(
        counts_csv(_counts(request, filterset, table), dimensions), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{table}.csv"'
    return response
