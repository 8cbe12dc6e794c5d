"""The notifications' part of the API, composed into /api/v1/ by api/urls.py."""

from django.urls import path

from .views import NotificationSettingsView, NotificationViewSet

# (prefix, viewset, basename): registered on the API's router, listed by the root.
collections = [
    ("me/notifications", NotificationViewSet, "notification"),
]

urlpatterns = [
    path("me/notification-settings/", NotificationSettingsView.as_view(), name="notification-settings"),
]

root_links = {"me/notification-settings": "notification-settings"}
