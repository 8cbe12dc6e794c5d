"""Imports too large to answer at once: the file kept as an ImportJob, run by a Celery task
that counts its progress on the job and leaves the report there.

The task lives here rather than in initiatives/tasks.py: the import calls the services, and
the services enqueue initiatives.tasks, so that module may not lead back to them; the
Celery app finds this one by name (config/celery.py).
"""

from functools import partial

from celery import shared_task
from django.db import transaction
from django.utils import timezone, translation

from ..choices import ImportState
from ..models import ImportJob
from ..services.records import deny
from .pipeline import import_rows
from .reading import ImportFileError, import_file_read


def import_allowed(actor) -> None:
    """Refuse whoever may not import records (curators and administrators may)."""
    if not actor.has_perm("initiatives.import_initiatives"):
        deny(translation.gettext("Only curators may import records."))


@transaction.atomic
def import_job_create(
    *,
    actor,
    content: bytes,
    format_name: str,
    filename: str,
    dry_run: bool,
    language: str,
    total: int,
    background: bool = True,
) -> ImportJob:
    """Keep the file and, when `background`, hand it to the import task once the job is
    committed (otherwise the caller runs it with import_job_run)."""
    import_allowed(actor)
    job = ImportJob.objects.create(
        owner=actor,
        filename=filename[:255],
        format=format_name,
        content=content,
        dry_run=dry_run,
        language=language,
        total=total,
    )
    if background:
        transaction.on_commit(partial(import_run.delay, job.pk))
    return job


def import_job_run(*, job_id: int) -> ImportJob:
    """Run the job's import (once: a job already taken is left alone), counting progress."""
    claimed = ImportJob.objects.filter(pk=job_id, state=ImportState.QUEUED).update(state=ImportState.RUNNING)
    job = ImportJob.objects.select_related("owner").get(pk=job_id)
    if not claimed:
        return job
    language = job.language or job.owner.preferred_language
    try:
        file = import_file_read(bytes(job.content), job.format)
    except ImportFileError as error:
        return _job_finish(job, ImportState.FAILED, {"errors": {"file": [error.message]}})
    ImportJob.objects.filter(pk=job.pk).update(total=len(file))
    try:
        report = import_rows(
            actor=job.owner,
            file=file,
            dry_run=job.dry_run,
            language=language,
            filename=job.filename,
            progress=lambda processed: ImportJob.objects.filter(pk=job.pk).update(processed=processed),
        )
    except Exception:
        processed = ImportJob.objects.filter(pk=job.pk).values_list("processed", flat=True).get()
        with translation.override(language):
            message = translation.gettext(
                "The import stopped after %(processed)d rows. Import the file again to finish it: "
                "the rows already imported will be unchanged."
            ) % {"processed": processed}
        _job_finish(job, ImportState.FAILED, {"errors": {"file": [message]}})
        raise
    return _job_finish(job, ImportState.DONE, report)


def _job_finish(job: ImportJob, state: str, report: dict) -> ImportJob:
    job.state, job.report, job.finished_at = state, report, timezone.now()
    fields = ["state", "report", "finished_at"]
    if not job.dry_run:
        # A real import's file is no longer needed; a dry run's waits to be confirmed.
        job.content = b""
        fields.append("content")
    job.save(update_fields=fields)
    return job


@shared_task(name="initiatives.imports.import_run")
def import_run(job_id: int) -> str:
    """A large import; the state it ended in."""
    return import_job_run(job_id=job_id).state
