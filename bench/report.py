"""The term report, in-process on the large demo school (50,000 tickets), SQLite.

Target (issue 5): generating the .docx of the current term — every provider's facts, the composer
and the Word writer with its charts — takes at most 2 s (median). The facts alone and the Word
writer alone are timed for the record, and the query count is printed (it must not depend on the
number of tickets; tests/reports asserts that).
"""

from __future__ import annotations

import argparse
from typing import Any

from bench.harness import Report, measure
from bench.repairs import _seed, _setup

TARGET_MS = 2000.0


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
    repeat = max(3, min(args.repeat, 9))  # each run takes about a second; nine give a steady median
    report = Report(f"Term report: {school.name} {term.code}, {Ticket.objects.for_school(school).count():,} tickets in the school")

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
    timing.note = f"{len(whole(0)) // 1024} KB, {sum(1 for b in composed.blocks if b.kind == 'chart')} charts"
    facts_timing = report.add(measure("facts only (all providers)", facts, repeat=repeat, warmup=1))
    facts_timing.queries = timing.queries
    report.add(measure(".docx writer only", writer, repeat=repeat, warmup=1, check=check))
    report.check("median .docx generation", f"{timing.median_ms:.0f} ms", f"≤ {TARGET_MS:.0f} ms", timing.median_ms <= TARGET_MS)
    return report.print()
