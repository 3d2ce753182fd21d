"""Procurement, in-process on the large demo school (20,000 requests), with the Django test client.

Targets (issue 13): the request list's page 1 at most 1.0× a plain `ListView` + `Paginator` over the
same requests and columns (median ratio, taken in turns in the same run); accepting a 50-line
delivery into the ledger (record + the last confirmation, which books 50 asset cards) under 1 s on
SQLite. The approval queue is measured for the record, with its query count.

The plain baseline is mounted by this module only: `ROOT_URLCONF = "bench.procurement"` (the
product's URLs plus the baseline), never in the product's URL conf.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from decimal import Decimal
from functools import cache
from typing import Any

from django.urls import path

from bench.harness import Report, measure

LARGE = 20_000

TEMPLATE = """{% extends "base.html" %}
{% block title %}Requisitions{% endblock %}
{% block content %}
<h1>Requisitions</h1>
<p>{{ paginator.count }} requests</p>
<table class="table">
<thead><tr><th>Number</th><th>Purpose</th><th>Requester</th><th>Total</th><th>Status</th></tr></thead>
<tbody>
{% for r in object_list %}<tr>
<td><a href="{{ r.get_absolute_url }}">{{ r }}</a> {{ r.created_at|date:"m-d" }}</td>
<td>{{ r.purpose|truncatechars:40 }}</td>
<td>{{ r.requester.display_name }}{% if r.department %} · {{ r.department.name }}{% endif %}</td>
<td>{{ r.total }}</td>
<td>{{ r.get_status_display }}</td>
</tr>{% endfor %}
</tbody>
</table>
<nav>{% if page_obj.has_next %}<a href="?page={{ page_obj.next_page_number }}">next</a>{% endif %} page {{ page_obj.number }} of {{ paginator.num_pages }}</nav>
{% endblock %}
"""


@cache
def _template() -> Any:
    from django.template import engines

    return engines["django"].from_string(TEMPLATE)


def _plain_view() -> Any:
    from django.contrib.auth.mixins import LoginRequiredMixin
    from django.template.response import TemplateResponse
    from django.views.generic import ListView

    from procurement.models import Requisition

    class PlainRequisitionList(LoginRequiredMixin, ListView):
        paginate_by = 50  # the list's page size (logistics.lists.PER_PAGE)

        def get_queryset(self) -> Any:
            return (Requisition.objects.filter(school=self.request.school).select_related("requester", "department")
                    .order_by("-created_at", "-id"))

        def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> Any:
            return TemplateResponse(self.request, _template(), context, **kwargs)

    return PlainRequisitionList.as_view()


def __getattr__(name: str) -> Any:
    # The URL conf of this process (read lazily: Django is set up by then).
    if name == "urlpatterns":
        from logistics.urls import urlpatterns as product

        return [*product, path("bench/plain-requisitions/", _plain_view(), name="bench-plain-requisitions")]
    raise AttributeError(name)


def _setup() -> None:
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ROOT_URLCONF = "bench.procurement"


def _seed(stdout: Any = print) -> Any:
    """The demo school with 20,000 requests: the core and procurement's part only (the other apps'
    parts are not needed here; `seed_demo --size large` makes the same requests)."""
    import io

    from django.core.management import call_command

    from logistics.demo import DEMO_CODE, seed_core
    from logistics.models import School
    from procurement import demo
    from procurement.models import Requisition

    call_command("migrate", verbosity=0, interactive=False)
    school, created = School.objects.get_or_create(code=DEMO_CODE, defaults={"name": "新城实验中学"})
    if created or not school.memberships.exists():
        seed_core(school, size="large", stdout=io.StringIO())
    have = Requisition.objects.for_school(school).count()
    if have < LARGE:
        stdout(f"Seeding {LARGE - have:,} requests into the bench database (once) …")
        start = time.perf_counter()
        demo.seed(school, size="large", stdout=io.StringIO())
        stdout(f"  seeded in {time.perf_counter() - start:.1f} s")
    return school


def _client(username: str) -> Any:
    from django.test import Client

    from logistics.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _delivery(school: Any, lines: int = 50) -> tuple[Any, Any]:
    """An ordered request of `lines` fixed-asset lines (one item each), ready for its acceptance."""
    from assets.models import AssetClass
    from logistics.models import User
    from procurement import services

    people = {u.username: u for u in User.objects.filter(username__in=["teacher", "logistics", "vice", "principal"])}
    classes = list(AssetClass.objects.filter(code__in=["A02020200", "A02010105", "A02021000", "A02020700"]))
    rows = [services.LineInput(name=f"设备{i:02d}", quantity=1, unit_price=Decimal("4300"), fixed_asset=True, asset_class=classes[i % len(classes)])
            for i in range(lines)]
    req = services.requisition_save(school=school, by=people["teacher"], purpose="基准测试：50项到货验收", lines=rows)
    req = services.requisition_submit(requisition=req, by=people["teacher"])
    for who in ("logistics", "vice", "principal"):
        if req.status == "pending":
            try:
                req = services.requisition_approve(requisition=req, by=people[who])
            except services.WorkflowError:
                from django.core.files.uploadedfile import SimpleUploadedFile

                req = services.requisition_approve(requisition=req, by=people[who], minutes=SimpleUploadedFile("纪要.pdf", b"%PDF"))
    while req.status == "pending":  # the collective step (≥ 5万): recorded by a second principal in the bench
        from logistics.models import Role
        from tests.factories import member

        second = member(school, Role.STAFF, Role.PRINCIPAL, username=f"bench-principal-{time.time_ns()}")
        from django.core.files.uploadedfile import SimpleUploadedFile

        req = services.requisition_approve(requisition=req, by=second, minutes=SimpleUploadedFile("纪要.pdf", b"%PDF"))
    req = services.requisition_order(requisition=req, by=people["logistics"], method="government", gov_reference="ZFCG-BENCH",
                                     supplier="华信科技有限公司", ordered_on=dt.date.today(), buyers=[people["logistics"], people["vice"]])
    return req, people


def run(args: argparse.Namespace) -> bool:
    _setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from assets.models import AssetCard
    from procurement import services
    from procurement.models import Requisition

    school = _seed()
    total = Requisition.objects.for_school(school).count()
    report = Report(f"procurement · {total:,} requests · {connection.vendor} · {args.repeat} runs after 3 warm-up")
    client = _client("logistics")
    compared = {
        "request list, page 1 (logistics)": reverse("procurement:requisition-list"),
        "plain ListView, page 1 (baseline)": reverse("bench-plain-requisitions"),
        "approvals waiting, page 1 (logistics)": reverse("procurement:approvals"),
    }
    from bench.harness import measure_interleaved

    def fetch(url: str) -> Any:
        def get(_i: int) -> Any:
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"GET {url} answered {response.status_code}")
            return response

        return get

    timings = measure_interleaved({name: fetch(url) for name, url in compared.items()}, repeat=args.repeat)
    for name, timing in timings.items():
        report.add(timing)
        with CaptureQueriesContext(connection) as ctx:
            client.get(compared[name])
        timing.queries = len(ctx.captured_queries)
    timings["plain ListView, page 1 (baseline)"].note = "ListView + Paginator, 50 a page"

    # A 50-line delivery into the ledger: the recording and the last confirmation (which books 50 cards).
    ready = [_delivery(school) for _i in range(max(3, min(args.repeat, 5)))]

    def accept(i: int) -> Any:
        req, people = ready[i % len(ready)]
        acc = services.acceptance_record(requisition=req, by=people["logistics"], accepted_on=dt.date.today(), team=[people["logistics"], people["teacher"]],
                                         quantities={line.pk: (1, 0) for line in req.lines.all()}, invoice_number="FP-BENCH")
        return services.acceptance_confirm(acceptance=acc, by=people["teacher"])

    before = AssetCard.objects.for_school(school).count()
    delivery = report.add(measure("50-line delivery accepted into the ledger", accept, repeat=len(ready), warmup=0))
    delivery.note = f"{AssetCard.objects.for_school(school).count() - before} cards booked"
    report.ratio("request list page 1 / plain ListView page 1", timings["request list, page 1 (logistics)"],
                 timings["plain ListView, page 1 (baseline)"], at_most=1.0)
    report.check("50-line delivery, median", f"{delivery.median_ms:.0f} ms", "< 1000 ms", ok=delivery.median_ms < 1000)
    return report.print()
