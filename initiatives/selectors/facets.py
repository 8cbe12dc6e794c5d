"""How many records each value of the browse page's filters would give under the other
filters in force: the numbers beside the options.

A value of a single-choice filter replaces the one chosen, so its count is taken over the
records the *other* filters give; a country is added to the chosen ones (any of them), and
so is counted the same way; a tag narrows (all must match), so tags are counted over the
current results. Counting is exact and bounded: a filter whose base holds more records than
the exact count goes to (`API_EXACT_COUNT_UP_TO`) lists its values without numbers, so no
page waits on a GROUP BY over the whole catalogue.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from taggit.models import TaggedItem

from ..filtersets import InitiativeFilterSet
from ..models import Initiative, Participation
from .counting import EXACT_UP_TO, bounded_count

# Parameters that do not choose records.
_NOT_FILTERS = ("page", "ordering", "count")


def _by_column(column):
    def counts(ids):
        rows = Initiative.objects.filter(pk__in=ids).values_list(column).annotate(n=Count("pk"))
        return {value: n for value, n in rows if value is not None}

    return counts


def _countries(ids):
    through = Initiative.countries.through.objects.filter(initiative_id__in=ids)
    return dict(through.values_list("country_id").annotate(n=Count("initiative_id", distinct=True)))


def _regions(ids):
    through = Initiative.countries.through.objects.filter(initiative_id__in=ids).exclude(country__region="")
    return dict(through.values_list("country__region").annotate(n=Count("initiative_id", distinct=True)))


def _global_south(ids):
    total = Initiative.objects.filter(pk__in=ids).count()
    through = Initiative.countries.through.objects.filter(initiative_id__in=ids, country__global_south=True)
    south = through.values("initiative_id").distinct().count()
    return {"true": south, "false": total - south}


def _stakeholders(ids):
    rows = Participation.objects.filter(initiative_id__in=ids).values_list("stakeholder__slug")
    return dict(rows.annotate(n=Count("initiative_id", distinct=True)))


def _tags(ids):
    tagged = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Initiative), object_id__in=ids
    )
    return dict(tagged.values_list("tag__name").annotate(n=Count("object_id", distinct=True)))


def _advocacies(ids):
    through = Initiative.advocacies.through.objects.filter(initiative_id__in=ids)
    return dict(through.values_list("advocacy__slug").annotate(n=Count("initiative_id", distinct=True)))


# parameter: (counted over the other filters only?, how to count)
COUNTERS = {
    "key_task": (True, _by_column("key_task__slug")),
    "action_line": (True, _by_column("action_line__slug")),
    "kind": (True, _by_column("kind")),
    "status": (True, _by_column("status")),
    "region": (True, _regions),
    "country": (True, _countries),
    "global_south": (True, _global_south),
    "stakeholder": (True, _stakeholders),
    "tag": (False, _tags),
    "advocacy": (True, _advocacies),
}


def facet_counts(request, visible) -> dict[str, dict[str, int] | None]:
    """{parameter: {value: records}} for each filter of the browse page, or None for a
    filter whose base is past the exact count; the request's filters must be valid."""
    data = request.GET.copy()
    for name in _NOT_FILTERS:
        data.pop(name, None)
    exact_up_to = getattr(settings, "API_EXACT_COUNT_UP_TO", EXACT_UP_TO)
    counted = {}
    for parameter, (others_only, counter) in COUNTERS.items():
        base_data = data.copy()
        if others_only:
            base_data.pop(parameter, None)
        filterset = InitiativeFilterSet(base_data, queryset=visible, request=request)
        if not filterset.is_valid():
            counted[parameter] = None
            continue
        base = filterset.qs.order_by()
        if bounded_count(base, exact_up_to=exact_up_to).is_estimate:
            counted[parameter] = None
            continue
        counted[parameter] = counter(base.values("pk"))
    return counted
