from django.urls import path

from . import api, feeds, views

app_name = "digests"

urlpatterns = [
    path("digests/", views.archive, name="archive"),
    path("digests/settings/", views.subscription_settings, name="settings"),
    path("digests/searches/save/", views.saved_search_save, name="search_save"),
    path("digests/searches/<int:pk>/", views.saved_search_change, name="search_change"),
    path("digests/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    # Listed before the initiatives' own URLs, so "feed" is never read as a slug.
    path("initiatives/feed/", feeds.InitiativeFeed(), name="feed"),
    path("api/v1/me/subscription/", api.SubscriptionView.as_view(), name="api-subscription"),
]
