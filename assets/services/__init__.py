"""Every write and state change of the asset ledger.

Each service has the same shape: lock the card (`lock_card`), check the step's rule (`assets.rules`,
the same answers the card page draws its buttons from), apply the transition
(`logistics.workflow.transition`: save and audit), record the movement. Anything not allowed raises
`WorkflowError` with a message for the person, and changes nothing.
"""

from __future__ import annotations

from logistics.workflow import WorkflowError
from assets.services.cards import card_register, card_update, value_problem
from assets.services.photos import card_add_photo, card_remove_photo
from assets.services.custody import (
    card_back_from_repair,
    card_get_back,
    card_issue,
    card_lend,
    card_propose_disposal,
    card_send_to_repair,
    card_take_back,
    card_transfer,
)

__all__ = [
    "WorkflowError",
    "card_register",
    "card_update",
    "value_problem",
    "card_add_photo",
    "card_remove_photo",
    "card_issue",
    "card_transfer",
    "card_take_back",
    "card_lend",
    "card_get_back",
    "card_send_to_repair",
    "card_back_from_repair",
    "card_propose_disposal",
]
