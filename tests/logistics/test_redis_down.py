"""Redis unreachable: a repair ticket is still submitted and dispatched at once, its mail waits in the
outbox, and goes out when Redis is back. The whole story runs on the services run only (`make
test-services`): it needs a real broker to take away and a real worker to deliver afterwards; the
helper that swallows the broker's error is tested on every run.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from contextlib import contextmanager
from typing import Any, Iterator

import pytest
from kombu import pools as kombu_pools
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from logistics.celery import app as celery_app
from logistics.models import Role
from logistics.notifications import Notification
from logistics.queue import enqueue, enqueue_with
from logistics.tasks import deliver_notifications, deliver_pending_notifications
from repairs.models import Category, Ticket
from tests.conftest import services_required
from tests.factories import member

NOBODY_LISTENS = "redis://127.0.0.1:6399/0"


def _needs_redis_and_postgresql() -> None:
    if not django_settings.REDIS_URL or connection.vendor != "postgresql":
        (pytest.fail if services_required() else pytest.skip)("needs REDIS_URL and PostgreSQL (make test-services)")


class FakeTask:
    name = "tests.fake"

    def __init__(self, error: BaseException | None = None) -> None:
        self.error, self.sent = error, []

    def apply_async(self, args: tuple, kwargs: dict, **options: Any) -> None:
        if self.error:
            raise self.error
        self.sent.append((args, kwargs, options))


@pytest.mark.parametrize(
    "error",
    [KombuOperationalError("Error 111 connecting to 127.0.0.1:6399."), RedisConnectionError("refused"), ConnectionRefusedError()],
    ids=["kombu", "redis", "socket"],
)
def test_enqueue_logs_and_swallows_a_broker_out_of_reach(error: BaseException, caplog: Any) -> None:
    assert enqueue(FakeTask(error), 7) is False
    assert "broker unreachable" in caplog.text


def test_enqueue_passes_arguments_and_options_through() -> None:
    task = FakeTask()
    assert enqueue(task, 1, 2, mode="x") is True
    assert enqueue_with(task, (3,), queue="exports") is True
    assert task.sent == [((1, 2), {"mode": "x"}, {}), ((3,), {}, {"queue": "exports"})]


def test_enqueue_lets_a_tasks_own_error_through() -> None:
    # Eagerly run (no REDIS_URL), a task's bug must show, not pass for a broker outage.
    with pytest.raises(ValueError):
        enqueue(FakeTask(ValueError("bug")), 1)


@pytest.mark.django_db
def test_with_the_broker_refusing_a_ticket_is_still_submitted_and_its_mail_waits(
    client_for: Any, school: Any, room: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    teacher = member(school, Role.STAFF, username="teacher")
    admin = member(school, Role.STAFF, Role.LOGISTICS_ADMIN, username="logistics")
    Category.ensure_defaults(school)

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise KombuOperationalError("Error 111 connecting to 127.0.0.1:6399. Connection refused.")

    monkeypatch.setattr(deliver_notifications, "apply_async", refuse)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(teacher).post(
            reverse("repairs:ticket-report"),
            {"room": room.pk, "category": Category.objects.get(school=school, name="电").pk, "description": "水管漏水",
             "urgency": "urgent", "token": uuid.uuid4().hex},
        )
    assert response.status_code == 302
    assert callbacks, "nothing was queued after the commit"
    ticket = Ticket.objects.get(school=school, reporter=teacher)
    assert Notification.objects.filter(recipient=admin, email_status=Notification.Email.PENDING, url=ticket.get_absolute_url()).exists()


def _forget_connections() -> None:
    """Drop the app's pooled broker connections and its result backend, as a forked worker does."""
    kombu_pools.reset()  # closes and forgets kombu's process-wide pools, so none is handed out closed
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app._backend_cache = None
    celery_app._local.__dict__.pop("backend", None)


@contextmanager
def redis_unreachable(settings: Any) -> Iterator[None]:
    """Point the broker, the result backend and the cache at a port where nothing listens; restore after."""
    saved = {key: celery_app.conf[key] for key in ("broker_url", "result_backend")}
    saved_caches = settings.CACHES
    celery_app.conf.update(broker_url=NOBODY_LISTENS, result_backend=NOBODY_LISTENS)
    settings.CACHES = {"default": {**saved_caches["default"], "LOCATION": NOBODY_LISTENS}}
    _forget_connections()
    try:
        yield
    finally:
        celery_app.conf.update(saved)
        settings.CACHES = saved_caches
        _forget_connections()


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_ticket_is_submitted_and_dispatched_with_redis_down_and_mailed_when_it_is_back(
    settings: Any, client_for: Any, school: Any, room: Any, caplog: Any, request: Any, record_property: Any
) -> None:
    _needs_redis_and_postgresql()
    teacher = member(school, Role.STAFF, username="teacher", full_name="李老师")
    admin = member(school, Role.STAFF, Role.LOGISTICS_ADMIN, username="logistics", full_name="郑主任")
    repairer = member(school, Role.STAFF, Role.REPAIRER, username="repairer", full_name="王师傅")
    Category.ensure_defaults(school)
    category = Category.objects.get(school=school, name="电")
    reporter, dispatcher = client_for(teacher), client_for(admin)
    reporter.get(reverse("repairs:ticket-report"))  # a warm process, as in production

    caplog.set_level(logging.WARNING)
    with redis_unreachable(settings):
        with pytest.raises(Exception):  # the premise: Redis really is out of reach, for the cache too
            cache.get("anything")
        started = time.monotonic()
        submitted = reporter.post(
            reverse("repairs:ticket-report"),
            {"room": room.pk, "category": category.pk, "description": "教室日光灯不亮", "urgency": "normal", "token": uuid.uuid4().hex},
        )
        submit_seconds = time.monotonic() - started
        assert submitted.status_code == 302, submitted.content.decode()[:500]
        ticket = Ticket.objects.get(school=school, reporter=teacher)
        assert submitted["Location"] == ticket.get_absolute_url()
        assert ticket.number in reporter.get(submitted["Location"]).content.decode()  # the normal answer: its page

        started = time.monotonic()
        dispatched = dispatcher.post(reverse("repairs:ticket-dispatch", args=[ticket.pk]), {"repairer": repairer.pk})
        dispatch_seconds = time.monotonic() - started
        assert dispatched.status_code == 302
        ticket.refresh_from_db()
        assert ticket.status == Ticket.Status.DISPATCHED and ticket.assignee == repairer

    record_property("submit_seconds_with_redis_down", round(submit_seconds, 3))
    record_property("dispatch_seconds_with_redis_down", round(dispatch_seconds, 3))
    print(f"\nRedis down: submit {submit_seconds:.3f} s, dispatch {dispatch_seconds:.3f} s")
    assert any("broker unreachable" in r.getMessage() for r in caplog.records), "the enqueue was never tried"
    # Failing fast: the enqueue gave up at once, with no round of retries on the result backend
    # (which, waiting for a Redis that is not there, made each request take 19 s).
    assert not [r.getMessage() for r in caplog.records if r.name.startswith("celery") and "Retry" in r.getMessage()]
    outbox = Notification.objects.filter(school=school, email_status=Notification.Email.PENDING)
    assert outbox.filter(recipient=repairer).exists(), "the repairer's dispatch mail is not waiting in the outbox"
    waiting = set(outbox.values_list("pk", flat=True))

    # Redis is back; the beat's next round (five minutes on) goes to a real worker and sends them.
    queue = request.getfixturevalue("celery_worker_process")
    Notification.objects.filter(pk__in=waiting).update(created_at=timezone.now() - dt.timedelta(minutes=5))
    deliver_pending_notifications.apply_async(queue=queue)
    deadline = time.monotonic() + 60
    while Notification.objects.filter(pk__in=waiting, email_status=Notification.Email.PENDING).exists():
        assert time.monotonic() < deadline, "the worker did not deliver the outbox within 60 s"
        time.sleep(0.2)
    sent = Notification.objects.filter(pk__in=waiting, email_status=Notification.Email.SENT)
    assert set(sent.values_list("pk", flat=True)) == waiting
