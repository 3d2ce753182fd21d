"""A big ledger is checked and imported by a background job: its page shows the lines done, then
the same preview (every bad line and why) or the cards imported; all or nothing; a broker out of
reach says so and writes nothing."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assets import views_import
from assets.models import AssetCard, AssetCounter, ImportJob, Movement
from assets.services import import_jobs
from assets.services.importing import ledger_import
from logistics.audit import AuditEntry
from tests.assets.conftest import register
from tests.assets.factories import asset_class
from tests.assets.ledger_workbook import BAD_LINES, GOOD_LINES, messy_ledger
from tests.factories import RoomFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(school, logistics_admin, teacher, class_teacher, room, building, school_class):
    RoomFactory(building=building, code="S101", name="物理实验室")
    return school


@pytest.fixture(autouse=True)
def every_file_is_big(monkeypatch):
    """Every upload goes through the job, as a 20,000-line ledger would; the job runs in the test
    (Celery eager even where REDIS_URL is set)."""
    from logistics.celery import app

    monkeypatch.setattr(views_import, "INLINE_MAX_BYTES", 0)
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def upload(client, content: bytes, name: str = "台账.xlsx"):
    return client.post(reverse("assets:import"), {"file": SimpleUploadedFile(name, content)})


def folder(settings, school) -> Path:
    return Path(settings.MEDIA_ROOT) / "private" / "assets-imports" / str(school.pk)


def test_a_big_clean_file_is_checked_then_imported_by_a_job(client_for, ready, logistics_admin, settings):
    client = client_for(logistics_admin)
    response = upload(client, messy_ledger())
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("assets:import-job", args=[job.pk])
    assert (job.phase, job.status, job.progress, job.total) == ("check", "done", 100, GOOD_LINES)
    page = client.get(response.url).content.decode()
    assert 'data-action="import"' in page and "data-bad-row" not in page and not AssetCard.objects.exists()
    assert len(list(folder(settings, ready).glob("*.xlsx"))) == 1  # kept for the import

    imported = client.post(reverse("assets:import-job-import", args=[job.pk]))
    job.refresh_from_db()
    assert imported.status_code == 302 and (job.phase, job.status, job.imported) == ("import", "done", GOOD_LINES)
    assert AssetCard.objects.count() == GOOD_LINES == Movement.objects.filter(kind="register").count()
    assert AuditEntry.objects.filter(action="assets.assetcard.registered").count() == GOOD_LINES
    card = AssetCard.objects.get(number="ZC-2019-0001")
    entry = AuditEntry.objects.get(object_id=card.pk, action="assets.assetcard.registered")
    movement = Movement.objects.get(card=card)
    assert (entry.data, entry.actor, entry.to_state, entry.at) == ({}, logistics_admin, card.status, movement.at)
    assert (movement.by, movement.to_room, movement.to_custodian) == (logistics_admin, card.room, card.custodian)
    assert "台账.xlsx" in client.get(card.get_absolute_url()).content.decode()  # the timeline names the file
    page = client.get(imported.url).content.decode()
    assert "data-imported" in page and 'data-action="import"' not in page
    assert not list(folder(settings, ready).glob("*.xlsx")) and job.path == ""


def test_a_big_bad_file_lists_every_bad_line_and_writes_nothing(client_for, ready, logistics_admin, settings):
    client = client_for(logistics_admin)
    page = client.get(upload(client, messy_ledger(bad=True)).url).content.decode()
    assert page.count("data-bad-row=") == len(BAD_LINES) and "A020101O5" in page and 'data-action="import"' not in page
    job = ImportJob.objects.get()
    assert len(job.result["bad"]) == len(BAD_LINES) and not job.can_import
    refused = client.post(reverse("assets:import-job-import", args=[job.pk]))
    assert refused.status_code == 302 and not AssetCard.objects.exists()
    assert not list(folder(settings, ready).glob("*.xlsx"))


def test_the_status_says_how_many_lines_are_done(client_for, ready, logistics_admin, monkeypatch):
    monkeypatch.setattr(import_jobs, "enqueue", lambda task, *args: True)  # a worker will take it, later
    client = client_for(logistics_admin)
    job_url = upload(client, messy_ledger()).url
    job = ImportJob.objects.get()
    assert job.status == "queued" and "data-status-url" in client.get(job_url).content.decode()
    ImportJob.objects.filter(pk=job.pk).update(status="running", progress=40, done=2000, total=20000)
    state = client.get(reverse("assets:import-job-status", args=[job.pk])).json()
    assert (state["progress"], state["done"], state["total"], state["finished"]) == (40, 2000, 20000, False)
    assert "2,000" in state["step"] and "20,000" in state["step"]
    ImportJob.objects.filter(pk=job.pk).update(status="queued")
    import_jobs.import_job_run(job.pk)
    state = client.get(reverse("assets:import-job-status", args=[job.pk])).json()
    assert state["finished"] and state["url"] == job_url and state["progress"] == 100


def test_a_job_nobody_takes_says_the_worker_is_missing(client_for, ready, logistics_admin, monkeypatch, settings):
    monkeypatch.setattr(import_jobs, "enqueue", lambda task, *args: True)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    client = client_for(logistics_admin)
    upload(client, messy_ledger())
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(seconds=settings.JOB_WORKER_GRACE_SECONDS + 5))
    state = client.get(reverse("assets:import-job-status", args=[job.pk])).json()
    assert state["worker_missing"] and state["step"] == "后台任务未运行，请联系管理员。"


def test_with_the_broker_down_a_check_fails_at_once_and_keeps_nothing(client_for, ready, logistics_admin, monkeypatch, settings):
    monkeypatch.setattr(import_jobs, "enqueue", lambda task, *args: False)
    client = client_for(logistics_admin)
    page = client.get(upload(client, messy_ledger()).url).content.decode()
    job = ImportJob.objects.get()
    assert job.status == "failed" and "后台任务未运行" in page and "data-job-error" in page
    assert not list(folder(settings, ready).glob("*.xlsx")) and not AssetCard.objects.exists()


def test_with_the_broker_down_a_confirmed_import_stays_checked(client_for, ready, logistics_admin, monkeypatch):
    client = client_for(logistics_admin)
    job_url = upload(client, messy_ledger()).url
    job = ImportJob.objects.get()
    enqueue = import_jobs.enqueue
    monkeypatch.setattr(import_jobs, "enqueue", lambda task, *args: False)
    response = client.post(reverse("assets:import-job-import", args=[job.pk]), follow=True)
    job.refresh_from_db()
    assert (job.phase, job.status) == ("check", "done") and job.can_import and not AssetCard.objects.exists()
    assert "后台任务未运行" in response.content.decode()
    monkeypatch.setattr(import_jobs, "enqueue", enqueue)  # the broker is back: the same button imports
    client.post(reverse("assets:import-job-import", args=[job.pk]))
    assert AssetCard.objects.count() == GOOD_LINES and client.get(job_url).status_code == 200


def test_an_import_confirmed_twice_imports_once(client_for, ready, logistics_admin):
    client = client_for(logistics_admin)
    upload(client, messy_ledger())
    job = ImportJob.objects.get()
    assert import_jobs.import_job_confirm(job=job)
    assert not import_jobs.import_job_confirm(job=job)  # the stale object: already claimed
    ImportJob.objects.filter(pk=job.pk).update(status="queued")  # the task delivered a second time…
    import_jobs.import_job_run(job.pk)  # …finds its file gone: nothing more is written
    assert AssetCard.objects.count() == GOOD_LINES


def test_numbers_taken_between_the_check_and_the_import_refuse_the_whole_file(client_for, ready, logistics_admin):
    client = client_for(logistics_admin)
    job_url = upload(client, messy_ledger()).url
    register(ready, logistics_admin, number="ZC-2019-0001")  # someone registers one of the file's numbers meanwhile
    client.post(reverse("assets:import-job-import", args=[ImportJob.objects.get().pk]))
    job = ImportJob.objects.get()
    assert job.status == "failed" and AssetCard.objects.count() == 1
    page = client.get(job_url).content.decode()
    assert "ZC-2019-0001" in page and page.count("data-bad-row=") == 1


def test_another_persons_import_is_not_found(client_for, ready, logistics_admin, outsider):
    upload(client_for(logistics_admin), messy_ledger())
    job = ImportJob.objects.get()
    for name in ("assets:import-job", "assets:import-job-status"):
        assert client_for(outsider).get(reverse(name, args=[job.pk])).status_code in (403, 404)
    client_for(outsider).post(reverse("assets:import-job-import", args=[job.pk]))
    assert not AssetCard.objects.exists()


def test_lines_without_a_number_take_a_block_of_the_counter_after_cards_registered_by_hand(ready, logistics_admin, room):
    klass = asset_class()
    register(ready, logistics_admin, asset_class=klass, acquired_on=dt.date(2026, 9, 1))  # A02010105-2026-0001
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["资产编号", "分类代码", "资产名称", "数量", "金额", "取得日期", "存放地点"])
    sheet.append(["A02010105-2026-0003", klass.code, "台式计算机", 1, 4800, "2026-09-02", room.code])  # a number the counter would give
    for _ in range(4):
        sheet.append(["", klass.code, "台式计算机", 1, 4800, "2026-09-02", room.code])
    content = io.BytesIO()
    workbook.save(content)
    ledger_import(school=ready, by=logistics_admin, file=io.BytesIO(content.getvalue()))
    numbers = set(AssetCard.objects.values_list("number", flat=True))
    assert numbers == {f"A02010105-2026-{n:04d}" for n in range(1, 7)}
    assert AssetCounter.objects.get(school=ready, class_code=klass.code, year=2026).last == 6
    assert register(ready, logistics_admin, asset_class=klass, acquired_on=dt.date(2026, 9, 1)).number == "A02010105-2026-0007"
