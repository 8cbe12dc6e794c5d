"""webhooks' part of the API, composed into /api/v1/ by api/urls.py."""

from .views import WebhookViewSet

# (prefix, viewset, basename): registered on the API's router, listed by the root.
collections = [("webhooks", WebhookViewSet, "webhook")]

urlpatterns = []

root_links = {}
