"""Page-number pagination shared by the API's lists."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class PagePagination(PageNumberPagination):
    """`page` and `page_size` (at most 100); the answer holds count, next, previous, results.

    A page size that is not a positive whole number is a 400 (not silently the default);
    one above the most counts as the most. An empty value means "not given".
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def check_parameters(self, request) -> None:
        """Refuse malformed paging parameters, also where the answer is not paged (CSV)."""
        self.get_page_size(request)

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param, "")
        if value == "":
            return self.page_size
        if not value.isdigit() or int(value) < 1:
            raise ValidationError({self.page_size_query_param: [_("Give a whole number from 1.")]})
        return min(int(value), self.max_page_size)

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
        ]
