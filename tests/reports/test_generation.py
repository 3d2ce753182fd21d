"""Generating a draft: the facts are read outside the database transaction and progress is committed
as it happens; two generations at once give one draft; a job nobody picks up says so.

The tests marked `services` run on PostgreSQL with Redis and a real Celery worker (make
test-services); elsewhere they skip, and with REQUIRE_SERVICES=1 a missing service fails them.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
import uuid
from typing import Any, Callable, Iterator

import pytest
from django.conf import settings as django_settings
from django.db import connection, connections, transaction
from django.urls import reverse
from django.utils import timezone

from logistics.jobs import worker_missing_message
from logistics.models import School
from logistics.reports import registry, services
from logistics.reports.facts import Fact, Part, Section
from logistics.reports.models import ReportJob, TermReport
from logistics.reports.tasks import run_report_job

REQUIRED = os.environ.get("REQUIRE_SERVICES") == "1"
MESSAGE = "后台任务未运行，请联系管理员"


def need(condition: bool, reason: str) -> None:
    if not condition:
        (pytest.fail if REQUIRED else pytest.skip)(reason)


def wait_for(check: Callable[[], Any], *, timeout: float = 60, every: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(every)
    return None


def job_row(pk: int) -> dict[str, Any]:
    return ReportJob.objects.filter(pk=pk).values("status", "progress", "step", "report_id", "error").get()


@pytest.fixture
def watcher() -> Iterator[list[bool]]:
    """A section that records whether it was collected inside a database transaction."""
    seen: list[bool] = []

    @registry.provider("test-watcher", order=90, title="测试")
    def watch(school: Any, term: Any) -> Section:
        seen.append(connection.in_atomic_block)
        return Section(parts=[Part("p", "p", facts=[Fact("w.n", "完成", 1)])])

    yield seen
    registry.unregister("test-watcher")


# --- Everywhere (SQLite in the embedded setup) ------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_facts_are_read_outside_any_transaction_and_progress_is_written_as_it_goes(
    school: Any, term: Any, logistics_admin: Any, watcher: list[bool]
) -> None:
    seen_progress: list[tuple[int, str]] = []

    def progress(done: int, total: int, title: str) -> None:
        seen_progress.append((done * 100 // total, title))

    report = services.report_generate(school=school, term=term, by=logistics_admin, progress=progress)
    assert watcher == [False]
    assert report.paragraphs.exists()
    percents = [p for p, _ in seen_progress]
    assert percents == sorted(percents) and all(0 < p < 100 for p in percents)
    assert seen_progress[-1][1] in ("Saving the draft", "正在保存草稿")


@pytest.mark.django_db
def test_generating_twice_gives_one_draft_regenerated(school: Any, term: Any, logistics_admin: Any, principal: Any) -> None:
    first = services.job_start(school=school, term=term, kind=ReportJob.Kind.DRAFT, by=logistics_admin)
    second = services.job_start(school=school, term=term, kind=ReportJob.Kind.DRAFT, by=principal)
    done = [services.job_run(first.pk), services.job_run(second.pk)]
    assert [j.status for j in done] == ["done", "done"]
    assert done[0].report_id == done[1].report_id
    assert TermReport.objects.filter(school=school, term=term, status="draft").count() == 1


@pytest.mark.django_db
def test_a_job_is_run_once_even_when_delivered_twice(school: Any, term: Any, logistics_admin: Any) -> None:
    job = ReportJob.objects.create(school=school, term=term, kind=ReportJob.Kind.DRAFT, created_by=logistics_admin)
    assert services.job_run(job.pk).status == "done"
    ReportJob.objects.filter(pk=job.pk).update(step="kept")
    assert services.job_run(job.pk).step == "kept"
    assert TermReport.objects.count() == 1


@pytest.mark.django_db
def test_a_job_still_queued_after_the_grace_period_says_no_worker_is_running(
    settings: Any, client_for: Any, logistics_admin: Any, school: Any, term: Any
) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.JOB_WORKER_GRACE_SECONDS = 15
    waiting = ReportJob.objects.create(school=school, term=term, kind=ReportJob.Kind.DRAFT, created_by=logistics_admin)
    fresh = ReportJob.objects.create(school=school, term=term, kind=ReportJob.Kind.DRAFT, created_by=logistics_admin)
    ReportJob.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - dt.timedelta(seconds=60))
    client = client_for(logistics_admin)

    data = client.get(reverse("reports:job-status", args=[waiting.pk])).json()
    assert data["status"] == "queued" and not data["finished"]
    assert data["worker_missing"] is True and MESSAGE in data["message"]
    page = client.get(reverse("reports:job", args=[waiting.pk])).content.decode()
    assert f"data-worker-missing>{worker_missing_message()}" in page

    data = client.get(reverse("reports:job-status", args=[fresh.pk])).json()
    assert "worker_missing" not in data and "message" not in data
    page = client.get(reverse("reports:job", args=[fresh.pk])).content.decode()
    assert "data-worker-missing hidden" in page


@pytest.mark.django_db
def test_in_the_embedded_setup_a_queued_job_never_blames_a_worker(
    settings: Any, client_for: Any, logistics_admin: Any, school: Any, term: Any
) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.JOB_WORKER_GRACE_SECONDS = 0
    job = ReportJob.objects.create(school=school, term=term, kind=ReportJob.Kind.DRAFT, created_by=logistics_admin)
    ReportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
    assert "worker_missing" not in client_for(logistics_admin).get(reverse("reports:job-status", args=[job.pk])).json()


# --- PostgreSQL, Redis and a real worker ------------------------------------------------------------


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_commits_progress_while_the_job_runs(request: Any, school: Any, term: Any, logistics_admin: Any) -> None:
    need(bool(django_settings.REDIS_URL) and connection.vendor == "postgresql", "needs REDIS_URL and PostgreSQL")
    queue = request.getfixturevalue("celery_worker_process")
    job = ReportJob.objects.create(school=school, term=term, kind=ReportJob.Kind.DRAFT, created_by=logistics_admin)
    # Hold the school's row: the worker reads and composes every section, then waits for it to write
    # the draft. Whatever progress it made must already be visible from here, in another connection.
    with transaction.atomic():
        School.objects.select_for_update().get(pk=school.pk)
        run_report_job.apply_async((job.pk,), queue=queue)
        seen = wait_for(lambda: (row := job_row(job.pk))["status"] == "running" and row["progress"] > 1 and row)
        assert seen, f"no progress seen while the job ran: {job_row(job.pk)}"
        assert 1 < seen["progress"] < 100
        assert not TermReport.objects.exists()
    finished = wait_for(lambda: (row := job_row(job.pk))["status"] in ("done", "failed") and row)
    assert finished and finished["status"] == "done", finished or job_row(job.pk)
    assert finished["progress"] == 100
    assert TermReport.objects.get().paragraphs.exists()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_people_generating_at_once_get_one_draft(monkeypatch: Any, school: Any, term: Any, logistics_admin: Any,
                                                     principal: Any) -> None:
    need(connection.vendor == "postgresql", "needs PostgreSQL: SQLite runs one writer at a time")
    record = services.audit.record

    def slow_record(*args: Any, **kwargs: Any) -> Any:
        # The first writer keeps its transaction open: the second arrives while its draft is uncommitted.
        time.sleep(0.5)
        return record(*args, **kwargs)

    monkeypatch.setattr(services.audit, "record", slow_record)
    start = threading.Barrier(2)
    results: dict[str, Any] = {}

    def press(name: str, user: Any) -> None:
        try:
            start.wait(timeout=10)
            results[name] = services.report_generate(school=school, term=term, by=user).pk
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results[name] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press, args=(n, u)) for n, u in (("admin", logistics_admin), ("principal", principal))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert all(isinstance(v, int) for v in results.values()) and len(results) == 2, results
    assert results["admin"] == results["principal"]
    assert TermReport.objects.filter(school=school, term=term, status="draft").count() == 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_job_no_worker_listens_for_says_so_on_its_page(settings: Any, client_for: Any, school: Any, term: Any,
                                                          logistics_admin: Any) -> None:
    need(bool(django_settings.REDIS_URL), "needs REDIS_URL: without it jobs run eagerly")
    settings.JOB_WORKER_GRACE_SECONDS = 0
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from logistics.celery import app

    queue = f"nobody-{uuid.uuid4().hex[:8]}"
    job = ReportJob.objects.create(school=school, term=term, kind=ReportJob.Kind.DRAFT, created_by=logistics_admin)
    run_report_job.apply_async((job.pk,), queue=queue)
    try:
        time.sleep(0.05)
        data = client_for(logistics_admin).get(reverse("reports:job-status", args=[job.pk])).json()
        assert data["status"] == "queued" and data["progress"] == 0
        assert data["worker_missing"] is True and MESSAGE in data["message"]
    finally:
        with app.connection_for_write() as conn:
            conn.default_channel.queue_delete(queue)
