"""Imports in the API: `POST /api/v1/imports/` takes a file (multipart: `file`, `dry_run`,
optionally `format`) and answers the per-row report, or, for a file of more rows than
IMPORT_SYNC_MAX_ROWS, 202 with the job to watch at `/api/v1/imports/{id}/`."""

from django.conf import settings
from django.utils import translation
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from api.permissions import TokenMayWrite

from ..imports.jobs import import_allowed, import_job_create
from ..imports.pipeline import ACTIONS, import_rows
from ..imports.reading import FORMATS, ImportFileError, import_file_read, import_format, import_size_check
from ..models import ImportJob


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV, XLSX or JSON Lines in the export's columns.")
    dry_run = serializers.BooleanField(
        default=False, help_text="Report what the import would do, and write nothing."
    )
    format = serializers.ChoiceField(
        choices=FORMATS, required=False, help_text="The file's format, when its name does not say."
    )


class ImportRowSerializer(serializers.Serializer):
    row = serializers.IntegerField(
        help_text="The row's number in the file (a spreadsheet's header is row 1)."
    )
    action = serializers.ChoiceField(choices=ACTIONS)
    slug = serializers.CharField(help_text="The record created, updated or left unchanged; empty when none.")
    title = serializers.CharField()
    matched_on = serializers.CharField(required=False, help_text="external_id or source_url.")
    changes = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Columns changed."
    )
    held = serializers.BooleanField(
        required=False, help_text="The change waits for a moderator as a proposed revision."
    )
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Why the row was refused, by column (`row`: the row as a whole).",
    )


class ImportCountsSerializer(serializers.Serializer):
    create = serializers.IntegerField()
    update = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    refused = serializers.IntegerField()


class ImportReportSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    total = serializers.IntegerField()
    counts = ImportCountsSerializer()
    rows = ImportRowSerializer(many=True)


class ImportJobSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:import-detail")
    report = ImportReportSerializer(allow_null=True, help_text="The report, once the import is done.")

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "url",
            "filename",
            "format",
            "dry_run",
            "state",
            "processed",
            "total",
            "report",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields


@extend_schema_view(
    create=extend_schema(
        summary="Import initiatives from a file",
        description=(
            "Curators and administrators. A file of at most IMPORT_SYNC_MAX_ROWS rows is imported at "
            "once and answered with its report (200); a larger one is imported by a background job, "
            "answered with 202 and the job (its `url` in Location). With `dry_run` nothing is written."
        ),
        request={"multipart/form-data": ImportRequestSerializer},
        responses={
            200: ImportReportSerializer,
            202: OpenApiResponse(
                ImportJobSerializer, description="The file is being imported; watch the job."
            ),
        },
    ),
    retrieve=extend_schema(
        summary="An import job: its state, progress and, when done, its report",
        responses={200: ImportJobSerializer},
    ),
)
class ImportViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Rows become drafts of the importer or edits of the records they match, through the
    services (initiatives.imports)."""

    serializer_class = ImportJobSerializer
    parser_classes = [MultiPartParser]
    permission_classes = [TokenMayWrite, IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ImportJob.objects.none()
        return ImportJob.objects.filter(owner=self.request.user).defer("content")

    def create(self, request, *args, **kwargs):
        import_allowed(request.user)
        given = ImportRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        upload = given.validated_data["file"]
        try:
            import_size_check(upload.size)
            file_format = import_format(upload.name or "", given.validated_data.get("format"))
            content = upload.read()
            file = import_file_read(content, file_format)
        except ImportFileError as error:
            raise ValidationError({"file": [error.message]}) from None
        dry_run = given.validated_data["dry_run"]
        if len(file) > settings.IMPORT_SYNC_MAX_ROWS:
            job = import_job_create(
                actor=request.user,
                content=content,
                format_name=file_format,
                filename=upload.name or "",
                dry_run=dry_run,
                language=translation.get_language() or "",
                total=len(file),
            )
            answer = ImportJobSerializer(job, context=self.get_serializer_context()).data
            return Response(answer, status=status.HTTP_202_ACCEPTED, headers={"Location": answer["url"]})
        report = import_rows(
            actor=request.user,
            file=file,
            dry_run=dry_run,
            language=translation.get_language() or "en",
            filename=upload.name or "",
        )
        return Response(ImportReportSerializer(report).data)
