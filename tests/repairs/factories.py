"""factory_boy factories for repairs: a ticket in any status in one line, without walking the workflow.

    TicketFactory(school=school)                     # waiting for dispatch
    TicketFactory(school=school, done=True)          # dispatched, started, done, with its timestamps
    ticket_in(Status.MERGED, school=school)          # the same, by status value
    MaterialFactory(ticket=ticket)

Every status trait sets what the workflow would have set on the way there (assignee, who dispatched,
each timestamp in order, rating, reason), so a factory ticket is one the services could have made.
Tests of a transition itself still go through `repairs.services` (tests/repairs/conftest.py); use
these where a test needs many tickets, or tickets in a state, as its starting point.

Pass `school` (and, if you pass a room, category or people, the ones of that school): everything
else is made in it. Numbers come from their own range (BX<year>-9xxxxx), so they never collide with
the numbers `ticket_submit` takes from the school's counter.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from logistics.models import Role
from repairs.models import Category, Material, RepairSettings, Status, Ticket, Urgency
from tests.factories import RoomFactory, SchoolFactory, UserFactory, member


def _person(*roles: str) -> Any:
    """A new member of the ticket's school holding `roles`."""
    return factory.LazyAttribute(lambda t: member(t.school, Role.STAFF, *roles, user=UserFactory()))


def _after(field: str, **delta: float) -> Any:
    return factory.LazyAttribute(lambda t: getattr(t, field) + dt.timedelta(**delta))


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["school", "name"]  # one name per school (repair_category_unique_name)

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"类别{n + 1}")
    order = factory.Sequence(lambda n: (n + 1) * 10)


class RepairSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RepairSettings
        django_get_or_create = ["school"]

    school = factory.SubFactory(SchoolFactory)


class TicketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ticket
        skip_postgeneration_save = True

    school = factory.SubFactory(SchoolFactory)
    number = factory.Sequence(lambda n: f"BX{timezone.localtime().year}-{900001 + n}")
    reporter = _person()
    room = factory.LazyAttribute(lambda t: RoomFactory(building__campus__school=t.school))
    building = factory.LazyAttribute(lambda t: t.room.building)
    category = factory.LazyAttribute(lambda t: CategoryFactory(school=t.school, name="电"))
    description = factory.Sequence(lambda n: f"教室日光灯不亮（{n + 1}）")
    urgency = Urgency.NORMAL
    status = Status.SUBMITTED
    # An hour ago, within every SLA; the steps below fit in that hour, so none lies in the future.
    submitted_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))
    due_at = factory.LazyAttribute(lambda t: RepairSettings.for_school(t.school).due_at(t.submitted_at, t.urgency))

    class Params:
        # Each status as the workflow reaches it; later steps include the earlier ones.
        dispatched = factory.Trait(
            status=Status.DISPATCHED,
            assignee=_person(Role.REPAIRER),
            dispatched_by=_person(Role.LOGISTICS_ADMIN),
            dispatched_at=_after("submitted_at", minutes=5),
        )
        in_progress = factory.Trait(dispatched=True, status=Status.IN_PROGRESS, started_at=_after("dispatched_at", minutes=10))
        done = factory.Trait(
            in_progress=True,
            status=Status.DONE,
            done_at=_after("started_at", minutes=20),
            labour_hours=Decimal("1.5"),
            work_summary="更换灯管",
        )
        # Rejected by the reporter: back to the repairer, no longer done (the SLA runs again).
        rejected = factory.Trait(in_progress=True, status=Status.REJECTED, reject_count=1, labour_hours=Decimal("1.5"))
        accepted = factory.Trait(
            done=True, status=Status.ACCEPTED, accepted_at=_after("done_at", minutes=10), rating=5, rating_comment="修得很快"
        )
        closed = factory.Trait(accepted=True, status=Status.CLOSED, closed_at=_after("accepted_at", minutes=5))
        cancelled = factory.Trait(status=Status.CANCELLED, cancelled_at=_after("submitted_at", minutes=5), cancel_reason="已自行解决")
        merged = factory.Trait(
            status=Status.MERGED,
            merged_into=factory.LazyAttribute(lambda t: TicketFactory(school=t.school, room=t.room, category=t.category)),
            closed_at=_after("submitted_at", minutes=5),
        )
        overdue = factory.Trait(submitted_at=factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=30)))


STATUS_TRAITS = {status: status.value for status in Status if status != Status.SUBMITTED}


def ticket_in(status: str, **kwargs: Any) -> Ticket:
    """A ticket in `status` (a `repairs.models.Status`), consistent with the way there."""
    if status != Status.SUBMITTED:
        kwargs[STATUS_TRAITS[Status(status)]] = True
    return TicketFactory(**kwargs)


class MaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Material

    ticket = factory.SubFactory(TicketFactory, in_progress=True)
    name = "LED灯管"
    quantity = Decimal("2")
    unit = "支"
    unit_cost = Decimal("18.50")
    added_by = factory.LazyAttribute(lambda m: m.ticket.assignee or m.ticket.reporter)
    added_at = factory.LazyAttribute(lambda m: (m.ticket.started_at or m.ticket.submitted_at) + dt.timedelta(minutes=30))
