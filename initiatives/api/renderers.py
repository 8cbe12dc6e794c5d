"""The export formats of the initiatives list (`?format=csv|xlsx|jsonl`), as DRF renderers.

They let content negotiation pick a format by `?format=` or `Accept`; the list streams the
whole filtered set itself (api/exports.py), so these only render what is handed to them
whole (rows keyed by column name, see initiatives.exports.columns).
"""

from rest_framework.renderers import BaseRenderer

from ..exports.writers import FORMATS, export_chunks


class ExportRenderer(BaseRenderer):
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        export = FORMATS[self.format]
        response = renderer_context.get("response") if renderer_context else None
        if response is not None:
            response["Content-Disposition"] = export.disposition
        return b"".join(export_chunks(self.format, data if isinstance(data, list) else []))


class InitiativeCSVRenderer(ExportRenderer):
    media_type = FORMATS["csv"].media_type
    format = "csv"
    charset = "utf-8"


class InitiativeXLSXRenderer(ExportRenderer):
    media_type = FORMATS["xlsx"].media_type
    format = "xlsx"


class InitiativeJSONLinesRenderer(ExportRenderer):
    media_type = FORMATS["jsonl"].media_type
    format = "jsonl"
    charset = "utf-8"


EXPORT_RENDERERS = [InitiativeCSVRenderer, InitiativeXLSXRenderer, InitiativeJSONLinesRenderer]
