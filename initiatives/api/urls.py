"""The initiatives' part of the API, composed into /api/v1/ by api/urls.py."""

from .follows import TopicFollowViewSet
from .imports import ImportViewSet
from .views import InitiativeViewSet, InvitationViewSet, TagViewSet

# (prefix, viewset, basename): registered on the API's router, listed by the root.
collections = [
    ("initiatives", InitiativeViewSet, "initiative"),
    ("tags", TagViewSet, "tag"),
    ("me/follows", TopicFollowViewSet, "topic-follow"),
    ("invitations", InvitationViewSet, "invitation"),
    ("imports", ImportViewSet, "import"),
]

urlpatterns = []

root_links = {}
