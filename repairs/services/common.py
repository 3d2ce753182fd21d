"""Shared by every service: the refusal, who may do what, the row lock."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Permission
from django.utils.translation import gettext as _

from logistics.models import Membership

from repairs.models import Ticket


class WorkflowError(Exception):
    """A refused change; `str(e)` is a translated message for the person who tried it."""


# --- Who may do what --------------------------------------------------------------------------

def _perms(user: Any, school: Any) -> frozenset[str]:
    """The repairs permissions `user` holds through their roles in `school` (not any other school)."""
    if user is None or not getattr(user, "is_active", False):
        return frozenset()
    cache = getattr(user, "_repairs_perms", None)
    if cache is None:
        cache = user._repairs_perms = {}
    school_id = school.pk if hasattr(school, "pk") else school
    if school_id not in cache:
        cache[school_id] = frozenset(
            Permission.objects.filter(
                content_type__app_label="repairs",
                group__memberships__user=user,
                group__memberships__school_id=school_id,
                group__memberships__is_active=True,
            ).values_list("codename", flat=True)
        )
    return cache[school_id]


def can(user: Any, school: Any, codename: str) -> bool:
    return codename in _perms(user, school)


def _require(user: Any, school: Any, codename: str, message: str) -> None:
    if not can(user, school, codename):
        raise WorkflowError(message)


def _lock(ticket: Ticket) -> Ticket:
    """Lock the ticket's row, then read it afresh. Two statements on purpose: after waiting for a
    lock, PostgreSQL re-checks the locked row but not the rows outer-joined to it, so a joined
    `assignee` could come back empty although `assignee_id` is set."""
    Ticket.objects.select_for_update().filter(pk=ticket.pk).values_list("pk", flat=True).get()
    return Ticket.objects.select_related("school", "room__building", "category", "reporter", "assignee").get(pk=ticket.pk)


def _may_work(ticket: Ticket, user: Any) -> bool:
    """The assigned repairer; for an outside contractor's job, the office records the work."""
    if not can(user, ticket.school_id, "work_ticket"):
        return False
    if ticket.assignee_id:
        return ticket.assignee_id == user.pk
    return can(user, ticket.school_id, "dispatch_ticket")


def _state_refused(ticket: Ticket) -> WorkflowError:
    return WorkflowError(
        _("Ticket %(number)s is “%(status)s”; that step is not possible now.") % {"number": ticket.number, "status": ticket.get_status_display()}
    )


def _check_school(ticket: Ticket, user: Any) -> None:
    if not Membership.objects.filter(user=user, school_id=ticket.school_id, is_active=True).exists():
        raise WorkflowError(_("This ticket belongs to another school."))
