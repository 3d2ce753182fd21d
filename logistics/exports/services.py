"""Starting and running export jobs.

`job_start` stores what was asked (the export, the list's query parameters, the person, the school,
the language) and queues the task after the commit. `job_run`, in the worker, makes the same
selection again with the person's permissions in that school only, writes the file with progress
every `CHUNK_SIZE` rows, and keeps it on the job for the download.
"""

from __future__ import annotations

import logging
import tempfile
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation

from logistics.exports.engine import CHUNK_SIZE, Export, ExportError, Selection, describe, filename, find, params_dict, params_query, write
from logistics.exports.models import ExportJob
from logistics.queue import enqueue_with

logger = logging.getLogger(__name__)


def inline_max_rows() -> int:
    """Exports up to this many rows answer at once; larger ones become a job (setting EXPORT_INLINE_MAX_ROWS)."""
    return settings.EXPORT_INLINE_MAX_ROWS


def select_for(export: Export, *, user: Any, school: Any, params: Any) -> Selection:
    """The export's selection as `user` sees it in `school`: their roles in that school only."""
    from logistics.models import Membership

    if getattr(getattr(user, "current_membership", None), "school_id", None) != school.pk:
        # Outside a request (the worker) the permission backend would otherwise mix the person's
        # roles in every school: pin it to the membership of this one.
        membership = Membership.objects.active().filter(user=user, school=school).first()
        if membership is None:
            raise ExportError("no active membership in this school")
        user.current_membership = membership
        for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
            user.__dict__.pop(cache, None)
    return export.select(user=user, school=school, params=params)


def job_start(*, export: Export, school: Any, by: Any, params: Any, filters: list[tuple[str, str]]) -> ExportJob:
    """Queue a large export; the task runs after the commit (eagerly in the embedded setup)."""
    if find(export.key) is not export:
        raise ExportError(f"{export.key!r} does not name this export")
    job = ExportJob.objects.create(
        school=school, export=export.key, title=str(export.title)[:200], params=params_dict(params),
        description=describe(filters)[:500], language=translation.get_language() or settings.LANGUAGE_CODE, created_by=by,
    )
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from logistics.exports.tasks import run_export_job

    # EXPORT_QUEUE routes exports to workers of their own (and tests to their worker). Broker down:
    # the job stays queued and its page says the worker is missing.
    enqueue_with(run_export_job, (job_id,), queue=settings.EXPORT_QUEUE or None)


def _progress(job_id: int, total: int) -> Any:
    def report(done: int) -> None:
        ExportJob.objects.filter(pk=job_id).update(progress=min(99, max(1, 100 * done // max(total, 1))))

    return report


def job_run(job_id: int) -> ExportJob:
    job = ExportJob.objects.select_related("school", "created_by").get(pk=job_id)
    # Claim the job: a task delivered twice writes the file once.
    if ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.QUEUED).update(status=ExportJob.Status.RUNNING, progress=1) != 1:
        return job
    try:
        with translation.override(job.language or settings.LANGUAGE_CODE):
            export = find(job.export)
            selection = select_for(export, user=job.created_by, school=job.school, params=params_query(job.params))
            count = selection.queryset.count()
            total = min(count, export.max_rows)
            ExportJob.objects.filter(pk=job.pk).update(total=total)
            with tempfile.TemporaryFile() as handle:
                write(export, selection, handle, total=count, progress=_progress(job.pk, total))
                handle.seek(0)
                job.file.save(filename(str(export.title), selection.filters), File(handle), save=False)
            ExportJob.objects.filter(pk=job.pk).update(file=job.file.name)
    except Exception as exc:  # the page shows the failure instead of spinning forever
        logger.exception("export job %s failed", job_id)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now())
    else:
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.DONE, progress=100, finished_at=timezone.now())
    job.refresh_from_db()
    return job


__all__ = ["CHUNK_SIZE", "inline_max_rows", "job_run", "job_start", "select_for"]
