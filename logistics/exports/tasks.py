"""Celery task of the export engine: thin, takes an id, calls the service."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="logistics.exports.tasks.run_export_job", time_limit=30 * 60, soft_time_limit=29 * 60)
def run_export_job(job_id: int) -> str:
    from logistics.exports import services

    return services.job_run(job_id).status
