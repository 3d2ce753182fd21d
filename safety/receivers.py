"""What safety does when another app tells it something (Django signals, connected in apps.ready)."""

from __future__ import annotations

from typing import Any


def on_ticket_accepted(sender: Any, *, ticket: Any, by: Any = None, **kwargs: Any) -> None:
    """A repair ticket opened for a hazard is accepted: the hazard goes to 待验收."""
    from safety.services.hazards import hazard_repair_accepted

    hazard_repair_accepted(ticket=ticket, by=by)
