"""Periodic jobs of the repairs app (the beat schedule is in logistics/settings.py)."""

from __future__ import annotations

from celery import shared_task

from repairs import services


@shared_task(time_limit=600)
def auto_accept_done_tickets() -> int:
    """Accept tickets left done and silent for the school's auto-accept days."""
    return services.tickets_auto_accept()


@shared_task(time_limit=300)
def send_overdue_digest() -> int:
    """Each morning, tell each school's logistics office which tickets are past their SLA."""
    return services.overdue_digest_send()


@shared_task(time_limit=300)
def purge_held_photos() -> int:
    """Delete photos held for report forms that were never sent (older than a day)."""
    from repairs.services.reporting import held_photos_purge

    return held_photos_purge()
