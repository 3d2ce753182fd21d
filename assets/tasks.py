"""Periodic jobs of the assets app (the beat schedule is in logistics/settings.py)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone


@shared_task(time_limit=1800)
def depreciate_last_month() -> int:
    """On the first of the month: book the month just ended for every school (折旧, 月末计提)."""
    from assets.services.depreciation import depreciate_all

    last_month = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    return depreciate_all(last_month)


@shared_task(time_limit=30 * 60, soft_time_limit=29 * 60)
def run_import_job(job_id: int) -> str:
    """Check, or import, the Excel ledger of an import job (assets.services.import_jobs)."""
    from assets.services.import_jobs import import_job_run

    return import_job_run(job_id).status
