"""The approval rules of issue 13, each a test: in order, no skip, no double, no self approval, one
person one step, an amount edit restarts and re-tiers, a role lost mid-way, a delegate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from logistics.models import Membership, Role
from logistics.notifications import Notification
from logistics.permissions import forget
from procurement import services
from procurement.models import ApprovalStep, Status, StepStatus
from procurement.services import WorkflowError
from tests.procurement.factories import DelegationFactory, draft, line, person, submitted


def approve(req: Any, by: Any, **kw: Any) -> Any:
    return services.requisition_approve(requisition=req, by=by, **kw)


def test_a_small_request_needs_logistics_then_vice_principal(school, teacher, chain):
    logistics, vice, principal = chain
    req = submitted(school, teacher, [line(price="2000", quantity=2)])
    assert req.number.startswith(f"QG{timezone.localdate().year}-")
    assert [s.role for s in req.steps.filter(round=req.round)] == [Role.LOGISTICS_ADMIN, Role.VICE_PRINCIPAL]
    req = approve(req, logistics)
    assert req.status == Status.PENDING
    req = approve(req, vice)
    assert req.status == Status.APPROVED and req.approved_at


def test_34400_yuan_adds_the_principal(school, teacher, chain):
    req = submitted(school, teacher, [line(quantity=8, price="4300")])
    assert req.total == Decimal("34400.00")
    assert [s.role for s in req.steps.all()] == [Role.LOGISTICS_ADMIN, Role.VICE_PRINCIPAL, Role.PRINCIPAL]


def test_steps_go_in_order_the_second_cannot_go_first(school, teacher, chain):
    logistics, vice, principal = chain
    req = submitted(school, teacher, [line(quantity=8, price="4300")])
    with pytest.raises(WorkflowError):
        approve(req, vice)
    with pytest.raises(WorkflowError):
        approve(req, principal)
    assert not ApprovalStep.objects.filter(requisition=req, status=StepStatus.APPROVED).exists()


def test_the_first_approver_cannot_finish_the_chain(school, teacher, chain):
    logistics, vice, principal = chain
    req = submitted(school, teacher, [line(quantity=8, price="4300")])
    req = approve(req, logistics)
    with pytest.raises(WorkflowError, match="已审批过"):
        approve(req, logistics)
    req.refresh_from_db()
    assert req.status == Status.PENDING
    assert ApprovalStep.objects.filter(requisition=req, status=StepStatus.APPROVED).count() == 1


def test_nobody_approves_their_own_request(school, chain):
    logistics, vice, principal = chain
    req = submitted(school, logistics, [line()])
    with pytest.raises(WorkflowError, match="本人提出"):
        approve(req, logistics)


def test_one_person_with_two_roles_approves_one_step_only(school, teacher, logistics_admin):
    both = person(school, Role.LOGISTICS_ADMIN, Role.VICE_PRINCIPAL, name="兼任")
    req = submitted(school, teacher, [line()])
    req = approve(req, both)
    with pytest.raises(WorkflowError, match="须由他人"):
        approve(req, both)
    # Another holder of the second role can.
    vice = person(school, Role.VICE_PRINCIPAL)
    assert approve(req, vice).status == Status.APPROVED


def test_an_approved_request_cannot_be_approved_again(school, teacher, chain):
    logistics, vice, principal = chain
    req = approve(approve(submitted(school, teacher, [line()]), logistics), vice)
    with pytest.raises(WorkflowError):
        approve(req, principal)


def test_editing_the_amount_during_approval_starts_again_and_takes_the_new_tier(school, teacher, chain):
    logistics, vice, principal = chain
    req = submitted(school, teacher, [line(quantity=2, price="4000")])
    req = approve(req, logistics)
    first_round = req.round
    req = services.requisition_save(school=school, by=teacher, requisition=req, purpose="教学用", lines=[line(quantity=3, price="4000")])
    assert req.status == Status.PENDING and req.round == first_round + 1
    assert req.total == Decimal("12000.00")
    steps = list(req.steps.filter(round=req.round))
    assert [s.role for s in steps] == [Role.LOGISTICS_ADMIN, Role.VICE_PRINCIPAL, Role.PRINCIPAL]
    assert all(s.status == StepStatus.WAITING for s in steps)
    assert not req.steps.filter(round=first_round, status=StepStatus.APPROVED).exists()
    # The logistics head approves again: the earlier yes does not count for the new figures.
    with pytest.raises(WorkflowError):
        approve(req, vice)
    req = approve(req, logistics)
    req = approve(req, vice)
    assert approve(req, principal).status == Status.APPROVED


def test_editing_only_the_purpose_keeps_the_decisions(school, teacher, chain):
    logistics, vice, principal = chain
    req = approve(submitted(school, teacher, [line()]), logistics)
    req = services.requisition_save(school=school, by=teacher, requisition=req, purpose="改写用途", lines=[line()])
    assert req.steps.filter(round=req.round, status=StepStatus.APPROVED).count() == 1


def test_an_approver_who_loses_the_role_cannot_act(school, teacher, chain):
    logistics, vice, principal = chain
    req = approve(submitted(school, teacher, [line()]), logistics)
    membership = Membership.objects.get(user=vice, school=school)
    membership.roles.remove(*membership.roles.filter(name=Role.VICE_PRINCIPAL))
    forget(vice)
    with pytest.raises(WorkflowError):
        approve(req, vice)


def test_a_delegate_acts_while_the_delegation_runs(school, teacher, chain):
    logistics, vice, principal = chain
    stand_in = person(school, name="代理人")
    req = approve(submitted(school, teacher, [line()]), logistics)
    with pytest.raises(WorkflowError):
        approve(req, stand_in)
    today = timezone.localdate()
    DelegationFactory(school=school, delegator=vice, delegate=stand_in, starts_on=today, ends_on=today + dt.timedelta(days=3))
    req = approve(req, stand_in)
    step = req.steps.get(round=req.round, role=Role.VICE_PRINCIPAL)
    assert req.status == Status.APPROVED and step.decided_by == stand_in and step.on_behalf_of == vice


def test_a_delegation_that_ended_does_not_work(school, teacher, chain):
    logistics, vice, principal = chain
    stand_in = person(school)
    today = timezone.localdate()
    DelegationFactory(school=school, delegator=vice, delegate=stand_in, starts_on=today - dt.timedelta(days=9), ends_on=today - dt.timedelta(days=1))
    req = approve(submitted(school, teacher, [line()]), logistics)
    with pytest.raises(WorkflowError):
        approve(req, stand_in)


def test_the_requester_cannot_approve_as_a_delegate(school, chain):
    logistics, vice, principal = chain
    requester = person(school)
    today = timezone.localdate()
    DelegationFactory(school=school, delegator=vice, delegate=requester, starts_on=today, ends_on=today)
    req = approve(submitted(school, requester, [line()]), logistics)
    with pytest.raises(WorkflowError, match="本人提出"):
        approve(req, requester)


def test_another_schools_approver_cannot_approve(school, teacher, chain, outsider):
    req = submitted(school, teacher, [line()])
    with pytest.raises(WorkflowError):
        approve(req, outsider)


def test_a_rejection_needs_a_reason_and_tells_the_requester(school, teacher, chain):
    logistics, vice, principal = chain
    req = submitted(school, teacher, [line()])
    with pytest.raises(WorkflowError, match="退回理由"):
        services.requisition_reject(requisition=req, by=logistics, reason="  ")
    req = services.requisition_reject(requisition=req, by=logistics, reason="预算不足")
    assert req.status == Status.REJECTED and req.reject_reason == "预算不足"
    assert Notification.objects.filter(recipient=teacher, subject__contains=req.number).exists()
    # Revised and submitted again: a new round from the first step.
    req = services.requisition_save(school=school, by=teacher, requisition=req, purpose="教学用", lines=[line(price="3000")])
    req = services.requisition_submit(requisition=req, by=teacher)
    assert req.status == Status.PENDING and req.round == 2
    assert approve(approve(req, logistics), vice).status == Status.APPROVED


def test_the_next_approver_is_told(school, teacher, chain):
    logistics, vice, principal = chain
    req = submitted(school, teacher, [line()])
    assert Notification.objects.filter(recipient=logistics).count() == 1
    approve(req, logistics)
    assert Notification.objects.filter(recipient=vice, subject__contains=req.number).exists()


def test_a_collective_decision_needs_its_minutes(school, teacher, chain):
    logistics, vice, principal = chain
    req = submitted(school, teacher, [line(quantity=20, price="4300")])
    assert req.total == Decimal("86000.00")
    for who in (logistics, vice, principal):
        req = approve(req, who)
    # The collective step is recorded by a principal: another principal (one person, one step).
    second = person(school, Role.PRINCIPAL, name="党组织书记")
    with pytest.raises(WorkflowError, match="会议纪要"):
        approve(req, second)
    req = approve(req, second, minutes=SimpleUploadedFile("会议纪要.pdf", b"%PDF-1.4 minutes"))
    assert req.status == Status.APPROVED
    assert req.steps.get(round=req.round, kind="collective").minutes.name.endswith(".pdf")


def test_withdraw_before_approval_only(school, teacher, chain):
    logistics, vice, principal = chain
    req = submitted(school, teacher, [line()])
    req = services.requisition_withdraw(requisition=req, by=teacher)
    assert req.status == Status.WITHDRAWN
    with pytest.raises(WorkflowError):
        approve(req, logistics)
    other = approve(approve(submitted(school, teacher, [line()]), logistics), vice)
    with pytest.raises(WorkflowError):
        services.requisition_withdraw(requisition=other, by=teacher)


def test_reminders_go_after_two_school_days_once_a_day(school, teacher, chain):
    logistics, vice, principal = chain
    req = submitted(school, teacher, [line()])
    monday = timezone.make_aware(dt.datetime(2026, 11, 23, 9))
    ApprovalStep.objects.filter(requisition=req).update(waiting_since=monday)
    assert services.reminders_send(now=monday + dt.timedelta(days=2)) == 0
    before = Notification.objects.filter(recipient=logistics).count()
    assert services.reminders_send(now=monday + dt.timedelta(days=3)) == 1
    assert services.reminders_send(now=monday + dt.timedelta(days=3, hours=1)) == 0
    assert Notification.objects.filter(recipient=logistics).count() == before + 1


def test_the_minutes_are_served_to_those_who_see_the_request_only(client_for, school, teacher, chain, outsider):
    from django.urls import reverse

    req = submitted(school, teacher, [line(quantity=20, price="4300")])
    for who in chain:
        req = approve(req, who)
    second = person(school, Role.PRINCIPAL, name="党组织书记")
    req = approve(req, second, minutes=SimpleUploadedFile("会议纪要.pdf", b"%PDF-1.4 minutes"))
    step = req.steps.get(round=req.round, kind="collective")
    url = reverse("procurement:step-minutes", args=[req.pk, step.pk])
    response = client_for(teacher).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 minutes"
    assert "attachment" in response["Content-Disposition"]
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(person(school)).get(url).status_code == 404
    other = req.steps.get(round=req.round, order=10)
    assert client_for(teacher).get(reverse("procurement:step-minutes", args=[req.pk, other.pk])).status_code == 404
    assert "data-minutes" in client_for(teacher).get(req.get_absolute_url()).content.decode()
