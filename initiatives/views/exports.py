"""Downloads: the records a list page shows as a file, and the Open data page with the
nightly dump's files.

An export reads what the browse page reads for this visitor (published records, or those
they may see in the moderation state they ask for) through the same FilterSet, in the same
order, a chunk at a time while the file is sent. The pages of the frame (a key task, a
country, a stakeholder, a tag) link here with their own filter (`export_links`).
"""

from django.http import (
    FileResponse,
    Http404,
    HttpResponseBadRequest,
    HttpResponseNotFound,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..exports.columns import COLUMNS, export_queryset, export_rows
from ..exports.opendata import MEDIA_TYPES, PACKAGE_FILE, current_dump, licence, opendata_file
from ..exports.writers import FORMATS, export_chunks
from ..filtersets import InitiativeFilterSet
from ..selectors import catalogue

FORMAT_LABELS = {
    "csv": gettext_lazy("CSV"),
    "xlsx": gettext_lazy("Excel (XLSX)"),
    "jsonl": gettext_lazy("JSON Lines"),
}


def export_links(query) -> list[dict]:
    """A download link per format for the records these parameters (a QueryDict or a dict)
    select, leaving out the page number."""
    if isinstance(query, QueryDict):
        query = query.copy()
        query.pop("page", None)
        encoded = query.urlencode()
    else:
        encoded = urlencode({key: value for key, value in query.items() if key != "page"}, doseq=True)
    return [
        {
            "format": name,
            "label": FORMAT_LABELS[name],
            "url": reverse("initiatives:export", args=[name]) + (f"?{encoded}" if encoded else ""),
        }
        for name in FORMATS
    ]


def initiative_export(request, format_name):
    """The records the browse page shows for these filters, in every page, as a file."""
    export = FORMATS.get(format_name)
    if export is None:
        return HttpResponseNotFound(
            _("Unknown format “%(format)s”: use csv, xlsx or jsonl.") % {"format": format_name},
            content_type="text/plain; charset=utf-8",
        )
    any_state = bool(request.GET.get("moderation_state"))
    visible = catalogue.browsable(request.user, any_state=any_state)
    filterset = InitiativeFilterSet(request.GET, queryset=visible, request=request)
    if not filterset.is_valid():
        lines = [_("Some filters could not be used:")]
        lines += [f"{field}: {' '.join(errors)}" for field, errors in filterset.errors.items()]
        return HttpResponseBadRequest("\n".join(lines), content_type="text/plain; charset=utf-8")
    rows = export_rows(export_queryset(filterset.qs))
    response = StreamingHttpResponse(export_chunks(export.name, rows), content_type=export.content_type)
    response["Content-Disposition"] = export.disposition
    return response


def opendata(request):
    """The Open data page: the current dump's files with their sizes, its date and licence,
    and what every column holds."""
    return render(
        request,
        "initiatives/open_data.html",
        {"dump": current_dump(), "licence": licence(), "columns": COLUMNS},
    )


def opendata_download(request, name):
    """A file of the current dump, streamed from disk."""
    path = opendata_file(name)
    if path is None:
        raise Http404(_("No such file in the open data."))
    try:
        file = path.open("rb")
    except FileNotFoundError:
        # Replaced by a newer dump between finding and opening it.
        raise Http404(_("No such file in the open data.")) from None
    content_type = MEDIA_TYPES[name] + "; charset=utf-8"
    return FileResponse(file, as_attachment=name != PACKAGE_FILE, filename=name, content_type=content_type)
