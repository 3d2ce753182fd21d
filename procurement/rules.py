"""Who may take which step on a requisition now: the one source of the answer.

Each rule returns None when `user` may take the step, or the translated reason they may not. The
services pass the answer to `refuse_unless()` on the locked row; `requisition_actions_for()` turns
the same answers into the buttons of the request page.

The approval rules (each a test in tests/procurement/test_approval.py):
- only the first waiting step of the current round can be decided: steps go in order, none skipped;
- a decided step is not waiting any more: nobody decides it twice;
- the requester never decides a step of their own request, not even as somebody's delegate;
- one person decides at most one step of a round, whatever roles they hold or whom they stand in for;
- the role (or named person) is checked at the moment of the decision: a role lost mid-way is lost;
- a delegate acts for a delegator who could decide the step, while the delegation runs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from logistics.permissions import can
from logistics.selectors import holds_role
from logistics.workflow import state_refused

from procurement.models import EDITABLE_STATUSES, ApprovalStep, Delegation, Requisition, Status, StepKind, StepStatus

Rule = Callable[[Requisition, Any], "str | None"]


def is_requester(req: Requisition, user: Any) -> bool:
    return req.requester_id == user.pk and can(user, req.school_id, "procurement.view_requisition")


def is_office(req: Requisition, user: Any) -> bool:
    return can(user, req.school_id, "procurement.purchase_requisition")


def _in_state(req: Requisition, name: str) -> str | None:
    return None if can_proceed(getattr(req, name)) else str(state_refused(req))


def round_steps(req: Requisition) -> list[ApprovalStep]:
    """The steps of the current round, in order (from a prefetch when the page made one)."""
    cache = getattr(req, "_prefetched_objects_cache", {}).get("steps")
    steps = list(cache) if cache is not None else list(req.steps.filter(round=req.round).select_related("person"))
    return sorted((s for s in steps if s.round == req.round), key=lambda s: s.order)


def current_step(req: Requisition) -> ApprovalStep | None:
    if req.status != Status.PENDING:
        return None
    return next((s for s in round_steps(req) if s.status == StepStatus.WAITING), None)


def _may_decide_directly(step: ApprovalStep, req: Requisition, person: Any) -> bool:
    if not can(person, req.school_id, "procurement.view_requisition"):
        return False
    if step.kind == StepKind.PERSON:
        return step.person_id == person.pk
    return holds_role(person, req.school_id, step.role)


def acting_for(req: Requisition, user: Any, *, today: dt.date | None = None) -> tuple[str | None, Any]:
    """(None, on_behalf_of) when `user` may decide the current step — on_behalf_of is the delegator or
    None — else (the reason, None)."""
    step = current_step(req)
    if step is None:
        return (str(state_refused(req)) if req.status != Status.PENDING else _("No step is waiting.")), None
    if req.requester_id == user.pk:
        return _("Nobody approves their own request."), None
    done = [s for s in round_steps(req) if s.status == StepStatus.APPROVED]
    deciders = {s.decided_by_id for s in done} | {s.on_behalf_of_id for s in done if s.on_behalf_of_id}
    if user.pk in deciders:
        return _("You have already decided a step of %(number)s; the next step needs another person.") % {"number": req.number}, None
    if _may_decide_directly(step, req, user):
        return None, None
    if can(user, req.school_id, "procurement.view_requisition"):
        today = today or timezone.localdate()
        delegations = Delegation.objects.filter(
            school_id=req.school_id, delegate=user, starts_on__lte=today, ends_on__gte=today,
        ).select_related("delegator")
        for d in delegations:
            who = d.delegator
            if who.pk != req.requester_id and who.pk not in deciders and who.is_active and _may_decide_directly(step, req, who):
                return None, who
    return _("This step waits for %(who)s.") % {"who": step.label}, None


def decide(req: Requisition, user: Any) -> str | None:
    return acting_for(req, user)[0]


def edit(req: Requisition, user: Any) -> str | None:
    if not is_requester(req, user):
        return _("Only the requester changes a request.")
    if req.status not in EDITABLE_STATUSES:
        return str(state_refused(req))
    return None


def _requester_step(name: str) -> Rule:
    def rule(req: Requisition, user: Any) -> str | None:
        if not is_requester(req, user):
            return _("Only the requester may do this.")
        return _in_state(req, name)

    return rule


submit = _requester_step("submit")
withdraw = _requester_step("withdraw")


def order(req: Requisition, user: Any) -> str | None:
    if not is_office(req, user):
        return _("Only the logistics office records purchases.")
    return _in_state(req, "order")


def record_acceptance(req: Requisition, user: Any) -> str | None:
    if not is_office(req, user):
        return _("Only the logistics office records an acceptance.")
    if req.status != Status.ORDERED:
        return _("Only an ordered request can be accepted; %(number)s is “%(status)s”.") % {
            "number": req.number, "status": req.get_status_display()}
    return None


RULES: dict[str, Rule] = {
    "edit": edit,
    "submit": submit,
    "withdraw": withdraw,
    "approve": decide,
    "reject": decide,
    "order": order,
    "accept": record_acceptance,
}


def requisition_actions_for(req: Requisition, user: Any) -> dict[str, bool]:
    """The steps `user` may take on `req` now: what the request page draws as buttons."""
    answers: dict[str, bool] = {}
    for name, rule in RULES.items():
        if name == "reject" and "approve" in answers:
            answers[name] = answers["approve"]
            continue
        answers[name] = rule(req, user) is None
    return answers
