"""The reads of the 工作纪事.

    from logistics.chronicle.selectors import entries_for
    entries_for(school, term)                    # every part's entries of the term, in date order
    entries_for(school, term, domain="repairs")  # one report part's

Withdrawn entries are left out. The result is a queryset (kind joined), so a caller can narrow it
further; evaluating it is one query whatever the number of entries.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from logistics.chronicle.models import ChronicleEntry, ChronicleKind


def entries_for(school: Any, term: Any, domain: str | None = None, *, until: dt.date | None = None) -> QuerySet[ChronicleEntry]:
    """The active entries of `school` dated within `term` (up to `until` when given), oldest first."""
    end = min(term.end, until) if until else term.end
    qs = ChronicleEntry.objects.for_school(school).active().within(term.start, end).select_related("kind")
    if domain:
        qs = qs.filter(domain=domain)
    return qs.order_by("date", "pk")


def entries_of_month(school: Any, year: int, month: int, *, include_withdrawn: bool = False) -> QuerySet[ChronicleEntry]:
    start = dt.date(year, month, 1)
    end = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    qs = ChronicleEntry.objects.for_school(school).within(start, end)
    if not include_withdrawn:
        qs = qs.active()
    return qs.select_related("kind").prefetch_related("photos").order_by("date", "pk")


def kinds_of(school: Any, *, active: bool = True) -> QuerySet[ChronicleKind]:
    qs = ChronicleKind.objects.for_school(school)
    return qs.filter(is_active=True) if active else qs


def events_for(school: Any, term: Any, *, until: dt.date | None = None) -> dict[str, list[Any]]:
    """The term's entries as report events, by domain (one query)."""
    from logistics.reports.facts import Event, Link

    out: dict[str, list[Any]] = {}
    for e in entries_for(school, term, until=until):
        out.setdefault(e.domain, []).append(Event(
            key=f"chronicle.{e.pk}", date=e.date, end_date=e.end_date, title=e.title, amount=e.amount, quantity=e.quantity,
            unit=e.unit, people_count=e.people_count, kind=e.kind.key, kind_name=e.kind.name, domain=e.domain,
            link=Link("chronicle:entry-detail", args=(e.pk,)), by_rule=bool(e.rule),
        ))
    return out
