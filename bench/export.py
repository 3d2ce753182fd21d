"""The ticket export, all 50,000 tickets of the large demo school, through the export engine.

Targets (issue 9): at most 1.3× the floor's median time, where the floor writes the same rows and
columns (the same `values_list` query, annotations included) with xlsxwriter in constant-memory
mode and nothing else; and at most 50 MB above the process's start-up memory.

Times are taken in turns in this process (engine, floor, engine, floor …). Memory is measured in a
fresh subprocess per variant: the peak resident size (ru_maxrss) after one export minus the size
after start-up, plus tracemalloc's peak of Python allocations during a second export. Run it on
PostgreSQL for production-like numbers: BENCH_DATABASE_URL=postgres://…/bench_exports.
"""

from __future__ import annotations

import argparse
import tempfile
from typing import Any

from bench.harness import Report, measure_interleaved, memory_child, memory_of, run_variant
from bench.repairs import LARGE, _seed, _setup

TARGET_RATIO = 1.3
TARGET_MB = 50.0
USERNAME = "logistics"


def _selection() -> tuple[Any, Any]:
    from django.http import QueryDict

    from logistics.demo import DEMO_CODE
    from logistics.exports.services import select_for
    from logistics.models import School, User
    from repairs.export import TICKETS

    school = School.objects.get(code=DEMO_CODE)
    user = User.objects.get(username=USERNAME)
    return TICKETS, select_for(TICKETS, user=user, school=school, params=QueryDict())


def engine_export(handle: Any) -> int:
    """What an export job does: count, then write through the engine."""
    from logistics.exports.engine import write

    export, selection = _selection()
    return write(export, selection, handle, total=selection.queryset.count())


def floor_export(handle: Any) -> int:
    """The same rows and columns from `values_list`, written cell by cell with xlsxwriter."""
    import xlsxwriter

    export, selection = _selection()
    workbook = xlsxwriter.Workbook(handle, {"constant_memory": True, "remove_timezone": True})
    ws = workbook.add_worksheet("tickets")
    date = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    formats = [date if c.format == "datetime" else None for c in export.columns]
    ws.write_row(0, 0, [str(c.header) for c in export.columns])
    count = 0
    for r, row in enumerate(export.rows(selection.queryset).iterator(chunk_size=2000), start=1):
        for c, value in enumerate(row):
            ws.write(r, c, value, formats[c])
        count += 1
    workbook.close()
    return count


VARIANTS = {"engine": engine_export, "floor": floor_export}


def _run_variant(name: str, handle: Any) -> int:
    return run_variant(VARIANTS, name, handle)


def _start_up() -> None:
    _setup()
    from django.db import connection

    connection.ensure_connection()
    _selection()  # imports, the first queries: start-up, not the export


def run(args: argparse.Namespace) -> bool:
    _setup()
    from django.db import connection

    from repairs.models import Ticket

    school = _seed()
    total = Ticket.objects.for_school(school).count()
    repeat = max(3, min(args.repeat, 7))  # each export takes seconds; seven give a steady median
    report = Report(f"Ticket export · {total:,} tickets · {connection.vendor} · {repeat} runs after 1 warm-up, in turns")
    with tempfile.TemporaryFile() as handle:
        rows: dict[str, int] = {}

        def check(name: str, count: int) -> None:
            rows[name] = count
            if count < min(total, LARGE):
                raise SystemExit(f"{name}: {count} rows written, expected {total}")

        timings = measure_interleaved(
            {"export engine (count + write)": lambda _: _run_variant("engine", handle),
             "floor: values_list → xlsxwriter": lambda _: _run_variant("floor", handle)},
            repeat=repeat, warmup=1, check=check,
        )
    engine_t, floor_t = timings["export engine (count + write)"], timings["floor: values_list → xlsxwriter"]
    for t in (engine_t, floor_t):
        t.note = f"{rows[t.name]:,} rows"
        report.add(t)
    report.ratio("engine / floor (median)", engine_t, floor_t, at_most=TARGET_RATIO)
    for name in VARIANTS:
        mem = memory_of("bench.export", name)
        ok = mem["rss_mb"] <= TARGET_MB if name == "engine" else None
        report.check(f"{name}: peak RSS above start-up", f"{mem['rss_mb']:.1f} MB", f"≤ {TARGET_MB:.0f} MB" if ok is not None else "", ok)
        report.check(f"{name}: tracemalloc peak", f"{mem['traced_mb']:.1f} MB")
    return report.print()





if __name__ == "__main__":  # the memory subprocess: python -m bench.export --memory engine
    parser = argparse.ArgumentParser()
    parser.add_argument("--memory", choices=list(VARIANTS), required=True)
    memory_child(VARIANTS, parser.parse_args().memory, start_up=_start_up)
