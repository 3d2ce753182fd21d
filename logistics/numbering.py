"""The next number of a per-school counter row, race-free: what numbers tickets, cards and hazards."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import F


def next_in_sequence(counter: type[models.Model], *, block: int = 1, **key: Any) -> int | None:
    """Take the next value of the `counter` row selected by `key` (created at 1 if missing).

    `block=n` takes n values at once and returns the last of them (the first is the result - n + 1):
    an import numbering thousands of cards moves the counter once.

    Must run inside the caller's transaction: the UPDATE holds the row's lock (PostgreSQL row lock,
    SQLite write lock) until commit, so two people at once never share a number. None after three
    failed attempts; the caller says so to the person.
    """
    rows = counter._default_manager.filter(**key)
    for _attempt in range(3):
        if rows.update(last=F("last") + block):
            return rows.values_list("last", flat=True).get()
        try:
            with transaction.atomic():
                counter._default_manager.create(**key, last=block)
            return block
        except IntegrityError:
            continue  # another person created the row first: take the lock through the UPDATE
    return None
