"""Every write and state change of campus safety: rounds (rounds.py) and hazards (hazards.py).

Each service has the same shape: lock the row, check the step's rule (`safety.rules`, the same
answers the pages draw their buttons from), apply the transition (`logistics.workflow.transition`:
save and audit). Anything not allowed raises `WorkflowError` with a message for the person, and
changes nothing.
"""

from __future__ import annotations

from logistics.workflow import WorkflowError
from safety.services.hazards import (
    hazard_assign,
    hazard_close,
    hazard_open_repair,
    hazard_record_five,
    hazard_rectify,
    hazard_report,
    hazard_report_to_bureau,
    hazard_send_back,
    hazard_start,
    hazard_withdraw,
)
from safety.services.rounds import round_answer, round_finish, round_start

__all__ = [
    "WorkflowError",
    "round_start",
    "round_answer",
    "round_finish",
    "hazard_report",
    "hazard_assign",
    "hazard_record_five",
    "hazard_start",
    "hazard_rectify",
    "hazard_close",
    "hazard_send_back",
    "hazard_withdraw",
    "hazard_open_repair",
    "hazard_report_to_bureau",
]
