"""Who may take which step on an asset card, in its present state: the one source of the answer.

Each rule returns None when `user` may take the step now, or the translated reason they may not.
Services pass the answer to `refuse_unless()` on the locked row; `card_actions_for()` turns the same
answers into the buttons of the card page.
"""

from __future__ import annotations

from typing import Any, Callable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.db.models import Q
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


# --- Stocktakes ----------------------------------------------------------------------------------
# The office (and those who see the whole ledger) see every stocktake of the school; a class teacher
# counts their class's part: the stocktakes that hold their class's assets (held by the class or
# standing in its room), and in those only the lines of that part.

def sees_all_stocktakes(user: Any, school_id: int) -> bool:
    return can(user, school_id, "assets.view_stocktake")


def class_part(user: Any, school_id: int) -> Q:
    """The stocktake lines of the classes `user` heads: cards the class holds or that stand in its room."""
    from logistics.models import SchoolClass

    mine = SchoolClass.objects.filter(school_id=school_id, head_teacher_id=user.pk)
    return Q(card__custodian_class__in=mine.values("pk")) | Q(expected_room__in=mine.exclude(room__isnull=True).values("room_id"))


def stocktake_part(stocktake: Any, user: Any) -> Q | None:
    """Which lines of `stocktake` the page shows `user`: None for all of them."""
    return None if sees_all_stocktakes(user, stocktake.school_id) else class_part(user, stocktake.school_id)


def count_line(line: Any, user: Any) -> str | None:
    """May `user` mark this line? The office: any; a class teacher: a line of their class's part."""
    stocktake = line.stocktake
    if not can(user, stocktake.school_id, "assets.count_stocktake"):
        return _("You may not count in this stocktake.")
    part = stocktake_part(stocktake, user)
    if part is None or can(user, stocktake.school_id, "assets.run_stocktake"):
        return None
    if line.pk is None or not type(line).objects.filter(part, pk=line.pk).exists():
        return _("%(number)s is not one of your class's assets in this stocktake.") % {"number": line.number or line.name}
    return None
