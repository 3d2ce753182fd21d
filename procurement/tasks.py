"""Periodic jobs of the procurement app (the beat schedule is in logistics/settings.py)."""

from __future__ import annotations

from celery import shared_task

from procurement import services


@shared_task(time_limit=300)
def send_approval_reminders() -> int:
    """Each morning, remind the approvers of steps waiting more than two school days."""
    return services.reminders_send()
