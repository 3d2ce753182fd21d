"""Consumables: receive (入库), issue (领用, approved over the item's limit), take back (退库) and count
(盘点调整). Each change locks the stock row, checks, changes it and writes one `StockMove` with the
balance after it.

`receive()` is also what procurement's acceptance calls for goods below the fixed-asset threshold:

    from assets.services.stock import receive
    receipt = receive(school=school, by=user, name="A4复印纸", spec="70g 500张", unit="包", quantity=Decimal("40"),
                      unit_price=Decimal("23.50"), supplier="…", invoice_number="…", received_on=date, source=acceptance)
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics import audit
from logistics.models import Department, Membership, School, User
from logistics.permissions import can
from logistics.workflow import WorkflowError, lock

from assets.models import AssetSettings
from assets.models_stock import IssueStatus, MoveKind, Stock, StockIssue, StockItem, StockMove, StockReceipt, Warehouse, qty

__all__ = ["receive", "issue", "issue_for_repair", "issue_approve", "issue_reject", "take_back", "count", "default_warehouse",
           "item_for", "repair_stock_rows", "repair_issue_value", "WorkflowError"]

CENT = Decimal("0.01")
MAX_QUANTITY = Decimal("1000000")
MAX_PRICE = Decimal("10000000")
EARLIEST = dt.date(2000, 1, 1)


def _decimal(value: Any, what: str) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise WorkflowError(_("%(what)s is not a number.") % {"what": what}) from None
    if not number.is_finite():
        raise WorkflowError(_("%(what)s is not a number.") % {"what": what})
    return number


def _quantity(value: Any) -> Decimal:
    quantity = _decimal(value, _("The quantity"))
    if quantity <= 0:
        raise WorkflowError(_("The quantity must be more than 0."))
    if quantity >= MAX_QUANTITY:
        raise WorkflowError(_("%(n)s is more than any store holds: check the quantity.") % {"n": quantity})
    if quantity != quantity.quantize(CENT):
        raise WorkflowError(_("The quantity has at most two decimals."))
    return quantity.quantize(CENT)


def _date(value: Any, what: str) -> dt.date:
    if not isinstance(value, dt.date):
        raise WorkflowError(_("%(what)s is not a date.") % {"what": what})
    if isinstance(value, dt.datetime):
        value = value.date()
    if value < EARLIEST or value > timezone.localdate() + dt.timedelta(days=1):
        raise WorkflowError(_("%(what)s must be between %(start)s and today.") % {"what": what, "start": EARLIEST.isoformat()})
    return value


def default_warehouse(school: School) -> Warehouse:
    """The school's default warehouse (总库房), made on first use."""
    found = Warehouse.objects.filter(school=school, is_default=True).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Warehouse.objects.create(school=school, name=_("Main store"), is_default=True)
    except IntegrityError:  # someone made it at the same moment, or a non-default one has the name
        found = Warehouse.objects.filter(school=school, is_default=True).first()
        if found is not None:
            return found
        warehouse = Warehouse.objects.get(school=school, name=_("Main store"))
        Warehouse.objects.filter(pk=warehouse.pk).update(is_default=True)
        warehouse.is_default = True
        return warehouse


def item_for(school: School, *, name: str, spec: str = "", unit: str) -> StockItem:
    """The catalogue item of that name, spec and unit (whitespace trimmed), made if new."""
    name, spec, unit = (name or "").strip(), (spec or "").strip(), (unit or "").strip()
    if not name:
        raise WorkflowError(_("Name the item."))
    if not unit:
        raise WorkflowError(_("Give the unit (盒, 包, 个…)."))
    if len(name) > 100 or len(spec) > 200 or len(unit) > 10:
        raise WorkflowError(_("The name, spec or unit is too long."))
    try:
        with transaction.atomic():
            return StockItem.objects.get_or_create(school=school, name=name, spec=spec, unit=unit)[0]
    except IntegrityError:
        return StockItem.objects.get(school=school, name=name, spec=spec, unit=unit)


def _lock_stock(item: StockItem, warehouse: Warehouse) -> Stock:
    if warehouse.school_id != item.school_id:
        raise WorkflowError(_("That warehouse belongs to another school."))
    stock = Stock.objects.filter(item=item, warehouse=warehouse).first()
    if stock is None:
        try:
            with transaction.atomic():
                stock = Stock.objects.create(item=item, warehouse=warehouse)
        except IntegrityError:
            stock = Stock.objects.get(item=item, warehouse=warehouse)
    return lock(stock)


def _move(stock: Stock, kind: str, *, quantity: Decimal, amount: Decimal, on: dt.date, by: User, note: str = "",
          **links: Any) -> StockMove:
    return StockMove.objects.create(school_id=stock.item.school_id, item=stock.item, warehouse=stock.warehouse, kind=kind, on=on,
                                    quantity=quantity, amount=amount, balance=stock.quantity, by=by, note=(note or "")[:200], **links)


def _take_out(stock: Stock, quantity: Decimal) -> Decimal:
    """Take `quantity` out of a locked stock row at its average cost; the last unit takes the rest of the value."""
    if quantity > stock.quantity:
        raise WorkflowError(_("Only %(have)s %(unit)s of %(item)s in %(warehouse)s: cannot take %(want)s.") % {
            "have": qty(stock.quantity), "unit": stock.item.unit, "item": stock.item.name, "warehouse": stock.warehouse.name,
            "want": qty(quantity)})
    amount = stock.value if quantity == stock.quantity else (stock.value * quantity / stock.quantity).quantize(CENT)
    stock.quantity -= quantity
    stock.value -= amount
    stock.save(update_fields=["quantity", "value"])
    return amount


@transaction.atomic
def receive(*, school: School, by: User, name: str, spec: str, unit: str, quantity: Decimal, unit_price: Decimal, supplier: str,
            invoice_number: str, received_on: dt.date, note: str = "", source: Any = None,
            warehouse: Warehouse | None = None) -> StockReceipt:
    """Goods in: the item (found or made by name + spec + unit) gains `quantity` in the school's default
    warehouse (or `warehouse`) at `unit_price`. `source` is any record the goods came from (kept as a
    generic link and its text). Bad input raises WorkflowError and writes nothing."""
    quantity = _quantity(quantity)
    unit_price = _decimal(unit_price, _("The unit price"))
    if unit_price < 0:
        raise WorkflowError(_("The unit price cannot be negative."))
    if unit_price >= MAX_PRICE:
        raise WorkflowError(_("%(value)s yuan is not a consumable's price: check the figure.") % {"value": f"{unit_price:,.2f}"})
    unit_price = unit_price.quantize(CENT)
    # 财政部令第108号: at the threshold an item is a fixed asset with its own card (procurement books
    # such lines with card_register); in stock it would leave the ledger and the depreciation.
    threshold = AssetSettings.for_school(school).fixed_asset_threshold
    if unit_price >= threshold:
        raise WorkflowError(_("%(value)s yuan a piece is at or above the fixed-asset threshold of %(threshold)s yuan: "
                              "register it as an asset card, not as a consumable.") % {
            "value": f"{unit_price:,.2f}", "threshold": f"{threshold:,.2f}"})
    received_on = _date(received_on, _("The date received"))
    item = item_for(school, name=name, spec=spec, unit=unit)
    warehouse = warehouse or default_warehouse(school)
    stock = _lock_stock(item, warehouse)
    amount = (quantity * unit_price).quantize(CENT)
    receipt = StockReceipt(school=school, item=item, warehouse=warehouse, quantity=quantity, unit_price=unit_price, amount=amount,
                           supplier=(supplier or "").strip()[:100], invoice_number=(invoice_number or "").strip()[:50],
                           received_on=received_on, note=(note or "").strip()[:200], by=by)
    if source is not None:
        receipt.source_type = ContentType.objects.get_for_model(source)
        receipt.source_id = source.pk
        receipt.source_label = str(source)[:200]
    receipt.save()
    stock.quantity += quantity
    stock.value += amount
    stock.save(update_fields=["quantity", "value"])
    _move(stock, MoveKind.RECEIPT, quantity=quantity, amount=amount, on=received_on, by=by, note=receipt.supplier, receipt=receipt)
    audit.record(receipt, "assets.stockreceipt.received", by=by, school=school, note=f"{item} +{qty(quantity)}")
    return receipt


def _check_recipient(school_id: int, person: User | None, department: Department | None) -> None:
    if person is None and department is None:
        raise WorkflowError(_("Say who receives it: a person or a department."))
    if person is not None and not Membership.objects.active().filter(user=person, school_id=school_id).exists():
        raise WorkflowError(_("%(name)s is not a member of this school.") % {"name": person.display_name})
    if department is not None and department.school_id != school_id:
        raise WorkflowError(_("That department belongs to another school."))


def _hand_out(issue_row: StockIssue, *, by: User) -> StockIssue:
    stock = _lock_stock(issue_row.item, issue_row.warehouse)
    issue_row.amount = _take_out(stock, issue_row.quantity)
    issue_row.status, issue_row.issued_on = IssueStatus.ISSUED, timezone.localdate()
    issue_row.save(update_fields=["amount", "status", "issued_on", "decided_by"])
    _move(stock, MoveKind.ISSUE, quantity=-issue_row.quantity, amount=-issue_row.amount, on=issue_row.issued_on, by=by,
          note=issue_row.recipient_label, issue=issue_row)
    return issue_row


def needs_approval(item: StockItem, quantity: Decimal) -> bool:
    return item.approval_over is not None and quantity > item.approval_over


@transaction.atomic
def issue(*, item: StockItem, by: User, quantity: Decimal, to_person: User | None = None, to_department: Department | None = None,
          purpose: str = "", warehouse: Warehouse | None = None, source: Any = None) -> StockIssue:
    """Goods out to a person or a department. Over the item's approval limit it waits for someone who
    may approve (unless `by` may); otherwise it leaves the stock now. More than there is: refused."""
    quantity = _quantity(quantity)
    _check_recipient(item.school_id, to_person, to_department)
    warehouse = warehouse or default_warehouse(item.school)
    row = StockIssue(school_id=item.school_id, item=item, warehouse=warehouse, quantity=quantity, to_person=to_person,
                     to_department=to_department, purpose=(purpose or "").strip()[:200], requested_by=by)
    if source is not None:
        row.source_type, row.source_id = ContentType.objects.get_for_model(source), source.pk
    waits = needs_approval(item, quantity) and not can(by, item.school_id, "assets.approve_stock_issue")
    if waits:
        # Refused now if it could never be met: the approver should not approve what is not there.
        stock = _lock_stock(item, warehouse)
        if quantity > stock.quantity:
            _take_out(stock, quantity)  # raises the "only … in store" message
        row.save()
        audit.record(row, "assets.stockissue.requested", by=by, school=item.school_id, to_state=row.status)
        return row
    row.decided_by = by if needs_approval(item, quantity) else None
    row.save()
    _hand_out(row, by=by)
    audit.record(row, "assets.stockissue.issued", by=by, school=item.school_id, to_state=row.status)
    return row


def _repair_unit_cost(stock: Stock, quantity: Decimal) -> Decimal:
    """The unit cost a repair line carries: the moving average to the fen, never more than the store's
    value can pay for `quantity` (so quantity × unit cost, the line's cost in the term report, is
    exactly what leaves the store). Taking the last units at an average that does not divide to the
    fen leaves those few fen in the store's value, for the next receipt's average to absorb."""
    if stock.quantity <= 0:
        return Decimal("0")
    average = (stock.value / stock.quantity).quantize(CENT, rounding=ROUND_HALF_UP)
    return min(average, (stock.value / quantity).quantize(CENT, rounding=ROUND_DOWN))


@transaction.atomic
def issue_for_repair(*, stock_row: Stock, by: User, quantity: Decimal, source: Any, label: str) -> StockIssue:
    """Materials a repairer takes from the store for a repair ticket (`source`, linked generically;
    `label`, its number as the 出入库 ledger shows it). Issued to the repairer at once, under the stock
    row's lock; more than there is raises WorkflowError and writes nothing. The caller copies the
    issue's unit cost (`amount / quantity`, exact) onto its material line.

    No approval wait, whatever the item's limit: the dispatch of the ticket is the authority for what
    its repair uses, and the logistics office sees every line on the ticket and in this ledger."""
    quantity = _quantity(quantity)
    stock = _lock_stock(stock_row.item, stock_row.warehouse)
    item = stock.item
    _check_recipient(item.school_id, by, None)
    if quantity > stock.quantity:
        _take_out(stock, quantity)  # raises the "only … in store" message
    unit_cost = _repair_unit_cost(stock, quantity)
    # Exact for whole quantities; a fractional one (2.5 米) is rounded to the fen like every amount.
    amount = (quantity * unit_cost).quantize(CENT, rounding=ROUND_HALF_UP)
    stock.quantity -= quantity
    stock.value -= amount
    stock.save(update_fields=["quantity", "value"])
    note = _("Repair ticket %(number)s") % {"number": label}
    row = StockIssue.objects.create(
        school_id=item.school_id, item=item, warehouse=stock.warehouse, quantity=quantity, amount=amount, to_person=by,
        purpose=note[:200], status=IssueStatus.ISSUED, requested_by=by, issued_on=timezone.localdate(),
        source_type=ContentType.objects.get_for_model(source), source_id=source.pk)
    _move(stock, MoveKind.ISSUE, quantity=-quantity, amount=-amount, on=row.issued_on, by=by,
          note=f"{note} · {by.display_name}", issue=row)
    audit.record(row, "assets.stockissue.issued", by=by, school=item.school_id, to_state=row.status, note=note)
    row.unit_cost = unit_cost  # what the ticket's line carries
    return row


def repair_stock_rows(school: School, *, in_stock_only: bool = True) -> QuerySet[Stock]:
    """The store's rows a repairer may take from (item and warehouse in use; with `in_stock_only`,
    holding some), with their item and warehouse joined; `Stock.average_cost` gives each one's
    moving-average unit cost."""
    rows = Stock.objects.filter(item__school=school, item__is_active=True, warehouse__is_active=True)
    if in_stock_only:
        rows = rows.filter(quantity__gt=0)
    return rows.select_related("item", "warehouse").order_by("item__name", "item__spec", "warehouse__name", "id")


def repair_issue_value(school: School, *, start: dt.date, end: dt.date) -> Decimal:
    """The value of the stock issued for repair tickets from `start` to `end` (inclusive), less what
    came back: the store's side of the term's repair material costs."""
    moves = StockMove.objects.filter(school=school, on__gte=start, on__lte=end, kind__in=[MoveKind.ISSUE, MoveKind.RETURN],
                                     issue__source_type__app_label="repairs", issue__source_type__model="ticket")
    return -(moves.aggregate(v=Sum("amount"))["v"] or Decimal("0"))


def _lock_pending(row: StockIssue) -> StockIssue:
    row = lock(row)
    if row.status != IssueStatus.PENDING:
        raise WorkflowError(_("This issue has already been decided (%(status)s).") % {"status": row.get_status_display()})
    return row


@transaction.atomic
def issue_approve(*, issue_row: StockIssue, by: User) -> StockIssue:
    row = _lock_pending(issue_row)
    if not can(by, row.school_id, "assets.approve_stock_issue"):
        raise WorkflowError(_("You may not approve issues of consumables."))
    if row.requested_by_id == by.pk:
        raise WorkflowError(_("Someone other than the person who recorded it approves."))
    row.decided_by = by
    _hand_out(row, by=by)
    audit.record(row, "assets.stockissue.approved", by=by, school=row.school_id, from_state=IssueStatus.PENDING, to_state=row.status)
    return row


@transaction.atomic
def issue_reject(*, issue_row: StockIssue, by: User, reason: str) -> StockIssue:
    row = _lock_pending(issue_row)
    if not can(by, row.school_id, "assets.approve_stock_issue"):
        raise WorkflowError(_("You may not approve issues of consumables."))
    if not (reason or "").strip():
        raise WorkflowError(_("Give the reason."))
    row.status, row.decided_by = IssueStatus.REJECTED, by
    row.save(update_fields=["status", "decided_by"])
    audit.record(row, "assets.stockissue.rejected", by=by, school=row.school_id, from_state=IssueStatus.PENDING, to_state=row.status,
                 note=reason.strip()[:200])
    return row


@transaction.atomic
def take_back(*, issue_row: StockIssue, by: User, quantity: Decimal, note: str = "") -> StockIssue:
    """退库: unused goods come back to the warehouse they left, at the value they left with."""
    quantity = _quantity(quantity)
    row = lock(issue_row)
    if row.status != IssueStatus.ISSUED:
        raise WorkflowError(_("Only issued goods come back."))
    if quantity > row.quantity - row.returned:
        raise WorkflowError(_("At most %(n)s can come back.") % {"n": qty(row.quantity - row.returned)})
    remaining = row.quantity - row.returned
    back_value = row.amount - (row.amount * row.returned / row.quantity).quantize(CENT)
    amount = back_value if quantity == remaining else (row.amount * quantity / row.quantity).quantize(CENT)
    stock = _lock_stock(row.item, row.warehouse)
    stock.quantity += quantity
    stock.value += amount
    stock.save(update_fields=["quantity", "value"])
    row.returned += quantity
    row.save(update_fields=["returned"])
    _move(stock, MoveKind.RETURN, quantity=quantity, amount=amount, on=timezone.localdate(), by=by, note=note, issue=row)
    return row


@transaction.atomic
def count(*, item: StockItem, by: User, counted: Decimal, warehouse: Warehouse | None = None, note: str = "") -> StockMove | None:
    """A stock count: the book quantity becomes what was counted (a loss at average cost, a gain at the
    last receipt's price). None when the count agrees."""
    counted = _decimal(counted, _("The count"))
    if counted < 0 or counted >= MAX_QUANTITY or counted != counted.quantize(CENT):
        raise WorkflowError(_("Enter the quantity counted (0 or more, at most two decimals)."))
    warehouse = warehouse or default_warehouse(item.school)
    stock = _lock_stock(item, warehouse)
    difference = counted - stock.quantity
    if difference == 0:
        return None
    if difference < 0:
        amount = -_take_out(stock, -difference)
    else:
        last = item.receipts.order_by("-received_on", "-id").values_list("unit_price", flat=True).first() or Decimal("0")
        amount = (difference * last).quantize(CENT)
        stock.quantity += difference
        stock.value += amount
        stock.save(update_fields=["quantity", "value"])
    return _move(stock, MoveKind.COUNT, quantity=difference, amount=amount, on=timezone.localdate(), by=by,
                 note=note or _("Counted %(n)s") % {"n": qty(counted)})
