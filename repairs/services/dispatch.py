"""The logistics office: dispatch, reassign, urgency, merge, cancel."""

from __future__ import annotations

from typing import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.models import Role, School, User
from logistics.selectors import holds_role
from logistics.workflow import WorkflowError, record_change, refuse_unless, transition

from repairs import notify as n
from repairs import rules
from repairs.models import RepairSettings, Status, Ticket, Urgency
from repairs.services.common import lock_ticket


# --- Dispatch (the logistics office) ---------------------------------------------------------

def _check_handler(ticket: Ticket, repairer: User | None, contractor: str) -> None:
    if bool(repairer) == bool(contractor.strip()):
        raise WorkflowError(_("Choose a repairer or name an outside contractor (one of the two)."))
    if repairer is not None and not holds_role(repairer, ticket.school_id, Role.REPAIRER):
        raise WorkflowError(_("%(name)s is not a repairer of this school.") % {"name": repairer.display_name})


def _handler(repairer: User | None, contractor: str) -> str:
    return repairer.display_name if repairer else contractor.strip()


@transaction.atomic
def ticket_dispatch(*, ticket: Ticket, by: User, repairer: User | None = None, contractor: str = "") -> Ticket:
    ticket = lock_ticket(ticket)
    if (refused := rules.dispatch(ticket, by)) and ticket.status == Status.DISPATCHED and rules.reassign(ticket, by) is None:
        refused = _("Ticket %(number)s has just been dispatched to %(who)s by someone else.") % {
            "number": ticket.number, "who": ticket.handler_label,
        }
    refuse_unless(refused)
    _check_handler(ticket, repairer, contractor)
    ticket = transition(ticket, "dispatch", by=by, dispatcher=by, repairer=repairer, contractor=contractor.strip(), at=timezone.now(),
                        note=_handler(repairer, contractor), data={"repairer": repairer.pk if repairer else None, "contractor": contractor.strip()})
    n.tell(
        ticket,
        [ticket.reporter, ticket.assignee, *ticket.watchers.all()],
        by=by,
        compose=lambda: (n.subject(ticket, _("dispatched to %(who)s") % {"who": ticket.handler_label}), n.place(ticket)),
    )
    return ticket


@transaction.atomic
def ticket_reassign(*, ticket: Ticket, by: User, repairer: User | None = None, contractor: str = "") -> Ticket:
    ticket = lock_ticket(ticket)
    refuse_unless(rules.reassign(ticket, by))
    _check_handler(ticket, repairer, contractor)
    before, previous = ticket.handler_label, ticket.assignee
    ticket = transition(ticket, "reassign", by=by, dispatcher=by, repairer=repairer, contractor=contractor.strip(),
                        note=f"{before} → {_handler(repairer, contractor)}", data={"repairer": repairer.pk if repairer else None, "contractor": contractor.strip()})
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
    ticket = lock_ticket(ticket)
    refuse_unless(rules.change_urgency(ticket, by))
    if urgency not in Urgency.values:
        raise WorkflowError(_("Choose an urgency."))
    if ticket.urgency == urgency:
        return ticket
    before = ticket.get_urgency_display()
    due_at = RepairSettings.for_school(ticket.school).due_at(ticket.submitted_at, urgency)
    ticket = record_change(ticket, "urgency_changed", by=by, urgency=urgency, due_at=due_at,
                           note=f"{before} → {Urgency(urgency).label}", data={"urgency": urgency})
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
    locked = {t.pk: t for t in (lock_ticket(first), lock_ticket(second))}
    ticket, into = locked[ticket.pk], locked[into.pk]
    refuse_unless(rules.merge(ticket, by))
    if into.school_id != ticket.school_id:
        raise WorkflowError(_("Ticket %(number)s belongs to another school.") % {"number": into.number})
    if not into.is_open:
        raise WorkflowError(_("Ticket %(number)s is finished; merge into an open ticket.") % {"number": into.number})
    ticket = transition(ticket, "merge", by=by, into=into, at=timezone.now(), note=into.number, data={"into": into.pk})
    into.watchers.add(ticket.reporter, *ticket.watchers.all())
    record_change(into, "duplicate_merged", by=by, note=ticket.number, data={"duplicate": ticket.pk})
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
    ticket = lock_ticket(ticket)
    refuse_unless(rules.cancel(ticket, by))
    reason = (reason or "").strip()
    if rules.is_office(ticket, by) and not reason:
        raise WorkflowError(_("Give the reason for cancelling."))
    ticket = transition(ticket, "cancel", by=by, reason=reason, at=timezone.now(), note=reason)
    n.tell(
        ticket,
        n.concerned(ticket),
        by=by,
        compose=lambda: (n.subject(ticket, _("cancelled")), reason or _("Cancelled by %(who)s.") % {"who": by.display_name}),
    )
    return ticket
