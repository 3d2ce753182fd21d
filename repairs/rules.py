"""Who may take which step on a ticket, in its present state: the one source of the answer.

Each rule returns None when `user` may take the step now, or the translated reason they may not.
Services pass the answer to `refuse_unless()` on the locked row; `ticket_actions_for()` turns the
same answers into the buttons of the ticket page. So a button is shown exactly when the service
would accept the step.
"""

from __future__ import annotations

from typing import Any, Callable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed

from logistics.permissions import can
from logistics.workflow import state_refused

from repairs.models import BEFORE_WORK_STATUSES, UNFINISHED_STATUSES, Status, Ticket

Rule = Callable[[Ticket, Any], "str | None"]


def is_office(ticket: Ticket, user: Any) -> bool:
    return can(user, ticket.school_id, "repairs.dispatch_ticket")


def _in_state(ticket: Ticket, transition: str) -> str | None:
    return None if can_proceed(getattr(ticket, transition)) else str(state_refused(ticket))


def _office_step(message: Any, transition: str) -> Rule:
    def rule(ticket: Ticket, user: Any) -> str | None:
        if not is_office(ticket, user):
            return str(message)
        return _in_state(ticket, transition)

    return rule


dispatch = _office_step(gettext_lazy("Only the logistics office dispatches repairs."), "dispatch")
reassign = _office_step(gettext_lazy("Only the logistics office dispatches repairs."), "reassign")
merge = _office_step(gettext_lazy("Only the logistics office merges tickets."), "merge")
close = _office_step(gettext_lazy("Only the logistics office closes tickets."), "close")


def change_urgency(ticket: Ticket, user: Any) -> str | None:
    if not is_office(ticket, user):
        return _("Only the logistics office changes the urgency.")
    return None if ticket.status in UNFINISHED_STATUSES else str(state_refused(ticket))


def cancel(ticket: Ticket, user: Any) -> str | None:
    """The reporter may cancel before work starts; the office any unfinished ticket (with a reason)."""
    if (refused := _in_state(ticket, "cancel")) is not None:
        return refused
    if is_office(ticket, user):
        return None
    if ticket.reporter_id != user.pk or not can(user, ticket.school_id, "repairs.view_ticket"):
        return _("Only the reporter or the logistics office may cancel this ticket.")
    if ticket.status not in BEFORE_WORK_STATUSES:
        return _("Work has started on %(number)s; ask the logistics office to cancel it.") % {"number": ticket.number}
    return None


def _may_work(ticket: Ticket, user: Any) -> str | None:
    """The assigned repairer; for an outside contractor's job, the office records the work."""
    allowed = can(user, ticket.school_id, "repairs.work_ticket") and (
        ticket.assignee_id == user.pk if ticket.assignee_id else is_office(ticket, user)
    )
    return None if allowed else _("Only the repairer it was dispatched to may work on %(number)s.") % {"number": ticket.number}


def start(ticket: Ticket, user: Any) -> str | None:
    return _may_work(ticket, user) or _in_state(ticket, "start")


def work(ticket: Ticket, user: Any) -> str | None:
    """Notes, photos and materials, while the work is in progress."""
    if (refused := _may_work(ticket, user)) is not None:
        return refused
    return None if ticket.status == Status.IN_PROGRESS else _("Start the work on %(number)s first.") % {"number": ticket.number}


def finish(ticket: Ticket, user: Any) -> str | None:
    return _may_work(ticket, user) or _in_state(ticket, "finish")


def _reporter_step(message: Any, transition: str, not_yet: Any = None) -> Rule:
    def rule(ticket: Ticket, user: Any) -> str | None:
        if ticket.reporter_id != user.pk or not can(user, ticket.school_id, "repairs.view_ticket"):
            return str(message)
        if not can_proceed(getattr(ticket, transition)):
            return (str(not_yet) % {"number": ticket.number}) if not_yet else str(state_refused(ticket))
        return None

    return rule


accept = _reporter_step(
    gettext_lazy("Only the reporter accepts the repair."),
    "accept",
    gettext_lazy("Ticket %(number)s is not done yet; it can be accepted once the repairer marks it done."),
)
reject = _reporter_step(_("Only the reporter may reject the repair."), "reject")


def follow(ticket: Ticket, user: Any) -> str | None:
    """Any member who may report repairs follows an open ticket they can see (the caller checks seeing)."""
    if not can(user, ticket.school_id, "repairs.add_ticket"):
        return _("You may not follow repairs in this school.")
    if not ticket.is_open:
        return _("Ticket %(number)s is finished; there is nothing to follow.") % {"number": ticket.number}
    return None


RULES: dict[str, Rule] = {
    "dispatch": dispatch,
    "reassign": reassign,
    "urgency": change_urgency,
    "merge": merge,
    "cancel": cancel,
    "start": start,
    "work": work,
    "done": finish,
    "accept": accept,
    "reject": reject,
    "close": close,
    "follow": follow,
}


def ticket_actions_for(ticket: Ticket, user: Any) -> dict[str, bool]:
    """The steps `user` may take on `ticket` now: what the ticket page draws as buttons."""
    return {name: rule(ticket, user) is None for name, rule in RULES.items()}
