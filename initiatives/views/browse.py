"""The browse page: published records through the shared FilterSet, the filters' choices,
and the active filters as chips, each removable on its own."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from governance.choices import Region

from ..choices import InitiativeKind, InitiativeStatus, ModerationState
from ..filtersets import MAX_PARAMETER_VALUES, InitiativeFilterSet
from ..models import Initiative
from ..selectors import catalogue
from .fragments import catalogue_key, once, shared_key
from .paging import paginate_records


def browse_facets(user) -> dict:
    """Choices for the browse page's filters (and the calendar's), in the reader's language."""
    return {
        **catalogue.facets(),
        "kinds": InitiativeKind.choices,
        "statuses": InitiativeStatus.choices,
        "regions": Region.choices,
        "moderation_states": ModerationState.choices if user.is_authenticated else [],
        "orderings": [
            ("", _("Relevance or latest change")),
            ("-updated_at", _("Recently updated")),
            ("-published_at", _("Recently published")),
            ("-start_date", _("Start date, newest first")),
            ("start_date", _("Start date, oldest first")),
            ("title", _("Title A–Z")),
        ],
    }


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
            "feed_query": filters_query(request),
            "selected": _selected_filters(request),
            "chips": once(lambda: _filter_chips(request)),
            "results_key": shared_key(request) if shared else None,
            "facets_key": catalogue_key(),
            **browse_facets(request.user),
        },
    )


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


def _filter_chips(request) -> list[dict]:
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
        "stakeholder": _("Stakeholder"),
        "tag": _("Tag"),
        "advocacy": _("Advocacy"),
        "updated_since": _("Updated since"),
    }
    choices = {
        "kind": dict(InitiativeKind.choices),
        "status": dict(InitiativeStatus.choices),
        "region": dict(Region.choices),
        "moderation_state": dict(ModerationState.choices),
        "global_south": {"true": _("With Global South participation"), "false": _("Without")},
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
