"""The world map: countries shaded by the published records under the browse page's
filters, lines between the countries of bilateral dialogues, and the same figures as tables."""

import math

from django.shortcuts import render

from .. import worldmap
from ..filtersets import InitiativeFilterSet
from ..selectors import catalogue, geography
from .fragments import once, shared_key

LEVELS = 5


def world_map(request):
    """`/map/`: valid filters are drawn once per catalogue generation, language and address;
    invalid ones answer 400 with the filters' messages."""
    filterset = InitiativeFilterSet(request.GET, queryset=catalogue.published_initiatives(), request=request)
    valid = filterset.is_valid()
    return render(
        request,
        "initiatives/map.html",
        {
            "figures": once(lambda: _figures(filterset.qs)),
            "filter_errors": None if valid else filterset.errors,
            "map_key": shared_key(request) if valid else None,
            "query": request.GET.urlencode(),
            "width": worldmap.WIDTH,
            "height": worldmap.HEIGHT,
        },
        status=200 if valid else 400,
    )


def _figures(records) -> dict:
    counts = geography.country_counts(records)
    pairs = geography.dialogue_pairs(records)
    countries = geography.countries_by_numeric()
    by_code = {country.code: country for country in countries.values()}
    shapes = worldmap.shapes()
    top = max(counts.values(), default=0)
    drawn = [
        {
            "path": shape.path,
            "country": countries[numeric],
            "count": counts.get(countries[numeric].code, 0),
            "level": _level(counts.get(countries[numeric].code, 0), top),
        }
        for numeric, shape in shapes.items()
        if numeric in countries
    ]
    listed = sorted(
        ({"country": by_code[code], "count": count} for code, count in counts.items()),
        key=lambda row: (-row["count"], row["country"].name),
    )
    return {
        "shapes": drawn,
        "countries": listed,
        "pairs": [
            {
                "first": by_code[first],
                "second": by_code[second],
                "count": count,
                "path": _pair_path(shapes, by_code[first], by_code[second]),
                "weight": min(4, 1 + int(math.log2(count))),
            }
            for first, second, count in pairs
        ],
        "legend": _legend(counts.values(), top),
        "installed": bool(shapes),
    }


def _level(count: int, top: int) -> int:
    """0 for none; otherwise 1–5 on a logarithmic scale up to the largest count."""
    if count <= 0:
        return 0
    if top <= 1:
        return LEVELS
    return 1 + round((LEVELS - 1) * math.log(count) / math.log(top))


def _legend(counts, top: int) -> list[dict]:
    """Each shade with the counts it stands for, as found on this map."""
    spans: dict[int, list[int]] = {}
    for count in counts:
        if count > 0:
            spans.setdefault(_level(count, top), []).append(count)
    return [{"level": level, "low": min(found), "high": max(found)} for level, found in sorted(spans.items())]


def _pair_path(shapes, first, second) -> str:
    start, end = shapes.get(first.numeric), shapes.get(second.numeric)
    if start is None or end is None:
        return ""
    return worldmap.arc_between(start.centre, end.centre)
