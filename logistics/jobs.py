"""What every background job page shares: whether a queued job has been waiting too long for a worker.

A job queued while no Celery worker runs would otherwise poll at 0 % forever. After
`JOB_WORKER_GRACE_SECONDS` in the queue, its page says the background service is not running, so the
person can tell the administrator instead of waiting. Eager mode (no REDIS_URL) runs jobs at once and
never waits.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def worker_missing(*, status: str, created_at: datetime | None, now: datetime | None = None) -> bool:
    """True when a job still queued has waited longer than the grace period for a worker to pick it up."""
    if status != "queued" or created_at is None or settings.CELERY_TASK_ALWAYS_EAGER:
        return False
    grace = timedelta(seconds=settings.JOB_WORKER_GRACE_SECONDS)
    return (now or timezone.now()) - created_at > grace


def worker_missing_message() -> str:
    return _("后台任务未运行，请联系管理员。")


class Job(models.Model):
    """What a background job's row holds whatever it makes (a report, an export): its state and
    progress for the page that polls it, and the error when it fails."""

    class Status(models.TextChoices):
        QUEUED = "queued", gettext_lazy("Queued")
        RUNNING = "running", gettext_lazy("Running")
        DONE = "done", gettext_lazy("Done")
        FAILED = "failed", gettext_lazy("Failed")

    status = models.CharField(gettext_lazy("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(gettext_lazy("progress"), default=0)
    error = models.TextField(gettext_lazy("error"), blank=True)
    created_at = models.DateTimeField(gettext_lazy("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(gettext_lazy("finished"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def filename(self) -> str:
        file = getattr(self, "file", None)
        return file.name.rsplit("/", 1)[-1] if file else ""

    @property
    def worker_missing(self) -> bool:
        return worker_missing(status=self.status, created_at=self.created_at)
