"""Query parameters of the API: one that takes one value, given twice, is a 400.

Which of two values would count is a guess; a caller who repeats `page` or `kind` has made a
mistake. The repeatable ones are the filters of several values (`country`, `tag`) that a
view's FilterSet declares.
"""

import django_filters
from django.http import JsonResponse
from django.utils.translation import gettext as _
from rest_framework.views import APIView


def repeatable_parameters(view_class) -> set[str]:
    filterset_class = getattr(view_class, "filterset_class", None)
    if filterset_class is None:
        return set()
    multiple = (django_filters.MultipleChoiceFilter, django_filters.ModelMultipleChoiceFilter)
    return {name for name, f in filterset_class.base_filters.items() if isinstance(f, multiple)}


class SingleValuedParametersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_class = getattr(view_func, "cls", None)
        if view_class is None or not issubclass(view_class, APIView):
            return None
        repeatable = repeatable_parameters(view_class)
        repeated = [
            name for name, values in request.GET.lists() if len(values) > 1 and name not in repeatable
        ]
        if not repeated:
            return None
        errors = {name: [_("Give this parameter once.")] for name in repeated}
        return JsonResponse({"detail": _("Invalid input."), **errors}, status=400)
