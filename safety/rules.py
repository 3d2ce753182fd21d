"""Who may take which step on a hazard or a round, in its present state: the one source of the answer.

Each rule returns None when `user` may take the step now, or the translated reason they may not.
Services pass the answer to `refuse_unless()` on the locked row; `hazard_actions_for()` turns the
same answers into the buttons of the hazard page, so a button is shown exactly when the service
would accept the step.
"""

from __future__ import annotations

from typing import Any, Callable

from django.utils.translation import gettext as _
from django_fsm import can_proceed

from logistics.permissions import can
from logistics.workflow import state_refused

from safety.models import UNFIXED_STATUSES, Hazard, HazardStatus, Round, RoundStatus

Rule = Callable[[Hazard, Any], "str | None"]


def is_office(hazard: Hazard, user: Any) -> bool:
    return can(user, hazard.school_id, "safety.manage_hazard")


def _in_state(hazard: Hazard, transition: str) -> str | None:
    return None if can_proceed(getattr(hazard, transition)) else str(state_refused(hazard))


def _office_or_responsible(hazard: Hazard, user: Any) -> str | None:
    if is_office(hazard, user):
        return None
    if hazard.responsible_id == user.pk and can(user, hazard.school_id, "safety.view_hazard"):
        return None
    return _("Only the person responsible or the safety office may rectify %(number)s.") % {"number": hazard.number}


def five_recorded(hazard: Hazard) -> str | None:
    """None when the hazard is general or its five 到位 are all recorded, else the reason."""
    if hazard.is_major and (missing := hazard.five_missing):
        return _("%(number)s is a major hazard: record the five “in place” first (missing: %(missing)s).") % {
            "number": hazard.number, "missing": "、".join(missing)}
    return None


def assign(hazard: Hazard, user: Any) -> str | None:
    """Name the person responsible, the deadline, the grade and the place (before the fix is done)."""
    if not is_office(hazard, user):
        return _("Only the safety office assigns hazards.")
    return None if hazard.status in UNFIXED_STATUSES else str(state_refused(hazard))


def five(hazard: Hazard, user: Any) -> str | None:
    if not is_office(hazard, user):
        return _("Only the safety office records the five “in place”.")
    if not hazard.is_major:
        return _("Only a major hazard needs the five “in place”.")
    return None if hazard.status in UNFIXED_STATUSES else str(state_refused(hazard))


def start(hazard: Hazard, user: Any) -> str | None:
    if refused := _office_or_responsible(hazard, user) or _in_state(hazard, "start"):
        return refused
    if not hazard.responsible_id or not hazard.deadline:
        return _("Name the person responsible and the deadline of %(number)s first.") % {"number": hazard.number}
    return five_recorded(hazard)


def rectify(hazard: Hazard, user: Any) -> str | None:
    return _office_or_responsible(hazard, user) or _in_state(hazard, "rectify") or five_recorded(hazard)


def _verifier(hazard: Hazard, user: Any, transition: str) -> str | None:
    if not can(user, hazard.school_id, "safety.verify_hazard"):
        return _("Only the safety office verifies rectified hazards.")
    if refused := _in_state(hazard, transition):
        return refused
    if hazard.fixed_by_id == user.pk:
        return _("You rectified %(number)s; someone else must verify it.") % {"number": hazard.number}
    return None


def close(hazard: Hazard, user: Any) -> str | None:
    return _verifier(hazard, user, "close") or five_recorded(hazard)


def send_back(hazard: Hazard, user: Any) -> str | None:
    return _verifier(hazard, user, "send_back")


def withdraw(hazard: Hazard, user: Any) -> str | None:
    if not is_office(hazard, user):
        return _("Only the safety office withdraws hazards.")
    return _in_state(hazard, "withdraw")


def bureau(hazard: Hazard, user: Any) -> str | None:
    """Record the written report to the education bureau of a hazard the school cannot remove itself."""
    if not is_office(hazard, user):
        return _("Only the safety office reports hazards to the education bureau.")
    if hazard.status not in (HazardStatus.OPEN, HazardStatus.FIXING, HazardStatus.TO_VERIFY):
        return str(state_refused(hazard))
    if hazard.reported_to_bureau_on:
        return _("%(number)s was reported to the education bureau on %(day)s.") % {
            "number": hazard.number, "day": hazard.reported_to_bureau_on.isoformat()}
    return None


def repair(hazard: Hazard, user: Any) -> str | None:
    """Open a repair ticket for the fix: once, before the fix is done, for a hazard in a room."""
    if not is_office(hazard, user):
        return _("Only the safety office opens repair tickets for hazards.")
    if not can(user, hazard.school_id, "repairs.add_ticket"):
        return _("You may not report repairs in this school.")
    if hazard.status not in UNFIXED_STATUSES:
        return str(state_refused(hazard))
    if hazard.repair_ticket_id:
        return _("Repair ticket %(ticket)s is already open for %(number)s.") % {"ticket": hazard.repair_ticket_number, "number": hazard.number}
    if not hazard.room_id:
        return _("A repair ticket needs a room: set the room of %(number)s first.") % {"number": hazard.number}
    return None


RULES: dict[str, Rule] = {
    "assign": assign,
    "five": five,
    "start": start,
    "rectify": rectify,
    "close": close,
    "send_back": send_back,
    "withdraw": withdraw,
    "repair": repair,
    "bureau": bureau,
}


def hazard_actions_for(hazard: Hazard, user: Any) -> dict[str, bool]:
    """The steps `user` may take on `hazard` now: what the hazard page draws as buttons."""
    return {name: rule(hazard, user) is None for name, rule in RULES.items()}


# --- Rounds ---------------------------------------------------------------------------------------

def walk(round: Round, user: Any) -> str | None:
    """Answer items and finish: anyone who walks rounds (two people may share one), while it is open."""
    if not can(user, round.school_id, "safety.walk_round"):
        return _("Only the safety office walks inspection rounds.")
    if round.status != RoundStatus.IN_PROGRESS:
        return _("This round is finished and signed; it cannot change.")
    return None


__all__ = ["RULES", "hazard_actions_for", "walk", "HazardStatus"]
