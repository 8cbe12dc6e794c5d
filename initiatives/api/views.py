"""The initiatives API: reads through visible_to and the shared FilterSet, writes through services."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from api import answers
from api.conditional import (
    ConditionalGetMixin,
    IfMatchMixin,
    PreconditionFailed,
    caller_fingerprint,
    etag_matches,
    etag_of,
)
from api.pagination import PagePagination
from api.permissions import IsAuthenticatedToWrite, TokenMayWrite
from governance.choices import Language

from .. import services
from ..filtersets import InitiativeFilterSet
from ..models import CollaborationInvitation, Initiative, PendingRevision
from ..selectors import (
    initiatives_for_representation,
    revisions_visible_to,
    tags_visible_to,
)
from ..selectors.workspace import open_invitations
from .exports import ExportListMixin
from .filtering import CatalogueFilterMixin
from .pagination import InitiativePagination
from .parameters import HISTORY_VERSION, IF_MATCH, IF_NONE_MATCH, LANG, asked_language
from .renderers import EXPORT_RENDERERS
from .review import ReviewActionsMixin
from .serializers import (
    InitiativeSerializer,
    InvitationCreateSerializer,
    InvitationSerializer,
    MergeSerializer,
    OptionalReasonSerializer,
    PendingRevisionSerializer,
    ReasonSerializer,
    RevisionSerializer,
    TagLabelsSerializer,
    TagMergeSerializer,
    TagSerializer,
)


def _prepare(initiatives, user):
    """Tell rules.is_member what the row already says about the caller."""
    for initiative in initiatives:
        if hasattr(initiative, "caller_collaborates"):
            initiative._collaborator_ids = {user.pk} if initiative.caller_collaborates else set()
    return initiatives


@extend_schema_view(
    list=extend_schema(
        summary="List initiatives",
        description=(
            "Published records for everyone; also your own and those you collaborate on; all for "
            "curators and moderators. `?format=csv`, `xlsx` or `jsonl` gives the whole filtered set "
            "as a file (docs/api.md, Export)."
        ),
        parameters=[IF_NONE_MATCH, LANG],
    ),
    retrieve=extend_schema(summary="Read an initiative", parameters=[IF_NONE_MATCH, LANG]),
    create=extend_schema(summary="Create a draft", parameters=[LANG], responses={201: InitiativeSerializer}),
    partial_update=extend_schema(
        summary="Change an initiative",
        description=(
            "Owners and collaborators edit drafts and rejected records directly; their change to a "
            "published record is held for a moderator (202, with the pending revision); curators "
            "edit directly. owner, moderation_state, version and timestamps are ignored if sent."
        ),
        parameters=[IF_MATCH, LANG],
        responses={200: InitiativeSerializer, 202: PendingRevisionSerializer},
    ),
    destroy=extend_schema(
        summary="Delete an initiative",
        description="Administrators; owners only while it is a draft that was never published.",
        parameters=[IF_MATCH],
        responses={204: None},
    ),
)
class InitiativeViewSet(
    CatalogueFilterMixin,
    ExportListMixin,
    ConditionalGetMixin,
    IfMatchMixin,
    ReviewActionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = InitiativeSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-\w]+"
    filter_backends = [DjangoFilterBackend]
    filterset_class = InitiativeFilterSet
    pagination_class = InitiativePagination
    permission_classes = [TokenMayWrite, IsAuthenticatedToWrite]
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, *EXPORT_RENDERERS]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return initiatives_for_representation(user=self.request.user)

    def get_renderers(self):
        if getattr(self, "action", None) != "list":
            return [JSONRenderer(), BrowsableAPIRenderer()]
        return super().get_renderers()

    def get_object(self):
        initiative = get_object_or_404(self.get_queryset(), slug=self.kwargs["slug"])
        self.check_object_permissions(self.request, initiative)
        return _prepare([initiative], self.request.user)[0]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Which language the record's text is answered in; the answer, its ETag and its kept
        # copy depend on it.
        request.text_language = asked_language(request)

    def etag(self, initiative, language: str | None = None) -> str:
        return etag_of(
            "initiative",
            initiative.pk,
            initiative.version,
            language or self.request.text_language,
            caller_fingerprint(self.request.user),
        )

    def check_if_match(self, record) -> None:
        """The ETag read in any language names the same version: a write checks the version."""
        header = self.request.headers.get("If-Match")
        if header is not None and not any(
            etag_matches(header, self.etag(record, language)) for language in Language.values
        ):
            raise PreconditionFailed()

    def representation(self, initiative, *, status_code=status.HTTP_200_OK, fresh=True):
        if fresh:
            initiative = get_object_or_404(self.get_queryset(), pk=initiative.pk)
            _prepare([initiative], self.request.user)
        data = self.get_serializer(initiative).data
        return Response(data, status=status_code, headers={"ETag": self.etag(initiative)})

    def list_etag(self, rows) -> str:
        """From the page's ids and versions, its count as answered, the address and the caller."""
        request = self.request
        page = None if self.paginator.cursor_mode else self.paginator.page
        return etag_of(
            "initiatives",
            [(row.pk, row.version) for row in rows],
            None if page is None else (page.count, page.count_is_estimate),
            request.get_full_path(),
            request.text_language,
            request.accepted_media_type,
            caller_fingerprint(request.user),
        )

    def note_answer_key(self, request) -> None:
        """Where to keep the anonymous JSON answer about to be built, if it may be kept.

        answers.KeptAnswerMiddleware looked the key up before this view ran and found
        nothing kept under it (or the throttles said no, and this view never runs).
        """
        key = getattr(request, "answer_key", None)
        self.answer_key = key if key and request.accepted_media_type == "application/json" else None

    def keep_answer(self, request, response) -> None:
        """Keep an anonymous 200 (ConditionalGetMixin calls this before any 304)."""
        key = getattr(self, "answer_key", None)
        if key and isinstance(response, Response):
            response.render()
            answers.keep(key, response)

    def list(self, request, *args, **kwargs):
        self.note_answer_key(request)
        queryset = self.filter_queryset(self.get_queryset())
        keeping = self.answer_key is not None
        exporting = self.exporting()
        if request.headers.get("If-None-Match") and not exporting and not keeping:
            # The page's (id, version) pairs and the count decide the ETag: two narrow queries.
            # (An answer about to be kept is built whole instead: the next ones come from it.)
            keys = self.paginate_queryset(queryset.values_list("pk", "version", "updated_at", named=True))
            answer = self.not_modified(self.list_etag(keys))
            if answer is not None:
                return answer
        if exporting:
            # The whole set, not a page; malformed paging parameters are still refused.
            self.paginator.check_parameters(request)
            return self.export_response(queryset)
        rows = _prepare(self.paginate_queryset(queryset), request.user)
        response = self.get_paginated_response(self.get_serializer(rows, many=True).data)
        response["ETag"] = self.list_etag(rows)
        return response

    def retrieve(self, request, *args, **kwargs):
        self.note_answer_key(request)
        if request.headers.get("If-None-Match") and self.answer_key is None:
            key = (
                Initiative.objects.visible_to(request.user)
                .filter(slug=self.kwargs["slug"])
                .values_list("pk", "version")
                .first()
            )
            if key is not None:
                answer = self.not_modified(
                    etag_of("initiative", *key, request.text_language, caller_fingerprint(request.user))
                )
                if answer is not None:
                    return answer
        return self.representation(self.get_object(), fresh=False)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        initiative = services.initiative_create(
            actor=request.user,
            data=serializer.service_data(),
            change_message=serializer.validated_data.get("change_message", ""),
        )
        response = self.representation(initiative, status_code=status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(f"{initiative.slug}/")
        return response

    def partial_update(self, request, *args, **kwargs):
        initiative = self.get_object()
        self.check_if_match(initiative)
        serializer = self.get_serializer(initiative, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        result = services.initiative_edit(
            actor=request.user,
            initiative=initiative,
            data=serializer.service_data(),
            expected_version=initiative.version,
            change_message=serializer.validated_data.get("change_message", ""),
        )
        if isinstance(result, PendingRevision):
            data = PendingRevisionSerializer(result, context=self.get_serializer_context()).data
            return Response(data, status=status.HTTP_202_ACCEPTED)
        return self.representation(result)

    def destroy(self, request, *args, **kwargs):
        initiative = self.get_object()
        self.check_if_match(initiative)
        services.initiative_delete(actor=request.user, initiative=initiative)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _transition(self, service, **arguments):
        initiative = self.get_object()
        self.check_if_match(initiative)
        service(
            actor=self.request.user, initiative=initiative, expected_version=initiative.version, **arguments
        )
        return self.representation(initiative)

    @extend_schema(
        summary="Invite a collaborator",
        description=(
            "Whoever may edit the record invites an active account by username; it joins only by "
            "accepting (POST /api/v1/me/invitations/{id}/accept/). Inviting someone already invited "
            "answers their open invitation."
        ),
        request=InvitationCreateSerializer,
        responses={201: InvitationSerializer},
    )
    @action(detail=True, methods=["post"])
    def invitations(self, request, slug=None):
        initiative = self.get_object()
        serializer = InvitationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        username = serializer.validated_data["username"]
        if "@" in username:
            raise ValidationError({"username": [_("Give a username, not an e-mail address.")]})
        try:
            invitation = services.collaborator_invite(
                actor=request.user, initiative=initiative, identifier=username
            )
        except DjangoValidationError as error:
            raise ValidationError({"username": error.messages}) from None
        data = InvitationSerializer(invitation, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Remove a collaborator",
        description="The owner, a curator or an administrator; the record keeps a version of it.",
        request=None,
        responses={204: None},
    )
    @action(detail=True, methods=["delete"], url_path=r"collaborators/(?P<username>[^/]+)")
    def collaborator_remove(self, request, slug=None, username=None):
        initiative = self.get_object()
        person = initiative.collaborators.filter(username=username).first()
        if person is None:
            raise NotFound(_("No such collaborator."))
        services.collaborator_remove(actor=request.user, initiative=initiative, user=person)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Submit for review",
        description="A draft or rejected record goes to the moderators; owners, collaborators, curators.",
        request=None,
        parameters=[IF_MATCH],
        responses={200: InitiativeSerializer},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, slug=None):
        return self._transition(services.initiative_submit)

    @extend_schema(
        summary="Approve and publish",
        description="Moderators, never on a record they own or submitted.",
        request=None,
        parameters=[IF_MATCH],
        responses={200: InitiativeSerializer},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, slug=None):
        return self._transition(services.initiative_approve)

    @extend_schema(
        summary="Reject with a reason",
        description="Moderators, never on a record they own or submitted; the reason goes to the owner.",
        request=ReasonSerializer,
        parameters=[IF_MATCH],
        responses={200: InitiativeSerializer},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, slug=None):
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._transition(services.initiative_reject, reason=serializer.validated_data["reason"])

    @extend_schema(
        summary="Archive",
        description="Curators take a published record out of circulation.",
        request=OptionalReasonSerializer,
        parameters=[IF_MATCH],
        responses={200: InitiativeSerializer},
    )
    @action(detail=True, methods=["post"])
    def archive(self, request, slug=None):
        serializer = OptionalReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._transition(services.initiative_archive, reason=serializer.validated_data["reason"])

    @extend_schema(
        summary="History",
        description=(
            "Every version, newest first: who, when, why, what changed, and the full content. "
            "The record's members and staff read all of it; everyone else reads the versions from "
            "its first publication on, without the reasons given for transitions."
        ),
        responses={200: RevisionSerializer(many=True)},
        parameters=[IF_NONE_MATCH],
    )
    @action(detail=True, methods=["get"], pagination_class=PagePagination, filter_backends=[])
    def history(self, request, slug=None):
        initiative = self.get_object()
        page = self.paginate_queryset(revisions_visible_to(user=request.user, initiative=initiative))
        return self.get_paginated_response(RevisionSerializer(page, many=True).data)

    # Merge and restore ---------------------------------------------------------------------

    @extend_schema(
        summary="Merge into another record",
        description=(
            "Curators fold this duplicate into the record named by `into`: its participants, "
            "countries, tags, links, notes, comments and followers move there, and its address "
            "redirects there. The answer is the surviving record. 400 if `into` names no record "
            "you can see, or this one."
        ),
        request=MergeSerializer,
        parameters=[IF_MATCH],
        responses={200: InitiativeSerializer},
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, slug=None):
        initiative = self.get_object()
        self.check_if_match(initiative)
        if not request.user.has_perm("initiatives.merge_initiative", initiative):
            raise PermissionDenied(_("Only curators merge initiatives, and neither may be merged already."))
        serializer = MergeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        target = self.get_queryset().filter(slug=serializer.validated_data["into"]).first()
        if target is None:
            raise ValidationError({"into": [_("No initiative you can see has this slug.")]})
        try:
            survivor = services.initiative_merge(
                actor=request.user, source=initiative, target=target, expected_version=initiative.version
            )
        except DjangoValidationError as error:
            # The service names the surviving record `target`; the API calls it `into`.
            raise ValidationError(
                {
                    "into" if field == "target" else field: messages
                    for field, messages in error.message_dict.items()
                }
            ) from None
        return self.representation(survivor)

    @extend_schema(
        summary="Restore an earlier version",
        description=(
            "Curators bring back the content of version `version` exactly; the restore is "
            "recorded as a new version and the answer is the record. 404 if there is no such "
            "version."
        ),
        request=None,
        parameters=[IF_MATCH, HISTORY_VERSION],
        responses={200: InitiativeSerializer},
    )
    @action(detail=True, methods=["post"], url_path=r"history/(?P<version>[0-9]+)/restore")
    def restore(self, request, slug=None, version=None):
        initiative = self.get_object()
        self.check_if_match(initiative)
        try:
            services.initiative_restore(
                actor=request.user,
                initiative=initiative,
                version=int(version),
                expected_version=initiative.version,
            )
        except DjangoValidationError as error:
            if "version" in getattr(error, "error_dict", {}):
                raise NotFound(" ".join(error.message_dict["version"])) from None
            raise
        return self.representation(initiative)


@extend_schema_view(
    list=extend_schema(summary="My open invitations to collaborate", description="Newest first."),
)
class InvitationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The caller's own open invitations to collaborate; another person's are not found."""

    serializer_class = InvitationSerializer
    pagination_class = PagePagination
    permission_classes = [TokenMayWrite, IsAuthenticated]

    def get_queryset(self):
        return open_invitations(self.request.user)

    def _answer(self, service, pk):
        try:
            invitation = service(actor=self.request.user, invitation_id=int(pk))
        except (CollaborationInvitation.DoesNotExist, ValueError):
            raise NotFound(_("No open invitation of yours has this number.")) from None
        return Response(InvitationSerializer(invitation, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Accept an invitation",
        description="The caller joins the record as a collaborator; the inviter is e-mailed.",
        request=None,
        responses={200: InvitationSerializer},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._answer(services.invitation_accept, pk)

    @extend_schema(
        summary="Decline an invitation",
        description="The caller does not join; the inviter is e-mailed.",
        request=None,
        responses={200: InvitationSerializer},
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._answer(services.invitation_decline, pk)


@extend_schema_view(
    list=extend_schema(summary="Tags in use", parameters=[IF_NONE_MATCH]),
    retrieve=extend_schema(summary="A tag", parameters=[IF_NONE_MATCH]),
)
class TagViewSet(ConditionalGetMixin, viewsets.ReadOnlyModelViewSet):
    """Tags with their labels and synonyms, and the number of initiatives visible to the
    caller that carry them; curators change labels and synonyms and merge tags."""

    serializer_class = TagSerializer
    pagination_class = PagePagination
    lookup_field = "slug"
    lookup_value_regex = r"[-\w]+"
    permission_classes = [TokenMayWrite, IsAuthenticatedToWrite]

    def get_queryset(self):
        return (
            tags_visible_to(self.request.user, count_as="initiatives")
            .select_related("label")
            .prefetch_related("synonyms")
            .order_by("-initiatives", "name")
        )

    def _curated(self):
        """The tag asked for, once the caller may curate tags (else 403, or 404 if unseen)."""
        tag = self.get_object()
        if not self.request.user.has_perm("initiatives.curate_tags", tag):
            raise PermissionDenied(_("Only curators change or merge tags."))
        return tag

    def _answer(self, tag):
        return Response(TagSerializer(self.get_queryset().get(pk=tag.pk)).data)

    @extend_schema(
        summary="Change a tag's labels and synonyms (curators)",
        description=(
            "Sets the English and Chinese labels and the synonyms (the list replaces the old "
            "one); a field left out keeps its value. A label or synonym may not name another "
            "tag. Records carrying the tag are found by search under the new words at once."
        ),
        request=TagLabelsSerializer,
        responses={200: TagSerializer},
    )
    def partial_update(self, request, slug=None):
        tag = self._curated()
        serializer = TagLabelsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        label = getattr(tag, "label", None)
        try:
            services.tag_labels_set(
                actor=request.user,
                tag=tag,
                label_en=data.get("label_en", label.label_en if label else ""),
                label_zh=data.get("label_zh", label.label_zh if label else ""),
                synonyms=data.get("synonyms", [synonym.name for synonym in tag.synonyms.all()]),
            )
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from None
        return self._answer(tag)

    @extend_schema(
        summary="Merge into another tag (curators)",
        description=(
            "Every record carrying this tag carries the tag named by `into` instead, each as a "
            "new version in its history; this tag's name, labels and synonyms become synonyms "
            "of that tag (none of them when only unpublished records carry this tag), and this "
            "tag is deleted. The answer is the surviving tag. 400 if "
            "`into` names no tag, or this one."
        ),
        request=TagMergeSerializer,
        responses={200: TagSerializer},
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, slug=None):
        tag = self._curated()
        serializer = TagMergeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            survivor = services.tag_merge(
                actor=request.user, source=tag, target=serializer.validated_data["into"]
            )
        except DjangoValidationError as error:
            # The service names the surviving tag `target`; the API calls it `into`.
            raise ValidationError(
                {
                    "into" if field == "target" else field: messages
                    for field, messages in error.message_dict.items()
                }
            ) from None
        return self._answer(survivor)
