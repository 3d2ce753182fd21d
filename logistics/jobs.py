"""What every background job page shares: whether a queued job has been waiting too long for a worker.

A job queued while no Celery worker runs would otherwise poll at 0 % forever. After
`JOB_WORKER_GRACE_SECONDS` in the queue, its page says the background service is not running, so the
person can tell the administrator instead of waiting. Eager mode (no REDIS_URL) runs jobs at once and
never waits.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _


def worker_missing(*, status: str, created_at: datetime | None, now: datetime | None = None) -> bool:
    """True when a job still queued has waited longer than the grace period for a worker to pick it up."""
    if status != "queued" or created_at is None or settings.CELERY_TASK_ALWAYS_EAGER:
        return False
    grace = timedelta(seconds=settings.JOB_WORKER_GRACE_SECONDS)
    return (now or timezone.now()) - created_at > grace


def worker_missing_message() -> str:
    return _("后台任务未运行，请联系管理员。")
