"""GET/PUT /api/v1/me/subscription/: the signed-in user's own digest settings."""

import hashlib
import json

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.conditional import ConditionalGetMixin, etag_matches
from api.permissions import TokenMayWrite
from api.serializers import StrictInput
from governance.api.serializers import FrameValueField
from governance.models import Country, KeyTask

from . import services
from .choices import Frequency, SubscriptionKind, Watch
from .models import Subscription


class SubscriptionSerializer(StrictInput, serializers.Serializer):
    frequency = serializers.ChoiceField(choices=Frequency.choices)
    watch = serializers.ChoiceField(choices=Watch.choices, default=Watch.TOPICS)
    key_tasks = serializers.ListField(child=FrameValueField(model=KeyTask), default=list, max_length=10)
    countries = serializers.ListField(
        child=FrameValueField(model=Country, min_length=2, max_length=2), default=list, max_length=300
    )
    tags = serializers.ListField(child=serializers.CharField(max_length=100), default=list, max_length=50)
    last_sent_at = serializers.DateTimeField(read_only=True, allow_null=True)


def _representation(subscription: Subscription | None) -> dict:
    if subscription is None:
        return {
            "frequency": Frequency.OFF,
            "watch": Watch.TOPICS,
            "key_tasks": [],
            "countries": [],
            "tags": [],
            "last_sent_at": None,
        }
    return {
        "frequency": subscription.frequency,
        "watch": subscription.watch,
        "key_tasks": sorted(k.slug for k in subscription.key_tasks.all()),
        "countries": sorted(c.code for c in subscription.countries.all()),
        "tags": list(subscription.tags),
        "last_sent_at": serializers.DateTimeField().to_representation(subscription.last_sent_at)
        if subscription.last_sent_at
        else None,
    }


def _etag(data: dict) -> str:
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:32]
    return f'"{digest}"'


class SubscriptionView(ConditionalGetMixin, APIView):
    """The signed-in user's digest: how often and what to watch. PUT replaces it whole."""

    permission_classes = [IsAuthenticated, TokenMayWrite]
    serializer_class = SubscriptionSerializer

    def _current(self, request):
        return (
            Subscription.objects.filter(user=request.user, kind=SubscriptionKind.PROFILE)
            .prefetch_related("key_tasks", "countries")
            .first()
        )

    def _respond(self, data: dict, status_code=status.HTTP_200_OK) -> Response:
        response = Response(data, status=status_code)
        response["ETag"] = _etag(data)
        return response

    def get(self, request):
        return self._respond(_representation(self._current(request)))

    def put(self, request):
        if_match = request.headers.get("If-Match")
        if if_match:
            current = _etag(_representation(self._current(request)))
            if not etag_matches(if_match, current):
                return Response(
                    {"detail": _("The subscription changed since you read it; GET it again.")},
                    status=status.HTTP_412_PRECONDITION_FAILED,
                )
        serializer = SubscriptionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            subscription = services.subscription_update(user=request.user, **serializer.validated_data)
        except ValidationError as error:
            return Response(
                {"detail": _("Invalid input."), **error.message_dict}, status=status.HTTP_400_BAD_REQUEST
            )
        return self._respond(_representation(self._current(request) or subscription))
