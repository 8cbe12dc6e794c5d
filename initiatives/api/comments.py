"""A record's discussion in the API: its comments with their replies nested, posting and
replying, the author's edit (within COMMENT_EDIT_MINUTES) and deletion, and reports.

The record is read as the caller may see it (404 otherwise); a comment as the caller may
read it: a hidden one only by its author and the moderators, marked `hidden`. A deleted or
unreadable top-level comment that still has replies is a placeholder: `deleted` or `hidden`,
with no author and no text.
"""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from api.pagination import PagePagination
from api.permissions import IsAuthenticatedToWrite, TokenMayWrite
from api.serializers import StrictInput
from governance.choices import Language

from .. import services
from ..markup import COMMENT_MAX_LENGTH
from ..models import Comment, Initiative
from ..selectors.discussion import comment_html, comment_of, comment_threads
from ..services.discussion import REPORT_REASON_MAX_LENGTH

ID_MAX = 2**63 - 1


class CommentReplySerializer(serializers.ModelSerializer):
    """A comment as the caller may read it."""

    author = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()
    body_html = serializers.SerializerMethodField()
    parent = serializers.IntegerField(source="parent_id", allow_null=True, read_only=True)
    language = serializers.ChoiceField(
        choices=Language.choices, read_only=True, help_text="The language the comment is written in."
    )
    hidden = serializers.SerializerMethodField(help_text="Hidden by a moderator or by reports.")
    deleted = serializers.SerializerMethodField(help_text="Deleted by its author; kept for its replies.")

    class Meta:
        model = Comment
        fields = [
            "id",
            "author",
            "body",
            "body_html",
            "language",
            "parent",
            "created_at",
            "edited_at",
            "hidden",
            "deleted",
        ]
        read_only_fields = fields

    @staticmethod
    def _readable(comment) -> bool:
        return getattr(comment, "readable", True)

    def get_author(self, comment) -> str | None:
        return comment.author.get_username() if self._readable(comment) else None

    def get_body(self, comment) -> str:
        return comment.body if self._readable(comment) else ""

    def get_body_html(self, comment) -> str:
        return comment_html(comment) if self._readable(comment) else ""

    def get_hidden(self, comment) -> bool:
        return comment.hidden_at is not None and comment.deleted_at is None

    def get_deleted(self, comment) -> bool:
        return comment.deleted_at is not None


class CommentSerializer(CommentReplySerializer):
    """A top-level comment with its replies, oldest first."""

    replies = serializers.SerializerMethodField()

    class Meta(CommentReplySerializer.Meta):
        fields = [*CommentReplySerializer.Meta.fields, "replies"]
        read_only_fields = fields

    @extend_schema_field(CommentReplySerializer(many=True))
    def get_replies(self, comment):
        replies = getattr(comment, "shown_replies", [])
        return CommentReplySerializer(replies, many=True, context=self.context).data


LANGUAGE_HELP = (
    "The language the comment is written in. Left out, it is detected from the body: mostly "
    "Chinese characters make zh-hans, anything else en."
)


class CommentCreateSerializer(StrictInput, serializers.Serializer):
    body = serializers.CharField(max_length=COMMENT_MAX_LENGTH, help_text="Markdown; @username mentions.")
    language = serializers.ChoiceField(choices=Language.choices, required=False, help_text=LANGUAGE_HELP)
    parent = serializers.IntegerField(
        min_value=1,
        max_value=ID_MAX,
        required=False,
        allow_null=True,
        help_text="The id of a top-level comment of this record, to reply to it.",
    )


class CommentEditSerializer(StrictInput, serializers.Serializer):
    body = serializers.CharField(max_length=COMMENT_MAX_LENGTH)
    language = serializers.ChoiceField(choices=Language.choices, required=False, help_text=LANGUAGE_HELP)


class CommentReportSerializer(StrictInput, serializers.Serializer):
    reason = serializers.CharField(max_length=REPORT_REASON_MAX_LENGTH, help_text="Told to the moderators.")


REPORTED = inline_serializer("CommentReported", fields={"detail": serializers.CharField()})


@extend_schema_view(
    list=extend_schema(
        summary="A record's comments",
        description="Top-level comments, oldest first, each with its replies nested (one level).",
        responses={200: CommentSerializer(many=True)},
    ),
    create=extend_schema(
        summary="Comment on a record, or reply to a comment",
        description=(
            "Signed-in users, on published records. `parent` names a top-level comment of this "
            "record to reply to; any other is a 400 on `parent`."
        ),
        request=CommentCreateSerializer,
        responses={201: CommentSerializer},
    ),
    partial_update=extend_schema(
        summary="Change your comment",
        description=(
            f"Its author only, within {settings.COMMENT_EDIT_MINUTES} minutes of posting it "
            "(later, 403). The earlier wording is kept."
        ),
        request=CommentEditSerializer,
        responses={200: CommentSerializer},
    ),
    destroy=extend_schema(
        summary="Delete your comment",
        description="Its author only. A comment with replies stays as a placeholder for them.",
        responses={204: None},
    ),
)
class CommentViewSet(viewsets.GenericViewSet):
    serializer_class = CommentSerializer
    pagination_class = PagePagination
    permission_classes = [TokenMayWrite, IsAuthenticatedToWrite]
    queryset = Comment.objects.none()

    def initiative(self) -> Initiative:
        return get_object_or_404(Initiative.objects.visible_to(self.request.user), slug=self.kwargs["slug"])

    def comment(self) -> Comment:
        comment = comment_of(user=self.request.user, initiative=self.initiative(), pk=self.kwargs["pk"])
        if comment is None:
            raise NotFound(_("No such comment here, or not one you may see."))
        return comment

    def _thread(self, comment) -> Comment:
        """The comment as the list shows it: a top-level one with its readable replies."""
        initiative = comment.initiative
        if comment.parent_id is None:
            found = (
                comment_threads(user=self.request.user, initiative=initiative).filter(pk=comment.pk).first()
            )
            if found is not None:
                return found
        comment.shown_replies = []
        return comment

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(comment_threads(user=request.user, initiative=self.initiative()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def create(self, request, *args, **kwargs):
        initiative = self.initiative()
        serializer = CommentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        parent_id = serializer.validated_data.get("parent")
        parent = None
        if parent_id is not None:
            parent = comment_of(user=request.user, initiative=initiative, pk=parent_id)
            if parent is None:
                raise serializers.ValidationError(
                    {"parent": [_("Reply to a top-level comment of this initiative.")]}
                )
        comment = services.comment_create(
            actor=request.user,
            initiative=initiative,
            body=serializer.validated_data["body"],
            parent=parent,
            language=serializer.validated_data.get("language"),
        )
        return Response(self.get_serializer(self._thread(comment)).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        comment = self.comment()
        serializer = CommentEditSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = services.comment_edit(
            actor=request.user,
            comment=comment,
            body=serializer.validated_data["body"],
            language=serializer.validated_data.get("language"),
        )
        return Response(self.get_serializer(self._thread(comment)).data)

    def destroy(self, request, *args, **kwargs):
        services.comment_delete(actor=request.user, comment=self.comment())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Report a comment to the moderators",
        description=(
            "Signed-in users, not on their own comment. Reporting again changes nothing (still "
            "202). A comment reported by three people is hidden until a moderator decides."
        ),
        request=CommentReportSerializer,
        responses={202: REPORTED},
    )
    def report(self, request, *args, **kwargs):
        comment = self.comment()
        serializer = CommentReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.comment_report(
            actor=request.user, comment=comment, reason=serializer.validated_data["reason"]
        )
        detail = _("Thank you; the moderators will look at this comment.")
        return Response({"detail": detail}, status=status.HTTP_202_ACCEPTED)
