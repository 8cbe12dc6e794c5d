"""The public pages: the home page's charts, a record's page and history, and the pages of
the frame (key tasks, countries, stakeholders, tags).

A record's page follows a merged record's address to its survivor when the reader may
follow it there; the frame's pages list published records only (selectors.catalogue).
A frame item's Follow button is the reader's own: it sits outside the page's shared fragment.
"""

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from governance.choices import Region
from governance.models import Country, KeyTask, Stakeholder

from ..choices import TopicKind
from ..forms import TagLabelsForm, TagMergeForm
from ..selectors import catalogue, records, revisions_visible_to, tags_visible_to
from ..selectors.follows import topics_followed
from ..structured_data import country_data, initiative_data, stakeholder_data
from .exports import export_links
from .fragments import catalogue_key, once, shared_key
from .paging import paginate, paginate_records
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
    key_tasks = catalogue.key_tasks_with_counts()
    region_counts = catalogue.region_counts()
    years = catalogue.start_year_counts()
    countries = catalogue.countries_with_counts()
    top = max((country.count for country in countries), default=0)
    grid = []
    for region, label in Region.choices:
        tiles = [
            {"country": country, "level": _level(country.count, top)}
            for country in countries
            if country.region == region
        ]
        grid.append({"label": label, "tiles": tiles})

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
            "latest": catalogue.latest(6),
            "charts": charts,
            "grid": grid,
            "total": sum(task.count for task in key_tasks),
            "catalogue_key": catalogue_key(),
        },
    )


def initiative_detail(request, slug):
    survivor = records.merge_survivor(user=request.user, slug=slug)
    if survivor is not None:
        return redirect(survivor.get_absolute_url(), permanent=True)
    initiative = initiative_or_404(request, slug)
    context = detail_context(request, initiative)
    context["structured_data"] = initiative_data(initiative, absolute=request.build_absolute_uri)
    return render(request, "initiatives/initiative_detail.html", context)


def initiative_history(request, slug):
    initiative = initiative_or_404(request, slug)
    revisions = revisions_visible_to(user=request.user, initiative=initiative)
    return render(
        request,
        "initiatives/initiative_history.html",
        {"initiative": initiative, "page": paginate(request, revisions, 50)},
    )


def _further(**filters) -> str:
    """The browse page with these filters, to filter a frame item's records further."""
    return f"{reverse('initiatives:list')}?{urlencode(filters)}"


def _feed_query(further: str) -> str:
    """The query of a `_further` address, which the Atom feed of the same records takes too."""
    return further.partition("?")[2]


def _downloads(**filters) -> list[dict]:
    """Links to a frame item's records as files, in the order its page lists them."""
    return export_links({**filters, "ordering": "-published_at"})


def _follows(request, kind: str, value: str) -> bool:
    """Whether the reader follows this topic: their own, so never inside a shared fragment."""
    return value in topics_followed(request.user, kind, [value])


def _listing(request, template: str, queryset, further: str, **context):
    """A page of a frame item's records; the page's rows, the same for every reader, are
    rendered once per catalogue generation, language and address (`results_key`)."""
    page = once(lambda: paginate_records(request, catalogue.listing(queryset)))
    return render(
        request,
        template,
        {
            "page": page,
            "further": further,
            "feed_query": _feed_query(further),
            "results_key": shared_key(request, template),
            **context,
        },
    )


def key_task_detail(request, slug):
    key_task = get_object_or_404(KeyTask, slug=slug)
    in_task = catalogue.published_initiatives().filter(key_task=key_task)
    lines = catalogue.action_lines_with_counts(key_task)
    return _listing(
        request,
        "initiatives/key_task_detail.html",
        in_task,
        _further(key_task=key_task.slug),
        exports=_downloads(key_task=key_task.slug),
        key_task=key_task,
        action_lines=lines,
        following=_follows(request, TopicKind.KEY_TASK, key_task.slug),
        followed_lines=topics_followed(request.user, TopicKind.ACTION_LINE, [line.slug for line in lines]),
    )


def country_list(request):
    def groups():
        countries = catalogue.countries_with_counts()
        return [
            {"label": label, "countries": [c for c in countries if c.region == value]}
            for value, label in Region.choices
        ]

    return render(
        request, "initiatives/country_list.html", {"groups": once(groups), "catalogue_key": catalogue_key()}
    )


def country_detail(request, code):
    country = get_object_or_404(Country, code=code.upper())
    if code != country.code:
        return redirect("initiatives:country", code=country.code, permanent=True)
    return _listing(
        request,
        "initiatives/country_detail.html",
        catalogue.published_initiatives().filter(countries=country),
        _further(country=country.code),
        exports=_downloads(country=country.code),
        country=country,
        structured_data=country_data(country, absolute=request.build_absolute_uri),
        following=_follows(request, TopicKind.COUNTRY, country.code),
        stakeholders=once(lambda: list(country.stakeholders.all())),
    )


def stakeholder_list(request):
    return render(
        request,
        "initiatives/stakeholder_list.html",
        {"stakeholders": once(catalogue.stakeholders_with_counts), "catalogue_key": catalogue_key()},
    )


def stakeholder_detail(request, slug):
    stakeholder = get_object_or_404(Stakeholder.objects.select_related("country"), slug=slug)
    queryset = catalogue.published_initiatives().filter(participations__stakeholder=stakeholder)

    def page():
        page = paginate_records(request, catalogue.listing(queryset))
        roles = catalogue.stakeholder_roles(stakeholder, [initiative.pk for initiative in page])
        for initiative in page:
            initiative.stakeholder_role = roles.get(initiative.pk)
        return page

    template = "initiatives/stakeholder_detail.html"
    further = _further(stakeholder=stakeholder.slug)
    return render(
        request,
        template,
        {
            "page": once(page),
            "stakeholder": stakeholder,
            "structured_data": stakeholder_data(stakeholder, absolute=request.build_absolute_uri),
            "following": _follows(request, TopicKind.STAKEHOLDER, stakeholder.slug),
            "further": further,
            "feed_query": _feed_query(further),
            "exports": _downloads(stakeholder=stakeholder.slug),
            "results_key": shared_key(request, template),
        },
    )


def tag_list(request):
    return render(
        request,
        "initiatives/tag_list.html",
        {"tags": once(catalogue.tags_with_counts), "catalogue_key": catalogue_key()},
    )


def tag_visible_or_404(request, slug):
    """The tag a slug names, with its labels and synonyms; a tag that only records hidden
    from this reader carry is as unknown as one never used."""
    return get_object_or_404(
        tags_visible_to(request.user).select_related("label").prefetch_related("synonyms"), slug=slug
    )


def tag_page(request, tag, *, labels_form=None, merge_form=None):
    """A tag's page; curators see the forms that change its labels and synonyms or merge it
    (bound and with their errors when a post of theirs was refused: a 400)."""
    curating = request.user.has_perm("initiatives.curate_tags", tag)
    if curating:
        label = getattr(tag, "label", None)
        labels_form = labels_form or TagLabelsForm(
            initial={
                "label_en": label.label_en if label else "",
                "label_zh": label.label_zh if label else "",
                "synonyms": ", ".join(synonym.name for synonym in tag.synonyms.all()),
            }
        )
        merge_form = merge_form or TagMergeForm()
    response = _listing(
        request,
        "initiatives/tag_detail.html",
        catalogue.published_initiatives().filter(tags=tag),
        _further(tag=tag.name),
        exports=_downloads(tag=tag.name),
        tag=tag,
        following=_follows(request, TopicKind.TAG, tag.slug),
        labels_form=labels_form if curating else None,
        merge_form=merge_form if curating else None,
    )
    if (labels_form is not None and labels_form.is_bound) or (merge_form is not None and merge_form.is_bound):
        response.status_code = 400
    return response


def tag_detail(request, slug):
    return tag_page(request, tag_visible_or_404(request, slug))
