"""The API's own addresses: the root that lists every collection, and the JSON 404."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, permission_classes, schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView


class ApiRootView(APIView):
    """The API's front door: every collection by name, with its URL, as DRF's router root lists them.

    `collections` maps each name to the URL name of its list; the URLs are built for the
    host and scheme the caller asked with.
    """

    collections: dict[str, str] = {}

    @extend_schema(
        summary="The API root",
        description="Every collection of the API by name, with its URL.",
        responses={
            200: {
                "type": "object",
                "additionalProperties": {"type": "string", "format": "uri"},
                "example": {"initiatives": "https://concord.example/api/v1/initiatives/"},
            }
        },
    )
    def get(self, request):
        namespace = request.resolver_match.namespace
        prefix = f"{namespace}:" if namespace else ""
        return Response(
            {name: reverse(prefix + url_name, request=request) for name, url_name in self.collections.items()}
        )


@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@permission_classes([])
@schema(None)
def not_found(request, *args, **kwargs):
    """Addresses under /api/ that name nothing answer in JSON too."""
    raise NotFound()
