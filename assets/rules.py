"""Who may take which step on an asset card, in its present state: the one source of the answer.

Each rule returns None when `user` may take the step now, or the translated reason they may not.
Services pass the answer to `refuse_unless()` on the locked row; `card_actions_for()` turns the same
answers into the buttons of the card page.
"""

from __future__ import annotations

from typing import Any, Callable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed

from logistics.permissions import can
from logistics.workflow import state_refused

from assets.models import AssetCard, Status

Rule = Callable[[AssetCard, Any], "str | None"]


def is_office(card: AssetCard, user: Any) -> bool:
    return can(user, card.school_id, "assets.move_card")


def _office_step(message: Any, transition: str) -> Rule:
    def rule(card: AssetCard, user: Any) -> str | None:
        if not is_office(card, user):
            return str(message)
        return None if can_proceed(getattr(card, transition)) else str(state_refused(card))

    return rule


MOVES_ONLY_OFFICE = gettext_lazy("Only the logistics office moves assets.")

issue = _office_step(MOVES_ONLY_OFFICE, "issue")
transfer = _office_step(MOVES_ONLY_OFFICE, "transfer")
take_back = _office_step(MOVES_ONLY_OFFICE, "take_back")
lend = _office_step(MOVES_ONLY_OFFICE, "lend")
get_back = _office_step(MOVES_ONLY_OFFICE, "get_back")
send_to_repair = _office_step(MOVES_ONLY_OFFICE, "send_to_repair")
back_from_repair = _office_step(MOVES_ONLY_OFFICE, "back_from_repair")
propose_disposal = _office_step(gettext_lazy("Only the logistics office proposes a disposal."), "propose_disposal")


def edit(card: AssetCard, user: Any) -> str | None:
    """The card's particulars (name, spec, value…); a disposed card's record no longer changes."""
    if not can(user, card.school_id, "assets.change_assetcard"):
        return _("Only the logistics office edits asset cards.")
    if card.status == Status.DISPOSED:
        return _("%(number)s has been disposed of; its card no longer changes.") % {"number": card.number}
    return None


RULES: dict[str, Rule] = {
    "edit": edit,
    "issue": issue,
    "transfer": transfer,
    "take_back": take_back,
    "lend": lend,
    "get_back": get_back,
    "send_to_repair": send_to_repair,
    "back_from_repair": back_from_repair,
    "propose_disposal": propose_disposal,
}


def card_actions_for(card: AssetCard, user: Any) -> dict[str, bool]:
    """The steps `user` may take on `card` now: what the card page draws as buttons."""
    return {name: rule(card, user) is None for name, rule in RULES.items()}
