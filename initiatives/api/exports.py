"""The initiatives list as a file: `?format=csv|xlsx|jsonl` streams the whole filtered set.

The rows are those the list would page through for this caller (its filters, its order,
the caller's visibility), read from the database a chunk at a time while the answer is
sent. An unknown format is a 404 that names the formats there are.
"""

from django.http import Http404, StreamingHttpResponse
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound

from ..exports.columns import export_queryset, export_rows
from ..exports.writers import FORMATS, export_chunks


class ExportListMixin:
    """For a list view whose `list` calls `export_response` when `exporting` says so."""

    def exporting(self) -> bool:
        return getattr(self.request.accepted_renderer, "format", None) in FORMATS

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force)
        except Http404:
            known = ", ".join(r.format for r in self.get_renderers() if r.format != "api")
            raise NotFound(
                _("Unknown format “%(format)s”: use one of %(known)s.")
                % {"format": request.query_params.get(self.settings.URL_FORMAT_OVERRIDE, ""), "known": known}
            ) from None

    def export_response(self, queryset) -> StreamingHttpResponse:
        """The whole filtered set in the format asked for. No ETag: it would take reading
        every row before the first byte."""
        export = FORMATS[self.request.accepted_renderer.format]
        rows = export_rows(export_queryset(queryset))
        response = StreamingHttpResponse(export_chunks(export.name, rows), content_type=export.content_type)
        response["Content-Disposition"] = export.disposition
        return response
