"""On a phone: the progress bar follows a generation job and turns into the download link."""

from __future__ import annotations

from typing import Any

import pytest
from docx import Document

from logistics.reports import services
from logistics.reports.models import ReportJob
from tests.playwright_fixtures import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_principal_watches_the_progress_and_downloads_the_word_file(
    phone: Any, school: Any, term: Any, term_tickets: dict, logistics_admin: Any, principal: Any, tmp_path: Any
) -> None:
    report = services.report_generate(school=school, term=term, by=logistics_admin)
    services.report_issue(report=report, by=logistics_admin)
    job = ReportJob.objects.create(school=school, term=term, report=report, kind=ReportJob.Kind.DOCX, created_by=principal)
    log_in(phone, "principal", PASSWORD)
    phone.goto(f"/reports/jobs/{job.pk}/")
    assert phone.locator("[data-bar]").inner_text() == "0%"
    assert phone.locator("[data-download]").count() == 0
    services.job_run(job.pk)  # what the Celery worker does; the page polls and notices
    link = phone.locator("[data-download]")
    link.wait_for(state="visible")
    assert phone.locator("[data-bar]").inner_text() == "100%"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    with phone.expect_download() as download:
        link.click()
    path = tmp_path / "report.docx"
    download.value.save_as(path)
    assert download.value.suggested_filename.endswith(".docx")
    assert Document(str(path)).paragraphs[0].text.replace("\n", "") == "东城实验中学2026—2027学年第一学期后勤工作总结"


def test_the_preview_fits_a_phone_and_links_its_figures(phone: Any, school: Any, term: Any, term_tickets: dict, logistics_admin: Any) -> None:
    report = services.report_generate(school=school, term=term, by=logistics_admin)
    log_in(phone, "logistics", PASSWORD)
    phone.goto(f"/reports/versions/{report.pk}/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    figure = phone.locator("#p-s\\.repairs\\.intake\\.p a[data-figure]").first
    assert figure.inner_text() == "6件"
    figure.click()
    phone.wait_for_load_state()
    assert phone.url.endswith("/repairs/?date_from=2026-09-01&date_to=2027-01-22&status=not_merged")
