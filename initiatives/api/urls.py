"""/api/: version 1 of the API, its OpenAPI schema and the interactive docs."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.decorators import api_view, permission_classes, schema
from rest_framework.exceptions import NotFound
from rest_framework.routers import SimpleRouter

from governance.api.views import (
    AdvocacyViewSet,
    ApiRootView,
    CountryViewSet,
    KeyTaskViewSet,
    StakeholderViewSet,
)

from .views import InitiativeViewSet, TagViewSet

app_name = "api"

router = SimpleRouter()
router.register("initiatives", InitiativeViewSet, basename="initiative")
router.register("key-tasks", KeyTaskViewSet, basename="key-task")
router.register("advocacies", AdvocacyViewSet, basename="advocacy")
router.register("countries", CountryViewSet, basename="country")
router.register("stakeholders", StakeholderViewSet, basename="stakeholder")
router.register("tags", TagViewSet, basename="tag")


@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@permission_classes([])
@schema(None)
def not_found(request, *args, **kwargs):
    """Addresses under /api/ that name nothing answer in JSON too."""
    raise NotFound()


# The root lists the router's collections and the caller's own addresses (governance.api.urls).
root = ApiRootView.as_view(
    collections={
        **{prefix: f"{basename}-list" for prefix, _viewset, basename in router.registry},
        "me": "me",
        "auth-token": "token",
    }
)

urlpatterns = [
    path(
        "v1/",
        include([path("", root, name="root"), *router.urls, path("", include("governance.api.urls"))]),
    ),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^", not_found),
]
