from __future__ import annotations

from celery import shared_task

from logistics import notifications


@shared_task(autoretry_for=(Exception,), retry_backoff=30, max_retries=5)
def deliver_notifications(ids: list[int]) -> int:
    return notifications.deliver(ids)


@shared_task
def deliver_pending_notifications() -> int:
    """Beat: send what an unreachable broker or a failed mail server left in the outbox."""
    return notifications.deliver(notifications.pending_ids())


@shared_task(ignore_result=False)  # its caller reads the answer; every other task's result is ignored
def school_count() -> dict:
    """A round trip through the worker and the database: used by the health page and CI."""
    from logistics.models import School

    return {"schools": School.objects.count()}
