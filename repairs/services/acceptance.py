"""The reporter's acceptance (验收) or rejection, and closing."""

from __future__ import annotations


from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from logistics import audit
from logistics.models import User

from repairs import notify as n
from repairs.models import Status, Ticket
from repairs.services.common import WorkflowError, _require, _lock, _state_refused, _check_school


# --- Acceptance (the reporter) --------------------------------------------------------------------

@transaction.atomic
def ticket_accept(*, ticket: Ticket, by: User, rating: int, comment: str = "") -> Ticket:
    ticket = _lock(ticket)
    if ticket.reporter_id != by.pk:
        raise WorkflowError(_("Only the reporter accepts the repair."))
    _check_school(ticket, by)
    if not can_proceed(ticket.accept):
        raise WorkflowError(_("Ticket %(number)s is not done yet; it can be accepted once the repairer marks it done.") % {"number": ticket.number})
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise WorkflowError(_("Rate the repair from 1 to 5 stars."))
    ticket.accept(rating=rating, comment=(comment or "").strip(), auto=False, at=timezone.now())
    ticket.save()
    audit.record(ticket, "repairs.ticket.accepted", by=by, school=ticket.school, from_state=Status.DONE, to_state=ticket.status,
                 note=ticket.rating_comment, data={"rating": rating})
    n.tell(ticket, [ticket.assignee, ticket.dispatched_by, *ticket.watchers.all()], by=by,
           compose=lambda: (n.subject(ticket, _("accepted, %(stars)d/5") % {"stars": rating}), ticket.rating_comment))
    return ticket


@transaction.atomic
def ticket_reject(*, ticket: Ticket, by: User, reason: str) -> Ticket:
    ticket = _lock(ticket)
    if ticket.reporter_id != by.pk:
        raise WorkflowError(_("Only the reporter may reject the repair."))
    _check_school(ticket, by)
    if not can_proceed(ticket.reject):
        raise _state_refused(ticket)
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Say what is still wrong, so the repairer knows."))
    ticket.reject()
    ticket.save()
    audit.record(ticket, "repairs.ticket.rejected", by=by, school=ticket.school, from_state=Status.DONE, to_state=ticket.status, note=reason)
    n.tell(ticket, [ticket.assignee, ticket.dispatched_by, *ticket.watchers.all()], by=by,
           compose=lambda: (n.subject(ticket, _("not accepted, back to the repairer")), reason))
    return ticket


@transaction.atomic
def ticket_close(*, ticket: Ticket, by: User) -> Ticket:
    ticket = _lock(ticket)
    _require(by, ticket.school_id, "dispatch_ticket", _("Only the logistics office closes tickets."))
    if not can_proceed(ticket.close):
        raise _state_refused(ticket)
    ticket.close(at=timezone.now())
    ticket.save()
    audit.record(ticket, "repairs.ticket.closed", by=by, school=ticket.school, from_state=Status.ACCEPTED, to_state=ticket.status)
    return ticket
