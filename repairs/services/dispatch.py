"""The logistics office: dispatch, reassign, urgency, merge, cancel."""

from __future__ import annotations

from typing import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from logistics import audit
from logistics.models import Membership, Role, School, User

from repairs import notify as n
from repairs.models import BEFORE_WORK_STATUSES, RepairSettings, Status, Ticket, Urgency
from repairs.services.common import WorkflowError, can, _require, _lock, _state_refused, _check_school


# --- Dispatch (the logistics office) ---------------------------------------------------------

def _check_handler(ticket: Ticket, repairer: User | None, contractor: str) -> None:
    if bool(repairer) == bool(contractor.strip()):
        raise WorkflowError(_("Choose a repairer or name an outside contractor (one of the two)."))
    if repairer is not None and not Membership.objects.active().with_role(Role.REPAIRER).filter(user=repairer, school_id=ticket.school_id).exists():
        raise WorkflowError(_("%(name)s is not a repairer of this school.") % {"name": repairer.display_name})


@transaction.atomic
def ticket_dispatch(*, ticket: Ticket, by: User, repairer: User | None = None, contractor: str = "") -> Ticket:
    ticket = _lock(ticket)
    _require(by, ticket.school_id, "dispatch_ticket", _("Only the logistics office dispatches repairs."))
    if not can_proceed(ticket.dispatch):
        if ticket.status == Status.DISPATCHED:
            raise WorkflowError(
                _("Ticket %(number)s has just been dispatched to %(who)s by someone else.")
                % {"number": ticket.number, "who": ticket.handler_label}
            )
        raise _state_refused(ticket)
    _check_handler(ticket, repairer, contractor)
    ticket.dispatch(repairer=repairer, contractor=contractor.strip(), by=by, at=timezone.now())
    ticket.save()
    audit.record(
        ticket, "repairs.ticket.dispatched", by=by, school=ticket.school, from_state=Status.SUBMITTED, to_state=ticket.status,
        note=ticket.handler_label, data={"repairer": repairer.pk if repairer else None, "contractor": ticket.contractor},
    )
    n.tell(
        ticket,
        [ticket.reporter, ticket.assignee, *ticket.watchers.all()],
        by=by,
        compose=lambda: (n.subject(ticket, _("dispatched to %(who)s") % {"who": ticket.handler_label}), n.place(ticket)),
    )
    return ticket


@transaction.atomic
def ticket_reassign(*, ticket: Ticket, by: User, repairer: User | None = None, contractor: str = "") -> Ticket:
    ticket = _lock(ticket)
    _require(by, ticket.school_id, "dispatch_ticket", _("Only the logistics office dispatches repairs."))
    if not can_proceed(ticket.reassign):
        raise _state_refused(ticket)
    _check_handler(ticket, repairer, contractor)
    before = ticket.handler_label
    previous = ticket.assignee
    ticket.reassign(repairer=repairer, contractor=contractor.strip(), by=by)
    ticket.save()
    audit.record(
        ticket, "repairs.ticket.reassigned", by=by, school=ticket.school, from_state=Status.DISPATCHED, to_state=ticket.status,
        note=f"{before} → {ticket.handler_label}", data={"repairer": repairer.pk if repairer else None, "contractor": ticket.contractor},
    )
    n.tell(
        ticket,
        [ticket.reporter, ticket.assignee, previous, *ticket.watchers.all()],
        by=by,
        compose=lambda: (n.subject(ticket, _("now with %(who)s") % {"who": ticket.handler_label}), n.place(ticket)),
    )
    return ticket


def tickets_bulk_dispatch(
    *, school: School, ticket_ids: Iterable[int], by: User, repairer: User | None = None, contractor: str = ""
) -> tuple[list[Ticket], list[tuple[Ticket, str]]]:
    """Dispatch several tickets to one repairer; each in its own transaction, so one refusal (say,
    dispatched meanwhile by a colleague) leaves the others dispatched. Returns (done, refused)."""
    done: list[Ticket] = []
    refused: list[tuple[Ticket, str]] = []
    for ticket in Ticket.objects.for_school(school).filter(pk__in=list(ticket_ids)).order_by("submitted_at", "pk"):
        try:
            done.append(ticket_dispatch(ticket=ticket, by=by, repairer=repairer, contractor=contractor))
        except WorkflowError as e:
            refused.append((ticket, str(e)))
    return done, refused


@transaction.atomic
def ticket_change_urgency(*, ticket: Ticket, by: User, urgency: str) -> Ticket:
    ticket = _lock(ticket)
    _require(by, ticket.school_id, "dispatch_ticket", _("Only the logistics office changes the urgency."))
    if urgency not in Urgency.values:
        raise WorkflowError(_("Choose an urgency."))
    if ticket.status not in (Status.SUBMITTED, Status.DISPATCHED, Status.IN_PROGRESS, Status.REJECTED):
        raise _state_refused(ticket)
    if ticket.urgency == urgency:
        return ticket
    before = ticket.get_urgency_display()
    ticket.urgency = urgency
    ticket.due_at = RepairSettings.for_school(ticket.school).due_at(ticket.submitted_at, urgency)
    ticket.save(update_fields=["urgency", "due_at", "updated_at"])
    audit.record(
        ticket, "repairs.ticket.urgency_changed", by=by, school=ticket.school, from_state=ticket.status, to_state=ticket.status,
        note=f"{before} → {ticket.get_urgency_display()}", data={"urgency": urgency},
    )
    n.tell(
        ticket,
        [ticket.reporter, ticket.assignee, *ticket.watchers.all()],
        by=by,
        compose=lambda: (n.subject(ticket, _("urgency now “%(u)s”") % {"u": ticket.get_urgency_display()}), n.place(ticket)),
    )
    return ticket


@transaction.atomic
def ticket_merge(*, ticket: Ticket, into: Ticket, by: User) -> Ticket:
    """Close `ticket` as a duplicate of `into`; its reporter and followers follow `into` instead."""
    # Lock both rows in id order so two merges in opposite directions cannot deadlock.
    first, second = sorted([ticket, into], key=lambda t: t.pk)
    if first.pk == second.pk:
        raise WorkflowError(_("A ticket cannot be merged into itself."))
    locked = {t.pk: t for t in (_lock(first), _lock(second))}
    ticket, into = locked[ticket.pk], locked[into.pk]
    _require(by, ticket.school_id, "dispatch_ticket", _("Only the logistics office merges tickets."))
    if into.school_id != ticket.school_id:
        raise WorkflowError(_("Ticket %(number)s belongs to another school.") % {"number": into.number})
    if not into.is_open:
        raise WorkflowError(_("Ticket %(number)s is finished; merge into an open ticket.") % {"number": into.number})
    if not can_proceed(ticket.merge):
        raise _state_refused(ticket)
    before = ticket.status
    ticket.merge(into=into, at=timezone.now())
    ticket.save()
    into.watchers.add(ticket.reporter, *ticket.watchers.all())
    audit.record(ticket, "repairs.ticket.merged", by=by, school=ticket.school, from_state=before, to_state=ticket.status,
                 note=into.number, data={"into": into.pk})
    audit.record(into, "repairs.ticket.duplicate_merged", by=by, school=ticket.school, from_state=into.status, to_state=into.status,
                 note=ticket.number, data={"duplicate": ticket.pk})
    n.tell(
        ticket,
        [ticket.reporter, *ticket.watchers.all()],
        by=by,
        compose=lambda: (
            n.subject(ticket, _("merged into %(other)s") % {"other": into.number}),
            _("The same fault was already reported; you now follow %(other)s.") % {"other": into.number},
        ),
    )
    return ticket


@transaction.atomic
def ticket_cancel(*, ticket: Ticket, by: User, reason: str = "") -> Ticket:
    """The reporter may cancel before work starts; the office may cancel any unfinished ticket, with a reason."""
    ticket = _lock(ticket)
    _check_school(ticket, by)
    reason = (reason or "").strip()
    office = can(by, ticket.school_id, "dispatch_ticket")
    if not can_proceed(ticket.cancel):
        raise _state_refused(ticket)
    if not office:
        if ticket.reporter_id != by.pk:
            raise WorkflowError(_("Only the reporter or the logistics office may cancel this ticket."))
        if ticket.status not in BEFORE_WORK_STATUSES:
            raise WorkflowError(_("Work has started on %(number)s; ask the logistics office to cancel it.") % {"number": ticket.number})
    elif not reason:
        raise WorkflowError(_("Give the reason for cancelling."))
    before = ticket.status
    ticket.cancel(reason=reason, at=timezone.now())
    ticket.save()
    audit.record(ticket, "repairs.ticket.cancelled", by=by, school=ticket.school, from_state=before, to_state=ticket.status, note=reason)
    n.tell(
        ticket,
        n.concerned(ticket),
        by=by,
        compose=lambda: (n.subject(ticket, _("cancelled")), reason or _("Cancelled by %(who)s.") % {"who": by.display_name}),
    )
    return ticket
