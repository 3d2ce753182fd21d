"""The term report pages: terms and versions, the preview with its figures linked, paragraph editing,
issuing, and generation jobs with a progress bar. Thin: scoped fetch, form, service, message."""

from __future__ import annotations

import time
from typing import Any

from django.contrib import messages
from django.db import connection
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from logistics.jobs import worker_missing, worker_missing_message
from logistics.models import Term
from logistics.permissions import can, permission_required
from logistics.reports import services
from logistics.reports.forms import FileForm, GuidingIdeaForm, ParagraphForm
from logistics.reports.models import ReportJob, ReportParagraph, ReportSettings, TermReport
from logistics.reports.writers.html import linked_text
from logistics.scoping import get_scoped_or_404, require_school, scoped

VIEW = "logistics.view_termreport"
GENERATE = "logistics.add_termreport"
EDIT = "logistics.change_termreport"
ISSUE = "logistics.issue_termreport"
DOWNLOAD = "logistics.download_termreport"
# A requested file is usually written within a second or two: that long, the request waits for it
# and answers with the file itself; longer, and the person watches the job's page instead.
FILE_WAIT_SECONDS = 2.0
FILE_WAIT_STEP = 0.2


def _term(request: HttpRequest, code: str) -> Term:
    parsed = Term.parse_code(code)
    if parsed is None:
        raise Http404(_("No such term."))
    return get_scoped_or_404(request, Term, year=parsed[0], semester=parsed[1])


@permission_required(VIEW)
def index(request: HttpRequest) -> HttpResponse:
    require_school(request)
    terms = scoped(request, Term).annotate(
        versions=Count("reports", distinct=True),
        issued=Count("reports", filter=Q(reports__status=TermReport.Status.ISSUED), distinct=True),
    ).order_by("-start")
    current = scoped(request, Term).current()
    settings_row = ReportSettings.objects.filter(school=request.school).first()
    form = GuidingIdeaForm(initial={"guiding_idea": settings_row.guiding_idea if settings_row else ""})
    return render(request, "reports/index.html", {"terms": terms, "current": current, "idea_form": form})


@require_POST
@permission_required(EDIT)
def guiding_idea(request: HttpRequest) -> HttpResponse:
    require_school(request)
    form = GuidingIdeaForm(request.POST)
    if form.is_valid():
        services.guiding_idea_set(school=request.school, text=form.cleaned_data["guiding_idea"], by=request.user)
        messages.success(request, _("The guiding idea has been saved. It appears in the next draft you generate."))
    else:
        messages.error(request, _("The guiding idea is too long."))
    return redirect("reports:index")


@permission_required(VIEW)
def term_detail(request: HttpRequest, code: str) -> HttpResponse:
    term = _term(request, code)
    versions = list(scoped(request, TermReport).filter(term=term).select_related("created_by", "issued_by").order_by("-version"))
    draft = next((v for v in versions if not v.is_issued), None)
    jobs = (
        scoped(request, ReportJob).filter(term=term).exclude(kind=ReportJob.Kind.DRAFT)
        .select_related("created_by", "report").order_by("-created_at")[:20]
    )
    return render(request, "reports/term.html", {"term": term, "versions": versions, "draft": draft, "jobs": jobs, "file_form": FileForm()})


@require_POST
@permission_required(GENERATE)
def generate(request: HttpRequest, code: str) -> HttpResponse:
    term = _term(request, code)
    job = services.job_start(school=request.school, term=term, kind=ReportJob.Kind.DRAFT, by=request.user)
    return redirect("reports:job", job.pk)


@permission_required(VIEW)
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_scoped_or_404(request, TermReport.objects.select_related("term", "created_by", "issued_by"), pk=pk)
    paragraphs = list(report.paragraphs.all())
    items = [(p, linked_text(p.text, p.links)) for p in paragraphs]
    can_edit = not report.is_issued and can(request.user, request.school, EDIT)
    return render(request, "reports/report_detail.html", {
        "report": report, "items": items, "can_edit": can_edit, "file_form": FileForm(),
        "can_issue": not report.is_issued and can(request.user, request.school, ISSUE),
        "edited": sum(1 for p in paragraphs if p.edited),
    })


@permission_required(VIEW)
def chart_png(request: HttpRequest, pk: int, paragraph_pk: int) -> HttpResponse:
    """A chart of the preview as the picture the Word document carries (same renderer, same data)."""
    from logistics.reports import charts

    report = get_scoped_or_404(request, TermReport, pk=pk)
    paragraph = get_scoped_or_404(request, ReportParagraph.objects.filter(report=report, kind="chart"), pk=paragraph_pk)
    png = charts.render_png(paragraph.data)
    if png is None:
        raise Http404
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=600"
    return response


@permission_required(EDIT)
def paragraph_edit(request: HttpRequest, pk: int, paragraph_pk: int) -> HttpResponse:
    report = get_scoped_or_404(request, TermReport.objects.select_related("term"), pk=pk)
    paragraph = get_scoped_or_404(request, ReportParagraph.objects.filter(report=report), pk=paragraph_pk)
    form = ParagraphForm(request.POST or None, initial={"text": paragraph.text})
    if request.method == "POST":
        if request.POST.get("reset"):
            try:
                services.paragraph_reset(paragraph=paragraph, by=request.user)
                messages.success(request, _("The paragraph is back to the generated text."))
            except services.ReportError as e:
                messages.error(request, str(e))
            return redirect(f"{reverse('reports:report', args=[report.pk])}#p-{paragraph.key}")
        if form.is_valid():
            try:
                services.paragraph_edit(paragraph=paragraph, text=form.cleaned_data["text"], by=request.user)
                messages.success(request, _("Paragraph saved."))
                return redirect(f"{reverse('reports:report', args=[report.pk])}#p-{paragraph.key}")
            except services.ReportError as e:
                form.add_error("text", str(e))
    return render(request, "reports/paragraph_edit.html", {"report": report, "paragraph": paragraph, "form": form})


@require_POST
@permission_required(ISSUE)
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_scoped_or_404(request, TermReport, pk=pk)
    try:
        services.report_issue(report=report, by=request.user)
        messages.success(request, _("Version %(version)s has been issued. It can no longer be changed.") % {"version": report.version})
    except services.ReportError as e:
        messages.error(request, str(e))
    return redirect("reports:report", report.pk)


@require_POST
@permission_required(DOWNLOAD)
def file_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a file's job; answer with the download when it is written at once or within
    FILE_WAIT_SECONDS (the job runs eagerly without a worker), else with the job's page."""
    report = get_scoped_or_404(request, TermReport.objects.select_related("term"), pk=pk)
    form = FileForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a format."))
        return redirect("reports:report", report.pk)
    job = services.job_start(school=request.school, term=report.term, kind=form.cleaned_data["format"], by=request.user, report=report)
    job = _finished_soon(job, seconds=FILE_WAIT_SECONDS)
    if job.status == ReportJob.Status.DONE and job.file:
        return redirect("reports:job-download", job.pk)
    return redirect("reports:job", job.pk)


def _finished_soon(job: ReportJob, *, seconds: float) -> ReportJob:
    """The job as it stands once it has finished or `seconds` have passed. Inside a transaction the
    job is not even queued yet (it is sent on commit), so there is nothing to wait for."""
    if connection.in_atomic_block:
        return job
    deadline = time.monotonic() + seconds
    job.refresh_from_db(fields=["status", "file"])  # an eager run finished inside job_start
    while not job.finished and time.monotonic() < deadline:
        time.sleep(FILE_WAIT_STEP)
        job.refresh_from_db(fields=["status", "file"])
    return job


def _job(request: HttpRequest, pk: int) -> ReportJob:
    job = get_scoped_or_404(request, ReportJob.objects.select_related("term", "report", "created_by"), pk=pk)
    if job.kind != ReportJob.Kind.DRAFT and not can(request.user, request.school, DOWNLOAD):
        raise Http404
    return job


@permission_required(VIEW)
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    return render(request, "reports/job.html", {"job": job, "state": _status(job), "status_url": reverse("reports:job-status", args=[pk])})


@permission_required(VIEW)
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    return JsonResponse(_status(_job(request, pk)))


def _status(job: ReportJob) -> dict[str, Any]:
    """What the job's page shows, rendered once and then polled as JSON (static/js/job.js)."""
    data: dict[str, Any] = {"status": job.status, "progress": job.progress, "step": job.step or job.get_status_display(), "finished": job.finished}
    if job.status == ReportJob.Status.DONE:
        data["url"] = (
            reverse("reports:job-download", args=[job.pk]) if job.file else reverse("reports:report", args=[job.report_id])
        )
    if job.status == ReportJob.Status.FAILED:
        data["error"] = _("Generation failed. Please try again; if it fails again, tell the administrator.")
    # Still queued after the grace period: no worker is taking jobs, and waiting will not help.
    if worker_missing(status=job.status, created_at=job.created_at):
        data["worker_missing"], data["message"] = True, worker_missing_message()
    return data


@permission_required(DOWNLOAD)
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = _job(request, pk)
    if not job.file:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)
