"""The asset ledger with 100,000 cards, in-process (issue 12).

Seeds its own school once (the demo's people and rooms, the assets demo, then plain cards up to
100,000) in the bench database, and measures:

- the monthly depreciation run over all 100,000 cards: target under 30 s, with a bounded number of
  queries (one UPDATE per class and per card-own useful life: bounded by the class table);
- the ledger list, page 1 and page 1,000 (keyset pager): page 1,000 within 1.2× of page 1, and the
  same number of queries.

    BENCH_DATABASE_URL=sqlite:///var/bench_assets.sqlite3 .venv/bin/python -m bench assets

Not measured here yet (see the closing note of issue 12): the plain ListView ratio, the export vs
xlsxwriter, the 20,000-row import.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from typing import Any

from bench.harness import Report, measure
from bench.repairs import _client, _setup

CARDS = 100_000
BENCH_CODE = "bench-assets"


def _school(stdout: Any = print) -> Any:
    import io

    from django.core.management import call_command

    from assets.demo import _bulk_cards, seed, seed_work
    from assets.models import AssetCard
    from logistics.demo import seed_core
    from logistics.models import Membership, Role, School

    call_command("migrate", verbosity=0, interactive=False)
    school = School.objects.filter(code=BENCH_CODE).first()
    if school is None:
        school = School.objects.create(code=BENCH_CODE, name="资产基准学校")
        seed_core(school, size="small", stdout=io.StringIO())
    if AssetCard.objects.for_school(school).count() < CARDS:
        stdout(f"Seeding {CARDS:,} cards into the bench database (once) …")
        start = time.perf_counter()
        seed(school, size="small", stdout=io.StringIO())
        seed_work(school, size="small", stdout=io.StringIO())
        office = Membership.objects.for_school(school).with_role(Role.LOGISTICS_ADMIN).select_related("user").first().user
        _bulk_cards(school, office, target=CARDS, stdout=io.StringIO())
        stdout(f"  seeded in {time.perf_counter() - start:.0f} s")
    return school


def run(args: argparse.Namespace) -> bool:
    _setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from assets.models import AssetCard, DepreciationRun
    from assets.services.depreciation import depreciate_month
    from logistics.models import Membership, Role

    school = _school()
    n = AssetCard.objects.for_school(school).count()
    report = Report(f"Assets: {n:,} cards (SQLite, in-process)")
    ok = True

    # Depreciation: a month none of these cards has been booked for, so every card is written.
    AssetCard.objects.for_school(school).update(accumulated_depreciation=0, months_depreciated=0)
    DepreciationRun.objects.filter(school=school).delete()
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        run_ = depreciate_month(school=school, period=dt.date(2026, 10, 1))
        seconds = time.perf_counter() - start
    print(f"depreciation of {run_.cards:,} cards: {seconds:.1f} s, {len(ctx)} queries (target < 30 s)")
    ok = ok and seconds < 30

    office = Membership.objects.for_school(school).with_role(Role.LOGISTICS_ADMIN).select_related("user").first().user
    client = _client(office.username)
    url = reverse("assets:card-list")
    timings = {}
    for name, params in (("ledger page 1", {}), ("ledger page 1,000", {"page": 1000})):
        timings[name] = report.add(measure(name, lambda _i, p=params: client.get(url, p), repeat=args.repeat))
        with CaptureQueriesContext(connection) as q:
            client.get(url, params)
        print(f"{name}: {len(q)} queries")
    report.print()
    ratio = timings["ledger page 1,000"].median_ms / timings["ledger page 1"].median_ms
    print(f"page 1,000 / page 1: {ratio:.2f}× (target ≤ 1.2×)")
    return ok and ratio <= 1.2
