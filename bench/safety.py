"""Campus safety, in-process on the large demo school with the Django test client (issue 15).

A school year of daily fire patrols (the large demo's safety seeders, run once on the bench
database) and a ledger of 3,000 hazards (made here in bulk when fewer). Targets: the hazard ledger's
and the round list's page 1 at most 1.0× a plain `ListView` + `Paginator` over the same rows and
columns in the same shell (defined below and mounted only in this process); signing a round of 60
answered items under 300 ms (median, SQLite). Answering one item is measured for the record.

    .venv/bin/python -m bench safety
"""

from __future__ import annotations

import argparse
import datetime as dt
from functools import cache
from typing import Any

from bench.harness import Report, measure
from bench.repairs import _client, _seed, _setup, _timed_requests

HAZARDS = 3_000
PLAIN_HAZARDS = """{% extends "base.html" %}
{% block title %}Hazards{% endblock %}
{% block content %}
<h1>Hazards</h1><p>{{ paginator.count }} hazards</p>
<table class="table"><thead><tr><th>Number</th><th>Found</th><th>Place</th><th>Hazard</th><th>Grade</th><th>Responsible</th><th>Deadline</th><th>Status</th></tr></thead>
<tbody>{% for h in object_list %}<tr><td><a href="{{ h.get_absolute_url }}">{{ h.number }}</a></td><td>{{ h.found_on|date:"Y-m-d" }}</td>
<td>{{ h.place_label }}</td><td>{{ h.description|truncatechars:40 }}</td><td>{{ h.get_grade_display }}</td>
<td>{{ h.responsible.display_name|default:"—" }}</td><td>{{ h.deadline|date:"Y-m-d" }}</td><td>{{ h.get_status_display }}</td></tr>{% endfor %}</tbody></table>
<nav>page {{ page_obj.number }} of {{ paginator.num_pages }}</nav>
{% endblock %}
"""
PLAIN_ROUNDS = """{% extends "base.html" %}
{% block title %}Rounds{% endblock %}
{% block content %}
<h1>Rounds</h1><p>{{ paginator.count }} rounds</p>
<table class="table"><thead><tr><th>Date</th><th>Checklist</th><th>Place</th><th>Inspector</th><th>Status</th></tr></thead>
<tbody>{% for r in object_list %}<tr><td>{{ r.day|date:"Y-m-d" }}</td><td><a href="{{ r.get_absolute_url }}">{{ r.template.name }}</a></td>
<td>{{ r.place_label }}</td><td>{{ r.inspector.display_name }}</td><td>{{ r.get_status_display }}</td></tr>{% endfor %}</tbody></table>
<nav>page {{ page_obj.number }} of {{ paginator.num_pages }}</nav>
{% endblock %}
"""


@cache
def _template(source: str) -> Any:
    from django.template import engines

    return engines["django"].from_string(source)


def _plain_views() -> tuple[Any, Any]:
    from django.contrib.auth.mixins import LoginRequiredMixin
    from django.template.response import TemplateResponse
    from django.views.generic import ListView

    from safety.models import Hazard, Round

    class PlainHazardList(LoginRequiredMixin, ListView):
        paginate_by = 50

        def get_queryset(self) -> Any:
            return (Hazard.objects.filter(school=self.request.school).select_related("building", "room", "responsible", "found_by")
                    .order_by("-found_on", "-id"))

        def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> Any:
            return TemplateResponse(self.request, _template(PLAIN_HAZARDS), context, **kwargs)

    class PlainRoundList(LoginRequiredMixin, ListView):
        paginate_by = 50

        def get_queryset(self) -> Any:
            return Round.objects.filter(school=self.request.school).select_related("template", "building", "inspector").order_by(
                "-day", "-started_at", "-id")

        def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> Any:
            return TemplateResponse(self.request, _template(PLAIN_ROUNDS), context, **kwargs)

    return PlainHazardList, PlainRoundList


def __getattr__(name: str) -> Any:
    """This module is the URL conf while `bench safety` runs: the product's URLs plus the two
    plain lists (built lazily, after django.setup())."""
    if name != "urlpatterns":
        raise AttributeError(name)
    from django.urls import path

    from logistics.urls import urlpatterns as product

    hazards, rounds = _plain_views()
    return [*product, path("bench/plain-hazards/", hazards.as_view(), name="bench-plain-hazards"),
            path("bench/plain-rounds/", rounds.as_view(), name="bench-plain-rounds")]


def _seed_safety(school: Any, stdout: Any = print) -> None:
    import io

    from django.utils import timezone

    from logistics.models import Building, Role, User
    from logistics.selectors import people_with_role
    from safety.demo import _year_of_patrols, seed, seed_drills
    from safety.models import Hazard, HazardCounter, Round

    out = io.StringIO()
    seed(school, size="large", stdout=out)
    seed_drills(school, size="large", stdout=out)
    if Round.objects.for_school(school).count() < 200:
        _year_of_patrols(school, people_with_role(school, Role.SAFETY_OFFICER).first(), out)
    have = Hazard.objects.for_school(school).count()
    if have < HAZARDS:
        stdout(f"Adding {HAZARDS - have} hazards to the bench school (once) …")
        finder = User.objects.get(username="safety")
        buildings = list(Building.objects.for_school(school))
        today = timezone.localdate()
        year = 2000  # numbers of their own, apart from the school's real YH<year>-<n>
        Hazard.objects.bulk_create([
            Hazard(school=school, number=f"BENCH-{n:05d}", found_on=today - dt.timedelta(days=n % 365), found_by=finder,
                   building=buildings[n % len(buildings)], category="fire", description=f"基准隐患{n}：灭火器压力不足",
                   status=("open", "fixing", "to_verify", "closed")[n % 4], deadline=today + dt.timedelta(days=n % 30 - 10),
                   responsible=finder)
            for n in range(have, HAZARDS)
        ], batch_size=1000)
        HazardCounter.objects.get_or_create(school=school, year=year)
    stdout(out.getvalue().strip())


def _export(report: Report, school: Any, *, repeat: int) -> None:
    """The hazard ledger (隐患整改销号登记表) through the export engine against the floor: the same
    `values_list` rows written with xlsxwriter in constant-memory mode and nothing else, in turns."""
    import tempfile

    import xlsxwriter
    from django.http import QueryDict

    from bench.harness import measure_interleaved
    from logistics.exports.engine import write
    from logistics.exports.services import select_for
    from logistics.models import User
    from safety.export import HAZARDS

    user = User.objects.get(username="safety")

    def engine(handle: Any) -> int:
        selection = select_for(HAZARDS, user=user, school=school, params=QueryDict())
        return write(HAZARDS, selection, handle, total=selection.queryset.count())

    def floor(handle: Any) -> int:
        selection = select_for(HAZARDS, user=user, school=school, params=QueryDict())
        workbook = xlsxwriter.Workbook(handle, {"constant_memory": True, "remove_timezone": True})
        ws = workbook.add_worksheet("hazards")
        ws.write_row(0, 0, [str(c.header) for c in HAZARDS.columns])
        count = 0
        for r, row in enumerate(HAZARDS.rows(selection.queryset).iterator(chunk_size=2000), start=1):
            for c, value in enumerate(row):
                ws.write(r, c, value)
            count += 1
        workbook.close()
        return count

    with tempfile.TemporaryFile() as handle:
        def run_one(fn: Any) -> int:
            handle.seek(0)
            handle.truncate()
            return fn(handle)

        timings = measure_interleaved({"hazard export: engine": lambda _: run_one(engine), "hazard export: floor (xlsxwriter)": lambda _: run_one(floor)},
                                      repeat=repeat, warmup=1)
    for t in timings.values():
        report.add(t)
    report.ratio("hazard export engine / floor", timings["hazard export: engine"], timings["hazard export: floor (xlsxwriter)"], at_most=1.3)


def run(args: argparse.Namespace) -> bool:
    _setup()
    from django.conf import settings
    from django.db import connection, transaction
    from django.urls import reverse

    settings.ROOT_URLCONF = "bench.safety"
    from logistics.models import User
    from safety import services
    from safety.models import Answer, Hazard, InspectionTemplate, Round, TemplateItem, TemplateSection

    school = _seed()
    _seed_safety(school)
    hazards, rounds = Hazard.objects.for_school(school).count(), Round.objects.for_school(school).count()
    report = Report(f"safety · {hazards:,} hazards, {rounds:,} rounds · {connection.vendor} · {args.repeat} runs after 3 warm-up")
    officer = _client("safety")
    timings = _timed_requests(report, officer, {
        "hazard ledger, page 1 (safety)": (reverse("safety:hazard-list"), {}),
        "plain ListView of hazards (baseline)": (reverse("bench-plain-hazards"), {}),
        "round list, page 1 (safety)": (reverse("safety:round-list"), {}),
        "plain ListView of rounds (baseline)": (reverse("bench-plain-rounds"), {}),
        "drill list with the cadence": (reverse("safety:drill-list"), {}),
        "safety home": (reverse("safety:home"), {}),
    }, repeat=args.repeat)
    report.ratio("hazard ledger page 1 / plain ListView", timings["hazard ledger, page 1 (safety)"],
                 timings["plain ListView of hazards (baseline)"], at_most=1.0)
    report.ratio("round list page 1 / plain ListView", timings["round list, page 1 (safety)"],
                 timings["plain ListView of rounds (baseline)"], at_most=1.0)

    # A round of 60 items: each answer saved as it is tapped (measured for the record), then signed.
    user = User.objects.get(username="safety")
    template, created = InspectionTemplate.objects.get_or_create(school=school, name="基准：60项检查", defaults={"frequency": "on_demand"})
    if created:
        section = TemplateSection.objects.create(template=template, title="六十项")
        TemplateItem.objects.bulk_create([TemplateItem(section=section, text=f"检查项目{i}", order=i) for i in range(60)])
    items = list(TemplateItem.objects.filter(section__template=template))
    day = dt.date(2001, 1, 1)

    def answered_round(i: int) -> Any:
        round = services.round_start(school=school, template=template, by=user, day=day + dt.timedelta(days=i))
        for item in items:
            services.round_answer(round=round, item=item, by=user, answer=Answer.PASS)
        return round

    prepared = [answered_round(i) for i in range(args.repeat + 3)]
    sign = report.add(measure("sign a round of 60 answered items", lambda i: services.round_finish(
        round=prepared[i], by=user, signature="孙立新", companion=""), repeat=args.repeat))
    one = Round.objects.filter(pk=prepared[0].pk).first()
    fresh = services.round_start(school=school, template=template, by=user, day=dt.date(2002, 1, 1))
    report.add(measure("answer one item (saved as tapped)", lambda i: services.round_answer(
        round=fresh, item=items[i % len(items)], by=user, answer=Answer.PASS), repeat=min(args.repeat, 50)))
    report.check("sign a 60-item round, median", f"{sign.median_ms:.0f} ms", "< 300 ms", sign.median_ms < 300)
    _export(report, school, repeat=max(3, min(args.repeat, 7)))
    with transaction.atomic():  # the benchmark's own rounds leave the school as they found it
        Round.objects.filter(template=template).delete() if one else None
    return report.print()
