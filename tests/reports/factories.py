"""Hand-built repair tickets for the report tests: every timestamp set directly, no workflow."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from repairs.models import Category, Material, Status, Ticket, Urgency

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
