"""The frame in the API, the caller's profile, and tokens."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.conditional import ConditionalGetMixin
from api.pagination import PagePagination
from api.permissions import IsAuthenticatedToWrite, TokenMayWrite
from governance.filters import StrictBooleanFilter

from .. import services
from ..choices import Region, StakeholderKind
from ..models import Advocacy, ApiToken, Country, KeyTask, Stakeholder
from .serializers import (
    AdvocacySerializer,
    CountrySerializer,
    KeyTaskSerializer,
    MeSerializer,
    StakeholderChangeSerializer,
    StakeholderSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)


class KeyTaskViewSet(ConditionalGetMixin, viewsets.ReadOnlyModelViewSet):
    """The article's four key tasks, each with its action lines."""

    queryset = KeyTask.objects.prefetch_related("action_lines")
    serializer_class = KeyTaskSerializer
    pagination_class = None
    lookup_field = "slug"
    lookup_value_regex = r"[-\w]+"


class AdvocacyViewSet(ConditionalGetMixin, viewsets.ReadOnlyModelViewSet):
    """The article's three advocacies."""

    queryset = Advocacy.objects.all()
    serializer_class = AdvocacySerializer
    pagination_class = None
    lookup_field = "slug"
    lookup_value_regex = r"[-\w]+"


class CountryFilterSet(django_filters.FilterSet):
    region = django_filters.ChoiceFilter(choices=Region.choices)
    global_south = StrictBooleanFilter()

    class Meta:
        model = Country
        fields = ["region", "global_south"]


class CountryViewSet(ConditionalGetMixin, viewsets.ReadOnlyModelViewSet):
    """Countries by ISO alpha-2 code, with their UN M49 region and Global South (G77) flag."""

    queryset = Country.objects.all()
    serializer_class = CountrySerializer
    pagination_class = None
    lookup_field = "code"
    lookup_value_regex = r"[A-Za-z]{2}"
    filter_backends = [DjangoFilterBackend]
    filterset_class = CountryFilterSet

    def get_object(self):
        self.kwargs["code"] = self.kwargs["code"].upper()
        return super().get_object()


class StakeholderFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=StakeholderKind.choices)
    country = django_filters.ModelChoiceFilter(queryset=Country.objects.all(), to_field_name="code")

    class Meta:
        model = Stakeholder
        fields = ["kind", "country"]


@extend_schema_view(
    create=extend_schema(summary="Add a stakeholder (curators)"),
    partial_update=extend_schema(summary="Change a stakeholder (curators)"),
)
class StakeholderViewSet(
    ConditionalGetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Organisations that take part in initiatives; curators write."""

    queryset = Stakeholder.objects.select_related("country")
    serializer_class = StakeholderSerializer
    pagination_class = PagePagination
    lookup_field = "slug"
    lookup_value_regex = r"[-\w]+"
    filter_backends = [DjangoFilterBackend]
    filterset_class = StakeholderFilterSet
    permission_classes = [TokenMayWrite, IsAuthenticatedToWrite]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return StakeholderChangeSerializer
        return StakeholderSerializer

    def get_object(self):
        # Lookups by slug only: list filters do not apply to one record.
        stakeholder = self.get_queryset().filter(slug=self.kwargs["slug"]).first()
        if stakeholder is None:
            raise exceptions.NotFound()
        return stakeholder

    def perform_create(self, serializer):
        serializer.instance = services.stakeholder_create(
            actor=self.request.user, data=serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.stakeholder_update(
            actor=self.request.user, stakeholder=serializer.instance, data=serializer.validated_data
        )


class MeView(ConditionalGetMixin, APIView):
    """The caller's profile: read it, or change names, e-mail, affiliation and language."""

    permission_classes = [TokenMayWrite, IsAuthenticated]
    serializer_class = MeSerializer

    @extend_schema(summary="Your profile", responses={200: MeSerializer})
    def get(self, request):
        return Response(MeSerializer(request.user).data)

    @extend_schema(summary="Change your profile", request=MeSerializer, responses={200: MeSerializer})
    def patch(self, request):
        serializer = MeSerializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = services.profile_update(actor=request.user, user=request.user, data=serializer.validated_data)
        return Response(MeSerializer(user).data)


class TokenView(APIView):
    """Get a token with a username and password; revoke the token you call with."""

    serializer_class = TokenRequestSerializer
    # Revoking is allowed to read-only tokens too: it only takes rights away.
    read_only_token_allowed = True

    def get_permissions(self):
        if self.request.method == "DELETE":
            return [IsAuthenticated()]
        return []

    @extend_schema(
        summary="Get a token",
        description=(
            "Exchange a username and password for a token, sent afterwards as "
            "`Authorization: Token <key>`. The key is shown only here. Repeated failures lock the "
            "account for a while (429)."
        ),
        request=TokenRequestSerializer,
        responses={200: TokenSerializer},
        auth=[],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            token, key = services.api_token_obtain(
                request=request._request,
                username=data["username"],
                password=data["password"],
                name=data["name"],
                write=data["write"],
            )
        finally:
            # The API answers a lockout itself, in JSON; axes' middleware would swap in HTML.
            request._request.axes_locked_out = False
        body = {
            "token": key,
            "prefix": token.prefix,
            "name": token.name,
            "write": token.write,
            "expires_at": token.expires_at,
        }
        return Response(TokenSerializer(body).data, status=status.HTTP_200_OK)

    @extend_schema(summary="Revoke this token", request=None, responses={204: None})
    def delete(self, request):
        if not isinstance(request.auth, ApiToken):
            raise exceptions.ValidationError(
                {"detail": _("Call with the token to revoke, as “Authorization: Token <key>”.")}
            )
        services.api_token_revoke(actor=request.user, token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)
