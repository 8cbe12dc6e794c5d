"""The browse page: published records through the shared FilterSet, the filters' choices,
and the active filters as chips, each removable on its own."""

from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.choices import Language, Region

from ..choices import InitiativeKind, InitiativeStatus, ModerationState
from ..filtersets import MAX_PARAMETER_VALUES, InitiativeFilterSet
from ..models import Initiative
from ..rules import PERMISSIONS
from ..selectors import catalogue, facets
from .exports import export_links
from .fragments import once, shared_key
from .paging import paginate_records

# How long the filters' options stay kept; a change to the catalogue retires them sooner.
OPTIONS_SECONDS = 600


ORDERINGS = [
    ("", gettext_lazy("Relevance or latest change")),
    ("-updated_at", gettext_lazy("Recently updated")),
    ("-published_at", gettext_lazy("Recently published")),
    ("-start_date", gettext_lazy("Start date, newest first")),
    ("start_date", gettext_lazy("Start date, oldest first")),
    ("title", gettext_lazy("Title A–Z")),
]


def _options(counts) -> dict:
    """Each filter's options as (value, label, records it would give or None), in the
    reader's language; action lines grouped by key task."""
    frame = catalogue.facets()

    def listed(parameter, pairs):
        counted = counts.get(parameter)
        return [(value, label, None if counted is None else counted.get(value, 0)) for value, label in pairs]

    lines = listed("action_line", [(line.slug, line.name) for line in frame["action_lines"]])
    groups = {}
    for line, option in zip(frame["action_lines"], lines, strict=True):
        groups.setdefault(line.key_task_id, (line.key_task, []))[1].append(option)
    return {
        "key_task": listed(
            "key_task", [(task.slug, f"{task.number}. {task.name}") for task in frame["key_tasks"]]
        ),
        "action_line": [{"key_task": task, "options": options} for task, options in groups.values()],
        "kind": listed("kind", InitiativeKind.choices),
        "status": listed("status", InitiativeStatus.choices),
        "region": listed("region", Region.choices),
        "country": listed("country", [(country.code, country.name) for country in frame["countries"]]),
        "global_south": listed(
            "global_south", [("true", _("With Global South participation")), ("false", _("Without"))]
        ),
        "has_results": listed("has_results", [("true", _("With results")), ("false", _("Without"))]),
        "translated": listed("translated", Language.choices),
        "source_checked": listed("source_checked", [("true", _("At least one")), ("false", _("None"))]),
        "needs_translation": listed("needs_translation", Language.choices),
        "stakeholder": listed("stakeholder", [(item.slug, str(item)) for item in frame["stakeholders"]]),
        "tag": listed("tag", [(tag.name, tag.name) for tag in frame["tags"]]),
        "advocacy": listed("advocacy", [(item.slug, item.name) for item in frame["advocacies"]]),
    }


def plain_options() -> dict:
    """The filters' options without counts, for a page that filters another list of the
    same records (the calendar)."""
    return _options({})


def _filter_options(request, visible, *, valid: bool, shared: bool) -> dict:
    """The options with their counts; the same for every reader of published rows, so kept
    under the address's shared key until the catalogue changes."""

    def build():
        return _options(facets.facet_counts(request, visible) if valid else {})

    if not shared:
        return build()
    return cache.get_or_set(shared_key(request, "filter-options"), build, OPTIONS_SECONDS)


def initiative_list(request):
    """The browse page. Unless a moderation state is asked for, the rows are published ones,
    the same for every reader: with valid filters, the results (count, chips, cards and
    pages) are rendered once per catalogue generation, language and address, and the
    filters' options once per generation, language and choice."""
    any_state = bool(request.GET.get("moderation_state"))
    visible = catalogue.browsable(request.user, any_state=any_state)
    filterset = InitiativeFilterSet(request.GET, queryset=visible, request=request)
    valid = filterset.is_valid()
    # A filter may be valid for one reader and not another (a tag only their own draft
    # carries), so only valid filters over published rows share their results.
    shared = valid and not any_state
    rows = catalogue.cards(filterset.qs) if valid else Initiative.objects.none()
    return render(
        request,
        "initiatives/initiative_list.html",
        {
            "page": once(lambda: paginate_records(request, rows)),
            "filterset": filterset,
            "filter_errors": None if valid else filterset.errors,
            "exports": export_links(request.GET) if valid else [],
            "feed_query": filters_query(request),
            "selected": _selected_filters(request),
            "chips": once(lambda: filter_chips(request)),
            "results_key": shared_key(request) if shared else None,
            # The filter form: a few thousand options (tags above all), the same for every
            # reader of this address with the same controls (signed in: the moderation-state
            # filter; curators: theirs), so rendered once per catalogue generation and language.
            "filters_key": shared_key(request, "filters", request.user.is_authenticated, curating(request))
            if shared
            else None,
            "options": once(lambda: _filter_options(request, visible, valid=valid, shared=shared)),
            "moderation_states": ModerationState.choices if request.user.is_authenticated else [],
            "curating": curating(request),
            "orderings": ORDERINGS,
        },
    )


def curating(request) -> bool:
    """Whether the reader gets the curators' filters (checked sources, translations needed)."""
    # The rule itself: user.has_perm would also read the reader's model permissions, on a
    # page that otherwise reads nothing of who they are.
    return PERMISSIONS["initiatives.curate"](request.user)


# Parameters of a list's page that are not filters; a feed of the same records leaves them out.
PAGE_PARAMETERS = ("view", "month", "page", "ordering")


def filters_query(request) -> str:
    """The query string of the request's filters alone, for the feeds of the same records."""
    query = request.GET.copy()
    for name in PAGE_PARAMETERS:
        query.pop(name, None)
    return query.urlencode()


def _selected_filters(request) -> dict:
    return {key: request.GET.getlist(key) for key in request.GET if key != "page"}


def filter_chips(request) -> list[dict]:
    """The active filters, named as the reader knows them, each removable on its own."""
    labels = {
        "q": _("Search"),
        "key_task": _("Key task"),
        "action_line": _("Action line"),
        "kind": _("Kind"),
        "status": _("Status"),
        "moderation_state": _("Moderation state"),
        "country": _("Country"),
        "region": _("Region"),
        "global_south": _("Global South"),
        "has_results": _("Has results"),
        "stakeholder": _("Stakeholder"),
        "tag": _("Tag"),
        "advocacy": _("Advocacy"),
        "updated_since": _("Updated since"),
        "source_checked": _("Checked source"),
        "translated": _("Readable in"),
        "needs_translation": _("Needs a translation into"),
    }
    choices = {
        "kind": dict(InitiativeKind.choices),
        "status": dict(InitiativeStatus.choices),
        "region": dict(Region.choices),
        "moderation_state": dict(ModerationState.choices),
        "global_south": {"true": _("With Global South participation"), "false": _("Without")},
        "source_checked": {"true": _("At least one"), "false": _("None")},
        "has_results": {"true": _("With results"), "false": _("Without")},
        "translated": dict(Language.choices),
        "needs_translation": dict(Language.choices),
    }
    chips = []
    for key in request.GET:
        if key not in labels:
            continue
        # Beyond the filters' cap the list shows an error, not a chip (and a lookup) per value.
        for value in request.GET.getlist(key)[:MAX_PARAMETER_VALUES]:
            if not value.strip():
                continue
            found = catalogue.frame_item_named(key, value)
            text = str(found) if found is not None else str(choices.get(key, {}).get(value, value))
            chips.append({"key": key, "value": value, "label": labels[key], "text": text})
    return chips
