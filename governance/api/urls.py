"""governance's part of the API, composed into /api/v1/ by api/urls.py."""

from django.urls import path

from .views import AdvocacyViewSet, CountryViewSet, KeyTaskViewSet, MeView, StakeholderViewSet, TokenView

# (prefix, viewset, basename): registered on the API's router, listed by the root.
collections = [
    ("key-tasks", KeyTaskViewSet, "key-task"),
    ("advocacies", AdvocacyViewSet, "advocacy"),
    ("countries", CountryViewSet, "country"),
    ("stakeholders", StakeholderViewSet, "stakeholder"),
]

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("me/", MeView.as_view(), name="me"),
]

# The caller's own addresses, listed by the root too: name -> URL name.
root_links = {"me": "me", "auth-token": "token"}
