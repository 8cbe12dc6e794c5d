"""The caller's notifications and their channel per kind."""

from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.conditional import ConditionalGetMixin
from api.pagination import PagePagination
from api.permissions import TokenMayWrite

from .. import selectors, services
from ..choices import Channel, NotificationKind
from ..models import Notification
from .serializers import NotificationSerializer


@extend_schema_view(
    list=extend_schema(
        summary="Your notifications, newest first",
        description="Each in your preferred language, with the page it is about.",
    ),
)
class NotificationViewSet(ConditionalGetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """What happened around the records you own, work on, follow or moderate."""

    serializer_class = NotificationSerializer
    pagination_class = PagePagination
    permission_classes = [TokenMayWrite, IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return selectors.inbox(self.request.user)

    def list(self, request, *args, **kwargs):
        with translation.override(request.user.preferred_language or translation.get_language()):
            return super().list(request, *args, **kwargs)

    @extend_schema(summary="Mark one notification read", request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        if not str(pk).isdigit():
            raise Http404
        try:
            services.notification_mark_read(actor=request.user, notification_id=int(pk))
        except Notification.DoesNotExist:
            raise Http404(_("No notification of yours has this number.")) from None
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary="Mark all your notifications read", request=None, responses={204: None})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        services.notifications_mark_all_read(actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# The settings as an object with one channel per kind; no other key is accepted.
SETTINGS_SCHEMA = {
    "type": "object",
    "properties": {
        kind: {"type": "string", "enum": list(Channel.values), "description": str(label)}
        for kind, label in NotificationKind.choices
    },
    "additionalProperties": False,
}


class NotificationSettingsView(ConditionalGetMixin, APIView):
    """How you get each kind: `email` at once, in your `digest`, or only in the `site`."""

    permission_classes = [TokenMayWrite, IsAuthenticated]

    @extend_schema(summary="Your channel per kind of notification", responses={200: SETTINGS_SCHEMA})
    def get(self, request):
        return Response(selectors.channels_of(request.user))

    @extend_schema(
        summary="Choose your channel per kind of notification",
        description="Kinds left out keep their channel. An unknown kind or channel is a 400 on that key.",
        request={"application/json": SETTINGS_SCHEMA},
        responses={200: SETTINGS_SCHEMA},
    )
    def put(self, request):
        if not isinstance(request.data, dict):
            return Response(
                {"detail": _("Send an object with a channel per kind.")}, status=status.HTTP_400_BAD_REQUEST
            )
        errors = services.notification_settings_errors(request.data)
        if errors:
            return Response({**errors, "detail": _("Invalid input.")}, status=status.HTTP_400_BAD_REQUEST)
        chosen = services.notification_settings_update(actor=request.user, channels=request.data)
        return Response(chosen)
