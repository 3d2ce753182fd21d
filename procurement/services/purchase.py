"""The logistics office buys what was approved: method, supplier, quotes, contract, buyers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.models import User
from logistics.permissions import can
from logistics.workflow import WorkflowError, lock, refuse_unless, transition

from procurement import notify as n
from procurement import rules
from procurement.models import CENT, Method, ProcurementSettings, Quote, Requisition
from procurement.services.requests import EARLIEST, LATEST

MIN_BUYERS = 2
MIN_QUOTES = 3


@transaction.atomic
def requisition_order(
    *, requisition: Requisition, by: User, method: str, supplier: str, ordered_on: dt.date, buyers: Sequence[User],
    amount: Decimal | None = None, contract_number: str = "", quotes: Sequence[tuple[str, Decimal]] = (), gov_reference: str = "",
    warranty_until: dt.date | None = None,
) -> Requisition:
    req = lock(requisition, related=("school", "requester"))
    refuse_unless(rules.order(req, by))
    supplier = (supplier or "").strip()
    if not supplier:
        raise WorkflowError(_("Name the supplier."))
    if method not in Method.values:
        raise WorkflowError(_("Choose the purchase method."))
    if not isinstance(ordered_on, dt.date) or not EARLIEST <= ordered_on <= LATEST:
        raise WorkflowError(_("The order date is between 2000 and 2100."))
    if warranty_until is not None and not EARLIEST <= warranty_until <= LATEST:
        raise WorkflowError(_("The warranty date is between 2000 and 2100."))
    amount = req.total if amount is None else Decimal(amount)
    if amount < 0 or amount != amount.quantize(CENT):
        raise WorkflowError(_("The purchase amount is a positive amount in yuan with at most two decimals."))
    people = {b.pk: b for b in buyers if b is not None}
    if len(people) < MIN_BUYERS:
        raise WorkflowError(_("A purchase is made by at least two people: name two buyers."))
    if not all(can(b, req.school_id, "procurement.view_requisition") for b in people.values()):
        raise WorkflowError(_("Every buyer is a member of this school."))
    if (req.gov_procurement or req.centralized) and method != Method.GOVERNMENT:
        raise WorkflowError(_("%(number)s goes through government procurement (centralized catalogue or above the limit).") % {
            "number": req.number})
    gov_reference = (gov_reference or "").strip()
    if method == Method.GOVERNMENT and not gov_reference:
        raise WorkflowError(_("Record the government-procurement reference."))
    quotes = [((s or "").strip(), Decimal(a)) for s, a in quotes if (s or "").strip()]
    if any(a < 0 for _s, a in quotes):
        raise WorkflowError(_("A quote cannot be negative."))
    threshold = ProcurementSettings.for_school(req.school).quotes_threshold
    if method in (Method.QUOTES, Method.DIRECT) and amount >= threshold and len({s for s, _a in quotes}) < MIN_QUOTES:
        raise WorkflowError(_("From %(threshold)s yuan the school asks for at least three quotes from different suppliers.") % {
            "threshold": f"{threshold:,.2f}"})
    Quote.objects.bulk_create([Quote(requisition=req, supplier=s[:100], amount=a.quantize(CENT)) for s, a in quotes])
    req = transition(
        req, "order", by=by, at=timezone.now(), note=supplier,
        purchase={"method": method, "supplier": supplier[:100], "contract_number": (contract_number or "").strip()[:60], "ordered_on": ordered_on,
                  "purchase_amount": amount.quantize(CENT), "gov_reference": gov_reference[:60], "warranty_until": warranty_until},
    )
    req.buyers.set(people.values())
    n.tell(req, [req.requester], by=by, compose=lambda: (n.subject(req, _("ordered from %(s)s") % {"s": req.supplier}), n.summary(req)))
    return req
