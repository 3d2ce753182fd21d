"""Acceptance (验收) of a delivery, and its booking into the asset ledger or stock.

A team of at least two including the requester checks a delivery; when the last member confirms,
the accepted quantities go onto the ledger in the same transaction: fixed-asset lines as cards
(one per item, or one batch card when the class counts batches), consumables as stock receipts.
The booking runs under the requisition's row lock and only while `booked_at` is empty, so a
delivery confirmed twice (two taps, two members at once) is booked once.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Mapping, Sequence

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.models import User
from logistics.permissions import can
from logistics.workflow import WorkflowError, lock, record_change, refuse_unless, transition

from procurement import notify as n
from procurement import rules
from procurement.models import CENT, Acceptance, AcceptanceLine, AcceptanceMember, Requisition, RequisitionLine, Status
from procurement.services.requests import EARLIEST, LATEST

MIN_TEAM = 2


def received_so_far(req: Requisition) -> dict[int, int]:
    """Per line id: the quantity received (or refused) in acceptances recorded so far."""
    rows = (
        AcceptanceLine.objects.filter(acceptance__requisition=req).values("line_id")
        .annotate(received=Sum("received"), rejected=Sum("rejected"))
    )
    return {r["line_id"]: (r["received"] or 0) for r in rows}


@transaction.atomic
def acceptance_record(
    *, requisition: Requisition, by: User, accepted_on: dt.date, team: Sequence[User], quantities: Mapping[int, tuple[int, int]],
    invoice_number: str = "", spec_match: bool = True, quality: str = "", conclusion: str = Acceptance.Conclusion.PASSED,
) -> Acceptance:
    """Record one delivery: per line id, (received, rejected). The recorder confirms at once when on the team."""
    req = lock(requisition, related=("school", "requester"))
    refuse_unless(rules.record_acceptance(req, by))
    if not isinstance(accepted_on, dt.date) or not EARLIEST <= accepted_on <= LATEST:
        raise WorkflowError(_("The acceptance date is between 2000 and 2100."))
    if conclusion not in Acceptance.Conclusion.values:
        raise WorkflowError(_("Choose the conclusion."))
    people = {p.pk: p for p in team if p is not None}
    if len(people) < MIN_TEAM or req.requester_id not in people:
        raise WorkflowError(_("An acceptance team has at least two people, including the requester (%(who)s).") % {
            "who": req.requester.display_name})
    if not all(can(p, req.school_id, "procurement.view_requisition") for p in people.values()):
        raise WorkflowError(_("Every member of the team is a member of this school."))
    lines = {line.pk: line for line in req.lines.all()}
    done = received_so_far(req)
    rows: list[AcceptanceLine] = []
    for line_id, (received, rejected) in quantities.items():
        line = lines.get(int(line_id))
        if line is None:
            raise WorkflowError(_("A line of another request was given."))
        if not isinstance(received, int) or not isinstance(rejected, int) or received < 0 or rejected < 0:
            raise WorkflowError(_("%(item)s: quantities are whole numbers, not negative.") % {"item": line.name})
        if received > line.quantity - done.get(line.pk, 0):
            raise WorkflowError(_("%(item)s: %(n)s received is more than the %(left)s still to come.") % {
                "item": line.name, "n": received, "left": line.quantity - done.get(line.pk, 0)})
        if received or rejected:
            rows.append(AcceptanceLine(line=line, received=received, rejected=rejected))
    if not rows:
        raise WorkflowError(_("Enter the quantity received or refused of at least one line."))
    acceptance = Acceptance.objects.create(
        requisition=req, accepted_on=accepted_on, invoice_number=(invoice_number or "").strip()[:60], spec_match=bool(spec_match),
        quality=(quality or "").strip()[:200], conclusion=conclusion, recorded_by=by,
    )
    for row in rows:
        row.acceptance = acceptance
    AcceptanceLine.objects.bulk_create(rows)
    now = timezone.now()
    AcceptanceMember.objects.bulk_create(
        [AcceptanceMember(acceptance=acceptance, user=p, confirmed_at=now if p.pk == by.pk else None) for p in people.values()]
    )
    record_change(req, "delivery_recorded", by=by, note=_("%(n)s lines") % {"n": len(rows)}, data={"acceptance": acceptance.pk})
    n.tell(req, [p for p in people.values()], by=by,
           compose=lambda: (n.subject(req, _("confirm the acceptance")), _("A delivery is waiting for your confirmation.")))
    _book_if_complete(req, acceptance, by=by)
    return acceptance


@transaction.atomic
def acceptance_confirm(*, acceptance: Acceptance, by: User) -> Acceptance:
    req = lock(acceptance.requisition, related=("school", "requester"))
    acceptance = Acceptance.objects.select_related("recorded_by").get(pk=acceptance.pk)
    if req.status not in (Status.ORDERED, Status.ACCEPTED):
        raise WorkflowError(_("%(number)s is “%(status)s”: nothing can be accepted.") % {"number": req.number, "status": req.get_status_display()})
    member = AcceptanceMember.objects.filter(acceptance=acceptance, user=by).first()
    if member is None:
        raise WorkflowError(_("Only a member of the acceptance team confirms it."))
    if member.confirmed_at is not None:
        raise WorkflowError(_("You have already confirmed this acceptance."))
    member.confirmed_at = timezone.now()
    member.save(update_fields=["confirmed_at"])
    record_change(req, "acceptance_confirmed", by=by, data={"acceptance": acceptance.pk})
    _book_if_complete(req, acceptance, by=by)
    return acceptance


def _book_if_complete(req: Requisition, acceptance: Acceptance, *, by: User) -> None:
    if acceptance.booked_at is not None or AcceptanceMember.objects.filter(acceptance=acceptance, confirmed_at__isnull=True).exists():
        return
    # Claimed by update: only one caller books a delivery, whatever happens around it.
    if Acceptance.objects.filter(pk=acceptance.pk, booked_at__isnull=True).update(booked_at=timezone.now()) != 1:
        return
    acceptance.refresh_from_db()
    book(req, acceptance)
    done = received_so_far(req)
    if req.status == Status.ORDERED and all(done.get(line.pk, 0) >= line.quantity for line in req.lines.all()):
        req = transition(req, "accept", by=by, at=timezone.now())
        from procurement.report import record_purchase

        record_purchase(req)
    n.tell(req, [req.requester], by=by, compose=lambda: (n.subject(req, _("accepted and booked")), n.summary(req)))


def _unit_price(line: RequisitionLine, req: Requisition) -> Decimal:
    return line.unit_price


def book(req: Requisition, acceptance: Acceptance) -> None:
    """Put the accepted quantities of `acceptance` on the ledger (cards) or into stock (receipts)."""
    from assets.models import AssetSettings
    from assets.services.cards import card_register

    office = acceptance.recorded_by
    settings = None
    remarks = _("Requisition %(number)s; contract %(contract)s") % {"number": req.number, "contract": req.contract_number or "—"}
    for row in acceptance.lines.select_related("line__asset_class").filter(received__gt=0):
        line = row.line
        price = _unit_price(line, req)
        if line.fixed_asset and line.asset_class is not None:
            settings = settings or AssetSettings.for_school(req.school)
            common = {
                "school": req.school, "by": office, "asset_class": line.asset_class, "name": line.name, "spec": line.spec, "unit": line.unit,
                "acquired_on": acceptance.accepted_on, "funding": req.funding, "supplier": req.supplier,
                "invoice_number": acceptance.invoice_number, "warranty_until": req.warranty_until, "department": req.department,
                "remarks": remarks, "settings": settings, "note": str(req.number),
            }
            if line.asset_class.batch_counts and price < settings.threshold_for(line.asset_class) and row.received > 1:
                cards = [card_register(**common, quantity=row.received, original_value=(price * row.received).quantize(CENT))]
            else:
                cards = [card_register(**common, quantity=1, original_value=price) for _i in range(row.received)]
            row.cards.add(*cards)
        else:
            _receive_into_stock(req, acceptance, row, price)


def _receive_into_stock(req: Requisition, acceptance: Acceptance, row: AcceptanceLine, price: Decimal) -> None:
    try:
        from assets.services.stock import receive
    except ImportError:  # the stock ledger is not installed: the line stays accepted on this side only
        return
    line = row.line
    receive(school=req.school, by=acceptance.recorded_by, name=line.name, spec=line.spec, unit=line.unit, quantity=Decimal(row.received),
            unit_price=price, supplier=req.supplier, invoice_number=acceptance.invoice_number, received_on=acceptance.accepted_on,
            note=str(req.number), source=acceptance)
    AcceptanceLine.objects.filter(pk=row.pk).update(stock_booked=True)


@transaction.atomic
def acceptance_pay(*, acceptance: Acceptance, by: User, paid_on: dt.date) -> Acceptance:
    """Finance records the payment of a delivery: only once it is accepted, booked and invoiced
    (the 验收单 gates payment), and once."""
    req = lock(acceptance.requisition, related=("school",))
    if not can(by, req.school_id, "procurement.record_payment"):
        raise WorkflowError(_("Only finance records payments."))
    acceptance = Acceptance.objects.get(pk=acceptance.pk)
    if acceptance.booked_at is None:
        raise WorkflowError(_("A delivery is paid once its acceptance is confirmed by the whole team."))
    if not acceptance.invoice_number:
        raise WorkflowError(_("Record the invoice number before the payment."))
    if acceptance.paid_on is not None:
        raise WorkflowError(_("This delivery was paid on %(day)s.") % {"day": acceptance.paid_on.isoformat()})
    if not isinstance(paid_on, dt.date) or not EARLIEST <= paid_on <= LATEST:
        raise WorkflowError(_("The payment date is between 2000 and 2100."))
    Acceptance.objects.filter(pk=acceptance.pk).update(paid_on=paid_on, paid_by=by)
    record_change(req, "paid", by=by, note=paid_on.isoformat(), data={"acceptance": acceptance.pk})
    acceptance.paid_on, acceptance.paid_by = paid_on, by
    return acceptance
