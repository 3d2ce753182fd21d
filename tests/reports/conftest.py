from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from logistics.models import Role
from tests.factories import TermFactory, member
from tests.reports.factories import category, material, ticket
from repairs.models import Status, Urgency


@pytest.fixture
def previous_term(school: Any) -> Any:
    return TermFactory(school=school, year=2025, semester=2, start=dt.date(2026, 2, 23), end=dt.date(2026, 7, 10))


@pytest.fixture
def vice(school: Any) -> Any:
    return member(school, Role.STAFF, Role.VICE_PRINCIPAL, username="vice", full_name="吴副校长")


@pytest.fixture
def term_tickets(school: Any, term: Any, previous_term: Any, room: Any, teacher: Any, repairer: Any, other_room: Any, outsider: Any) -> dict:
    """Six counted tickets this term (one merged and one out of term not counted), two last term."""
    water, power = category(school, "水"), category(school, "电")
    d = term.start
    t1 = ticket(school=school, room=room, reporter=teacher, cat=water, day=d + dt.timedelta(days=9), status=Status.ACCEPTED,
                dispatch_after=1, done_after=10, rating=5, assignee=repairer, labour_hours="2")
    t2 = ticket(school=school, room=room, reporter=teacher, cat=water, day=d + dt.timedelta(days=10), status=Status.CLOSED,
                dispatch_after=3, done_after=60, rating=2, assignee=repairer, labour_hours="1.5", contractor_cost="300")
    ticket(school=school, room=room, reporter=teacher, cat=water, day=d + dt.timedelta(days=11), status=Status.DONE,
           dispatch_after=2, done_after=20, assignee=repairer)
    ticket(school=school, room=room, reporter=teacher, cat=power, day=d + dt.timedelta(days=34), status=Status.IN_PROGRESS,
           dispatch_after=1, assignee=repairer)
    ticket(school=school, room=room, reporter=teacher, cat=power, day=d + dt.timedelta(days=35), status=Status.CANCELLED)
    ticket(school=school, room=room, reporter=teacher, cat=power, day=d + dt.timedelta(days=36), status=Status.MERGED)
    ticket(school=school, room=room, reporter=teacher, cat=power, day=d + dt.timedelta(days=61), urgency=Urgency.URGENT, sla_hours=4)
    ticket(school=school, room=room, reporter=teacher, cat=water, day=d - dt.timedelta(days=12), status=Status.ACCEPTED,
           dispatch_after=1, done_after=5)  # in the summer holiday: no term
    foreign = category(outsider.memberships.first().school, "水")
    ticket(school=outsider.memberships.first().school, room=other_room, reporter=outsider, cat=foreign, day=d + dt.timedelta(days=9))
    for offset in (5, 6):
        ticket(school=school, room=room, reporter=teacher, cat=water, day=previous_term.start + dt.timedelta(days=offset),
               status=Status.ACCEPTED, dispatch_after=1, done_after=8, rating=5, assignee=repairer)
    material(t1, "LED灯管", "4", "支", "25", repairer)
    material(t2, "水龙头", "2", "个", "38.5", repairer)
    return {"water": water, "power": power}


@pytest.fixture
def eager(django_capture_on_commit_callbacks: Any) -> Any:
    """Generation jobs run in the test: on-commit callbacks executed, Celery eager even with REDIS_URL."""
    from logistics.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield lambda: django_capture_on_commit_callbacks(execute=True)
    app.conf.task_always_eager = before
