"""Reads of requisitions: who sees what, the approvals waiting for a person, budget figures.

Visibility (the one place that decides it): people with `procurement.view_all_requisitions` (the
office, finance, the leaders) see every request of the current school; everyone else their own
requests, those they approve or approved, and those they accept. Another school's requests are never
in the queryset, so they are a 404.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, Exists, F, OuterRef, Q, QuerySet, Sum
from django.http import Http404, HttpRequest
from django.utils import timezone

from logistics.models import Membership
from logistics.permissions import can
from logistics.scoping import require_school

from procurement.models import (
    APPROVED_STATUSES, AcceptanceLine, AcceptanceMember, ApprovalStep, BudgetLine, Delegation, Requisition, Status, StepKind, StepStatus,
)

LIST_RELATED = ("requester", "department")
LIST_ORDER = ("-created_at", "-id")


def requisitions_visible_to(*, user: Any, school: Any) -> QuerySet[Requisition]:
    qs = Requisition.objects.for_school(school)
    if can(user, school, "procurement.view_all_requisitions"):
        return qs
    decided = ApprovalStep.objects.filter(Q(decided_by_id=user.pk) | Q(on_behalf_of_id=user.pk)).values("requisition_id")
    team = AcceptanceMember.objects.filter(user_id=user.pk).values("acceptance__requisition_id")
    return qs.filter(Q(requester_id=user.pk) | Q(pk__in=decided) | Q(pk__in=team) | Q(pk__in=awaiting_ids(user=user, school=school)))


def visible_requisitions(request: HttpRequest) -> QuerySet[Requisition]:
    require_school(request)
    return requisitions_visible_to(user=request.user, school=request.school)


def get_requisition_for(request: HttpRequest, pk: int) -> Requisition:
    """The request if this person may see it, else 404 (also for another school's request)."""
    try:
        return visible_requisitions(request).select_related(*LIST_RELATED, "budget_line", "school", "tier").get(pk=pk)
    except Requisition.DoesNotExist:
        raise Http404 from None


def _roles_of(user: Any, school: Any) -> list[str]:
    return list(Membership.objects.for_school(school).active().filter(user_id=user.pk).values_list("roles__name", flat=True))


def awaiting_ids(*, user: Any, school: Any) -> QuerySet:
    """Ids of the pending requests whose current step this person (or the person they stand in for)
    may decide: one query, whatever the number of requests."""
    today = timezone.localdate()
    delegators = Delegation.objects.filter(school=school, delegate_id=user.pk, starts_on__lte=today, ends_on__gte=today).values("delegator_id")
    roles_of_delegators = Membership.objects.for_school(school).active().filter(user_id__in=delegators).values("roles__name")
    earlier = ApprovalStep.objects.filter(
        requisition_id=OuterRef("requisition_id"), round=OuterRef("round"), status=StepStatus.WAITING, order__lt=OuterRef("order"),
    )
    mine_before = ApprovalStep.objects.filter(
        Q(decided_by_id=user.pk) | Q(on_behalf_of_id=user.pk),
        requisition_id=OuterRef("requisition_id"), round=OuterRef("round"), status=StepStatus.APPROVED,
    )
    roles = _roles_of(user, school)
    who = (
        (~Q(kind=StepKind.PERSON) & (Q(role__in=roles) | Q(role__in=roles_of_delegators)))
        | Q(kind=StepKind.PERSON, person_id=user.pk)
        | Q(kind=StepKind.PERSON, person_id__in=delegators)
    )
    return (
        ApprovalStep.objects.filter(
            who, requisition__school=school, requisition__status=Status.PENDING, round=F("requisition__round"), status=StepStatus.WAITING,
        )
        .exclude(requisition__requester_id=user.pk)
        .exclude(Exists(earlier))
        .exclude(Exists(mine_before))
        .values("requisition_id")
    )


def awaiting(*, user: Any, school: Any) -> QuerySet[Requisition]:
    return Requisition.objects.for_school(school).filter(pk__in=awaiting_ids(user=user, school=school))


def awaiting_count(*, user: Any, school: Any) -> int:
    return awaiting(user=user, school=school).count()


def budget_left(line: BudgetLine | None, *, excluding: Requisition | None = None) -> Decimal | None:
    """What the line has left after the requests approved (or further) against it."""
    if line is None:
        return None
    used = Requisition.objects.filter(budget_line=line, status__in=APPROVED_STATUSES)
    if excluding is not None and excluding.pk:
        used = used.exclude(pk=excluding.pk)
    spent = used.aggregate(s=Sum("total"))["s"] or Decimal("0")
    return line.amount - spent


def budget_execution(school: Any, year: int) -> list[dict[str, Any]]:
    """Per budget line of the year: budget, approved, ordered, accepted (yuan) and the share used."""
    lines = list(BudgetLine.objects.for_school(school).filter(year=year).order_by("code", "name"))
    sums = {
        r["budget_line_id"]: r
        for r in Requisition.objects.for_school(school).filter(budget_line__in=lines, status__in=APPROVED_STATUSES)
        .values("budget_line_id")
        .annotate(
            approved=Sum("total"),
            ordered=Sum("purchase_amount", filter=Q(status__in=[Status.ORDERED, Status.ACCEPTED, Status.CLOSED])),
            accepted=Sum("purchase_amount", filter=Q(status__in=[Status.ACCEPTED, Status.CLOSED])),
        )
    }
    paid = dict(
        AcceptanceLine.objects.filter(acceptance__requisition__budget_line__in=lines, acceptance__paid_on__isnull=False)
        .values("acceptance__requisition__budget_line_id")
        .annotate(s=Sum(F("received") * F("line__unit_price"), output_field=DecimalField(max_digits=16, decimal_places=2)))
        .values_list("acceptance__requisition__budget_line_id", "s")
    )
    out = []
    for line in lines:
        row = sums.get(line.pk, {})
        approved = row.get("approved") or Decimal("0")
        out.append({
            "line": line, "budget": line.amount, "approved": approved, "ordered": row.get("ordered") or Decimal("0"),
            "accepted": row.get("accepted") or Decimal("0"), "paid": paid.get(line.pk) or Decimal("0"), "left": line.amount - approved,
            "percent": round(approved * 100 / line.amount, 1) if line.amount else None,
        })
    return out


def awaiting_invoice(school: Any) -> QuerySet[Any]:
    """Deliveries accepted without an invoice number: finance cannot pay them yet."""
    from procurement.models import Acceptance

    return Acceptance.objects.for_school(school).filter(invoice_number="", booked_at__isnull=False).select_related("requisition")
