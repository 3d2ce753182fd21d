"""The reporter's acceptance (验收) or rejection, and closing."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.models import User
from logistics.workflow import WorkflowError, refuse_unless, transition

from repairs import notify as n
from repairs import rules
from repairs.models import Ticket
from repairs.signals import ticket_accepted
from repairs.services.common import lock_ticket


# --- Acceptance (the reporter) --------------------------------------------------------------------

@transaction.atomic
def ticket_accept(*, ticket: Ticket, by: User, rating: int, comment: str = "") -> Ticket:
    ticket = lock_ticket(ticket)
    refuse_unless(rules.accept(ticket, by))
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise WorkflowError(_("Rate the repair from 1 to 5 stars."))
    comment = (comment or "").strip()
    ticket = transition(ticket, "accept", by=by, rating=rating, comment=comment, auto=False, at=timezone.now(),
                        note=comment, data={"rating": rating})
    ticket_accepted.send(sender=Ticket, ticket=ticket, by=by)
    n.tell(ticket, [ticket.assignee, ticket.dispatched_by, *ticket.watchers.all()], by=by,
           compose=lambda: (n.subject(ticket, _("accepted, %(stars)d/5") % {"stars": rating}), ticket.rating_comment))
    return ticket


@transaction.atomic
def ticket_reject(*, ticket: Ticket, by: User, reason: str) -> Ticket:
    ticket = lock_ticket(ticket)
    refuse_unless(rules.reject(ticket, by))
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Say what is still wrong, so the repairer knows."))
    ticket = transition(ticket, "reject", by=by, note=reason)
    n.tell(ticket, [ticket.assignee, ticket.dispatched_by, *ticket.watchers.all()], by=by,
           compose=lambda: (n.subject(ticket, _("not accepted, back to the repairer")), reason))
    return ticket


@transaction.atomic
def ticket_close(*, ticket: Ticket, by: User) -> Ticket:
    ticket = lock_ticket(ticket)
    refuse_unless(rules.close(ticket, by))
    return transition(ticket, "close", by=by, at=timezone.now())
