"""The repairer's work: start, notes and photos, materials, done."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from logistics import audit
from logistics.models import User

from repairs import notify as n
from repairs import photos as photo_lib
from repairs.models import Material, RepairSettings, Status, Ticket, TicketPhoto
from repairs.services.reporting import _save_photos
from repairs.services.common import WorkflowError, _lock, _may_work, _state_refused


# --- Work (the repairer) ------------------------------------------------------------------------

@transaction.atomic
def ticket_start(*, ticket: Ticket, by: User) -> Ticket:
    ticket = _lock(ticket)
    if not _may_work(ticket, by):
        raise WorkflowError(_("Only the repairer it was dispatched to may work on %(number)s.") % {"number": ticket.number})
    if not can_proceed(ticket.start):
        raise _state_refused(ticket)
    before = ticket.status
    ticket.start(at=timezone.now())
    ticket.save()
    audit.record(ticket, "repairs.ticket.started", by=by, school=ticket.school, from_state=before, to_state=ticket.status)
    n.tell(ticket, [ticket.reporter, *ticket.watchers.all()], by=by,
           compose=lambda: (n.subject(ticket, _("work started")), n.place(ticket)))
    return ticket


def _check_working(ticket: Ticket, by: User) -> None:
    if not _may_work(ticket, by):
        raise WorkflowError(_("Only the repairer it was dispatched to may work on %(number)s.") % {"number": ticket.number})
    if ticket.status != Status.IN_PROGRESS:
        raise WorkflowError(_("Start the work on %(number)s first.") % {"number": ticket.number})


def ticket_add_note(*, ticket: Ticket, by: User, note: str, photos: Sequence[Any] = ()) -> Ticket:
    """A work note, with up to three photos (before/after)."""
    note = (note or "").strip()
    if not note and not photos:
        raise WorkflowError(_("Write a note or add a photo."))
    if len(photos) > photo_lib.MAX_PHOTOS:
        raise WorkflowError(_("At most %(n)d photos.") % {"n": photo_lib.MAX_PHOTOS})
    processed = photo_lib.process_all(photos)
    with transaction.atomic():
        ticket = _lock(ticket)
        _check_working(ticket, by)
        _save_photos(ticket, processed, by=by, kind=TicketPhoto.Kind.WORK)
        audit.record(ticket, "repairs.ticket.noted", by=by, school=ticket.school, from_state=ticket.status, to_state=ticket.status,
                     note=note, data={"photos": len(processed)})
    return ticket


@transaction.atomic
def ticket_add_material(*, ticket: Ticket, by: User, name: str, quantity: Decimal, unit: str, unit_cost: Decimal = Decimal("0")) -> Material:
    ticket = _lock(ticket)
    _check_working(ticket, by)
    name, unit = (name or "").strip(), (unit or "").strip()
    if not name or not unit:
        raise WorkflowError(_("Give the material's name and unit."))
    if quantity is None or quantity <= 0:
        raise WorkflowError(_("The quantity must be more than zero."))
    if unit_cost is None or unit_cost < 0:
        raise WorkflowError(_("The unit cost cannot be negative."))
    material = Material.objects.create(ticket=ticket, name=name, quantity=quantity, unit=unit, unit_cost=unit_cost, added_by=by)
    audit.record(ticket, "repairs.ticket.material_added", by=by, school=ticket.school, from_state=ticket.status, to_state=ticket.status,
                 note=f"{name} {quantity.normalize():f}{unit}", data={"material": material.pk, "unit_cost": str(unit_cost)})
    return material


@transaction.atomic
def ticket_remove_material(*, material: Material, by: User) -> None:
    ticket = _lock(material.ticket)
    _check_working(ticket, by)
    Material.objects.filter(pk=material.pk, ticket=ticket).delete()
    audit.record(ticket, "repairs.ticket.material_removed", by=by, school=ticket.school, from_state=ticket.status, to_state=ticket.status,
                 note=f"{material.name} {material.quantity.normalize():f}{material.unit}")


@transaction.atomic
def ticket_mark_done(
    *, ticket: Ticket, by: User, labour_hours: Decimal | None = None, work_summary: str = "", contractor_cost: Decimal | None = None
) -> Ticket:
    ticket = _lock(ticket)
    if not _may_work(ticket, by):
        raise WorkflowError(_("Only the repairer it was dispatched to may work on %(number)s.") % {"number": ticket.number})
    if not can_proceed(ticket.finish):
        raise _state_refused(ticket)
    if labour_hours is not None:
        if labour_hours < 0:
            raise WorkflowError(_("Labour hours cannot be negative."))
        ticket.labour_hours = labour_hours
    if contractor_cost is not None:
        if contractor_cost < 0:
            raise WorkflowError(_("The contractor's charge cannot be negative."))
        ticket.contractor_cost = contractor_cost
    if work_summary.strip():
        ticket.work_summary = work_summary.strip()
    ticket.finish(at=timezone.now())
    ticket.save()
    audit.record(ticket, "repairs.ticket.done", by=by, school=ticket.school, from_state=Status.IN_PROGRESS, to_state=ticket.status,
                 note=ticket.work_summary, data={"labour_hours": str(ticket.labour_hours)})
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
