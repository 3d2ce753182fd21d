"""Hand-built repair tickets for the report tests: every timestamp set directly, no workflow.

Plain functions, not fixtures, so tests outside tests/reports (tests/repairs/test_report.py) can
build the same term without sharing a conftest."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from repairs.models import Category, Material, Status, Ticket, Urgency
from tests.factories import TermFactory

_counter = {"n": 0}


def category(school: Any, name: str) -> Category:
    return Category.objects.get_or_create(school=school, name=name, defaults={"order": 10})[0]


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def ticket(
    *,
    school: Any,
    room: Any,
    reporter: Any,
    cat: Category,
    day: dt.date,
    status: str = Status.SUBMITTED,
    urgency: str = Urgency.NORMAL,
    sla_hours: int = 48,
    dispatch_after: float | None = None,
    done_after: float | None = None,
    rating: int | None = None,
    assignee: Any = None,
    labour_hours: str = "0",
    contractor_cost: str | None = None,
) -> Ticket:
    """A ticket reported at 09:00 on `day`; dispatched/done `…_after` hours later when given."""
    _counter["n"] += 1
    submitted = at(day)
    return Ticket.objects.create(
        school=school,
        number=f"BX{day.year}-{_counter['n']:06d}",
        reporter=reporter,
        room=room,
        building=room.building,
        category=cat,
        description="测试报修",
        urgency=urgency,
        status=status,
        assignee=assignee,
        submitted_at=submitted,
        due_at=submitted + dt.timedelta(hours=sla_hours),
        dispatched_at=submitted + dt.timedelta(hours=dispatch_after) if dispatch_after is not None else None,
        done_at=submitted + dt.timedelta(hours=done_after) if done_after is not None else None,
        accepted_at=submitted + dt.timedelta(hours=(done_after or 0) + 24) if status in (Status.ACCEPTED, Status.CLOSED) else None,
        rating=rating,
        labour_hours=Decimal(labour_hours),
        contractor_cost=Decimal(contractor_cost) if contractor_cost is not None else None,
    )


def material(t: Ticket, name: str, quantity: str, unit: str, unit_cost: str, by: Any) -> Material:
    return Material.objects.create(ticket=t, name=name, quantity=Decimal(quantity), unit=unit, unit_cost=Decimal(unit_cost), added_by=by)


def previous_term(school: Any) -> Any:
    return TermFactory(school=school, year=2025, semester=2, start=dt.date(2026, 2, 23), end=dt.date(2026, 7, 10))


def term_tickets(*, school: Any, term: Any, previous_term: Any, room: Any, teacher: Any, repairer: Any, other_room: Any, outsider: Any) -> dict:
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
