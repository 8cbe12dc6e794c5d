"""Pages of rows: every list the site shows is paged the same way, by `?page=`."""

from django.core.paginator import Paginator

PAGE_SIZE = 20


def paginate(request, queryset, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))
