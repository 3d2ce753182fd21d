"""`python -m bench [name ...]`: run the named benchmarks (all when none is named) and print their tables.

    .venv/bin/python -m bench              # every benchmark
    .venv/bin/python -m bench repairs      # ticket list vs plain ListView, deep page, home page, detail, submit, first-visit bytes (in-process, SQLite)
    .venv/bin/python -m bench repairs-load # 20 reporters for 30 s against gunicorn on PostgreSQL
    .venv/bin/python -m bench report       # the term report .docx of the large demo school (≤ 2 s)
    .venv/bin/python -m bench export       # all 50,000 tickets through the export engine vs xlsxwriter alone (≤ 1.3×, ≤ 50 MB)

Environment: BENCH_DATABASE_URL (default sqlite:///var/bench.sqlite3) for the in-process benchmarks,
BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/bench, created if missing) for the load test.
Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# name -> (module, what it measures)
BENCHMARKS = {
    "repairs": ("bench.repairs", "ticket list vs a plain ListView and the admin changelist, home page 50,000 vs 300 tickets, detail, submit, first-visit bytes (in-process)"),
    "repairs-load": ("bench.repairs_load", "20 concurrent reporters for 30 s, gunicorn + PostgreSQL"),
    "report": ("bench.report", "the term report .docx for the large demo school: facts, composer, Word (in-process)"),
    "safety": ("bench.safety", "hazard ledger and round list vs a plain ListView, signing a 60-item round (in-process)"),
    "canteen": ("bench.canteen", "canteen day view vs the login page; a school year of every record kind, three canteens, engine vs xlsxwriter (in-process)"),
    "procurement": ("bench.procurement", "request list vs a plain ListView, approval queue, a 50-line delivery into the ledger (in-process)"),
    "assets": ("bench.assets", "asset ledger of 100,000 cards: depreciation (< 30 s), page 1,000 vs page 1, page 1 vs a plain ListView, the export vs xlsxwriter, a 20,000-line import (< 60 s) (in-process)"),
    "export": ("bench.export", "the ticket export of the large demo school: engine vs values_list + xlsxwriter, time and memory"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", metavar="name", help="one of: " + ", ".join(BENCHMARKS))
    parser.add_argument("--repeat", type=int, default=30, help="timed repetitions per request (default 30)")
    parser.add_argument("--seconds", type=float, default=30.0, help="duration of the load test (default 30)")
    parser.add_argument("--reporters", type=int, default=20, help="concurrent reporters in the load test (default 20)")
    args = parser.parse_args(argv)
    names = args.names or list(BENCHMARKS)
    if unknown := [n for n in names if n not in BENCHMARKS]:
        parser.error(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")

    # The benchmarks never touch the demo database: their own file, seeded once (50,000 tickets).
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "logistics.settings")
    os.environ.pop("REDIS_URL", None)  # in-process: Celery eager, no broker round-trips in the timings
    sys.path.insert(0, str(BASE_DIR))

    ok = True
    for name in names:
        module = importlib.import_module(BENCHMARKS[name][0])
        ok = module.run(args) and ok
    print("\nall targets met" if ok else "\nSOME TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
