"""Periodic jobs of the canteen (the beat schedule is in logistics/settings.py)."""

from __future__ import annotations

from celery import shared_task

from canteen import services


@shared_task(time_limit=300)
def send_reminders() -> int:
    """Samples missing an hour after a meal, morning checks not done, certificates expiring, samples to destroy."""
    return services.reminders_send()
