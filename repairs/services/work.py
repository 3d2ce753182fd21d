"""The repairer's work: start, notes and photos, materials, done."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.models import User
from logistics.workflow import WorkflowError, record_change, refuse_unless, transition

from repairs import notify as n
from logistics import photos as photo_lib
from repairs import rules
from repairs.models import Material, RepairSettings, Ticket, TicketPhoto
from repairs.services.common import lock_ticket
from repairs.services.reporting import _save_photos


# --- Work (the repairer) ------------------------------------------------------------------------

@transaction.atomic
def ticket_start(*, ticket: Ticket, by: User) -> Ticket:
    ticket = lock_ticket(ticket)
    refuse_unless(rules.start(ticket, by))
    ticket = transition(ticket, "start", by=by, at=timezone.now())
    n.tell(ticket, [ticket.reporter, *ticket.watchers.all()], by=by,
           compose=lambda: (n.subject(ticket, _("work started")), n.place(ticket)))
    return ticket


def ticket_add_note(*, ticket: Ticket, by: User, note: str, photos: Sequence[Any] = ()) -> Ticket:
    """A work note, with up to three photos (before/after)."""
    note = (note or "").strip()
    if not note and not photos:
        raise WorkflowError(_("Write a note or add a photo."))
    if len(photos) > photo_lib.MAX_PHOTOS:
        raise WorkflowError(_("At most %(n)d photos.") % {"n": photo_lib.MAX_PHOTOS})
    processed = photo_lib.process_all(photos)
    with transaction.atomic():
        ticket = lock_ticket(ticket)
        refuse_unless(rules.work(ticket, by))
        _save_photos(ticket, processed, by=by, kind=TicketPhoto.Kind.WORK)
        record_change(ticket, "noted", by=by, note=note, data={"photos": len(processed)})
    return ticket


@dataclass(frozen=True)
class MaterialLine:
    """A material line as a form gives it (the done form carries the one typed but not yet added).
    With `stock` (a row of the consumables store), the line is taken from the store: its name, unit
    and unit cost come from there and whatever was typed for them is ignored."""

    name: str
    quantity: Decimal
    unit: str
    unit_cost: Decimal = Decimal("0")
    stock: Any = None


@transaction.atomic
def ticket_add_material(*, ticket: Ticket, by: User, name: str, quantity: Decimal, unit: str, unit_cost: Decimal = Decimal("0")) -> Material:
    ticket = lock_ticket(ticket)
    refuse_unless(rules.work(ticket, by))
    return _add_material(ticket, by, MaterialLine(name, quantity, unit, unit_cost))


@transaction.atomic
def ticket_add_stock_material(*, ticket: Ticket, by: User, stock: Any, quantity: Decimal) -> Material:
    """A material taken from the school's consumables store (`stock`, a row of
    `assets.services.stock.repair_stock_rows`): issued to the repairer for this ticket at once, the
    line costed at the store's average. More than the store holds: refused, nothing written."""
    ticket = lock_ticket(ticket)
    refuse_unless(rules.work(ticket, by))
    return _add_material(ticket, by, MaterialLine("", quantity, "", stock=stock))


def _add_stock_material(ticket: Ticket, by: User, line: MaterialLine) -> Material:
    """Issue a store line on a locked ticket: the issue and the ticket's line are one transaction, so a
    refusal of either (stock short, a repair limit) leaves both the store and the ticket as they were."""
    from assets.services import stock as store

    quantity = line.quantity
    if quantity is None or quantity <= 0:
        raise WorkflowError(_("The quantity must be more than zero."))
    if line.stock.item.school_id != ticket.school_id:
        raise WorkflowError(_("That consumable belongs to another school."))
    limits = RepairSettings.for_school(ticket.school)
    refuse_unless(_material_over_limits(limits, quantity, Decimal("0")))
    issued = store.issue_for_repair(stock_row=line.stock, by=by, quantity=quantity, source=ticket, label=ticket.number)
    # The store's cost of the issue is quantity × this unit cost: the term's material cost and the
    # stock issued for repairs add up to the same money.
    unit_cost = issued.unit_cost
    refuse_unless(_material_over_limits(limits, quantity, unit_cost))
    item = issued.item
    material = Material.objects.create(ticket=ticket, name=item.name[:60], quantity=issued.quantity, unit=item.unit[:10],
                                       unit_cost=unit_cost, added_by=by, stock_item=item, stock_issue=issued)
    record_change(ticket, "material_added", by=by, note=f"{material.name} {issued.quantity.normalize():f}{material.unit}",
                  data={"material": material.pk, "unit_cost": str(material.unit_cost), "stock_issue": issued.pk})
    return material


def _add_material(ticket: Ticket, by: User, line: MaterialLine) -> Material:
    """Check and record one line on a locked ticket the person may work on."""
    if line.stock is not None:
        return _add_stock_material(ticket, by, line)
    name, unit, quantity, unit_cost = (line.name or "").strip(), (line.unit or "").strip(), line.quantity, line.unit_cost
    if not name or not unit:
        raise WorkflowError(_("Give the material's name and unit."))
    if quantity is None or quantity <= 0:
        raise WorkflowError(_("The quantity must be more than zero."))
    if unit_cost is None or unit_cost < 0:
        raise WorkflowError(_("The unit cost cannot be negative."))
    refuse_unless(_material_over_limits(RepairSettings.for_school(ticket.school), quantity, unit_cost))
    material = Material.objects.create(ticket=ticket, name=name, quantity=quantity, unit=unit, unit_cost=unit_cost, added_by=by)
    record_change(ticket, "material_added", by=by, note=f"{name} {quantity.normalize():f}{unit}",
                  data={"material": material.pk, "unit_cost": str(unit_cost)})
    return material


def _figure(value: Decimal) -> str:
    return f"{value.normalize():,f}"


def _material_over_limits(limits: RepairSettings, quantity: Decimal, unit_cost: Decimal) -> str | None:
    """Why a material line is past what a school repair can be (the school's repair settings), or None."""
    if quantity > limits.max_quantity:
        return _("%(quantity)s is more than the limit of %(max)s units on one material line.") % {
            "quantity": _figure(quantity), "max": _figure(limits.max_quantity)}
    if unit_cost > limits.max_unit_cost:
        return _("A unit price of %(cost)s yuan is more than the limit of %(max)s yuan; dearer items are bought through a requisition.") % {
            "cost": _figure(unit_cost), "max": _figure(limits.max_unit_cost)}
    if quantity * unit_cost > limits.max_line_cost:
        return _("This line comes to %(total)s yuan, more than the limit of %(max)s yuan for one material line.") % {
            "total": _figure((quantity * unit_cost).quantize(Decimal("0.01"))), "max": _figure(limits.max_line_cost)}
    return None


@transaction.atomic
def ticket_remove_material(*, material: Material, by: User) -> None:
    """Remove a line; a line taken from the store goes back into it (退库, at the value it left with)."""
    ticket = lock_ticket(material.ticket)
    refuse_unless(rules.work(ticket, by))
    material = Material.objects.filter(pk=material.pk, ticket=ticket).select_related("stock_issue").first()
    if material is None:
        raise WorkflowError(_("That material line is already gone."))
    if material.stock_issue_id:
        from assets.services import stock as store

        issued = material.stock_issue
        left = issued.quantity - issued.returned
        if left > 0:
            store.take_back(issue_row=issued, by=by, quantity=left,
                            note=_("Removed from repair ticket %(number)s") % {"number": ticket.number})
    material.delete()
    record_change(ticket, "material_removed", by=by, note=f"{material.name} {material.quantity.normalize():f}{material.unit}")


@transaction.atomic
def ticket_mark_done(
    *, ticket: Ticket, by: User, labour_hours: Decimal | None = None, work_summary: str = "", contractor_cost: Decimal | None = None,
    material: MaterialLine | None = None,
) -> Ticket:
    """Mark the work done. `labour_hours` is required on a job of the school's own repairer (0 is
    an answer; nothing is not, or the term's hours are understated); after a rejection, leaving it
    out keeps the hours already recorded. `material`, a line typed but not yet added, is recorded
    in the same transaction: if it is refused, so is done, and nothing is lost."""
    ticket = lock_ticket(ticket)
    refuse_unless(rules.finish(ticket, by))
    if labour_hours is not None and labour_hours < 0:
        raise WorkflowError(_("Labour hours cannot be negative."))
    if contractor_cost is not None and contractor_cost < 0:
        raise WorkflowError(_("The contractor's charge cannot be negative."))
    limits = RepairSettings.for_school(ticket.school)
    if labour_hours is not None and labour_hours > limits.max_labour_hours:
        raise WorkflowError(_("%(hours)s labour hours is more than the limit of %(max)s hours for one ticket.")
                            % {"hours": _figure(labour_hours), "max": _figure(limits.max_labour_hours)})
    if contractor_cost is not None and contractor_cost > limits.max_contractor_cost:
        raise WorkflowError(_("A contractor's charge of %(cost)s yuan is more than the limit of %(max)s yuan for a repair ticket.")
                            % {"cost": _figure(contractor_cost), "max": _figure(limits.max_contractor_cost)})
    # An outside contractor's job is costed by their charge; the hours counted are the school's own labour.
    if labour_hours is None and ticket.assignee_id and not ticket.reject_count:
        raise WorkflowError(_("Give the labour hours (0 if the job took no time worth counting)."))
    if material is not None:
        _add_material(ticket, by, material)
    ticket = transition(
        ticket, "finish", by=by, at=timezone.now(), labour_hours=labour_hours, contractor_cost=contractor_cost,
        work_summary=work_summary.strip(), note=work_summary.strip() or ticket.work_summary,
        data={"labour_hours": str(ticket.labour_hours if labour_hours is None else labour_hours)},
    )
    days = RepairSettings.for_school(ticket.school).auto_accept_days
    n.tell(
        ticket,
        [ticket.reporter, *ticket.watchers.all()],
        by=by,
        compose=lambda: (
            n.subject(ticket, _("done — please check and accept")),
            _("If you do nothing, it is accepted automatically after %(days)d days.") % {"days": days},
        ),
    )
    return ticket
