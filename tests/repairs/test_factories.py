"""The repairs factories make tickets the workflow could have made, in every status."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django_fsm import can_proceed

from logistics.models import Membership, Role
from repairs.models import OPEN_STATUSES, Material, Status, Ticket
from tests.repairs.conftest import submit
from tests.repairs.factories import CategoryFactory, MaterialFactory, TicketFactory, ticket_in

pytestmark = pytest.mark.django_db

# What the next step of the workflow may be from each status (django-fsm's transitions on Ticket).
NEXT_STEP = {
    Status.SUBMITTED: "dispatch",
    Status.DISPATCHED: "start",
    Status.IN_PROGRESS: "finish",
    Status.DONE: "accept",
    Status.REJECTED: "start",
    Status.ACCEPTED: "close",
}


def holds(user: Any, school: Any, role: str) -> bool:
    return Membership.objects.filter(user=user, school=school, roles__name=role).exists()


@pytest.mark.parametrize("status", list(Status), ids=str)
def test_a_factory_ticket_in_each_status_passes_the_models_validation_and_constraints(school: Any, status: Status) -> None:
    ticket = ticket_in(status, school=school)
    ticket.full_clean()  # fields, choices and the CheckConstraints / UniqueConstraints
    ticket.refresh_from_db()
    assert ticket.status == status
    assert ticket.school == school == ticket.room.building.campus.school == ticket.category.school
    assert ticket.building == ticket.room.building
    assert holds(ticket.reporter, school, Role.STAFF)
    assert ticket.due_at > ticket.submitted_at
    assert ticket.is_open == (status in OPEN_STATUSES)
    if status in NEXT_STEP:
        assert can_proceed(getattr(ticket, NEXT_STEP[status]))


@pytest.mark.parametrize(
    "status", [Status.DISPATCHED, Status.IN_PROGRESS, Status.DONE, Status.REJECTED, Status.ACCEPTED, Status.CLOSED], ids=str
)
def test_a_worked_ticket_has_a_repairer_of_its_school_and_its_timestamps_in_order(school: Any, status: Status) -> None:
    ticket = ticket_in(status, school=school)
    assert holds(ticket.assignee, school, Role.REPAIRER)
    assert holds(ticket.dispatched_by, school, Role.LOGISTICS_ADMIN)
    steps = [ticket.submitted_at, ticket.dispatched_at, ticket.started_at, ticket.done_at, ticket.accepted_at, ticket.closed_at]
    reached = [at for at in steps if at is not None]
    assert reached == sorted(reached) and len(reached) >= 2 and reached[-1] <= timezone.now()
    assert (ticket.done_at is not None) == (status in (Status.DONE, Status.ACCEPTED, Status.CLOSED))


def test_a_rejected_ticket_counts_the_rejection_and_is_no_longer_done(school: Any) -> None:
    ticket = ticket_in(Status.REJECTED, school=school)
    assert ticket.reject_count == 1 and ticket.done_at is None and ticket.started_at is not None


def test_cancelled_and_merged_tickets_say_why_and_where(school: Any) -> None:
    cancelled = ticket_in(Status.CANCELLED, school=school)
    assert cancelled.cancel_reason and cancelled.cancelled_at and cancelled.assignee is None
    merged = ticket_in(Status.MERGED, school=school)
    assert merged.merged_into.school == school and merged.merged_into.status == Status.SUBMITTED
    assert merged.merged_into.room == merged.room and merged.closed_at


def test_an_accepted_ticket_carries_a_rating_the_constraint_allows(school: Any) -> None:
    ticket = ticket_in(Status.ACCEPTED, school=school)
    assert 1 <= ticket.rating <= 5


def test_factory_numbers_never_collide_with_the_schools_counter(school: Any, room: Any, teacher: Any) -> None:
    made = TicketFactory.create_batch(3, school=school, room=room, category=CategoryFactory(school=school, name="电"))
    real = submit(school, teacher, room, made[0].category)
    numbers = [t.number for t in made] + [real.number]
    assert len(set(numbers)) == 4
    assert Ticket.objects.filter(school=school).count() == 4


def test_a_category_is_one_per_name_in_a_school(school: Any, other_school: Any) -> None:
    assert CategoryFactory(school=school, name="水") == CategoryFactory(school=school, name="水")
    assert CategoryFactory(school=school, name="水") != CategoryFactory(school=other_school, name="水")


def test_materials_belong_to_a_worked_ticket_and_pass_their_constraints(school: Any) -> None:
    material = MaterialFactory(ticket=ticket_in(Status.IN_PROGRESS, school=school))
    material.full_clean()
    assert material.added_by == material.ticket.assignee
    assert material.total == material.quantity * material.unit_cost
    assert Material.objects.for_school(school).get() == material


def test_a_factory_ticket_opens_on_its_reporters_screen(school: Any, client_for: Any) -> None:
    ticket = ticket_in(Status.DONE, school=school)
    page = client_for(ticket.reporter).get(reverse("repairs:ticket-detail", args=[ticket.pk]))
    assert page.status_code == 200
    assert ticket.number in page.content.decode()


def test_overdue_tickets_show_up_as_overdue(school: Any) -> None:
    late = TicketFactory(school=school, dispatched=True, overdue=True)
    on_time = TicketFactory(school=school, dispatched=True)
    assert list(Ticket.objects.for_school(school).overdue()) == [late]
    assert late.is_overdue and not on_time.is_overdue
