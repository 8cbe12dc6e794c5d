"""The caller's follows in the API: an initiative, a key task, an action line, a country, a
stakeholder or a tag, named as the web addresses name them, in one list with one kind of id."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from api.pagination import PagePagination
from api.permissions import TokenMayWrite
from api.serializers import StrictInput

from .. import services
from ..choices import TopicKind
from ..models import TopicFollow
from ..selectors.follows import topic, topics_of


class TopicFollowSerializer(StrictInput, serializers.ModelSerializer):
    """Something followed: `value` is a slug (an initiative's, a key task's, an action line's,
    a stakeholder's; a tag's slug, name, label or synonym) or a country's ISO alpha-2 code. `name` and `url`
    are null once the caller may no longer see what they follow."""

    kind = serializers.ChoiceField(choices=TopicKind.choices)
    value = serializers.CharField(
        max_length=120,
        help_text="A slug, a tag's name, slug, label or synonym, or an ISO alpha-2 country code.",
    )
    name = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = TopicFollow
        fields = ["id", "kind", "value", "name", "url", "created_at"]
        read_only_fields = ["id", "name", "url", "created_at"]

    def _topic(self, follow):
        """The followed topic, from those the view read for its whole page when it did."""
        named = self.context.get("topics")
        if named is None:
            return topic(self.context["request"].user, follow.kind, follow.value)
        return named.get((follow.kind, follow.value))

    def get_name(self, follow) -> str | None:
        found = self._topic(follow)
        return found.name if found else None

    def get_url(self, follow) -> str | None:
        found = self._topic(follow)
        return self.context["request"].build_absolute_uri(found.url) if found else None


@extend_schema_view(
    list=extend_schema(summary="The initiatives and topics you follow, latest first"),
    create=extend_schema(
        summary="Follow an initiative or a topic",
        description=(
            "201 with the new follow; 200 with the existing one when you already follow it. "
            "A value that names nothing you may see is a 400 on `value`."
        ),
        responses={200: TopicFollowSerializer, 201: TopicFollowSerializer},
    ),
    destroy=extend_schema(summary="Stop following", responses={204: None}),
)
class TopicFollowViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """A followed initiative, and every published record under a followed topic, count as
    followed: on the Following page and in the digest."""

    serializer_class = TopicFollowSerializer
    pagination_class = PagePagination
    permission_classes = [TokenMayWrite, IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return TopicFollow.objects.none()
        return TopicFollow.objects.filter(user=self.request.user).order_by("-created_at", "-id")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        named = topics_of(request.user, ((f.kind, f.value) for f in page))
        serializer = self.get_serializer(
            page, many=True, context={**self.get_serializer_context(), "topics": named}
        )
        return self.get_paginated_response(serializer.data)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        existed = set(self.get_queryset().values_list("kind", "value"))
        follow = services.topic_follow_create(actor=request.user, kind=data["kind"], value=data["value"])
        answer = status.HTTP_200_OK if (follow.kind, follow.value) in existed else status.HTTP_201_CREATED
        return Response(self.get_serializer(follow).data, status=answer)

    def perform_destroy(self, instance):
        if instance.kind == TopicKind.INITIATIVE:
            services.follow_delete(actor=self.request.user, initiative=instance.initiative)
        else:
            services.topic_follow_delete(actor=self.request.user, kind=instance.kind, value=instance.value)
