"""The initiatives' part of the API, composed into /api/v1/ by api/urls.py."""

from django.urls import re_path

from .comments import CommentViewSet
from .follows import TopicFollowViewSet
from .imports import ImportViewSet
from .stats import InitiativeCountViewSet
from .views import InitiativeViewSet, InvitationViewSet, TagViewSet

# (prefix, viewset, basename): registered on the API's router, listed by the root.
collections = [
    ("initiatives", InitiativeViewSet, "initiative"),
    ("tags", TagViewSet, "tag"),
    ("me/follows", TopicFollowViewSet, "topic-follow"),
    ("me/invitations", InvitationViewSet, "invitation"),
    ("stats/initiatives", InitiativeCountViewSet, "initiative-stats"),
    ("imports", ImportViewSet, "import"),
]

# A record's discussion, under the record's address.
_RECORD = r"^initiatives/(?P<slug>[-\w]+)/comments/"
urlpatterns = [
    re_path(
        rf"{_RECORD}$",
        CommentViewSet.as_view({"get": "list", "post": "create"}),
        name="initiative-comments",
    ),
    re_path(
        rf"{_RECORD}(?P<pk>[0-9]+)/$",
        CommentViewSet.as_view({"patch": "partial_update", "delete": "destroy"}),
        name="initiative-comment",
    ),
    re_path(
        rf"{_RECORD}(?P<pk>[0-9]+)/report/$",
        CommentViewSet.as_view({"post": "report"}),
        name="initiative-comment-report",
    ),
]

root_links = {}
