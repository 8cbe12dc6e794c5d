"""GET /api/v1/stats/initiatives/?by=…: the list's records counted by one or two dimensions.

The records are those the initiatives list gives the same caller for the same filters (the
same visibility, the same FilterSet, the same 400s), so the counts add up to the list's
`count`, each multi-valued dimension counting a record once under each of its values.
"""

from itertools import permutations

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from api import answers
from api.conditional import ConditionalGetMixin

from ..filtersets import InitiativeFilterSet
from ..models import Initiative
from ..selectors.stats import DIMENSIONS, MAX_DIMENSIONS, counts_csv, initiative_counts
from .filtering import CatalogueFilterMixin
from .parameters import IF_NONE_MATCH


def _quoted(name: str) -> str:
    return repr(name if len(name) <= 40 else name[:40] + "…")


def parse_dimensions(text: str | None) -> list[str]:
    """The dimensions `by` names, in order; a ValidationError on `by` for anything else."""
    names = [name.strip() for name in (text or "").split(",")]
    if not any(names):
        raise ValidationError({"by": [_("Name one or two dimensions to count by.")]})
    # Before anything is said about each name, so that a long list is not echoed back (nor,
    # further down, a long name).
    if len(names) > MAX_DIMENSIONS:
        raise ValidationError(
            {"by": [_("Count by at most %(limit)d dimensions.") % {"limit": MAX_DIMENSIONS}]}
        )
    unknown = ", ".join(_quoted(name) for name in names if name not in DIMENSIONS)
    if unknown:
        message = _("Unknown dimension: %(names)s. Choose among: %(choices)s.")
        raise ValidationError({"by": [message % {"names": unknown, "choices": ", ".join(DIMENSIONS)}]})
    if len(set(names)) < len(names):
        raise ValidationError({"by": [_("Name each dimension once.")]})
    return names


class CountsCSVRenderer(BaseRenderer):
    """`?format=csv`: the rows of `results` as CSV, errors stay JSON (the view sees to it)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if not isinstance(data, dict) or "results" not in data:
            return b""
        view = renderer_context.get("view") if renderer_context else None
        dimensions = getattr(view, "dimensions", [])
        response = renderer_context.get("response") if renderer_context else None
        if response is not None:
            name = "-".join(dimensions)
            response["Content-Disposition"] = f'attachment; filename="initiatives-by-{name}.csv"'
        return counts_csv(data["results"], dimensions).encode("utf-8")


class CountRowSerializer(serializers.Serializer):
    """One group: its value of each dimension asked for, and how many records are in it."""

    key_task = serializers.CharField(required=False, allow_null=True, help_text="Key task slug.")
    action_line = serializers.CharField(required=False, allow_null=True, help_text="Action line slug.")
    advocacy = serializers.CharField(required=False, allow_null=True, help_text="Advocacy slug.")
    region = serializers.CharField(required=False, allow_null=True, help_text="UN M49 region.")
    global_south = serializers.BooleanField(
        required=False, help_text="Whether a country of the Global South takes part."
    )
    country = serializers.CharField(required=False, allow_null=True, help_text="ISO alpha-2 code.")
    stakeholder_kind = serializers.CharField(required=False, allow_null=True, help_text="Stakeholder kind.")
    kind = serializers.CharField(required=False, help_text="Kind of initiative.")
    status = serializers.CharField(required=False, help_text="Status of the initiative.")
    year = serializers.IntegerField(required=False, allow_null=True, help_text="Year of the start date.")
    count = serializers.IntegerField(min_value=1)


@extend_schema_serializer(many=False)  # one object holding the rows, though the route is a list
class CountsSerializer(serializers.Serializer):
    results = CountRowSerializer(many=True)


BY = OpenApiParameter(
    "by",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    required=True,
    enum=[*DIMENSIONS, *(",".join(pair) for pair in permutations(DIMENSIONS, 2))],
    description=(
        "One dimension, or two separated by a comma, each named once: "
        + ", ".join(f"`{name}`" for name in DIMENSIONS)
        + ". `year` is the start date's year; `global_south` is true when a country of the "
        "Global South takes part, as the filter reads it."
    ),
)


@extend_schema(
    summary="Count initiatives by dimension",
    description=(
        "The records the initiatives list gives you for the same filters, counted by one or two "
        "dimensions: one row per combination of values that some record has, ordered by the "
        "values with null last; not paginated. A record with several countries, regions, "
        "advocacies or stakeholder kinds counts once under each of them; null gathers the records "
        "with no value. The counts by a single-valued dimension (`key_task`, `action_line`, "
        "`global_south`, `kind`, `status`, `year`) add up to the list's `count`. "
        "`?format=csv` gives the rows as CSV."
    ),
    parameters=[BY, IF_NONE_MATCH],
    responses={200: CountsSerializer},
    examples=[
        OpenApiExample(
            "By key task and region",
            value={
                "results": [
                    {"key_task": "global-south", "region": "africa", "count": 6},
                    {"key_task": "global-south", "region": None, "count": 1},
                ]
            },
            response_only=True,
        )
    ],
)
class InitiativeCountViewSet(CatalogueFilterMixin, ConditionalGetMixin, viewsets.GenericViewSet):
    """Counts of the visible records by dimension, filtered as the list is."""

    filter_backends = [DjangoFilterBackend]
    filterset_class = InitiativeFilterSet
    pagination_class = None
    serializer_class = CountsSerializer
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CountsCSVRenderer]
    http_method_names = ["get", "head", "options"]
    dimensions: list[str] = []

    def get_queryset(self):
        return Initiative.objects.visible_to(self.request.user)

    def list(self, request, *args, **kwargs):
        # Both the dimensions and the filters are checked, so one 400 names every fault.
        errors = {}
        try:
            self.dimensions = parse_dimensions(request.query_params.get("by"))
        except ValidationError as error:
            errors.update(error.detail)
        try:
            queryset = self.filter_queryset(self.get_queryset())
        except ValidationError as error:
            errors.update(error.detail)
        if errors:
            raise ValidationError(errors)
        key = getattr(request, "answer_key", None)
        self.answer_key = key if key and request.accepted_media_type == "application/json" else None
        return Response({"results": initiative_counts(queryset, self.dimensions)})

    def keep_answer(self, request, response) -> None:
        """Keep an anonymous 200 until the catalogue changes (api/answers.py)."""
        key = getattr(self, "answer_key", None)
        if key and isinstance(response, Response):
            response.render()
            answers.keep(key, response)
