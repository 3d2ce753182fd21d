"""Who hears about a requisition, and what they read (in their own language)."""

from __future__ import annotations

from typing import Any, Callable, Iterable

from django.utils.translation import gettext as _

from logistics.models import Role, User
from logistics.notifications import notify
from logistics.selectors import people_with_role

from procurement.models import ApprovalStep, Delegation, Requisition, StepKind


def approvers_of(step: ApprovalStep) -> list[User]:
    """Whoever may decide `step`: its named person or the holders of its role, and their delegates."""
    req = step.requisition
    if step.kind == StepKind.PERSON:
        people = [step.person] if step.person_id else []
    else:
        people = list(people_with_role(req.school_id, step.role))
    delegates = Delegation.objects.filter(school_id=req.school_id, delegator__in=people).select_related("delegate")
    return [p for p in [*people, *(d.delegate for d in delegates)] if p.pk != req.requester_id]


def office_of(req: Requisition) -> list[User]:
    """The logistics admins: they buy what is approved."""
    return list(people_with_role(req.school_id, Role.LOGISTICS_ADMIN))


def tell(req: Requisition, recipients: Iterable[Any], *, by: Any, compose: Callable[[], tuple[str, str]]) -> None:
    notify(recipients, school=req.school, compose=compose, url=req.get_absolute_url(), exclude=by)


def subject(req: Requisition, what: str) -> str:
    return _("Request %(number)s: %(what)s") % {"number": req.number, "what": what}


def summary(req: Requisition) -> str:
    return _("%(purpose)s, %(total)s yuan") % {"purpose": req.purpose[:60], "total": f"{req.total:,.2f}"}
