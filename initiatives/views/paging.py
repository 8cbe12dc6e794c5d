"""Pages of rows: every list the site shows is paged the same way, by `?page=`.

A list of the catalogue's records may be a million long, so its paginator counts with
`bounded_count`: exact up to API_EXACT_COUNT_UP_TO matches, the planner's estimate past
that (the page then says "about N"), kept per catalogue generation. The admin's lists of
records use it too. Other lists (a reader's follows, a record's history) are short and
change without the catalogue changing, so they are counted as they are.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

from ..selectors.counting import EXACT_UP_TO, bounded_count

PAGE_SIZE = 20


def exact_up_to() -> int:
    """How many matches are counted exactly before the count becomes an estimate."""
    return getattr(settings, "API_EXACT_COUNT_UP_TO", EXACT_UP_TO)


class BoundedPaginator(Paginator):
    """A paginator that counts at most a bound of rows; past it, the count is an estimate."""

    @cached_property
    def bounded(self):
        if isinstance(self.object_list, QuerySet):
            return bounded_count(self.object_list, exact_up_to=exact_up_to())
        return None

    @cached_property
    def count(self) -> int:
        if self.bounded is None:
            return super().count
        return self.bounded.value

    @property
    def count_is_estimate(self) -> bool:
        return self.bounded is not None and self.bounded.is_estimate


def paginate(request, queryset, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def paginate_records(request, queryset, size: int = PAGE_SIZE):
    """A page of records from the catalogue, counted with `bounded_count`: the count is kept
    per catalogue generation, so only lists of the catalogue's records are paged so."""
    return BoundedPaginator(queryset, size).get_page(request.GET.get("page"))
