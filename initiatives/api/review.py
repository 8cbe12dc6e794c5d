"""Held progress notes and proposed changes on a record: reading them, and the decisions.

Actions of InitiativeViewSet (initiatives/api/views.py), which supplies get_object,
representation and the serializer context; who may read or decide is the services' and
rules' to say.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.response import Response

from api.pagination import PagePagination

from .. import services
from ..choices import UpdateState
from ..models import PendingRevision
from ..selectors import revision_changes
from .parameters import IF_NONE_MATCH, REVISION_ID, UPDATE_ID
from .serializers import InitiativeSerializer, PendingRevisionSerializer, ReasonSerializer, UpdateSerializer


class ReviewActionsMixin:
    """`updates/…` and `revisions/…` under a record."""

    @extend_schema(
        methods=["GET"],
        summary="Progress notes",
        responses={200: UpdateSerializer(many=True)},
        parameters=[IF_NONE_MATCH],
    )
    @extend_schema(
        methods=["POST"],
        summary="Add a progress note",
        description=(
            "Notes follow edits: curators and administrators, and members of a draft, publish "
            "at once; the owner's or a collaborator's note on a published record is `held` "
            "until a moderator approves it (the answer is 201 either way, with the note)."
        ),
        request=UpdateSerializer,
        responses={201: UpdateSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=PagePagination, filter_backends=[])
    def updates(self, request, slug=None):
        initiative = self.get_object()
        if request.method == "POST":
            serializer = UpdateSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            update = services.update_create(
                actor=request.user, initiative=initiative, data=serializer.validated_data
            )
            return Response(UpdateSerializer(update).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(self._notes(initiative))
        return self.get_paginated_response(UpdateSerializer(page, many=True).data)

    def _notes(self, initiative):
        """The record's notes the caller may see: held and rejected ones for members and staff."""
        notes = initiative.updates.select_related("author", "decided_by")
        if not self.request.user.has_perm("initiatives.view_moderation", initiative):
            notes = notes.filter(state=UpdateState.PUBLISHED)
        return notes

    @extend_schema(
        summary="Approve a held progress note",
        description=(
            "The note goes live: on the page, in feeds and in the next digests. Moderators and "
            "administrators, never on a note they wrote nor on a record they own (403); 409 if "
            "it is not waiting any more; 404 if you may not see it."
        ),
        request=None,
        parameters=[UPDATE_ID],
        responses={200: UpdateSerializer},
    )
    @action(detail=True, methods=["post"], url_path=r"updates/(?P<update_id>[0-9]+)/approve")
    def update_approve(self, request, slug=None, update_id=None):
        note = get_object_or_404(self._notes(self.get_object()), pk=update_id)
        return Response(UpdateSerializer(services.update_approve(actor=request.user, update=note)).data)

    @extend_schema(
        summary="Reject a held progress note",
        description=(
            "The note is kept, unpublished, with the reason, for the record's members and "
            "staff. Who may: as for approval (403); 409 if it is not waiting any more; 400 "
            "without a reason."
        ),
        request=ReasonSerializer,
        parameters=[UPDATE_ID],
        responses={200: UpdateSerializer},
    )
    @action(detail=True, methods=["post"], url_path=r"updates/(?P<update_id>[0-9]+)/reject")
    def update_reject(self, request, slug=None, update_id=None):
        note = get_object_or_404(self._notes(self.get_object()), pk=update_id)
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        note = services.update_reject(
            actor=request.user, update=note, reason=serializer.validated_data["reason"]
        )
        return Response(UpdateSerializer(note).data)

    def _revisions(self, initiative):
        return (
            PendingRevision.objects.filter(initiative=initiative)
            .select_related("initiative", "decided_by")
            .prefetch_related("authors")
        )

    def _revision_answer(self, initiative, revisions) -> dict:
        # The record as read for the caller carries its current snapshot: the live side of an
        # open proposal's changes, without reading the record's relations again.
        current = getattr(initiative, "current_snapshot", None)
        live = {initiative.pk: current} if current is not None else None
        context = {**self.get_serializer_context(), "changes": revision_changes(revisions, live=live)}
        return PendingRevisionSerializer(revisions, many=True, context=context).data

    @extend_schema(
        summary="Proposed changes",
        description=(
            "Proposals to change the published record, newest first; `open` ones wait for a "
            "moderator. For the record's owner and collaborators, curators, moderators and "
            "administrators: anyone else who may see the record gets 403 (401 without "
            "credentials), and 404 if they may not see the record at all."
        ),
        responses={200: PendingRevisionSerializer(many=True)},
        parameters=[IF_NONE_MATCH],
    )
    @action(detail=True, methods=["get"], pagination_class=PagePagination, filter_backends=[])
    def revisions(self, request, slug=None):
        initiative = self.get_object()
        if not request.user.has_perm("initiatives.view_moderation", initiative):
            if not request.user.is_authenticated:
                raise NotAuthenticated()
            raise PermissionDenied(_("Proposed changes are for the record's members and the staff."))
        page = self.paginate_queryset(self._revisions(initiative).order_by("-created_at", "-id"))
        return self.get_paginated_response(self._revision_answer(initiative, page))

    @extend_schema(
        summary="Approve a proposed change",
        description=(
            "The proposal becomes the record's next version; the answer is the record. "
            "Moderators and administrators, never on a record they own nor on a proposal they "
            "helped write (403); 409 if the proposal was already approved or rejected."
        ),
        request=None,
        parameters=[REVISION_ID],
        responses={200: InitiativeSerializer},
    )
    @action(detail=True, methods=["post"], url_path=r"revisions/(?P<revision_id>[0-9]+)/approve")
    def revision_approve(self, request, slug=None, revision_id=None):
        initiative = self.get_object()
        revision = get_object_or_404(self._revisions(initiative), pk=revision_id)
        services.revision_approve(actor=request.user, revision=revision)
        return self.representation(initiative)

    @extend_schema(
        summary="Reject a proposed change",
        description=(
            "The live record stays as it is; the reason goes to the proposal's authors and the "
            "answer is the proposal. Who may: as for approval (403); 409 if it was already "
            "approved or rejected; 400 without a reason."
        ),
        request=ReasonSerializer,
        parameters=[REVISION_ID],
        responses={200: PendingRevisionSerializer},
    )
    @action(detail=True, methods=["post"], url_path=r"revisions/(?P<revision_id>[0-9]+)/reject")
    def revision_reject(self, request, slug=None, revision_id=None):
        initiative = self.get_object()
        revision = get_object_or_404(self._revisions(initiative), pk=revision_id)
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.revision_reject(
            actor=request.user, revision=revision, reason=serializer.validated_data["reason"]
        )
        revision = self._revisions(initiative).get(pk=revision.pk)
        return Response(self._revision_answer(initiative, [revision])[0])
