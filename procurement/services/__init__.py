"""Every write and state change of a requisition, by actor.

Each service has the same shape: lock the requisition's row, check the step's rule
(`procurement.rules`, the same answers the request page draws its buttons from), change it through
`logistics.workflow` (saved and audited), notify the people concerned. Anything not allowed raises
`WorkflowError` with a message for the person, and changes nothing.
"""

from __future__ import annotations

from logistics.workflow import WorkflowError
from procurement.services.approval import reminders_send, requisition_approve, requisition_reject, start_round
from procurement.services.requests import LineInput, requisition_save, requisition_submit, requisition_withdraw
from procurement.services.purchase import requisition_order
from procurement.services.acceptance import acceptance_confirm, acceptance_pay, acceptance_record

__all__ = [
    "WorkflowError",
    "LineInput",
    "requisition_save",
    "requisition_submit",
    "requisition_withdraw",
    "requisition_approve",
    "requisition_reject",
    "start_round",
    "reminders_send",
    "requisition_order",
    "acceptance_record",
    "acceptance_confirm",
    "acceptance_pay",
]
