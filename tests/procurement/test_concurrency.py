"""Races on real concurrent connections (PostgreSQL only; skipped on SQLite, which lets one writer in
at a time). Two approvers pressing the same step at once: one wins, nothing half-written. Two
members confirming the last acceptance at once: the delivery is booked once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection

from assets.models import AssetCard
from logistics.models import Role
from procurement import rules, services
from procurement.models import ApprovalStep, Status, StepStatus
from procurement.services import WorkflowError
from tests.conftest import services_required
from tests.procurement.factories import line, person, projector_class, submitted
from tests.repairs.test_concurrency import race, slowed

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only(transactional_db: Any) -> None:
    if connection.vendor == "postgresql":
        return
    reason = f"needs PostgreSQL for real concurrent transactions; this run uses {connection.vendor}"
    if services_required():
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


def test_two_approvers_on_the_same_step_one_wins(school, teacher, logistics_admin):
    other_head = person(school, Role.LOGISTICS_ADMIN, name="第二位主任")
    person(school, Role.VICE_PRINCIPAL)
    req = submitted(school, teacher, [line()])
    with slowed(rules, "acting_for"):
        results = race(lambda: services.requisition_approve(requisition=req, by=logistics_admin),
                       lambda: services.requisition_approve(requisition=req, by=other_head))
    errors = [r for r in results if isinstance(r, WorkflowError)]
    assert len(errors) == 1, results
    steps = ApprovalStep.objects.filter(requisition=req, round=1).order_by("order")
    assert [s.status for s in steps] == [StepStatus.APPROVED, StepStatus.WAITING]
    req.refresh_from_db()
    assert req.status == Status.PENDING


def test_an_approve_and_a_reject_at_once_leave_one_decision(school, teacher, logistics_admin):
    other_head = person(school, Role.LOGISTICS_ADMIN, name="第二位主任")
    req = submitted(school, teacher, [line()])
    with slowed(rules, "acting_for"):
        results = race(lambda: services.requisition_approve(requisition=req, by=logistics_admin),
                       lambda: services.requisition_reject(requisition=req, by=other_head, reason="不同意"))
    assert sum(isinstance(r, WorkflowError) for r in results) == 1, results
    req.refresh_from_db()
    decided = ApprovalStep.objects.filter(requisition=req).exclude(status__in=[StepStatus.WAITING, StepStatus.VOID])
    assert decided.count() == 1
    assert req.status == (Status.REJECTED if decided.get().status == StepStatus.REJECTED else Status.PENDING)


def test_two_members_confirming_at_once_book_once(school, teacher, logistics_admin, principal):
    vice = person(school, Role.VICE_PRINCIPAL)
    third = person(school, name="第三位验收人")
    req = submitted(school, teacher, [line(quantity=3, fixed_asset=True, asset_class=projector_class())])
    for who in (logistics_admin, vice, principal):
        req = services.requisition_approve(requisition=req, by=who)
    req = services.requisition_order(requisition=req, by=logistics_admin, method="direct", supplier="华信", ordered_on=dt.date(2026, 11, 20),
                                     buyers=[logistics_admin, vice], quotes=[("a", 1), ("b", 2), ("c", 3)])
    acc = services.acceptance_record(requisition=req, by=logistics_admin, accepted_on=dt.date(2026, 11, 21), team=[logistics_admin, teacher, third],
                                     quantities={req.lines.get().pk: (3, 0)})
    race(lambda: services.acceptance_confirm(acceptance=acc, by=teacher), lambda: services.acceptance_confirm(acceptance=acc, by=third))
    assert AssetCard.objects.filter(school=school).count() == 3
    req.refresh_from_db()
    assert req.status == Status.ACCEPTED


def test_the_same_form_sent_twice_at_once_makes_one_request(school, teacher):
    from procurement.models import Requisition

    def send() -> Any:
        return services.requisition_save(school=school, by=teacher, purpose="教学用", lines=[line()], token="f" * 32)

    results = race(send, send)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Requisition.objects.filter(school=school).count() == 1
    assert results[0].pk == results[1].pk
