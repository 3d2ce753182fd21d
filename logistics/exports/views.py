"""Export answers and the pages of export jobs: progress, status (polled), download, "my exports".

A job is its requester's: another person's job, or one of another school, is a 404.
"""

from __future__ import annotations

import tempfile
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from logistics.exports import services
from logistics.exports.engine import Export, ExportError, filename, write
from logistics.exports.models import ExportJob
from logistics.jobs import worker_missing_message
from logistics.scoping import get_scoped_or_404, require_school, scoped

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LIST_SIZE = 50


def respond(request: HttpRequest, export: Export) -> HttpResponse:
    """The file at once when the selection is small; else a job, and its progress page."""
    require_school(request)
    selection = services.select_for(export, user=request.user, school=request.school, params=request.GET)
    count = selection.queryset.count()
    if count > services.inline_max_rows():
        job = services.job_start(export=export, school=request.school, by=request.user, params=request.GET, filters=selection.filters)
        return redirect("exports:job", job.pk)
    handle = tempfile.TemporaryFile()
    write(export, selection, handle, total=count)
    handle.seek(0)
    # FileResponse writes the Chinese name as RFC 6266 `filename*=utf-8''…`, with an ASCII fallback.
    return FileResponse(handle, as_attachment=True, filename=filename(str(export.title), selection.filters), content_type=XLSX)


def _job(request: HttpRequest, pk: int) -> ExportJob:
    require_school(request)
    return get_scoped_or_404(request, ExportJob.objects.filter(created_by=request.user), pk=pk)


def _status(job: ExportJob) -> dict[str, Any]:
    data: dict[str, Any] = {
        "status": job.status, "progress": job.progress, "finished": job.finished,
        "step": job.get_status_display(), "worker_missing": job.worker_missing,
    }
    if data["worker_missing"]:
        data["step"] = worker_missing_message()
    if job.status == ExportJob.Status.DONE and job.file:
        data["url"] = reverse("exports:job-download", args=[job.pk])
    if job.status == ExportJob.Status.FAILED:
        data["error"] = _("The export failed. Please try again; if it fails again, tell the administrator.")
    return data


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    return render(request, "exports/job.html", {
        "job": job, "state": _status(job), "status_url": reverse("exports:job-status", args=[pk]),
        "download_url": reverse("exports:job-download", args=[pk]),
    })


@login_required
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    return JsonResponse(_status(_job(request, pk)))


@login_required
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = _job(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename, content_type=XLSX)


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    """My exports: the latest jobs the person asked for in this school, newest first."""
    require_school(request)
    jobs = list(scoped(request, ExportJob).filter(created_by=request.user).order_by("-created_at", "-pk")[:LIST_SIZE])
    rows = [(job, _status(job)) for job in jobs]
    return render(request, "exports/job_list.html", {"rows": rows})


__all__ = ["ExportError", "job_detail", "job_download", "job_list", "job_status", "respond"]
