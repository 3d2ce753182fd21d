"""A hazard whose fix is a repair: accepting the repair ticket moves the hazard to 待验收 (the
repairs.signals.ticket_accepted signal), the repairer recorded as the fixer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from logistics.audit import history_of
from logistics.workflow import WorkflowError
from repairs import services as repairs
from repairs.models import Category, Ticket
from safety import services
from safety.models import Hazard, HazardStatus
from tests.safety.conftest import MAJOR, report


def _ticket_for(hazard: Hazard, by: Any) -> tuple[Hazard, Ticket]:
    Category.ensure_defaults(hazard.school)
    hazard = services.hazard_open_repair(hazard=hazard, by=by, category=Category.objects.get(school=hazard.school, name="其他"))
    return hazard, Ticket.objects.get(pk=hazard.repair_ticket_id)


def _repair(ticket: Ticket, *, office: Any, repairer: Any) -> Ticket:
    ticket = repairs.ticket_dispatch(ticket=ticket, by=office, repairer=repairer)
    ticket = repairs.ticket_start(ticket=ticket, by=repairer)
    return repairs.ticket_mark_done(ticket=ticket, by=repairer, labour_hours=Decimal("1"), work_summary="更换疏散指示灯")


def test_accepting_the_ticket_moves_the_hazard_to_awaiting_verification(assigned, logistics_admin, repairer, safety_officer):
    hazard, ticket = _ticket_for(assigned, logistics_admin)
    ticket = _repair(ticket, office=logistics_admin, repairer=repairer)
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.OPEN  # done is not accepted yet
    repairs.ticket_accept(ticket=ticket, by=logistics_admin, rating=5)
    hazard = Hazard.objects.get(pk=hazard.pk)
    assert hazard.status == HazardStatus.TO_VERIFY
    assert hazard.fixed_by == repairer and ticket.number in hazard.measures and "更换疏散指示灯" in hazard.measures
    verbs = [e.action for e in history_of(hazard)]
    assert "safety.hazard.started" in verbs and "safety.hazard.rectified" in verbs
    with pytest.raises(WorkflowError):  # the repairer fixed it: someone else verifies
        services.hazard_close(hazard=hazard, by=repairer, verification="好了")
    hazard = services.hazard_close(hazard=hazard, by=safety_officer, verification="现场复查合格")
    assert hazard.status == HazardStatus.CLOSED


def test_a_ticket_accepted_automatically_moves_the_hazard_too(assigned, logistics_admin, repairer):
    from repairs.services.batch import tickets_auto_accept

    hazard, ticket = _ticket_for(assigned, logistics_admin)
    ticket = _repair(ticket, office=logistics_admin, repairer=repairer)
    Ticket.objects.filter(pk=ticket.pk).update(done_at=ticket.done_at - dt.timedelta(days=30))
    assert tickets_auto_accept() == 1
    hazard = Hazard.objects.get(pk=hazard.pk)
    assert hazard.status == HazardStatus.TO_VERIFY and hazard.fixed_by == repairer


def test_a_rejected_ticket_leaves_the_hazard_where_it_was(fixing, logistics_admin, repairer):
    hazard, ticket = _ticket_for(fixing, logistics_admin)
    ticket = _repair(ticket, office=logistics_admin, repairer=repairer)
    repairs.ticket_reject(ticket=ticket, by=logistics_admin, reason="灯还是不亮")
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.FIXING


def test_a_major_hazard_without_the_five_in_place_stays_with_a_note(school, teacher, room, logistics_admin, repairer):
    hazard = report(school, teacher, room, **MAJOR)
    hazard, ticket = _ticket_for(hazard, logistics_admin)
    ticket = _repair(ticket, office=logistics_admin, repairer=repairer)
    ticket = repairs.ticket_accept(ticket=ticket, by=logistics_admin, rating=4)
    assert ticket.status == "accepted"  # the acceptance itself stands
    hazard = Hazard.objects.get(pk=hazard.pk)
    assert hazard.status == HazardStatus.OPEN
    assert [e for e in history_of(hazard) if e.action == "safety.hazard.repair_accepted"]


def test_a_ticket_not_opened_for_a_hazard_touches_no_hazard(school, room, teacher, logistics_admin, repairer, hazard):
    Category.ensure_defaults(school)
    ticket = repairs.ticket_submit(school=school, reporter=teacher, room=room, category=Category.objects.get(school=school, name="其他"),
                                   description="门锁坏了")
    ticket = _repair(ticket, office=logistics_admin, repairer=repairer)
    repairs.ticket_accept(ticket=ticket, by=teacher, rating=5)
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.OPEN
