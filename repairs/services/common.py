"""Shared by every repairs service: the ticket's row lock with what the services read joined."""

from __future__ import annotations

from logistics.workflow import WorkflowError, lock

from repairs.models import Ticket

__all__ = ["WorkflowError", "lock_ticket"]

RELATED = ("school", "room__building", "category", "reporter", "assignee")


def lock_ticket(ticket: Ticket) -> Ticket:
    return lock(ticket, related=RELATED)
