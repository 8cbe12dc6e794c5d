"""The public pages: the home page's charts, a record's page and history, and the pages of
the frame (key tasks, countries, stakeholders, tags).

A record's page follows a merged record's address to its survivor when the reader may
follow it there; the frame's pages list published records only (selectors.catalogue).
"""

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from governance.choices import Region
from governance.models import Country, KeyTask, Stakeholder

from ..selectors import catalogue, records, revisions_visible_to, tags_visible_to
from .paging import paginate
from .record_page import detail_context, initiative_or_404


def _bars(rows) -> list[dict]:
    """Chart rows (label, value, url) with each bar's share of the largest value."""
    rows = list(rows)
    top = max((value for _label, value, _url in rows), default=0) or 1
    return [
        {
            "label": Truncator(label).chars(70),
            "value": value,
            "url": url,
            "percent": round(100 * value / top, 1),
            "y": index * 40,
        }
        for index, (label, value, url) in enumerate(rows)
    ]


def _level(count: int, top: int) -> int:
    """Shade 0 (none) to 4 (most active) for the country grid."""
    if not count:
        return 0
    return min(4, 1 + (3 * count) // max(top, 1))


def home(request):
    key_tasks = list(catalogue.key_tasks_with_counts())
    latest = catalogue.listing(catalogue.published_initiatives())[:6]
    region_counts = catalogue.region_counts()
    years = catalogue.start_year_counts()
    countries = list(catalogue.countries_with_counts())
    top = max((country.count for country in countries), default=0)
    grid = []
    for region, label in Region.choices:
        tiles = [c for c in countries if c.region == region]
        for country in tiles:
            country.level = _level(country.count, top)
        grid.append({"label": label, "countries": tiles})

    browse = reverse("initiatives:list")
    charts = [
        {
            "id": "chart-key-tasks",
            "title": _("Initiatives per key task"),
            "bars": _bars(
                (f"{task.number}. {task.name}", task.count, reverse("initiatives:key_task", args=[task.slug]))
                for task in key_tasks
            ),
        },
        {
            "id": "chart-regions",
            "title": _("Initiatives per region"),
            "bars": _bars(
                (label, region_counts.get(value, 0), f"{browse}?region={value}")
                for value, label in Region.choices
            ),
        },
        {
            "id": "chart-years",
            "title": _("Initiatives per start year"),
            "bars": _bars((str(year), count, None) for year, count in years),
        },
    ]
    for chart in charts:
        chart["height"] = max(len(chart["bars"]) * 40, 40)
    return render(
        request,
        "initiatives/home.html",
        {
            "key_tasks": key_tasks,
            "latest": latest,
            "charts": charts,
            "grid": grid,
            "total": sum(task.count for task in key_tasks),
        },
    )


def initiative_detail(request, slug):
    survivor = records.merge_survivor(user=request.user, slug=slug)
    if survivor is not None:
        return redirect(survivor.get_absolute_url(), permanent=True)
    initiative = initiative_or_404(request, slug)
    return render(request, "initiatives/initiative_detail.html", detail_context(request, initiative))


def initiative_history(request, slug):
    initiative = initiative_or_404(request, slug)
    revisions = revisions_visible_to(user=request.user, initiative=initiative)
    return render(
        request,
        "initiatives/initiative_history.html",
        {"initiative": initiative, "page": paginate(request, revisions, 50)},
    )


def _listing(request, template: str, queryset, **context):
    page = paginate(request, catalogue.listing(queryset))
    return render(request, template, {"page": page, **context})


def key_task_detail(request, slug):
    key_task = get_object_or_404(KeyTask, slug=slug)
    in_task = catalogue.published_initiatives().filter(key_task=key_task)
    lines = catalogue.action_lines_with_counts(key_task)
    return _listing(
        request,
        "initiatives/key_task_detail.html",
        in_task,
        key_task=key_task,
        action_lines=lines,
        total=in_task.count(),
    )


def country_list(request):
    countries = catalogue.countries_with_counts()
    groups = [
        {"label": label, "countries": [c for c in countries if c.region == value]}
        for value, label in Region.choices
    ]
    return render(request, "initiatives/country_list.html", {"groups": groups})


def country_detail(request, code):
    country = get_object_or_404(Country, code=code.upper())
    if code != country.code:
        return redirect("initiatives:country", code=country.code, permanent=True)
    return _listing(
        request,
        "initiatives/country_detail.html",
        catalogue.published_initiatives().filter(countries=country),
        country=country,
        stakeholders=country.stakeholders.all(),
    )


def stakeholder_list(request):
    stakeholders = catalogue.stakeholders_with_counts()
    return render(request, "initiatives/stakeholder_list.html", {"stakeholders": stakeholders})


def stakeholder_detail(request, slug):
    stakeholder = get_object_or_404(Stakeholder.objects.select_related("country"), slug=slug)
    queryset = catalogue.published_initiatives().filter(participations__stakeholder=stakeholder)
    roles = catalogue.stakeholder_roles(stakeholder, queryset)
    page = paginate(request, catalogue.listing(queryset))
    for initiative in page:
        initiative.stakeholder_role = roles.get(initiative.pk)
    return render(
        request,
        "initiatives/stakeholder_detail.html",
        {"page": page, "stakeholder": stakeholder},
    )


def tag_list(request):
    tags = catalogue.tags_with_counts()
    return render(request, "initiatives/tag_list.html", {"tags": tags})


def tag_detail(request, slug):
    # A tag that only records hidden from this reader carry is as unknown as one never used.
    tag = get_object_or_404(tags_visible_to(request.user), slug=slug)
    tagged = catalogue.published_initiatives().filter(tags=tag)
    return _listing(request, "initiatives/tag_detail.html", tagged, tag=tag)
