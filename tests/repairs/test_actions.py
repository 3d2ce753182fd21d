"""Every role × every state: the ticket page shows a button exactly when the service accepts the step.

Both sides come from `repairs.rules`, so this test catches a service that checks something its rule
does not (or the reverse). Each attempt runs in a savepoint that is rolled back, so the next one
starts from the same ticket.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable

import pytest
from django.db import transaction
from django.urls import reverse

from logistics.models import Role
from logistics.workflow import WorkflowError
from repairs import services
from repairs.models import Status, Ticket, Urgency
from repairs.rules import RULES, ticket_actions_for
from tests.factories import member
from tests.repairs.conftest import submit


def _attempts(repairer: Any, other: Ticket) -> dict[str, Callable[[Ticket, Any], Any]]:
    """One call of the service behind each button, with valid input."""
    return {
        "dispatch": lambda t, by: services.ticket_dispatch(ticket=t, by=by, repairer=repairer),
        "reassign": lambda t, by: services.ticket_reassign(ticket=t, by=by, contractor="城东水电"),
        "urgency": lambda t, by: services.ticket_change_urgency(
            ticket=t, by=by, urgency=Urgency.LOW if t.urgency != Urgency.LOW else Urgency.URGENT
        ),
        "merge": lambda t, by: services.ticket_merge(ticket=t, into=other, by=by),
        "cancel": lambda t, by: services.ticket_cancel(ticket=t, by=by, reason="重复"),
        "start": lambda t, by: services.ticket_start(ticket=t, by=by),
        "work": lambda t, by: services.ticket_add_note(ticket=t, by=by, note="已到现场"),
        "done": lambda t, by: services.ticket_mark_done(ticket=t, by=by, labour_hours=Decimal("1")),
        "accept": lambda t, by: services.ticket_accept(ticket=t, by=by, rating=5),
        "reject": lambda t, by: services.ticket_reject(ticket=t, by=by, reason="还是不亮"),
        "close": lambda t, by: services.ticket_close(ticket=t, by=by),
        "follow": lambda t, by: services.ticket_follow(ticket=t, user=by),
    }


def _accepted(attempt: Callable[[Ticket, Any], Any], ticket: Ticket, user: Any) -> bool:
    with transaction.atomic():
        try:
            attempt(Ticket.objects.get(pk=ticket.pk), user)
            return True
        except WorkflowError:
            return False
        finally:
            transaction.set_rollback(True)


def _in_state(ticket: Ticket, status: str, repairer: Any, other: Ticket) -> Ticket:
    fields: dict[str, Any] = {"status": status}
    if status not in (Status.SUBMITTED, Status.CANCELLED, Status.MERGED):
        fields["assignee"] = repairer
    if status == Status.MERGED:
        fields["merged_into"] = other
    Ticket.objects.filter(pk=ticket.pk).update(**fields)
    return Ticket.objects.get(pk=ticket.pk)


@pytest.mark.parametrize("status", Status.values)
def test_a_button_is_shown_exactly_when_the_service_accepts_the_step(
    status, school, room, category, teacher, class_teacher, repairer, logistics_admin, principal, outsider
):
    other_repairer = member(school, Role.STAFF, Role.REPAIRER, username="repairer2", full_name="赵师傅")
    people = {"reporter": teacher, "colleague": class_teacher, "repairer": repairer, "other repairer": other_repairer,
              "office": logistics_admin, "principal": principal, "other school": outsider}
    other = submit(school, class_teacher, room, category, description="另一处故障")
    ticket = _in_state(submit(school, teacher, room, category), status, repairer, other)
    attempts = _attempts(repairer, other)
    assert set(attempts) == set(RULES), "every rule has its attempt here"
    mismatches = []
    shown_somewhere = set()
    for who, user in people.items():
        shown = ticket_actions_for(ticket, user)
        for action, attempt in attempts.items():
            accepted = _accepted(attempt, ticket, user)
            if shown[action] != accepted:
                mismatches.append(f"{who} / {action}: button {'shown' if shown[action] else 'hidden'}, service {'accepts' if accepted else 'refuses'}")
            if shown[action]:
                shown_somewhere.add(action)
    assert not mismatches, "\n".join(mismatches)
    if status in (Status.SUBMITTED, Status.IN_PROGRESS, Status.DONE):
        assert shown_somewhere, "someone can act on an open ticket"


def test_the_ticket_page_draws_the_buttons_of_the_rules(client_for, school, room, category, teacher, logistics_admin, repairer):
    ticket = submit(school, teacher, room, category)
    office_page = client_for(logistics_admin).get(reverse("repairs:ticket-detail", args=[ticket.pk])).content.decode()
    reporter_page = client_for(teacher).get(reverse("repairs:ticket-detail", args=[ticket.pk])).content.decode()
    assert 'data-action="dispatch"' in office_page and 'data-action="merge"' in office_page
    assert 'data-action="dispatch"' not in reporter_page and 'data-action="cancel"' in reporter_page
    # Cancelling takes two taps: the form sits folded under "撤回报修…" (the office: "撤销工单…").
    assert "撤回报修…" in reporter_page and "撤销工单…" in office_page and "<details data-cancel-box>" in reporter_page
    services.ticket_dispatch(ticket=ticket, by=logistics_admin, repairer=repairer)
    services.ticket_start(ticket=ticket, by=repairer)
    reporter_page = client_for(teacher).get(reverse("repairs:ticket-detail", args=[ticket.pk])).content.decode()
    assert 'data-action="cancel"' not in reporter_page  # work has started: only the office cancels now
