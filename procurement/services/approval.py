"""The approvers' side: a round of steps from the tier, approve, reject, and the daily reminder.

Every decision runs under the requisition's row lock (`logistics.workflow.lock`): two approvers
pressing at once are served one after the other, and the second reads the step already decided and
is refused by the same rule that hides their button.
"""

from __future__ import annotations

import datetime as dt
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.models import User
from logistics.workflow import WorkflowError, lock, record_change, refuse_unless, transition

from procurement import notify as n
from procurement import rules
from procurement.models import ApprovalStep, ApprovalTier, ProcurementSettings, Requisition, Status, StepKind, StepStatus

MAX_MINUTES_BYTES = 20 * 1024 * 1024


def start_round(req: Requisition, *, by: User) -> list[ApprovalStep]:
    """Void what is left of the current round and copy the tier of the present total into a new one.
    Runs inside the caller's transaction, on a locked requisition."""
    now = timezone.now()
    ApprovalStep.objects.filter(requisition=req, round=req.round).exclude(status=StepStatus.REJECTED).update(status=StepStatus.VOID)
    tier = ApprovalTier.for_amount(req.school, req.total)
    if tier is None:
        raise WorkflowError(_("No approval tier covers %(total)s yuan; ask the logistics office to set the tiers.") % {
            "total": f"{req.total:,.2f}"})
    settings = ProcurementSettings.for_school(req.school)
    centralized = req.lines.filter(catalogue_item__centralized=True).exists()
    req = record_change(req, "tiered", by=by, round=req.round + 1, tier=tier, centralized=centralized,
                        gov_procurement=req.total >= settings.gov_procurement_limit, note=tier.name)
    steps = [
        ApprovalStep(requisition=req, round=req.round, order=s.order, kind=s.kind, role=s.role, person=s.person)
        for s in tier.steps.select_related("person").order_by("order", "pk")
    ]
    if not steps:
        raise WorkflowError(_("The tier “%(tier)s” has no steps; ask the logistics office to set them.") % {"tier": tier.name})
    steps[0].waiting_since = now
    ApprovalStep.objects.bulk_create(steps)
    first = steps[0]
    first.requisition = req
    n.tell(req, n.approvers_of(first), by=by, compose=lambda: (n.subject(req, _("waiting for your approval")), n.summary(req)))
    return steps


def _check_minutes(step: ApprovalStep, minutes: UploadedFile | None) -> None:
    if step.kind != StepKind.COLLECTIVE:
        return
    if minutes is None:
        raise WorkflowError(_("A collective decision (三重一大) is recorded with its meeting minutes: attach the file."))
    if minutes.size > MAX_MINUTES_BYTES:
        raise WorkflowError(_("The minutes file is larger than 20 MB."))


@transaction.atomic
def requisition_approve(*, requisition: Requisition, by: User, note: str = "", minutes: UploadedFile | None = None) -> Requisition:
    req = lock(requisition, related=("school", "requester"))
    refused, on_behalf_of = rules.acting_for(req, by)
    refuse_unless(refused)
    step = rules.current_step(req)
    _check_minutes(step, minutes)
    now = timezone.now()
    step.status, step.decided_by, step.on_behalf_of, step.decided_at, step.note = StepStatus.APPROVED, by, on_behalf_of, now, (note or "").strip()
    if minutes is not None:
        step.minutes = minutes
    step.save()
    following = next((s for s in rules.round_steps(req) if s.status == StepStatus.WAITING and s.pk != step.pk), None)
    if following is None:
        req = transition(req, "approve", by=by, at=now, note=step.note, data={"step": step.pk})
        n.tell(req, [req.requester], by=by, compose=lambda: (n.subject(req, _("approved")), n.summary(req)))
        n.tell(req, n.office_of(req), by=by, compose=lambda: (n.subject(req, _("approved, to buy")), n.summary(req)))
        return req
    ApprovalStep.objects.filter(pk=following.pk).update(waiting_since=now)
    req = record_change(req, "step_approved", by=by, note=f"{step.label}: {step.note}"[:500],
                        data={"step": step.pk, "on_behalf_of": on_behalf_of.pk if on_behalf_of else None})
    following.requisition = req
    n.tell(req, n.approvers_of(following), by=by, compose=lambda: (n.subject(req, _("waiting for your approval")), n.summary(req)))
    n.tell(req, [req.requester], by=by,
           compose=lambda: (n.subject(req, _("approved by %(who)s") % {"who": by.display_name}), n.summary(req)))
    return req


@transaction.atomic
def requisition_reject(*, requisition: Requisition, by: User, reason: str) -> Requisition:
    req = lock(requisition, related=("school", "requester"))
    refused, on_behalf_of = rules.acting_for(req, by)
    refuse_unless(refused)
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Give the reason for rejecting."))
    step = rules.current_step(req)
    now = timezone.now()
    ApprovalStep.objects.filter(pk=step.pk).update(status=StepStatus.REJECTED, decided_by=by, on_behalf_of=on_behalf_of, decided_at=now, note=reason)
    ApprovalStep.objects.filter(requisition=req, round=req.round, status=StepStatus.WAITING).update(status=StepStatus.VOID)
    req = transition(req, "reject", by=by, reason=reason, at=now, note=reason)
    n.tell(req, [req.requester], by=by,
           compose=lambda: (n.subject(req, _("rejected by %(who)s") % {"who": by.display_name}), reason))
    return req


def school_days_between(start: dt.date, end: dt.date) -> int:
    """Weekdays after `start` up to `end` (holidays are not modelled yet)."""
    days, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days += 1
    return days


def reminders_send(*, now: dt.datetime | None = None, days: int = 2) -> int:
    """Tell the approvers of each step waiting more than `days` school days, once a day."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    earlier = ApprovalStep.objects.filter(
        requisition_id=OuterRef("requisition_id"), round=OuterRef("round"), status=StepStatus.WAITING, order__lt=OuterRef("order"))
    waiting = (
        ApprovalStep.objects.filter(status=StepStatus.WAITING, requisition__status=Status.PENDING, waiting_since__isnull=False)
        .exclude(Exists(earlier))
        .select_related("requisition__school", "person")
        .order_by("pk")
    )
    for step in waiting.iterator(chunk_size=500):
        req = step.requisition
        if step.round != req.round or school_days_between(timezone.localdate(step.waiting_since), today) <= days:
            continue
        if step.reminded_at and timezone.localdate(step.reminded_at) == today:
            continue
        if ApprovalStep.objects.filter(pk=step.pk, reminded_at=step.reminded_at).update(reminded_at=now) != 1:
            continue
        n.tell(req, n.approvers_of(step), by=None,
               compose=lambda req=req: (n.subject(req, _("still waiting for your approval")), n.summary(req)))
        sent += 1
    return sent
