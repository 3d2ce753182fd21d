"""The requester's side: write a request (draft), change it, submit it, withdraw it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.models import Department, School, User
from logistics.numbering import next_in_sequence
from logistics.permissions import can
from logistics.workflow import WorkflowError, lock, record_change, refuse_unless, transition

from procurement import notify as n
from procurement import rules
from procurement.models import CENT, BudgetLine, CatalogueItem, ProcurementSettings, Requisition, RequisitionCounter, RequisitionLine, Status
from procurement.services.approval import start_round

MAX_QUANTITY = 1_000_000
MAX_UNIT_PRICE = Decimal("9999999999.99")
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)


@dataclass
class LineInput:
    name: str
    quantity: int
    unit_price: Decimal
    spec: str = ""
    unit: str = "台"
    fixed_asset: bool = False
    asset_class: Any = None
    catalogue_item: CatalogueItem | None = None


def _clean_lines(school: School, lines: Sequence[LineInput]) -> list[LineInput]:
    if not lines:
        raise WorkflowError(_("Add at least one line."))
    for i, line in enumerate(lines, 1):
        line.name = (line.name or "").strip()
        if not line.name:
            raise WorkflowError(_("Line %(n)s: name the item.") % {"n": i})
        if not isinstance(line.quantity, int) or not 1 <= line.quantity <= MAX_QUANTITY:
            raise WorkflowError(_("Line %(n)s: the quantity is a whole number from 1 to 1,000,000.") % {"n": i})
        try:
            price = Decimal(line.unit_price)
        except (InvalidOperation, TypeError, ValueError):
            raise WorkflowError(_("Line %(n)s: enter the unit price.") % {"n": i}) from None
        if price < 0 or price > MAX_UNIT_PRICE or price != price.quantize(CENT):
            raise WorkflowError(_("Line %(n)s: the unit price is a positive amount in yuan with at most two decimals.") % {"n": i})
        line.unit_price = price
        if line.fixed_asset and line.asset_class is None:
            raise WorkflowError(_("Line %(n)s: a fixed asset needs its asset class.") % {"n": i})
        if line.catalogue_item is not None and line.catalogue_item.school_id != school.pk:
            raise WorkflowError(_("Line %(n)s: the catalogue item belongs to another school.") % {"n": i})
    return list(lines)


def _figures(lines: Sequence[Any]) -> list[tuple[str, int, Decimal]]:
    return [(line.name, int(line.quantity), Decimal(line.unit_price)) for line in lines]


def _write_lines(req: Requisition, lines: Sequence[LineInput]) -> Decimal:
    req.lines.all().delete()
    rows = [
        RequisitionLine(
            requisition=req, order=i, name=line.name, spec=(line.spec or "").strip(), unit=(line.unit or "").strip() or "台",
            quantity=line.quantity, unit_price=line.unit_price, amount=(line.quantity * line.unit_price).quantize(CENT),
            fixed_asset=line.fixed_asset, asset_class=line.asset_class, catalogue_item=line.catalogue_item,
        )
        for i, line in enumerate(lines, 1)
    ]
    RequisitionLine.objects.bulk_create(rows)
    return sum((r.amount for r in rows), Decimal("0"))


def _check_header(school: School, *, department: Department | None, budget_line: BudgetLine | None, needed_by: dt.date | None,
                  purpose: str) -> None:
    if not (purpose or "").strip():
        raise WorkflowError(_("Say what the purchase is for."))
    if department is not None and department.school_id != school.pk:
        raise WorkflowError(_("The department belongs to another school."))
    if budget_line is not None and budget_line.school_id != school.pk:
        raise WorkflowError(_("The budget line belongs to another school."))
    if needed_by is not None and not EARLIEST <= needed_by <= LATEST:
        raise WorkflowError(_("The date needed is between 2000 and 2100."))


@transaction.atomic
def requisition_save(
    *, school: School, by: User, lines: Sequence[LineInput], purpose: str, requisition: Requisition | None = None,
    department: Department | None = None, needed_by: dt.date | None = None, budget_line: BudgetLine | None = None,
    funding: str = "fiscal", token: str = "",
) -> Requisition:
    """Create a draft, or change a request that is a draft, waiting for approval or rejected.

    Changing the figures (items, quantities, prices) of a request waiting for approval starts the
    approval again from the first step, with the tier the new total falls in: nobody's yes stands
    for figures they did not see. A new request's form `token` makes a form sent twice one request
    (the first one is returned)."""
    token = (token or "").strip()[:40]
    if requisition is None:
        if not can(by, school, "procurement.add_requisition"):
            raise WorkflowError(_("You may not ask for purchases in this school."))
        if token and (earlier := Requisition.objects.filter(school=school, token=token, requester=by).first()):
            return earlier
        req = Requisition(school=school, requester=by, token=token)
    else:
        req = lock(requisition)
        refuse_unless(rules.edit(req, by))
    _check_header(school, department=department, budget_line=budget_line, needed_by=needed_by, purpose=purpose)
    lines = _clean_lines(school, lines)
    limit = ProcurementSettings.for_school(school).max_total
    total = sum(((line.quantity * line.unit_price).quantize(CENT) for line in lines), Decimal("0"))
    if total > limit:
        raise WorkflowError(_("%(total)s yuan is more than one request can be (at most %(max)s yuan): check the figures.") % {
            "total": f"{total:,.2f}", "max": f"{limit:,.2f}"})
    header = {"purpose": purpose.strip(), "department": department, "needed_by": needed_by, "budget_line": budget_line, "funding": funding}
    if req.pk is None:
        for name, value in header.items():
            setattr(req, name, value)
        try:
            with transaction.atomic():
                req.save()
        except IntegrityError:
            # The same form at the same moment (two taps): the other one made the request.
            earlier = Requisition.objects.filter(school=school, token=token, requester=by).first() if token else None
            if earlier is None:
                raise
            return earlier
        req.total = _write_lines(req, lines)
        req.save(update_fields=["total"])
        return req
    figures_changed = _figures(req.lines.all()) != _figures(lines)
    total = _write_lines(req, lines)
    req = record_change(req, "changed", by=by, total=total, **header)
    if req.status == Status.PENDING and figures_changed:
        req = transition(req, "restart", by=by, note=_("The figures changed: approval starts again."))
        start_round(req, by=by)
    return req


def _number(req: Requisition) -> str:
    year = timezone.localdate().year
    last = next_in_sequence(RequisitionCounter, school_id=req.school_id, year=year)
    if last is None:
        raise WorkflowError(_("Could not number the request; please try again."))
    return f"QG{year}-{last:04d}"


@transaction.atomic
def requisition_submit(*, requisition: Requisition, by: User) -> Requisition:
    req = lock(requisition, related=("school",))
    refuse_unless(rules.submit(req, by))
    if not req.lines.exists():
        raise WorkflowError(_("Add at least one line."))
    if not req.number:
        req = record_change(req, "numbered", by=by, number=_number(req))
    req = transition(req, "submit", by=by, at=timezone.now())
    start_round(req, by=by)
    return req


@transaction.atomic
def requisition_withdraw(*, requisition: Requisition, by: User) -> Requisition:
    req = lock(requisition, related=("school",))
    refuse_unless(rules.withdraw(req, by))
    was_pending = req.status == Status.PENDING
    req = transition(req, "withdraw", by=by, at=timezone.now())
    req.steps.filter(round=req.round, status="waiting").update(status="void")
    if was_pending:
        from procurement.models import ApprovalStep

        done = ApprovalStep.objects.filter(requisition=req, round=req.round, status="approved").select_related("decided_by")
        n.tell(req, [s.decided_by for s in done], by=by,
               compose=lambda: (n.subject(req, _("withdrawn by the requester")), n.summary(req)))
    return req
