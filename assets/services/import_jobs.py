"""A big ledger checked and imported in the background, with the share of lines done on its page.

`import_job_start` keeps the uploaded file's private path on a job row and queues the check;
`import_job_confirm` queues the import of a file the check found in order. `import_job_run`, in the
worker, does either: the check stores what the preview would show (every bad line and why); the
import runs the same checks again and writes every card or none (`ledger_import`). The file is
deleted once it can no longer be imported.

With the broker out of reach the job is not left spinning: a check fails at once with the message
that the background service is not running, a confirmed import goes back to "checked" so the person
can try again later. Nothing is written either way.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from logistics.jobs import worker_missing_message
from logistics.models import School, User
from logistics.queue import enqueue
from logistics.workflow import WorkflowError

from assets.models import ImportJob
from assets.services.importing import ImportRefused, Preview, ledger_import, ledger_preview

logger = logging.getLogger(__name__)
# Where each step starts on the bar and how much of it it takes: reading the workbook (openpyxl tells
# no progress) before the first; the check of a file to import, then the writing of its cards.
CHECK_BAR, IMPORT_CHECK_BAR, IMPORT_WRITE_BAR = (30, 70), (10, 20), (30, 70)


def import_job_start(*, school: School, by: User, path: str, file_name: str) -> ImportJob:
    """Queue the check of the workbook stored at `path` (private storage)."""
    job = ImportJob.objects.create(school=school, created_by=by, path=path, file_name=file_name[:200],
                                   language=translation.get_language() or settings.LANGUAGE_CODE)
    if not _queue(job):
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED, error=worker_missing_message(),
                                                   finished_at=timezone.now(), path="")
        _forget(path)
    job.refresh_from_db()
    return job


def import_job_confirm(*, job: ImportJob) -> bool:
    """Queue the import of a checked file; False when it is not (or no longer) ready to import, or
    the background service cannot be reached (the job stays checked)."""
    if not job.can_import or not job.path:
        return False
    claimed = ImportJob.objects.filter(pk=job.pk, phase=ImportJob.Phase.CHECK, status=ImportJob.Status.DONE).update(
        phase=ImportJob.Phase.IMPORT, status=ImportJob.Status.QUEUED, progress=0, done=0, finished_at=None,
        created_at=timezone.now())  # the grace before "no worker" counts from the confirmation
    if claimed != 1:
        return False  # confirmed twice (two clicks, two tabs): one import
    job.refresh_from_db()
    if _queue(job):
        return True
    ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.QUEUED).update(
        phase=ImportJob.Phase.CHECK, status=ImportJob.Status.DONE, progress=100, finished_at=timezone.now())
    return False


def _queue(job: ImportJob) -> bool:
    from assets.tasks import run_import_job

    return enqueue(run_import_job, job.pk)


def _forget(path: str) -> None:
    if path and default_storage.exists(path):
        default_storage.delete(path)


def import_result(preview: Preview) -> dict[str, Any]:
    """What the job's page lists: as the inline preview shows it."""
    return {
        "rows": len(preview.rows), "skipped": preview.skipped_rows, "notes": list(preview.notes),
        "value": str(preview.total_value),
        "bad": [{"where": r.where, "number": r.values.get("number", ""), "name": r.values.get("name", ""), "problems": r.problems}
                for r in preview.bad_rows],
        "warned": [{"where": r.where, "name": r.values.get("name", ""), "warnings": r.warnings} for r in preview.warned_rows],
    }


def _reporter(job_id: int, start: int, span: int) -> Any:
    def report(done: int, total: int) -> None:
        share = start + span * done // max(total, 1)
        ImportJob.objects.filter(pk=job_id).update(progress=min(99, max(1, share)), done=done, total=total)

    return report


def import_job_run(job_id: int) -> ImportJob:
    job = ImportJob.objects.select_related("school", "created_by").get(pk=job_id)
    # Claim the job: a task delivered twice checks or imports once.
    if ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.QUEUED).update(status=ImportJob.Status.RUNNING, progress=1) != 1:
        return job
    keep_file = False
    try:
        with translation.override(job.language or settings.LANGUAGE_CODE), default_storage.open(job.path, "rb") as handle:
            if job.phase == ImportJob.Phase.CHECK:
                preview = ledger_preview(school=job.school, file=handle, progress=_reporter(job.pk, *CHECK_BAR))
                keep_file = preview.can_import
                ImportJob.objects.filter(pk=job.pk).update(result=import_result(preview), total=len(preview.rows), done=len(preview.rows))
            else:
                try:
                    cards = ledger_import(school=job.school, by=job.created_by, file=handle, source=job.file_name,
                                          checked=_reporter(job.pk, *IMPORT_CHECK_BAR), progress=_reporter(job.pk, *IMPORT_WRITE_BAR))
                except ImportRefused as refused:  # something changed since the check: say what
                    ImportJob.objects.filter(pk=job.pk).update(result=import_result(refused.preview))
                    raise
                ImportJob.objects.filter(pk=job.pk).update(imported=len(cards), done=len(cards))
    except Exception as exc:
        logger.log(logging.INFO if isinstance(exc, ImportRefused) else logging.ERROR, "import job %s failed", job_id, exc_info=True)
        message = str(exc) if isinstance(exc, WorkflowError) else _(
            "The import failed. Please try again; if it fails again, tell the administrator.")
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED, error=message[:2000], finished_at=timezone.now(), path="")
    else:
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DONE, progress=100, finished_at=timezone.now(),
                                                   path=job.path if keep_file else "")
    if not keep_file:
        _forget(job.path)
    job.refresh_from_db()
    return job
