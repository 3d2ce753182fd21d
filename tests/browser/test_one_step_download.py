"""One step to the file: a job done within a couple of seconds downloads without a second click.

Requesting a report file answers with the file itself when the job ran at once (eagerly, on SQLite)
or within FILE_WAIT_SECONDS; a job page (reports and exports alike, static/js/job.js) follows the
download by itself when the job finished within 3 s of the page opening, and only then.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from docx import Document

from logistics.exports.models import ExportJob
from logistics.reports import services
from logistics.reports import views as report_views
from logistics.reports.models import ReportJob
from repairs import services as repair_services
from tests.factories import PASSWORD
from tests.playwright_fixtures import log_in
from tests.reports import factories

TRANSACTIONAL = pytest.mark.django_db(transaction=True, serialized_rollback=True)
BROWSER = [pytest.mark.browser, TRANSACTIONAL]
TITLE = "东城实验中学2026—2027学年第一学期后勤工作总结"


@pytest.fixture
def draft(school: Any, term: Any, room: Any, teacher: Any, repairer: Any, other_room: Any, outsider: Any, logistics_admin: Any) -> Any:
    factories.term_tickets(school=school, term=term, previous_term=factories.previous_term(school), room=room, teacher=teacher,
                           repairer=repairer, other_room=other_room, outsider=outsider)
    return services.report_generate(school=school, term=term, by=logistics_admin)


def _celery(eager: bool) -> Any:
    from logistics.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def celery_eager() -> Any:
    """The embedded setup (no REDIS_URL) even where the suite runs with Redis: jobs run at once."""
    yield from _celery(True)


@pytest.fixture
def celery_not_eager() -> Any:
    """A worker that is slow or never comes (the broker keeps the message): the job stays queued."""
    yield from _celery(False)


def finish(job: ReportJob) -> None:
    """What a worker does to a file job, in one step."""
    job.file.save("总结.docx", ContentFile(b"docx"), save=False)
    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.DONE, progress=100, file=job.file.name)


# --- The request answers with the file ----------------------------------------------------------------

@TRANSACTIONAL
def test_a_file_written_at_once_is_the_answer_to_the_request(client_for: Any, principal: Any, draft: Any, celery_eager: Any) -> None:
    response = client_for(principal).post(reverse("reports:file-create", args=[draft.pk]), {"format": "docx"})
    job = ReportJob.objects.get(kind="docx")
    assert job.status == "done"
    assert response.status_code == 302 and response["Location"] == reverse("reports:job-download", args=[job.pk])


@TRANSACTIONAL
def test_a_file_a_worker_writes_within_the_wait_is_the_answer_too(
    monkeypatch: Any, client_for: Any, principal: Any, draft: Any, celery_not_eager: Any
) -> None:
    naps: list[float] = []

    def worker_finishes_during_the_nap(seconds: float) -> None:
        naps.append(seconds)
        if len(naps) == 2:  # the worker is done after the second look
            finish(ReportJob.objects.get(kind="docx"))

    monkeypatch.setattr(report_views.time, "sleep", worker_finishes_during_the_nap)
    response = client_for(principal).post(reverse("reports:file-create", args=[draft.pk]), {"format": "docx"})
    job = ReportJob.objects.get(kind="docx")
    assert len(naps) == 2 and response["Location"] == reverse("reports:job-download", args=[job.pk])


@TRANSACTIONAL
def test_a_file_still_queued_after_the_wait_answers_with_its_progress_page(
    monkeypatch: Any, client_for: Any, principal: Any, draft: Any, celery_not_eager: Any
) -> None:
    monkeypatch.setattr(report_views, "FILE_WAIT_SECONDS", 0.3)
    monkeypatch.setattr(report_views, "FILE_WAIT_STEP", 0.05)
    response = client_for(principal).post(reverse("reports:file-create", args=[draft.pk]), {"format": "docx"})
    job = ReportJob.objects.get(kind="docx")
    assert job.status == "queued"
    assert response["Location"] == reverse("reports:job", args=[job.pk])


# --- In the browser --------------------------------------------------------------------------------------

@pytest.mark.parametrize("size", ["phone", "desktop"])
@pytest.mark.browser
@TRANSACTIONAL
def test_requesting_a_word_file_downloads_it_without_a_second_click(
    request: Any, size: str, draft: Any, principal: Any, tmp_path: Any, celery_eager: Any
) -> None:
    page = request.getfixturevalue(size)
    log_in(page, "principal", PASSWORD)
    page.goto(f"/reports/versions/{draft.pk}/")
    form = page.locator("form[data-action=download]")
    form.locator("select[name=format]").select_option("docx")
    with page.expect_download() as download:
        form.locator("button[type=submit]").click()
    assert page.url.endswith(f"/reports/versions/{draft.pk}/"), "no progress page between the click and the file"
    assert download.value.suggested_filename.endswith("-草稿.docx")
    path = tmp_path / "report.docx"
    download.value.save_as(path)
    doc = Document(str(path))
    assert doc.paragraphs[0].text.replace("\n", "") == TITLE
    assert "一、校舍维修与报修服务" in [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert "".join(p.text for p in doc.sections[0].header.paragraphs) == "草稿"


@pytest.mark.browser
@TRANSACTIONAL
def test_the_job_page_starts_the_download_when_the_job_finishes_within_three_seconds(
    phone: Any, school: Any, term: Any, draft: Any, principal: Any
) -> None:
    job = ReportJob.objects.create(school=school, term=term, report=draft, kind=ReportJob.Kind.DOCX, created_by=principal)
    log_in(phone, "principal", PASSWORD)
    with phone.expect_download() as download:
        phone.goto(f"/reports/jobs/{job.pk}/")
        assert phone.locator("[data-bar]").inner_text() == "0%"
        finish(job)  # a quick worker (a stand-in: writing the real file may take longer than 3 s on a busy machine)
    assert download.value.suggested_filename.endswith(".docx")
    link = phone.locator("[data-download]")
    link.wait_for(state="visible")  # the button stays, should the browser have held the download back
    assert phone.locator("[data-follow-status]").inner_text() != ""


@pytest.mark.browser
@TRANSACTIONAL
def test_a_job_finishing_later_only_shows_the_button(phone: Any, school: Any, term: Any, draft: Any, principal: Any) -> None:
    job = ReportJob.objects.create(school=school, term=term, report=draft, kind=ReportJob.Kind.DOCX, created_by=principal)
    log_in(phone, "principal", PASSWORD)
    downloads: list[Any] = []
    phone.on("download", lambda d: downloads.append(d))
    phone.goto(f"/reports/jobs/{job.pk}/")
    phone.wait_for_timeout(3300)
    services.job_run(job.pk)
    phone.locator("[data-download]").wait_for(state="visible")
    phone.wait_for_timeout(1000)  # time enough for a download to have started
    assert downloads == [] and phone.url.endswith(f"/reports/jobs/{job.pk}/")
    assert phone.locator("[data-bar]").inner_text() == "100%"
    with phone.expect_download():
        phone.locator("[data-download]").click()


@pytest.mark.browser
@TRANSACTIONAL
def test_an_export_written_at_once_downloads_from_its_job_page(
    phone: Any, settings: Any, school: Any, room: Any, teacher: Any, logistics_admin: Any, celery_eager: Any
) -> None:
    category = factories.category(school, "电")
    repair_services.ticket_submit(school=school, reporter=teacher, room=room, category=category, description="教室日光灯不亮")
    settings.EXPORT_INLINE_MAX_ROWS = 0  # every export becomes a job; without Redis it runs at once
    log_in(phone, "logistics", PASSWORD)
    with phone.expect_download() as download:
        phone.goto(reverse("repairs:ticket-export"))
    job = ExportJob.objects.get()
    assert phone.url.endswith(reverse("exports:job", args=[job.pk]))
    assert job.status == "done" and download.value.suggested_filename.endswith(".xlsx")
    # Coming back to the page later shows the button and downloads nothing by itself.
    ExportJob.objects.filter(pk=job.pk).update(finished_at=job.finished_at - dt.timedelta(minutes=5))
    downloads: list[Any] = []
    phone.on("download", lambda d: downloads.append(d))
    phone.goto(reverse("exports:job", args=[job.pk]))
    phone.wait_for_timeout(1000)
    assert downloads == [] and phone.locator("[data-download]").is_visible()
