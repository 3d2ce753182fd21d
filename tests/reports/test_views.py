"""The report pages: who may do what, draft → edit → regenerate → issue, jobs and downloads."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from docx import Document
from django.urls import reverse

from logistics.reports import services
from logistics.reports.models import ReportJob, ReportParagraph, TermReport
from repairs.models import Status
from tests.reports.factories import category, ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(school: Any, term: Any, term_tickets: dict, logistics_admin: Any) -> TermReport:
    return services.report_generate(school=school, term=term, by=logistics_admin)


def test_the_report_pages_are_for_leaders_of_the_school_only(
    access: Any, client_for: Any, draft: TermReport, teacher: Any, outsider: Any, logistics_admin: Any, principal: Any, vice: Any
) -> None:
    access(client_for, reverse("reports:index"), {None: 302, teacher: 403, logistics_admin: 200, principal: 200, vice: 200})
    url = reverse("reports:term", args=[draft.term.code])
    access(client_for, url, {None: 302, teacher: 403, outsider: 404, logistics_admin: 200, principal: 200})
    url = reverse("reports:report", args=[draft.pk])
    access(client_for, url, {None: 302, teacher: 403, outsider: 404, logistics_admin: 200, vice: 200})
    generate = reverse("reports:generate", args=[draft.term.code])
    access(client_for, generate, {teacher: 403, outsider: 404}, method="post")


def test_an_unknown_or_malformed_term_code_is_not_found(client_for: Any, logistics_admin: Any, term: Any) -> None:
    client = client_for(logistics_admin)
    assert client.get(reverse("reports:term", args=["2019-2020-1"])).status_code == 404
    assert client.get(reverse("reports:term", args=["next-term"])).status_code == 404
    assert client.post(reverse("reports:generate", args=["2019-2020-1"])).status_code == 404
    assert not ReportJob.objects.exists()


def test_the_admin_generates_a_draft_with_a_progress_page(
    client_for: Any, logistics_admin: Any, school: Any, term: Any, term_tickets: dict, eager: Any
) -> None:
    client = client_for(logistics_admin)
    with eager():
        response = client.post(reverse("reports:generate", args=[term.code]))
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:job", args=[job.pk])
    status = client.get(reverse("reports:job-status", args=[job.pk])).json()
    report = TermReport.objects.get()
    assert status == {"status": "done", "progress": 100, "step": "已完成", "finished": True, "url": reverse("reports:report", args=[report.pk])}
    page = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert 'data-bar>100%' in page and reverse("reports:report", args=[report.pk]) in page
    assert report.status == "draft" and report.version == 1 and report.created_by == logistics_admin
    preview = client.get(reverse("reports:report", args=[report.pk])).content.decode()
    assert "东城实验中学2026—2027学年第一学期后勤工作总结" in preview
    # Every figure of the repairs section links to the ticket list with the term's filters.
    assert 'href="/repairs/?date_from=2026-09-01&amp;date_to=2027-01-22&amp;status=not_merged" class="report-figure" data-figure>6件</a>' in preview


def test_edited_markup_is_stored_as_text_and_shown_escaped(client_for: Any, logistics_admin: Any, draft: TermReport) -> None:
    paragraph = draft.paragraphs.get(key="closing")
    client = client_for(logistics_admin)
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>总结'
    response = client.post(reverse("reports:paragraph-edit", args=[draft.pk, paragraph.pk]), {"text": evil})
    assert response.status_code == 302
    paragraph.refresh_from_db()
    assert paragraph.text == evil and paragraph.edited and paragraph.edited_by == logistics_admin
    page = client.get(reverse("reports:report", args=[draft.pk])).content.decode()
    assert '<script>alert("x")</script>' not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_an_empty_paragraph_is_refused_next_to_the_field(client_for: Any, logistics_admin: Any, draft: TermReport) -> None:
    paragraph = draft.paragraphs.get(key="closing")
    response = client_for(logistics_admin).post(reverse("reports:paragraph-edit", args=[draft.pk, paragraph.pk]), {"text": "   "})
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    paragraph.refresh_from_db()
    assert not paragraph.edited


def test_regenerating_keeps_edits_and_refreshes_the_other_figures(
    school: Any, term: Any, draft: TermReport, logistics_admin: Any, room: Any, teacher: Any
) -> None:
    closing = draft.paragraphs.get(key="closing")
    services.paragraph_edit(paragraph=closing, text="我们改写的结束语。", by=logistics_admin)
    intake = draft.paragraphs.get(key="s.repairs.intake.p")
    assert "受理报修6件" in intake.text
    ticket(school=school, room=room, reporter=teacher, cat=category(school, "水"), day=term.start, status=Status.SUBMITTED)
    again = services.report_generate(school=school, term=term, by=logistics_admin)
    assert again.pk == draft.pk
    assert again.paragraphs.get(key="closing").text == "我们改写的结束语。"
    assert "受理报修7件" in again.paragraphs.get(key="s.repairs.intake.p").text
    keys = list(again.paragraphs.values_list("key", flat=True))
    assert keys[0] == "title" and keys[-1] == "date" and len(keys) == len(set(keys))


def test_an_issued_version_is_immutable_and_a_new_draft_follows(
    client_for: Any, school: Any, term: Any, draft: TermReport, logistics_admin: Any
) -> None:
    client = client_for(logistics_admin)
    assert client.post(reverse("reports:issue", args=[draft.pk])).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "issued" and draft.issued_by == logistics_admin and draft.issued_at
    paragraph = draft.paragraphs.get(key="closing")
    before = paragraph.text
    response = client.post(reverse("reports:paragraph-edit", args=[draft.pk, paragraph.pk]), {"text": "改不了"}, follow=True)
    assert "已定稿" in response.content.decode()
    paragraph.refresh_from_db()
    assert paragraph.text == before
    with pytest.raises(services.ReportError):
        services.report_issue(report=draft, by=logistics_admin)
    second = services.report_generate(school=school, term=term, by=logistics_admin)
    assert second.pk != draft.pk and second.version == 2 and second.status == "draft"
    assert TermReport.objects.filter(term=term).count() == 2


def test_the_principal_downloads_an_issued_version_but_cannot_edit_or_issue(
    client_for: Any, draft: TermReport, logistics_admin: Any, principal: Any, eager: Any
) -> None:
    services.report_issue(report=draft, by=logistics_admin)
    client = client_for(principal)
    paragraph = draft.paragraphs.get(key="closing")
    assert client.post(reverse("reports:paragraph-edit", args=[draft.pk, paragraph.pk]), {"text": "x"}).status_code == 403
    assert client.post(reverse("reports:issue", args=[draft.pk])).status_code == 403
    with eager():
        response = client.post(reverse("reports:file-create", args=[draft.pk]), {"format": "docx"})
    job = ReportJob.objects.get(kind="docx")
    assert response["Location"] == reverse("reports:job", args=[job.pk])
    assert job.status == "done" and job.created_by == principal and job.file.name.endswith(".docx")
    download = client.get(reverse("reports:job-download", args=[job.pk]))
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    doc = Document(io.BytesIO(b"".join(download.streaming_content)))
    assert doc.paragraphs[0].text.replace("\n", "") == draft.title
    term_page = client.get(reverse("reports:term", args=[draft.term.code])).content.decode()
    assert job.filename in term_page and principal.display_name in term_page


def test_files_and_jobs_of_another_school_are_not_found(
    client_for: Any, draft: TermReport, logistics_admin: Any, outsider: Any, teacher: Any, eager: Any
) -> None:
    with eager():
        client_for(logistics_admin).post(reverse("reports:file-create", args=[draft.pk]), {"format": "xlsx"})
    job = ReportJob.objects.get(kind="xlsx")
    assert job.status == "done" and job.file.name.endswith(".xlsx")
    for name in ("reports:job", "reports:job-status", "reports:job-download"):
        assert client_for(outsider).get(reverse(name, args=[job.pk])).status_code == 404
        assert client_for(teacher).get(reverse(name, args=[job.pk])).status_code == 403
    assert client_for(outsider).post(reverse("reports:file-create", args=[draft.pk]), {"format": "docx"}).status_code == 404


def test_a_bad_format_generates_nothing(client_for: Any, draft: TermReport, logistics_admin: Any) -> None:
    response = client_for(logistics_admin).post(reverse("reports:file-create", args=[draft.pk]), {"format": "pdf"})
    assert response.status_code == 302 and not ReportJob.objects.exists()


def test_a_term_of_another_school_cannot_be_generated_by_the_service(school: Any, other_school: Any, logistics_admin: Any) -> None:
    from tests.factories import TermFactory

    foreign = TermFactory(school=other_school)
    with pytest.raises(services.ReportError):
        services.report_generate(school=school, term=foreign, by=logistics_admin)
    assert not TermReport.objects.exists()


def test_a_failed_job_says_so(monkeypatch: Any, draft: TermReport, logistics_admin: Any, client_for: Any, eager: Any) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "render_file", broken)
    with eager():
        client_for(logistics_admin).post(reverse("reports:file-create", args=[draft.pk]), {"format": "docx"})
    job = ReportJob.objects.get()
    assert job.status == "failed" and "disk full" in job.error
    data = json.loads(client_for(logistics_admin).get(reverse("reports:job-status", args=[job.pk])).content)
    assert data["finished"] and "url" not in data and data["error"]


def test_the_guiding_idea_is_saved_and_opens_the_next_draft(client_for: Any, logistics_admin: Any, principal: Any, school: Any, term: Any) -> None:
    url = reverse("reports:guiding-idea")
    assert client_for(principal).post(url, {"guiding_idea": "x"}).status_code == 403
    client_for(logistics_admin).post(url, {"guiding_idea": "以师生满意为标准，以安全稳定为底线"})
    report = services.report_generate(school=school, term=term, by=logistics_admin)
    assert "以师生满意为标准，以安全稳定为底线" in report.paragraphs.get(key="opening").text


def test_the_home_page_shows_the_report_card_and_menu_to_leaders_only(client_for: Any, principal: Any, teacher: Any, term: Any) -> None:
    page = client_for(principal).get("/").content.decode()
    assert 'data-widget="reports-term"' in page and reverse("reports:index") in page
    page = client_for(teacher).get("/").content.decode()
    assert 'data-widget="reports-term"' not in page and reverse("reports:index") not in page


def test_every_figure_of_the_repairs_section_links_to_its_records(client_for: Any, logistics_admin: Any, draft: TermReport) -> None:
    """Every count of tickets is linked (tests/repairs/test_report_links.py checks what each opens);
    rates, averages, sums and the differences from last term count no list of tickets."""
    import re

    page = client_for(logistics_admin).get(reverse("reports:report", args=[draft.pk])).content.decode()
    paragraphs = re.findall(r'<p class="report-p" id="p-s\.repairs\.[^"]+">(.*?)</p>', page, flags=re.S)
    assert len(paragraphs) >= 2
    for html_text in paragraphs:
        unlinked = re.sub(r"<a [^>]*>.*?</a>", "", html_text)
        unlinked = re.sub(r"(较|比)上学期(?:同期)?(增加|减少|多|少)\d+件", "", unlinked)
        assert not re.search(r"\d+(件|次)", unlinked), f"a count of tickets without a link: {html_text}"
