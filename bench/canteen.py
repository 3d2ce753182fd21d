"""The canteen, in-process on the large demo school (issue 14): three canteens over a school year.

Targets, each a ratio taken in the same run (requests and exports in turns):
- the day view of a canteen with a year of records at most 1.5× the plain login page;
- the export of every record kind of the school year for the three canteens (one workbook, one
  sheet per kind, through the export engine) at most 1.3× xlsxwriter's constant-memory floor
  writing the same rows (the same `values_list` queries) cell by cell.

For reference (no target): the same person's signed-in page that is base.html and nothing else, the
floor every signed-in page pays (the person: 1 query; the session, membership and roles, permissions,
navigation and unread counts are kept in the cache) before drawing anything of its own; and the day
view drawn again, as on the first visit after a record was saved (the day's statement and the body's
template: canteen.views.day keeps the drawn body until a record or a moment of the day).

With BENCH_REDIS_URL set (e.g. redis://127.0.0.1:6379/15), the day view, the login page and the
shell are measured again with Redis as the cache, as in production (reference, no target): every
read of the cache is then a round trip (about 0.35 ms through redis-py here), four for the day view.

The canteen records are seeded once into the bench database by the canteen demo seeder (size
large) when the demo school has no canteen yet.

    .venv/bin/python -m bench canteen
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import tempfile
import time
from typing import Any

from bench.harness import Report, measure_interleaved
from bench.repairs import _client, _seed, _setup

DAY_VIEW_RATIO = 1.5
EXPORT_RATIO = 1.3


def _seed_canteens(school: Any) -> None:
    from canteen.demo import seed
    from canteen.models import Canteen

    if not Canteen.objects.for_school(school).exists():
        print("Seeding three canteens over a school year into the bench database (once) …")
        start = time.perf_counter()
        seed(school, size="large", stdout=io.StringIO())
        print(f"  seeded in {time.perf_counter() - start:.0f} s")


def _span(school: Any) -> tuple[dt.date, dt.date]:
    from django.db.models import Max, Min

    from canteen.models import Sample

    span = Sample.objects.for_school(school).aggregate(lo=Min("day"), hi=Max("day"))
    return span["lo"], span["hi"]


def floor_workbook(*, user: Any, school: Any, start: dt.date, end: dt.date, target: Any) -> int:
    """The same sheets from the same `values_list` queries, written with xlsxwriter and nothing else."""
    import xlsxwriter
    from django.http import QueryDict

    from canteen.export import EXPORTS

    params = QueryDict(mutable=True)
    params.update({"date_from": start.isoformat(), "date_to": end.isoformat()})
    workbook = xlsxwriter.Workbook(target, {"constant_memory": True, "remove_timezone": True})
    date = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    count = 0
    for i, export in enumerate(EXPORTS.values()):
        ws = workbook.add_worksheet(f"sheet{i}")
        formats = [date if c.format in ("date", "datetime") else None for c in export.columns]
        ws.write_row(0, 0, [str(c.header) for c in export.columns])
        selection = export.select(user=user, school=school, params=params)
        for r, row in enumerate(export.rows(selection.queryset).iterator(chunk_size=2000), start=1):
            for c, value in enumerate(row):
                if isinstance(value, list):
                    value = ",".join(map(str, value))
                ws.write(r, c, value, formats[c])
            count += 1
    workbook.close()
    return count


def _mount_shell_page() -> str:
    """A page that is base.html and nothing else, mounted for this run only: what every signed-in page costs."""
    from django.contrib.auth.decorators import login_required
    from django.shortcuts import render
    from django.urls import clear_url_caches, path

    from bench import plain_urls

    @login_required
    def shell(request: Any) -> Any:
        return render(request, "base.html", {})

    if not any(getattr(p, "name", "") == "bench-shell" for p in plain_urls.urlpatterns):
        plain_urls.urlpatterns.append(path("bench/shell/", shell, name="bench-shell"))
        clear_url_caches()
    return "/bench/shell/"


def _with_redis(report: Any, url: str, fns: dict[str, Any], *, repeat: int) -> None:
    """The same pages with Redis as the cache (a key prefix of this run's own: nothing kept before counts)."""
    from django.test.utils import override_settings

    redis = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": f"bench-{os.getpid()}"}}
    with override_settings(CACHES=redis):
        timings = measure_interleaved(fns, repeat=repeat, warmup=3)
    for name, t in timings.items():
        t.name = f"{name} · Redis cache"
        report.add(t)
    day, login = timings["day view (year of records)"], timings["login page"]
    report.check("day view / login page, Redis as the cache (reference)", f"{day.median_ms / login.median_ms:.2f}×")


def run(args: argparse.Namespace) -> bool:
    _setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from canteen.export import workbook_for
    from canteen.models import Canteen
    from canteen.selectors import DAY_PAGE
    from logistics.models import User
    from logistics.options import move_on

    school = _seed()
    _seed_canteens(school)
    canteen = Canteen.objects.for_school(school).order_by("name").first()
    start, end = _span(school)
    user = User.objects.get(username="canteen")
    report = Report(f"Canteen · {Canteen.objects.for_school(school).count()} canteens, {start} to {end} · {connection.vendor}")

    # The day view of the last day with records vs the plain login page, in turns.
    manager, anonymous = _client("canteen"), Client()
    day_url = f"/canteen/{canteen.pk}/day/{end.isoformat()}/"

    def page(client: Any, url: str) -> Any:
        def get(_: int) -> Any:
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url}: {response.status_code}")
            return response
        return get

    # For reference, the floor of any signed-in page: base.html with nothing in it, for the same person
    # (session, person, membership, permissions, navigation, unread count).
    shell_url = _mount_shell_page()
    pages = {"day view (year of records)": (manager, day_url), "login page": (anonymous, "/accounts/login/"),
             "signed-in shell only (reference)": (manager, shell_url), "day view drawn again (reference)": (manager, day_url)}
    fns = {name: page(client, url) for name, (client, url) in pages.items()}
    get_again = fns["day view drawn again (reference)"]
    fns["day view drawn again (reference)"] = lambda i: (move_on(f"{DAY_PAGE}:{school.pk}"), get_again(i))[1]
    timings = measure_interleaved(fns, repeat=args.repeat, warmup=3)
    for name, t in timings.items():
        with CaptureQueriesContext(connection) as ctx:
            response = fns[name](0)
        t.queries, t.size = len(ctx.captured_queries), len(response.content)
        report.add(t)
    report.ratio("day view / login page", timings["day view (year of records)"], timings["login page"], at_most=DAY_VIEW_RATIO)
    report.check("  signed-in shell / login page (the floor)",
                 f"{timings['signed-in shell only (reference)'].median_ms / timings['login page'].median_ms:.2f}×")
    if redis_url := os.environ.get("BENCH_REDIS_URL"):
        _with_redis(report, redis_url, {name: fns[name] for name in ("day view (year of records)", "login page", "signed-in shell only (reference)")},
                    repeat=args.repeat)

    # A school year of every record kind, three canteens, one workbook.
    rows: dict[str, int] = {}
    with tempfile.TemporaryFile() as handle:
        def export(name: str, fn: Any) -> Any:
            def go(_: int) -> int:
                handle.seek(0)
                handle.truncate()
                rows[name] = fn(user=user, school=school, start=start, end=end, target=handle)
                return rows[name]
            return go

        repeat = max(3, min(args.repeat, 5))
        exports = measure_interleaved({"export engine (8 sheets)": export("engine", workbook_for),
                                       "floor: values_list → xlsxwriter": export("floor", floor_workbook)}, repeat=repeat, warmup=1)
    for t in exports.values():
        t.note = f"{rows['engine' if 'engine' in t.name else 'floor']:,} rows"
        report.add(t)
    report.ratio("export engine / floor (median)", exports["export engine (8 sheets)"], exports["floor: values_list → xlsxwriter"],
                 at_most=EXPORT_RATIO)
    return report.print()
