"""The export engine: text never a formula, the filter on the first row and in the file name, the
school's rows only, large exports as jobs (eager here, a real worker on the services run), a job
without a worker that says so, and a fixed number of queries."""

from __future__ import annotations

import io
import time
import uuid
from typing import Any
from urllib.parse import quote

import openpyxl
import pytest
from openpyxl.utils.escape import unescape
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from logistics.exports import engine
from logistics.exports.models import ExportJob
from logistics.jobs import worker_missing_message
from logistics.reports.facts import Section, Sheet
from logistics.reports.writers import excel
from repairs import services
from repairs.models import Category, Ticket

EXPORT = reverse("repairs:ticket-export")
PAYLOADS = ['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1)", "\tx", "\rx"]


def text_of(cell: Any) -> str:
    # The file stores a carriage return as `_x000D_` (ECMA-376 ST_Xstring), which Excel reads back
    # as the character; openpyxl leaves the escape in place, so undo it here.
    return unescape(cell.value)


@pytest.fixture
def category(school: Any) -> Category:
    Category.ensure_defaults(school)
    return Category.objects.get(school=school, name="电")


def submit(school: Any, reporter: Any, room: Any, category: Any, description: str = "教室日光灯不亮") -> Ticket:
    return services.ticket_submit(school=school, reporter=reporter, room=room, category=category, description=description)


def workbook_of(response: Any) -> Any:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return openpyxl.load_workbook(io.BytesIO(content))


@pytest.fixture
def eager(django_capture_on_commit_callbacks: Any) -> Any:
    """Jobs run in the test: on-commit callbacks executed, Celery eager even with REDIS_URL."""
    from logistics.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield lambda: django_capture_on_commit_callbacks(execute=True)
    app.conf.task_always_eager = before


# --- Formula injection -----------------------------------------------------------------------------------

def test_a_description_that_looks_like_a_formula_comes_back_as_text(client_for, logistics_admin, teacher, school, room, category):
    for text in PAYLOADS:
        ticket = submit(school, teacher, room, category)
        # The form strips surrounding blanks; the admin or an import might not: store the text as is.
        Ticket.objects.filter(pk=ticket.pk).update(description=text)
    sheet = workbook_of(client_for(logistics_admin).get(EXPORT)).active
    cells = [row[10] for row in sheet.iter_rows(min_row=3)]
    assert sorted(text_of(c) for c in cells) == sorted(PAYLOADS)
    assert {c.data_type for c in cells} == {"s"}


def test_the_engine_keeps_strings_to_formulas_off(tmp_path):
    workbook = engine.new_workbook(str(tmp_path / "x.xlsx"))
    assert workbook.strings_to_formulas is False
    workbook.close()


def test_the_report_annex_writes_user_text_as_text():
    section = Section(key="repairs", title="报修", sheets=[Sheet("报修工单", ["地点", "报修人"], [[text, text] for text in PAYLOADS])])
    sheet = openpyxl.load_workbook(io.BytesIO(excel.render("总结", [section])))["报修工单"]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert [text_of(c) for c in cells] == [text for text in PAYLOADS for _ in range(2)]
    assert {c.data_type for c in cells} == {"s"}


def test_the_report_annex_of_a_real_term_has_no_formula(school, term, teacher, room, category):
    teacher.full_name = '=HYPERLINK("http://x","y")'
    teacher.save(update_fields=["full_name"])
    submit(school, teacher, room, category, description="=1+1")
    from logistics.reports import services as report_services

    _composed, sections = report_services.compose_term(school, term)
    workbook = openpyxl.load_workbook(io.BytesIO(excel.render("总结", sections)))
    cells = [c for ws in workbook.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert '=HYPERLINK("http://x","y")' in {c.value for c in cells}


# --- Filter row, file name, school ----------------------------------------------------------------------

def test_the_first_row_and_the_file_name_carry_the_filter(client_for, logistics_admin, teacher, school, room, category):
    submit(school, teacher, room, category)
    today = timezone.localdate()
    response = client_for(logistics_admin).get(EXPORT, {"status": "submitted", "date_from": "2026-09-01", "date_to": today.isoformat()})
    sheet = workbook_of(response).active
    assert sheet["A1"].value == f"筛选：状态=待派工；报修时间=2026-09-01 至 {today.isoformat()}"
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref == "A2:V3"
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9
    assert sheet.print_title_rows == "$2:$2" and sheet.sheet_properties.pageSetUpPr.fitToPage
    disposition = response["Content-Disposition"]
    stem = f"报修工单-待派工-2026-09-01_至_{today.isoformat()}-"
    assert disposition.startswith("attachment;") and f"filename*=utf-8''{quote(stem)}" in disposition
    assert disposition.endswith(".xlsx")


def test_an_unfiltered_export_says_so(client_for, logistics_admin, teacher, school, room, category):
    submit(school, teacher, room, category)
    response = client_for(logistics_admin).get(EXPORT)
    assert workbook_of(response).active["A1"].value == "筛选：无（全部记录）"
    assert quote("报修工单-全部-") in response["Content-Disposition"]


def test_another_schools_tickets_never_appear(client_for, logistics_admin, outsider, other_school, other_room, teacher, school, room, category):
    mine = submit(school, teacher, room, category, description="本校")
    Category.ensure_defaults(other_school)
    theirs = submit(other_school, outsider, other_room, Category.objects.get(school=other_school, name="电"), description="外校")
    sheet = workbook_of(client_for(logistics_admin).get(EXPORT)).active
    numbers = [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert numbers == [mine.number]
    # The ticket numbers of both schools start at 000001: compare descriptions too.
    assert "外校" not in {row[10] for row in sheet.iter_rows(min_row=3, values_only=True)} and theirs.number == mine.number


def test_a_teacher_exports_only_what_they_may_see(client_for, teacher, class_teacher, school, room, category):
    from logistics.models import Role
    from tests.factories import member

    member(school, Role.STAFF, user=teacher)  # no export right as staff: the matrix test covers 403
    submit(school, class_teacher, room, category, description="别人的")
    assert client_for(teacher).get(EXPORT).status_code == 403


# --- Large exports as jobs ------------------------------------------------------------------------------

def test_a_large_export_becomes_a_job_whose_file_has_every_row(client_for, logistics_admin, teacher, school, room, category, settings, eager):
    settings.EXPORT_INLINE_MAX_ROWS = 3
    for i in range(7):
        submit(school, teacher, room, category, description=f"第{i}台" if i else "=1+1")
    client = client_for(logistics_admin)
    with eager():
        response = client.get(EXPORT, {"category": category.pk})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("exports:job", args=[job.pk])
    assert job.params == {"category": [str(category.pk)]} and job.school == school and job.created_by == logistics_admin
    assert job.status == "done" and job.progress == 100 and job.total == 7
    page = client.get(response["Location"]).content.decode()
    assert "筛选：类别=电" in page and reverse("exports:job-download", args=[job.pk]) in page
    assert client.get(reverse("exports:job-status", args=[job.pk])).json()["url"] == reverse("exports:job-download", args=[job.pk])
    download = client.get(reverse("exports:job-download", args=[job.pk]))
    sheet = workbook_of(download).active
    rows = list(sheet.iter_rows(min_row=3))
    assert len(rows) == 7 and {r[10].data_type for r in rows} == {"s"}
    assert quote("报修工单-电-") in download["Content-Disposition"]
    listing = client.get(reverse("exports:job-list")).content.decode()
    assert f'data-export-job="{job.pk}"' in listing


def test_a_job_reruns_the_requesters_visibility(client_for, repairer, teacher, school, room, category, logistics_admin, settings, eager):
    """A repairer with the export right sees only their tickets: so does the worker."""
    from django.contrib.auth.models import Permission

    from logistics.models import Membership

    group = Membership.objects.get(user=repairer, school=school).roles.first()
    group.permissions.add(Permission.objects.get(codename="export_ticket"))
    settings.EXPORT_INLINE_MAX_ROWS = 1
    tickets = [submit(school, teacher, room, category) for _ in range(4)]
    for t in tickets[:2]:
        services.ticket_dispatch(ticket=t, by=logistics_admin, repairer=repairer)
    with eager():
        client_for(repairer).get(EXPORT)
    job = ExportJob.objects.get()
    sheet = workbook_of(client_for(repairer).get(reverse("exports:job-download", args=[job.pk]))).active
    assert sorted(r[0] for r in sheet.iter_rows(min_row=3, values_only=True)) == sorted(t.number for t in tickets[:2])


def test_someone_elses_job_is_a_404(client_for, logistics_admin, principal, outsider, school):
    job = ExportJob.objects.create(school=school, export="repairs.export.TICKETS", title="报修工单", created_by=logistics_admin)
    for user in (principal, outsider):
        client = client_for(user)
        for name in ("exports:job", "exports:job-status", "exports:job-download"):
            assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert client_for(logistics_admin).get(reverse("exports:job-download", args=[job.pk])).status_code == 404  # not written yet


def test_a_queued_job_without_a_worker_says_so(client_for, logistics_admin, school, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.JOB_WORKER_GRACE_SECONDS = 0
    job = ExportJob.objects.create(school=school, export="repairs.export.TICKETS", title="报修工单", created_by=logistics_admin)
    ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timezone.timedelta(seconds=5))
    client = client_for(logistics_admin)
    assert worker_missing_message() in client.get(reverse("exports:job", args=[job.pk])).content.decode()
    status = client.get(reverse("exports:job-status", args=[job.pk])).json()
    assert status["worker_missing"] and status["step"] == worker_missing_message() and not status["finished"]


# --- Queries ----------------------------------------------------------------------------------------------

def test_the_export_costs_a_fixed_number_of_queries(client_for, logistics_admin, teacher, school, room, category, django_assert_num_queries):
    client = client_for(logistics_admin)
    submit(school, teacher, room, category)
    client.get(EXPORT)  # warm the session and the content types
    with CaptureQueriesContext(connection) as one:
        client.get(EXPORT, {"category": category.pk})
    for _ in range(30):
        submit(school, teacher, room, category)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(EXPORT, {"category": category.pk})
    assert workbook_of(response).active.max_row == 2 + 31
    assert len(one.captured_queries) <= 12


# --- The services run: PostgreSQL, Redis and a real worker -------------------------------------------------

@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_large_export_runs_in_a_real_worker(request, client_for, logistics_admin, teacher, school, room, category, settings):
    queue = request.getfixturevalue("celery_worker_process")
    import logistics.settings as started_with

    settings.MEDIA_ROOT = started_with.MEDIA_ROOT  # where the worker process writes the file
    settings.EXPORT_INLINE_MAX_ROWS = 2
    settings.EXPORT_QUEUE = queue
    for i in range(5):
        submit(school, teacher, room, category, description=f"+{i}")
    client = client_for(logistics_admin)
    response = client.get(EXPORT)
    job = ExportJob.objects.get()
    assert response.status_code == 302
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not ExportJob.objects.get(pk=job.pk).finished:
        time.sleep(0.3)
    job.refresh_from_db()
    assert job.status == "done", job.error
    sheet = workbook_of(client.get(reverse("exports:job-download", args=[job.pk]))).active
    rows = list(sheet.iter_rows(min_row=3))
    job.file.delete(save=False)
    assert len(rows) == 5 and {r[10].value for r in rows} == {f"+{i}" for i in range(5)} and {r[10].data_type for r in rows} == {"s"}


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_job_queued_while_no_worker_listens_says_so(client_for, logistics_admin, teacher, school, room, category, settings):
    if not settings.REDIS_URL:
        pytest.skip("no REDIS_URL: Celery runs eagerly")
    settings.EXPORT_INLINE_MAX_ROWS = 0
    settings.EXPORT_QUEUE = f"nobody-{uuid.uuid4().hex[:8]}"  # a queue no worker reads
    settings.JOB_WORKER_GRACE_SECONDS = 0
    submit(school, teacher, room, category)
    client = client_for(logistics_admin)
    page = client.get(client.get(EXPORT)["Location"]).content.decode()
    assert worker_missing_message() in page
    assert ExportJob.objects.get().status == "queued"
