"""Page-number pagination shared by the API's lists."""

from rest_framework.pagination import PageNumberPagination


class PagePagination(PageNumberPagination):
    """`page` and `page_size` (at most 100); the answer holds count, next, previous, results."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
