"""Periodic jobs of campus safety (the beat schedule is in logistics/settings.py)."""

from __future__ import annotations

from celery import shared_task


@shared_task(time_limit=300)
def send_drill_reminders() -> int:
    """Each morning: a school whose month (quarter, for a kindergarten) ends within ten days with no
    drill held or planned is reminded to plan one."""
    from safety.services.drills import drill_reminders_send

    return drill_reminders_send()
