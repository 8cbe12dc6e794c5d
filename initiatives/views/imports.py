"""The workspace's import page: a curator uploads a file, sees the dry run's report row by
row, and confirms the import; a large file runs as a job whose progress the page shows."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.views.decorators.http import require_POST

from ..choices import ImportState
from ..forms import ImportForm
from ..imports.jobs import import_allowed, import_job_create, import_job_run
from ..imports.pipeline import ACTIONS
from ..imports.reading import ImportFileError, import_file_read, import_format, import_size_check
from ..models import ImportJob
from .paging import paginate

REPORT_PAGE_SIZE = 100


def _job_start(request, *, content: bytes, format_name: str, filename: str, dry_run: bool, total: int):
    """Keep the file as a job; run it now when it is small, in the background otherwise."""
    background = total > settings.IMPORT_SYNC_MAX_ROWS
    job = import_job_create(
        actor=request.user,
        content=content,
        format_name=format_name,
        filename=filename,
        dry_run=dry_run,
        language=translation.get_language() or "",
        total=total,
        background=background,
    )
    if not background:
        import_job_run(job_id=job.pk)
    return redirect("initiatives:import_job", pk=job.pk)


@login_required
def import_upload(request):
    import_allowed(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            import_size_check(upload.size)
            format_name = import_format(upload.name or "", form.cleaned_data["format"])
            content = upload.read()
            file = import_file_read(content, format_name)
        except ImportFileError as error:
            form.add_error("file", error.message)
        else:
            return _job_start(
                request,
                content=content,
                format_name=format_name,
                filename=upload.name or "",
                dry_run=True,
                total=len(file),
            )
    return render(request, "initiatives/import_upload.html", {"form": form})


@login_required
def import_job(request, pk):
    import_allowed(request.user)
    job = get_object_or_404(ImportJob.objects.defer("content"), pk=pk, owner=request.user)
    report = job.report or {}
    finished = job.state in (ImportState.DONE, ImportState.FAILED)
    counts = report.get("counts") or {}
    return render(
        request,
        "initiatives/import_job.html",
        {
            "job": job,
            "finished": finished,
            "counts": [(action, counts.get(action, 0)) for action in ACTIONS] if counts else [],
            "file_errors": (report.get("errors") or {}).get("file", []),
            "page": paginate(request, report.get("rows") or [], REPORT_PAGE_SIZE) if finished else None,
            "confirmable": job.state == ImportState.DONE
            and job.dry_run
            and (counts.get("create") or counts.get("update")),
        },
    )


@login_required
@require_POST
def import_confirm(request, pk):
    """Import for real the file a dry run has checked."""
    import_allowed(request.user)
    checked = get_object_or_404(ImportJob, pk=pk, owner=request.user, dry_run=True, state=ImportState.DONE)
    return _job_start(
        request,
        content=bytes(checked.content),
        format_name=checked.format,
        filename=checked.filename,
        dry_run=False,
        total=checked.total,
    )
