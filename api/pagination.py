"""Page-number pagination shared by the API's lists.

The count beside a page is the pagination's to decide (`count_rows`): lists that may hold a
million records count exactly up to a bound and estimate past it, and say which they did
(`count_is_estimate`); a caller who needs no count asks `count=false` and none is made.
Whether there is a next page never depends on the count: the page is read with one row more
than it shows. So a page past an estimate that underestimated is still served, and one past
the real end is a 404, as a page past an exact count is.
"""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

# SQL offsets are 64-bit: a page starting past this holds nothing in any table.
LAST_OFFSET = 2**63 - 1


@dataclass
class CountedPage:
    """One page of rows, with the total when it was counted (None when it was not)."""

    rows: list
    number: int
    size: int
    has_next: bool
    count: int | None
    count_is_estimate: bool | None

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def paginator(self):
        """DRF's page links ask the page's paginator how many pages there are: this page knows."""
        return self

    @property
    def num_pages(self) -> int:
        """The number of pages as far as is known: from an exact count, else up to the next one."""
        if self.count is not None and not self.count_is_estimate:
            return max(1, -(-self.count // self.size))
        return self.number + 1 if self.has_next else self.number


class PagePagination(PageNumberPagination):
    """`page` (a number or `last`), `page_size` (at most 100) and `count` (true or false);
    the answer holds count, count_is_estimate, next, previous, results.

    A page size that is not a positive whole number is a 400 (not silently the default);
    one above the most counts as the most. A `count` other than true or false is a 400. An
    empty value means "not given". A page number that is not one, or past the last page, is
    a 404.
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    count_query_param = "count"

    def check_parameters(self, request) -> None:
        """Refuse malformed paging parameters, also where the answer is not paged (CSV)."""
        self.get_page_size(request)
        self.get_counting(request)

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param, "")
        if value == "":
            return self.page_size
        if not value.isdigit() or int(value) < 1:
            raise ValidationError({self.page_size_query_param: [_("Give a whole number from 1.")]})
        return min(int(value), self.max_page_size)

    def get_counting(self, request) -> bool:
        """Whether the caller wants the count (the default) or asked count=false."""
        value = request.query_params.get(self.count_query_param, "")
        if value not in ("", "true", "false"):
            raise ValidationError({self.count_query_param: [_("Use true or false.")]})
        return value != "false"

    def count_rows(self, queryset) -> tuple[int, bool]:
        """(how many rows, whether that is an estimate): exact here; lists that may be large
        count their own way."""
        return self.count_exactly(queryset), False

    @staticmethod
    def count_exactly(queryset) -> int:
        return queryset.count() if isinstance(queryset, QuerySet) else len(queryset)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.check_parameters(request)
        size = self.get_page_size(request)
        counting = self.get_counting(request)
        number = self.get_page_number(request, None)
        count, estimate = self.count_rows(queryset) if counting else (None, None)
        if number == "last":
            # The last page needs the real number of rows, whatever was asked or estimated:
            # reading that far costs as much as counting anyway.
            if count is None or estimate:
                total = self.count_exactly(queryset)
                count, estimate = (total, False) if counting else (None, None)
            else:
                total = count
            number = max(1, -(-total // size))
        elif count is not None and not estimate and number > max(1, -(-count // size)):
            raise NotFound(self.invalid_page_message)
        offset = (number - 1) * size
        if offset > LAST_OFFSET - size:
            raise NotFound(self.invalid_page_message)
        rows = list(queryset[offset : offset + size + 1])
        if not rows and number > 1:
            raise NotFound(self.invalid_page_message)
        self.page = CountedPage(
            rows=rows[:size],
            number=number,
            size=size,
            has_next=len(rows) > size,
            count=count,
            count_is_estimate=estimate,
        )
        if self.template is not None and (self.page.has_next or number > 1):
            # The browsable API shows its page links.
            self.display_page_controls = True
        return self.page.rows

    def get_page_number(self, request, paginator):
        """A page number from 1, or "last"; anything else is a 404, as past the last page."""
        value = request.query_params.get(self.page_query_param) or "1"
        if value in self.last_page_strings:
            return "last"
        try:
            number = int(value)
        except ValueError:
            raise NotFound(self.invalid_page_message) from None
        if number < 1:
            raise NotFound(self.invalid_page_message)
        return number

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.count,
                "count_is_estimate": self.page.count_is_estimate,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_next_link(self):
        if not self.page.has_next:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.page_query_param, self.page.number + 1)

    def get_previous_link(self):
        if not self.page.has_previous():
            return None
        url = self.request.build_absolute_uri()
        if self.page.number == 2:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, self.page.number - 1)

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "count_is_estimate", "next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "minimum": 0,
                    "nullable": True,
                    "description": "How many records match; null when asked with count=false.",
                    "example": 123,
                },
                "count_is_estimate": {
                    "type": "boolean",
                    "nullable": True,
                    "description": "Whether count is the database's estimate (past the exact bound) "
                    "rather than exact; null when nothing was counted.",
                },
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "A page number, or “last”.",
                "schema": {
                    "anyOf": [
                        {"type": "integer", "minimum": 1},
                        {"type": "string", "enum": [*self.last_page_strings, ""]},
                    ]
                },
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Records per page, {self.page_size} by default; above {self.max_page_size} "
                f"counts as {self.max_page_size}.",
                "schema": {"anyOf": [{"type": "integer", "minimum": 1}, {"type": "string", "enum": [""]}]},
            },
            {
                "name": self.count_query_param,
                "required": False,
                "in": "query",
                "description": "“false” leaves out the count (count and count_is_estimate are null) "
                "and saves counting; “true” (the default) counts.",
                "schema": {"type": "string", "enum": ["true", "false", ""]},
            },
        ]
