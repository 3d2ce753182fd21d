"""The term report, in-process on the large demo school (50,000 tickets), SQLite.

Target (issue 5): generating the .docx of the current term — every provider's facts, the composer
and the Word writer with its charts — takes at most 2 s (median). The facts alone and the Word
writer alone are timed for the record, and the query count is printed (it must not depend on the
number of tickets; tests/reports asserts that).

Issue 11: the term also holds 200 工作纪事 entries (seeded once, spread over the parts and the
months so far), told month by month in each part; the apps' rules run before the facts. The query
count is compared with the same report when only 20 of those entries are active: it must not move.
"""

from __future__ import annotations

import argparse
from typing import Any

from bench.harness import Report, measure
from bench.repairs import _seed, _setup

TARGET_MS = 2000.0
ENTRIES = 200


def _seed_chronicle(school: Any, term: Any) -> int:
    """ENTRIES person-written 纪事 entries in the term (up to today), once."""
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from logistics.chronicle.models import ChronicleEntry, Domain
    from logistics.chronicle.services import ensure_kinds

    have = ChronicleEntry.objects.for_school(school).filter(rule="", date__gte=term.start, date__lte=term.end).count()
    if have >= ENTRIES:
        return have
    kinds = ensure_kinds(school)
    last = min(term.end, timezone.localdate())
    span = max((last - term.start).days, 1)
    domains = list(Domain.values)
    ChronicleEntry.objects.bulk_create([
        ChronicleEntry(school=school, kind=kinds[i % len(kinds)], domain=domains[i % len(domains)], edited=True,
                       title=f"完成第{i + 1}项后勤保障工作", date=term.start + dt.timedelta(days=(i * 7) % span),
                       amount=Decimal(500 + 37 * i) if i % 3 else None, quantity=Decimal(i % 40 + 1) if i % 4 == 0 else None,
                       unit="个" if i % 4 == 0 else "", people_count=(i % 30 + 2) if i % 5 == 0 else None)
        for i in range(have, ENTRIES)
    ])
    return ENTRIES


def run(args: argparse.Namespace) -> bool:
    _setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from logistics.models import Term
    from logistics.reports import services
    from logistics.reports.writers import word
    from repairs.models import Ticket

    school = _seed()
    term = Term.objects.for_school(school).current()
    entries = _seed_chronicle(school, term)
    repeat = max(3, min(args.repeat, 9))  # each run takes about a second; nine give a steady median
    report = Report(f"Term report: {school.name} {term.code}, {Ticket.objects.for_school(school).count():,} tickets in the school, "
                    f"{entries} 纪事 entries in the term")

    def whole(_: int) -> bytes:
        composed, _sections = services.compose_term(school, term)
        return word.render(composed.blocks)

    def facts(_: int) -> Any:
        return services.collect_sections(school, term)

    composed, _sections = services.compose_term(school, term)

    def writer(_: int) -> bytes:
        return word.render(composed.blocks)

    def check(content: bytes) -> None:
        if not content.startswith(b"PK"):
            raise SystemExit("the .docx is not a zip file")

    timing = report.add(measure("facts + compose + .docx", whole, repeat=repeat, warmup=1, check=check))
    with CaptureQueriesContext(connection) as ctx:
        whole(0)
    timing.queries = len(ctx.captured_queries)
    # The same report with only 20 entries active (withdrawn in a transaction rolled back afterwards).
    from django.db import transaction
    from django.utils import timezone

    from logistics.chronicle.models import ChronicleEntry

    with transaction.atomic():
        keep = list(ChronicleEntry.objects.for_school(school).filter(rule="").order_by("pk").values_list("pk", flat=True)[:20])
        ChronicleEntry.objects.for_school(school).filter(rule="").exclude(pk__in=keep).update(withdrawn_at=timezone.now())
        with CaptureQueriesContext(connection) as few:
            whole(0)
        transaction.set_rollback(True)
    timing.note = f"{len(whole(0)) // 1024} KB, {sum(1 for b in composed.blocks if b.kind == 'chart')} charts"
    facts_timing = report.add(measure("facts only (all providers)", facts, repeat=repeat, warmup=1))
    facts_timing.queries = timing.queries
    report.add(measure(".docx writer only", writer, repeat=repeat, warmup=1, check=check))
    report.check("median .docx generation", f"{timing.median_ms:.0f} ms", f"≤ {TARGET_MS:.0f} ms", timing.median_ms <= TARGET_MS)
    report.check("queries with 200 vs 20 纪事 entries", f"{timing.queries} vs {len(few.captured_queries)}", "equal",
                 timing.queries == len(few.captured_queries))
    return report.print()
