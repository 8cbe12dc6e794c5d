"""The initiatives' part of the API, composed into /api/v1/ by api/urls.py."""

from .follows import TopicFollowViewSet
from .views import InitiativeViewSet, InvitationViewSet, TagViewSet

# (prefix, viewset, basename): registered on the API's router, listed by the root.
collections = [
    ("initiatives", InitiativeViewSet, "initiative"),
    ("tags", TagViewSet, "tag"),
    ("me/follows", TopicFollowViewSet, "topic-follow"),
    ("me/invitations", InvitationViewSet, "invitation"),
]

urlpatterns = []

root_links = {}
