"""Every write and state change of a repair ticket.

Each service has the same shape: lock the row (`lock_ticket`), check the step's rule
(`repairs.rules`, the same answers the ticket page draws its buttons from), apply the transition
(`logistics.workflow.transition`: save and audit), notify the people concerned. Anything not allowed
raises `WorkflowError` with a message for the person, and changes nothing.
"""

from __future__ import annotations

# The modules the services call through, reachable as before the split (tests slow them down to
# force races: `services.audit.record`, `services.photo_lib.process_all`).
from logistics import audit  # noqa: F401
from logistics import photos as photo_lib  # noqa: F401
from logistics.workflow import WorkflowError
from repairs.services.reporting import ticket_submit, ticket_follow
from repairs.services.dispatch import ticket_dispatch, ticket_reassign, tickets_bulk_dispatch, ticket_change_urgency, ticket_merge, ticket_cancel
from repairs.services.work import (ticket_start, ticket_add_note, ticket_add_material, ticket_add_stock_material, ticket_remove_material,
    ticket_mark_done)
from repairs.services.acceptance import ticket_accept, ticket_reject, ticket_close
from repairs.services.batch import tickets_auto_accept, overdue_digest_send

__all__ = [
    "WorkflowError",
    "ticket_submit",
    "ticket_follow",
    "ticket_dispatch",
    "ticket_reassign",
    "tickets_bulk_dispatch",
    "ticket_change_urgency",
    "ticket_merge",
    "ticket_cancel",
    "ticket_start",
    "ticket_add_note",
    "ticket_add_material",
    "ticket_add_stock_material",
    "ticket_remove_material",
    "ticket_mark_done",
    "ticket_accept",
    "ticket_reject",
    "ticket_close",
    "tickets_auto_accept",
    "overdue_digest_send",
]
