"""/api/: version 1 of the API, its OpenAPI schema and the interactive docs.

Composed from each app's own registrations (`<app>/api/urls.py`): its `collections`, a
list of (prefix, viewset, basename) registered on the one router here and listed by the
root; its `urlpatterns`, its other addresses under /api/v1/; and its `root_links`, the
names and URL names of those the root lists too. The digest subscription
(/api/v1/me/subscription/) is digests' own address, in digests/urls.py.
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from governance.api import urls as governance_api
from initiatives.api import urls as initiatives_api
from notifications.api import urls as notifications_api
from webhooks.api import urls as webhooks_api

from .views import ApiRootView, not_found

app_name = "api"

APPS = (initiatives_api, governance_api, webhooks_api, notifications_api)

router = SimpleRouter()
for app in APPS:
    for prefix, viewset, basename in app.collections:
        router.register(prefix, viewset, basename=basename)

root = ApiRootView.as_view(
    collections={
        **{prefix: f"{basename}-list" for prefix, _viewset, basename in router.registry},
        **{name: url_name for app in APPS for name, url_name in app.root_links.items()},
    }
)

urlpatterns = [
    path(
        "v1/",
        include(
            [
                path("", root, name="root"),
                *router.urls,
                *(pattern for app in APPS for pattern in app.urlpatterns),
            ]
        ),
    ),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^", not_found),
]
