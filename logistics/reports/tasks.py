"""Celery task of the report engine: thin, takes an id, calls the service."""

from __future__ import annotations

from celery import shared_task

from logistics.reports import services


@shared_task(name="logistics.reports.tasks.run_report_job", time_limit=10 * 60, soft_time_limit=9 * 60)
def run_report_job(job_id: int) -> str:
    return services.job_run(job_id).status
