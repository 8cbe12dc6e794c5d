"""Webhooks in the API: administrators only; writes go through the services."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission

from api.pagination import PagePagination
from api.permissions import TokenMayWrite

from .. import services
from ..models import Webhook, WebhookAttempt, WebhookDelivery
from .serializers import WebhookDeliverySerializer, WebhookSerializer


class IsAdministrator(BasePermission):
    """Webhooks send the site's data elsewhere: administrators alone see and change them."""

    message = _("Only administrators manage webhooks.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


@extend_schema_view(
    list=extend_schema(summary="List webhooks", responses={200: WebhookSerializer, 401: None, 403: None}),
    retrieve=extend_schema(
        summary="Read a webhook", responses={200: WebhookSerializer, 403: None, 404: None}
    ),
    create=extend_schema(
        summary="Register a webhook",
        description="The secret signs every delivery and is never returned.",
        responses={201: WebhookSerializer, 400: None, 403: None},
    ),
    partial_update=extend_schema(
        summary="Change a webhook", responses={200: WebhookSerializer, 400: None, 403: None, 404: None}
    ),
    destroy=extend_schema(summary="Delete a webhook", responses={204: None, 403: None, 404: None}),
)
class WebhookViewSet(viewsets.ModelViewSet):
    """Addresses told about published records; administrators register, change and delete them."""

    queryset = Webhook.objects.select_related("created_by")
    serializer_class = WebhookSerializer
    pagination_class = PagePagination
    permission_classes = [TokenMayWrite, IsAdministrator]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = services.webhook_create(actor=self.request.user, data=serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.webhook_update(
            actor=self.request.user, webhook=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.webhook_delete(actor=self.request.user, webhook=instance)

    @extend_schema(
        summary="A webhook's deliveries",
        description="Newest first, each with every attempt: status code, response time, error.",
        responses={200: WebhookDeliverySerializer(many=True)},
    )
    @action(detail=True, methods=["get"], serializer_class=WebhookDeliverySerializer)
    def deliveries(self, request, pk=None):
        webhook = self.get_object()
        deliveries = (
            WebhookDelivery.objects.filter(webhook=webhook)
            .order_by("-created_at", "pk")
            .prefetch_related(
                Prefetch("attempts", queryset=WebhookAttempt.objects.order_by("started_at", "pk"))
            )
        )
        page = self.paginate_queryset(deliveries)
        return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)
