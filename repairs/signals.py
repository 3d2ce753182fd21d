"""Signals repairs sends for other apps to follow, so repairs never imports them.

`ticket_accepted`: sent by `repairs.services.ticket_accept` inside its transaction, after the reporter
accepted the work, with `ticket` (the locked, saved ticket) and `by` (the person who accepted).
Receivers run in the same transaction: what they write commits or rolls back with the acceptance.
Safety moves the hazard the ticket was opened for to 待验收 (safety/services/hazards.py).
"""

from django.dispatch import Signal

ticket_accepted = Signal()
