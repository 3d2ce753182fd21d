"""The asset ledger with 100,000 cards, in-process (issue 12).

Seeds its own school once (the demo's people and rooms, the assets demo, then plain cards up to
100,000) in the bench database, and measures:

- the monthly depreciation run over all 100,000 cards: target under 30 s, with a bounded number of
  queries (one UPDATE per class and per card-own useful life: bounded by the class table);
- the ledger list, page 1 and page 1,000 (keyset pager): page 1,000 within 1.2× of page 1, and the
  same number of queries;
- the ledger's page 1 against a plain `ListView` + `Paginator` over the same cards and columns in the
  same shell (defined below, mounted only in this process): at most 1.0×;
- the full ledger export (all 100,000 cards) through the export engine against the floor (the same
  `values_list` rows written by xlsxwriter in constant-memory mode), in turns: at most 1.3×; and the
  engine's peak memory above start-up, in a fresh process: at most 50 MB;
- a 20,000-line Excel ledger checked and imported through the import job's code, run eagerly (the
  check, then the import): under 60 s. Its cards go to a school of their own, emptied before each run.

    BENCH_DATABASE_URL=sqlite:///var/bench_assets.sqlite3 .venv/bin/python -m bench assets
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_assets .venv/bin/python -m bench assets
    BENCH_ASSETS=list,import .venv/bin/python -m bench assets   # only some parts (depreciation, list, export, import)
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from typing import Any

import io
import os
import tempfile
from functools import cache

from bench.harness import Report, measure, measure_interleaved, memory_child, memory_of, run_variant
from bench.repairs import _client, _setup, _timed_requests

CARDS = 100_000
BENCH_CODE = "bench-assets"
IMPORT_CODE = "bench-assets-import"
IMPORT_LINES = 20_000
TARGET_EXPORT_RATIO, TARGET_EXPORT_MB, TARGET_IMPORT_S = 1.3, 50.0, 60.0

# The ledger as a Django developer writes it first: a table of text, `get_*_display`, no badges, no filter form.
PLAIN_CARDS = """{% extends "base.html" %}
{% block title %}Assets{% endblock %}
{% block content %}
<h1>Assets</h1><p>{{ paginator.count }} cards</p>
<table class="table"><thead><tr><th>Asset</th><th>Class</th><th>Original value</th><th>Location</th><th>Custodian</th><th>Status</th></tr></thead>
<tbody>{% for c in object_list %}<tr><td><a href="{{ c.get_absolute_url }}">{{ c.name }}</a> {{ c.number }}</td><td>{{ c.asset_class.name }}</td>
<td>{{ c.original_value }}</td><td>{% if c.room %}{{ c.room.building.name }} {{ c.room.code }}{% endif %}</td>
<td>{{ c.holder_label }} {{ c.department.name|default:"" }}</td><td>{{ c.get_status_display }}</td></tr>{% endfor %}</tbody></table>
<nav>page {{ page_obj.number }} of {{ paginator.num_pages }}</nav>
{% endblock %}
"""


@cache
def _template(source: str) -> Any:
    from django.template import engines

    return engines["django"].from_string(source)


def _plain_view() -> Any:
    from django.contrib.auth.mixins import LoginRequiredMixin
    from django.template.response import TemplateResponse
    from django.views.generic import ListView

    from assets.models import AssetCard
    from assets.selectors import LIST_RELATED

    class PlainCardList(LoginRequiredMixin, ListView):
        paginate_by = 50  # the ledger's page size (logistics.lists.PER_PAGE)

        def get_queryset(self) -> Any:
            return AssetCard.objects.filter(school=self.request.school).select_related(*LIST_RELATED).order_by("number", "id")

        def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> Any:
            return TemplateResponse(self.request, _template(PLAIN_CARDS), context, **kwargs)

    return PlainCardList


def __getattr__(name: str) -> Any:
    """This module is the URL conf while `bench assets` runs: the product's URLs plus the plain list
    (built lazily, after django.setup())."""
    if name != "urlpatterns":
        raise AttributeError(name)
    from django.urls import path

    from logistics.urls import urlpatterns as product

    return [*product, path("bench/plain-cards/", _plain_view().as_view(), name="bench-plain-cards")]


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


def _office(school: Any) -> Any:
    from logistics.models import Membership, Role

    return Membership.objects.for_school(school).with_role(Role.LOGISTICS_ADMIN).select_related("user").first().user


# --- The export against the floor ---------------------------------------------------------------------

def _selection() -> tuple[Any, Any]:
    from django.http import QueryDict

    from assets.export import LEDGER
    from logistics.exports.services import select_for
    from logistics.models import School

    school = School.objects.get(code=BENCH_CODE)
    return LEDGER, select_for(LEDGER, user=_office(school), school=school, params=QueryDict())


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
    ws = workbook.add_worksheet("ledger")
    date = workbook.add_format({"num_format": "yyyy-mm-dd"})
    money = workbook.add_format({"num_format": "#,##0.00"})
    formats = [date if c.format == "date" else money if c.format == "money" else None for c in export.columns]
    ws.write_row(0, 0, [str(c.header) for c in export.columns])
    count = 0
    for r, row in enumerate(export.rows(selection.queryset).iterator(chunk_size=2000), start=1):
        for c, value in enumerate(row):
            if value is None:
                continue
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


def _export(report: Report, total: int, *, repeat: int) -> None:
    with tempfile.TemporaryFile() as handle:
        rows: dict[str, int] = {}

        def check(name: str, count: int) -> None:
            rows[name] = count
            if count != total:
                raise SystemExit(f"{name}: {count} rows written, expected {total}")

        timings = measure_interleaved(
            {"ledger export: engine (count + write)": lambda _: _run_variant("engine", handle),
             "ledger export: floor (values_list → xlsxwriter)": lambda _: _run_variant("floor", handle)},
            repeat=repeat, warmup=1, check=check,
        )
    engine_t, floor_t = timings["ledger export: engine (count + write)"], timings["ledger export: floor (values_list → xlsxwriter)"]
    for t in (engine_t, floor_t):
        t.note = f"{rows[t.name]:,} rows"
        report.add(t)
    report.ratio("ledger export engine / floor", engine_t, floor_t, at_most=TARGET_EXPORT_RATIO)
    for name in VARIANTS:
        mem = memory_of("bench.assets", name)
        ok = mem["rss_mb"] <= TARGET_EXPORT_MB if name == "engine" else None
        report.check(f"export {name}: peak RSS above start-up", f"{mem['rss_mb']:.1f} MB",
                     f"≤ {TARGET_EXPORT_MB:.0f} MB" if ok is not None else "", ok)
        report.check(f"export {name}: tracemalloc peak", f"{mem['traced_mb']:.1f} MB")


# --- The 20,000-line import ---------------------------------------------------------------------------

def _import_school() -> Any:
    from logistics.demo import seed_core
    from logistics.models import School

    school = School.objects.filter(code=IMPORT_CODE).first()
    if school is None:
        school = School.objects.create(code=IMPORT_CODE, name="资产导入基准学校")
        seed_core(school, size="small", stdout=io.StringIO())
    return school


def big_ledger(school: Any, lines: int) -> bytes:
    """A ledger of `lines` asset lines naming the school's rooms, people and departments, written as
    schools write them: text dates in several forms, amounts with 元 and commas, some numbers blank."""
    import xlsxwriter

    from assets.selectors import people_of
    from logistics.models import Department, Room

    rooms = [r.code for r in Room.objects.for_school(school).filter(is_active=True)]
    people = sorted({u.display_name for u in people_of(school)})
    people = [p for p in people if sum(1 for q in people if q == p) == 1][:20]
    departments = [d.name for d in Department.objects.for_school(school)][:5]
    from assets.selectors import classes_in_use

    # Four classes of the shipped table, each line dear enough for a card (6,000 元 clears every threshold).
    classes = [(c.code, c.name, 6000 + 100 * i) for i, c in enumerate(classes_in_use().filter(code__startswith="A02")[:4])]
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    ws = workbook.add_worksheet("资产台账")
    ws.write_row(0, 0, ["序号", "资产编号", "分类代码", "资产名称", "规格型号", "计量单位", "数量", "单价", "金额", "取得方式", "取得日期",
                        "经费来源", "使用部门", "存放地点", "使用人", "使用状况", "保修截止", "备注"])
    dates = ("2019-09-01", "2020.9.1", "2021年3月", "2022/10/8", "20230901")
    for n in range(lines):
        code, name, price = classes[n % len(classes)]
        quantity = 1 + (n % 3 == 0)
        ws.write_row(n + 1, 0, [
            n + 1, f"BENCH-{n:06d}" if n % 2 else "", code, name, "标准型", "台", quantity, f"{price:,}元", f"{price * quantity:,.2f}",
            "购置" if n % 5 else "调拨", dates[n % len(dates)], "财政拨款", departments[n % len(departments)] if departments else "",
            rooms[n % len(rooms)] if rooms else "", people[n % len(people)] if people and n % 4 == 0 else "", "在用", "3年", ""])
    workbook.close()
    return buffer.getvalue()


def _empty(school: Any) -> None:
    from assets.models import AssetCard, ImportJob, Movement
    from logistics.audit import AuditEntry

    Movement.objects.filter(school=school).delete()
    AuditEntry.objects.filter(school=school, action="assets.assetcard.registered").delete()
    AssetCard.objects.filter(school=school).delete()
    ImportJob.objects.filter(school=school).delete()


def import_once(school: Any, content: bytes) -> tuple[int, float, float]:
    """Upload → check job → import job, as the screens run them with tasks eager. Cards, seconds of
    the check, seconds of the import."""
    import time as _time

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from assets.models import ImportJob
    from assets.services.import_jobs import import_job_run

    office = _office(school)
    path = default_storage.save(f"private/assets-imports/{school.pk}/bench.xlsx", ContentFile(content))
    job = ImportJob.objects.create(school=school, created_by=office, path=path, file_name="bench.xlsx", language="zh-hans")
    start = _time.perf_counter()
    import_job_run(job.pk)
    checked = _time.perf_counter()
    job.refresh_from_db()
    if not job.can_import:
        raise SystemExit(f"the bench ledger does not check: {job.error or job.result.get('bad', [])[:3]}")
    ImportJob.objects.filter(pk=job.pk).update(phase=ImportJob.Phase.IMPORT, status=ImportJob.Status.QUEUED)
    job = import_job_run(job.pk)
    done = _time.perf_counter()
    if job.status != ImportJob.Status.DONE:
        raise SystemExit(f"the bench import failed: {job.error}")
    return job.imported, checked - start, done - checked


def _import(report: Report, *, repeat: int) -> None:
    import statistics

    school = _import_school()
    content = big_ledger(school, IMPORT_LINES)
    runs = []
    for _ in range(repeat):
        _empty(school)
        runs.append(import_once(school, content))
    cards = runs[-1][0]
    check_s = statistics.median(r[1] for r in runs)
    import_s = statistics.median(r[2] for r in runs)
    total_s = statistics.median(r[1] + r[2] for r in runs)
    report.check(f"import of {IMPORT_LINES:,} lines: check job (median of {repeat})", f"{check_s:.1f} s")
    report.check(f"import of {IMPORT_LINES:,} lines: import job, {cards:,} cards", f"{import_s:.1f} s")
    report.check("import: check + import", f"{total_s:.1f} s", f"< {TARGET_IMPORT_S:.0f} s", total_s < TARGET_IMPORT_S)
    _empty(school)


def run(args: argparse.Namespace) -> bool:
    _setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from assets.models import AssetCard, DepreciationRun
    from assets.services.depreciation import depreciate_month

    settings.ROOT_URLCONF = "bench.assets"
    parts = set(os.environ.get("BENCH_ASSETS", "depreciation,list,export,import").split(","))
    if parts & {"depreciation", "list", "export"}:
        school = _school()
        n = AssetCard.objects.for_school(school).count()
        report = Report(f"Assets: {n:,} cards ({connection.vendor}, in-process)")
    else:  # the import alone needs only its own school
        call_command("migrate", verbosity=0, interactive=False)
        report = Report(f"Assets: the import ({connection.vendor}, in-process)")
    ok = True

    if "depreciation" in parts:
        # A month none of these cards has been booked for, so every card is written.
        AssetCard.objects.for_school(school).update(accumulated_depreciation=0, months_depreciated=0)
        DepreciationRun.objects.filter(school=school).delete()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            run_ = depreciate_month(school=school, period=dt.date(2026, 10, 1))
            seconds = time.perf_counter() - start
        report.check(f"depreciation of {run_.cards:,} cards ({len(ctx)} queries)", f"{seconds:.1f} s", "< 30 s", seconds < 30)
        ok = ok and seconds < 30

    if "list" in parts:
        client = _client(_office(school).username)
        url = reverse("assets:card-list")
        timings = {}
        for name, params in (("ledger page 1", {}), ("ledger page 1,000", {"page": 1000})):
            timings[name] = report.add(measure(name, lambda _i, p=params: client.get(url, p), repeat=args.repeat))
            with CaptureQueriesContext(connection) as q:
                client.get(url, params)
            timings[name].queries = len(q)
        ratio = timings["ledger page 1,000"].median_ms / timings["ledger page 1"].median_ms
        report.check("ledger page 1,000 / page 1", f"{ratio:.2f}×", "≤ 1.2×", ratio <= 1.2)
        ok = ok and ratio <= 1.2
        # In turns with the baseline, so that load on the shared machine hits both alike.
        plain = _timed_requests(report, client, {
            "ledger page 1 (assets), in turns": (url, {}),
            "plain ListView of cards (baseline)": (reverse("bench-plain-cards"), {}),
        }, repeat=args.repeat)
        report.ratio("ledger page 1 / plain ListView", plain["ledger page 1 (assets), in turns"],
                     plain["plain ListView of cards (baseline)"], at_most=1.0)

    if "export" in parts:
        _export(report, n, repeat=max(3, min(args.repeat, 5)))
    if "import" in parts:
        _import(report, repeat=max(1, min(args.repeat, 3)))
    return report.print() and ok


if __name__ == "__main__":  # the memory subprocess: python -m bench.assets --memory engine
    parser = argparse.ArgumentParser()
    parser.add_argument("--memory", choices=list(VARIANTS), required=True)
    memory_child(VARIANTS, parser.parse_args().memory, start_up=_start_up)
