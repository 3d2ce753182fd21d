"""Races on real concurrent connections (PostgreSQL only).

Each test starts threads, each with its own database connection, lines them up on a barrier and
lets them hit the same row at once. Where the window would be too short to hit reliably, a small
delay is slipped into the service at the point where an unlocked implementation would go wrong:
with the lock (or the constraint) in place the outcome is the same, without it the test fails.

SQLite serialises every writer on one file lock, so these races cannot happen there: the tests skip
on SQLite, and fail instead when REQUIRE_SERVICES=1 asks for the real services.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Callable
from unittest import mock

import pytest
from django.db import connection, connections
from django.utils import timezone

from logistics import audit
from logistics.audit import AuditEntry
from logistics.models import Role
from logistics import photos
from repairs.models import Category, Ticket, TicketCounter
from repairs.services import WorkflowError, ticket_dispatch, ticket_submit
from tests.conftest import services_required
from tests.factories import member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only(transactional_db: Any) -> None:
    if connection.vendor == "postgresql":
        return
    reason = (
        f"needs PostgreSQL for real concurrent transactions; this run uses {connection.vendor}, which lets one writer at a "
        "time in. Run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/test"
    )
    if services_required():
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


def race(*calls: Callable[[], Any], timeout: float = 30) -> list[Any]:
    """Run each call in its own thread (own connection), released together; results or exceptions in order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def runner(i: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout)
            results[i] = call()
        except BaseException as e:  # noqa: BLE001 - handed back to the test
            results[i] = e
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    assert not any(t.is_alive() for t in threads), "a thread is still waiting: deadlock?"
    return results


def slowed(target: Any, attribute: str, seconds: float = 0.3) -> Any:
    """Patch `target.attribute` to pause before doing its work, to hold a transaction open."""
    original = getattr(target, attribute)

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(seconds)
        return original(*args, **kwargs)

    return mock.patch.object(target, attribute, side_effect=slow)


@pytest.fixture
def category(school: Any) -> Category:
    return Category.objects.create(school=school, name="电")


def submit(school: Any, reporter: Any, room: Any, category: Category, **kwargs: Any) -> Callable[[], Ticket]:
    return lambda: ticket_submit(school=school, reporter=reporter, room=room, category=category, description="教室灯管不亮", **kwargs)


def test_two_admins_dispatching_the_same_ticket_at_once_one_wins_and_the_other_is_told(
    school: Any, room: Any, teacher: Any, repairer: Any, logistics_admin: Any, category: Category
) -> None:
    second_admin = member(school, Role.STAFF, Role.LOGISTICS_ADMIN, username="logistics2", full_name="钱副主任")
    second_repairer = member(school, Role.STAFF, Role.REPAIRER, username="repairer2", full_name="赵师傅")
    ticket = submit(school, teacher, room, category)()

    def dispatch(by: Any, to: Any) -> Callable[[], Ticket]:
        return lambda: ticket_dispatch(ticket=Ticket.objects.get(pk=ticket.pk), by=by, repairer=to)

    # The winner holds the row lock while it writes the audit entry; the loser must wait for it
    # and then see the new state, not its own stale copy.
    with slowed(audit, "record"):
        results = race(dispatch(logistics_admin, repairer), dispatch(second_admin, second_repairer))

    won = [r for r in results if isinstance(r, Ticket)]
    lost = [r for r in results if isinstance(r, WorkflowError)]
    assert len(won) == 1 and len(lost) == 1, results
    winner_admin, winner_repairer = (logistics_admin, repairer) if results[0] is won[0] else (second_admin, second_repairer)
    assert ticket.number in str(lost[0]) and winner_repairer.display_name in str(lost[0])
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.DISPATCHED
    assert ticket.assignee == winner_repairer
    entries = AuditEntry.objects.filter(object_id=ticket.pk, action="repairs.ticket.dispatched")
    assert [(e.actor_id, e.data["repairer"]) for e in entries] == [(winner_admin.pk, winner_repairer.pk)]


def test_two_taps_with_the_same_token_at_the_same_moment_make_one_ticket(
    school: Any, room: Any, teacher: Any, category: Category
) -> None:
    # Both taps pass the "token already used?" check before either has committed; the unique
    # constraint decides, and the second tap gets the first tap's ticket.
    with slowed(photos, "process_all"):
        results = race(submit(school, teacher, room, category, token="tap-7f3a"), submit(school, teacher, room, category, token="tap-7f3a"))

    assert all(isinstance(r, Ticket) for r in results), results
    assert results[0].pk == results[1].pk
    assert Ticket.objects.filter(school=school).count() == 1
    assert AuditEntry.objects.filter(action="repairs.ticket.submitted").count() == 1
    year = timezone.localtime().year
    assert TicketCounter.objects.get(school=school, year=year).last == 1  # the losing tap burned no number
    assert submit(school, teacher, room, category, token="tap-8b21")().number == f"BX{year}-000002"


def test_many_reporters_at_once_get_distinct_numbers_in_sequence(
    school: Any, other_school: Any, room: Any, other_room: Any, teacher: Any, outsider: Any, category: Category
) -> None:
    other_category = Category.objects.create(school=other_school, name="电")
    reporters = [teacher] + [member(school, Role.STAFF, username=f"t{i}") for i in range(5)]

    def four(reporter: Any) -> Callable[[], list[str]]:
        return lambda: [submit(school, reporter, room, category)().number for _ in range(4)]

    # No counter row exists yet: the first reporters also race to create it.
    results = race(*(four(r) for r in reporters), lambda: [submit(other_school, outsider, other_room, other_category)().number for _ in range(4)])

    assert not [r for r in results if isinstance(r, BaseException)], results
    year = timezone.localtime().year
    numbers = sorted(n for r in results[:-1] for n in r)
    assert numbers == [f"BX{year}-{i:06d}" for i in range(1, 25)]
    assert sorted(Ticket.objects.filter(school=school).values_list("number", flat=True)) == numbers
    # Each school counts on its own: the other school's four are 1–4 as well.
    assert sorted(results[-1]) == [f"BX{year}-{i:06d}" for i in range(1, 5)]
