"""Who hears about a change of a ticket, and what they read (in their own language)."""

from __future__ import annotations

from typing import Any, Callable, Iterable

from django.utils.translation import gettext as _

from logistics.models import Role, User
from logistics.notifications import notify
from logistics.selectors import people_with_role

from repairs.models import Ticket


def office_of(school: Any) -> list[User]:
    """The logistics admins of the school: they dispatch and get the digests."""
    return list(people_with_role(school, Role.LOGISTICS_ADMIN))


def concerned(ticket: Ticket, *, office: bool = False) -> list[User]:
    people: list[Any] = [ticket.reporter, ticket.assignee, ticket.dispatched_by, *ticket.watchers.all()]
    if office or ticket.dispatched_by_id is None:
        people += office_of(ticket.school)
    return [p for p in people if p is not None]


def tell(ticket: Ticket, recipients: Iterable[Any], *, by: Any, compose: Callable[[], tuple[str, str]]) -> None:
    notify(recipients, school=ticket.school, compose=compose, url=ticket.get_absolute_url(), exclude=by)


def subject(ticket: Ticket, what: str) -> str:
    return _("Repair %(number)s: %(what)s") % {"number": ticket.number, "what": what}


def place(ticket: Ticket) -> str:
    return f"{ticket.room} · {ticket.category.name}"
