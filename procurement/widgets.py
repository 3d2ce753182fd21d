"""The procurement app's cards on the home pages, its navigation entries and district columns."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logistics import widgets
from logistics.models import Membership
from logistics.options import count_for, person_count
from logistics.widgets import NavItem

from procurement.models import APPROVED_STATUSES, AcceptanceMember, ApprovalStep, Delegation, Requisition, Status
from procurement.selectors import awaiting, awaiting_count, awaiting_invoice, budget_execution

widgets.register_nav(NavItem("procurement", _("Purchases"), "procurement:requisition-list", "cart", order=40,
                             permissions=("procurement.view_requisition",)))
widgets.register_nav(NavItem("procurement-approvals", _("Approvals"), "procurement:approvals", "check2-square", order=41,
                             permissions=("procurement.approve_requisition",), count="procurement.awaiting"))


# The count beside 审批 in the navigation. A decision saves its step (approved) or its request (a new
# round, rejected, withdrawn, approved in full); a delegation or a role changes who decides: any of
# these saved in the school has everyone's count there read again.
@person_count("procurement.awaiting", depends_on=[Requisition, ApprovalStep, Delegation, Membership])
def _awaiting(user: Any, school: Any) -> int:
    return awaiting_count(user=user, school=school)

OPEN = (Status.DRAFT, Status.PENDING, Status.REJECTED, Status.APPROVED, Status.ORDERED)


@widgets.widget("procurement-approvals", _("Approvals waiting for me"), "procurement/widgets/approvals.html",
                permissions=("procurement.view_requisition",), order=5)
def approvals(request: HttpRequest) -> dict[str, Any] | None:
    """The oldest five waiting for this person; nothing read when the navigation's kept count is 0
    (most people, most days)."""
    count = count_for("procurement.awaiting", request.user, request.school)
    if not count:
        return None
    shown = list(awaiting(user=request.user, school=request.school).select_related("requester").order_by("submitted_at", "pk")[:5])
    return {"requests": shown, "count": count} if shown else None


@widgets.widget("procurement-mine", _("My purchase requests"), "procurement/widgets/mine.html",
                permissions=("procurement.add_requisition",), order=30)
def mine(request: HttpRequest) -> dict[str, Any]:
    qs = Requisition.objects.for_school(request.school).filter(requester=request.user, status__in=OPEN)
    to_confirm = (
        AcceptanceMember.objects.filter(user=request.user, confirmed_at__isnull=True, acceptance__requisition__school=request.school)
        .select_related("acceptance__requisition").order_by("pk")[:5]
    )
    return {"requests": list(qs.order_by("-created_at", "-pk")[:5]), "to_confirm": list(to_confirm)}


@widgets.widget("procurement-finance", _("Budget execution"), "procurement/widgets/finance.html",
                permissions=("procurement.add_budgetline",), order=15, width="col-12 col-xl-8")
def finance(request: HttpRequest) -> dict[str, Any]:
    year = timezone.localdate().year
    invoices = awaiting_invoice(request.school)
    return {"year": year, "lines": budget_execution(request.school, year), "awaiting_invoice": list(invoices.order_by("-accepted_on")[:5]),
            "awaiting_count": invoices.count()}


# --- The district viewer's table: one query per column, however many schools ---------------------

@widgets.district_column("procurement-pending", _("Requests waiting for approval"), order=40)
def district_pending(schools: list[Any]) -> dict[int, int]:
    rows = Requisition.objects.filter(school__in=schools, status=Status.PENDING).values("school_id").annotate(n=Count("pk")).order_by()
    counts = {r["school_id"]: r["n"] for r in rows}
    return {s.pk: counts.get(s.pk, 0) for s in schools}


@widgets.district_column("procurement-approved", _("Purchases approved this year (万元)"), order=41)
def district_approved(schools: list[Any]) -> dict[int, str]:
    start = timezone.make_aware(timezone.datetime(timezone.localdate().year, 1, 1))
    rows = (
        Requisition.objects.filter(school__in=schools, status__in=APPROVED_STATUSES, approved_at__gte=start)
        .values("school_id").annotate(total=Sum("total")).order_by()
    )
    totals = {r["school_id"]: r["total"] or Decimal("0") for r in rows}
    return {s.pk: f"{totals.get(s.pk, Decimal('0')) / 10000:.2f}" for s in schools}
