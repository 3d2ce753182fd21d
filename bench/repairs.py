"""Repairs, in-process on the large demo school (50,000 tickets), with the Django test client.

Targets (issue 4): the ticket list's page 1 no slower than Django admin's changelist of the same
tickets (median ratio ≤ 1.0), page 1,000 within 1.2× of page 1, submitting a ticket under 50 ms
(median, SQLite). The detail page and the queue are measured for the record.

Targets (issue 10): against a plain `ListView` + `Paginator` of the same tickets and columns
(bench/plain_views.py), the list's page 1 ≤ 1.0× and page 1,000 ≤ 0.3×; the principal's home page
of the large school ≤ 1.3× the same page of a 300-ticket school (bench/small_school.py); the phone
report form's first visit under production static files (whitenoise, compressed manifest) < 150 KB.
"""

from __future__ import annotations

import argparse
import time
import uuid
from pathlib import Path
from typing import Any

from bench.harness import Report, Timing, measure, measure_interleaved
from bench.small_school import seed_small_school

LARGE = 50_000


def _setup() -> None:
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collectstatic for a bench
    django.setup()
    from django.conf import settings

    # Measure what production serves: no per-query logging, no template debug, no console e-mail.
    settings.DEBUG = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The product's URLs plus the plain ListView baseline, for this process only.
    settings.ROOT_URLCONF = "bench.plain_urls"


def _seed(stdout: Any = print) -> Any:
    from django.core.management import call_command

    from logistics.demo import DEMO_CODE
    from logistics.models import School
    from repairs.models import Ticket

    call_command("migrate", verbosity=0, interactive=False)
    school = School.objects.filter(code=DEMO_CODE).first()
    have = Ticket.objects.for_school(school).count() if school else 0
    if have < LARGE:
        stdout(f"Seeding the large demo school into the bench database (once; {have} tickets now) …")
        start = time.perf_counter()
        call_command("seed_demo", size="large", verbosity=0)
        stdout(f"  seeded in {time.perf_counter() - start:.0f} s")
        school = School.objects.get(code=DEMO_CODE)
    return school


def _client(username: str) -> Any:
    from django.test import Client

    from logistics.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _timed_request(report: Report, name: str, client: Any, url: str, *, repeat: int, data: Any = None, expect: int = 200, note: str = "") -> Timing:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get(_: int) -> Any:
        return client.get(url, data or {})

    def check(response: Any) -> None:
        if response.status_code != expect:
            raise SystemExit(f"{name}: GET {url} answered {response.status_code}, expected {expect}")

    timing = report.add(measure(name, get, repeat=repeat, check=check))
    with CaptureQueriesContext(connection) as ctx:
        response = get(0)
    timing.queries, timing.note, timing.size = len(ctx.captured_queries), note, len(response.content)
    return timing


def _timed_requests(report: Report, client: Any, requests: dict[str, tuple[str, dict]], *, repeat: int,
                    clients: dict[str, Any] | None = None) -> dict[str, Timing]:
    """The requests taken in turns; `clients` names another client (person) for some of them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def check(name: str, response: Any) -> None:
        if response.status_code != 200:
            raise SystemExit(f"{name}: GET {requests[name][0]} answered {response.status_code}")

    fns = {name: (lambda _i, url=url, data=data, c=(clients or {}).get(name, client): c.get(url, data)) for name, (url, data) in requests.items()}
    timings = measure_interleaved(fns, repeat=repeat, check=check)
    for name, timing in timings.items():
        with CaptureQueriesContext(connection) as ctx:
            response = fns[name](0)
        timing.queries, timing.size = len(ctx.captured_queries), len(response.content)
        report.add(timing)
    return timings


def _first_visit(path: str, username: str) -> dict[str, Any]:
    """Bytes a phone downloads on its first visit to `path` with production static files: the page,
    then each stylesheet and script it links and the fonts those stylesheets use, as whitenoise serves
    them to a browser that accepts brotli (collectstatic into a temporary STATIC_ROOT with the
    compressed manifest storage; a fresh client, so whitenoise indexes that directory)."""
    import re
    import tempfile
    from urllib.parse import urljoin

    from django.conf import settings
    from django.core.management import call_command
    from django.test import override_settings

    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    with tempfile.TemporaryDirectory() as root, override_settings(STATIC_ROOT=root, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
        client = _client(username)
        accept = {"HTTP_ACCEPT_ENCODING": "br, gzip"}

        def fetch(url: str) -> tuple[int, bytes, str]:
            response = client.get(url, **accept)
            if response.status_code != 200:
                raise SystemExit(f"first visit: {url} answered {response.status_code}")
            body = b"".join(response.streaming_content) if response.streaming else response.content
            return len(body), body, response.get("Content-Encoding", "")

        size, html, _ = fetch(path)
        files: dict[str, tuple[int, str]] = {}
        for url in re.findall(r'<(?:link[^>]*\shref|script[^>]*\ssrc)="(/static/[^"]+)"', html.decode()):
            n, _, encoding = fetch(url)
            files[url] = n, encoding
            if url.endswith(".css"):
                # A browser fetches the first source of each @font-face it uses (woff2), no other format.
                css = (Path(root) / url.removeprefix("/static/")).read_text(encoding="utf-8")
                for face in re.findall(r"@font-face\s*{[^}]*}", css):
                    if m := re.search(r"""url\(["']?([^"')]+)""", face):
                        font = urljoin(url, m.group(1)).split("?")[0]
                        n, _, encoding = fetch(font)
                        files[font] = n, encoding
        # For the record, in the same run: what the whole icon font (stylesheet + woff2) would weigh.
        from django.contrib.staticfiles.storage import staticfiles_storage

        whole = sum(fetch(staticfiles_storage.url(name))[0] for name in
                    ("vendor/bootstrap-icons/bootstrap-icons.min.css", "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2"))
        subset = sum(n for url, (n, _) in files.items() if "bootstrap-icons-subset" in url)
        return {"html": size, "files": files, "total": size + sum(n for n, _ in files.values()), "whole_font": whole, "subset_font": subset}


def run(args: argparse.Namespace) -> bool:
    _setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from logistics.models import Room
    from repairs.models import Category, Ticket

    school = _seed()
    tickets = Ticket.objects.for_school(school)
    total = tickets.count()
    report = Report(f"repairs · {total:,} tickets · {connection.vendor} · {args.repeat} runs after 3 warm-up")
    admin, teacher = _client("logistics"), _client("teacher")
    repeat = args.repeat

    ticket_list, changelist = reverse("repairs:ticket-list"), reverse("admin:repairs_ticket_changelist")
    # The compared requests are taken in turns, so their ratios survive a busy machine.
    import html
    import re

    plain = reverse("bench-plain-tickets")
    compared = {
        "ticket list, page 1 (logistics)": (ticket_list, {}),
        "plain ListView, page 1 (baseline)": (plain, {}),
        "admin changelist, page 1 (baseline)": (changelist, {}),
        "ticket list, page 1,000": (ticket_list, {"page": 1000}),
        "plain ListView, page 1,000 (baseline)": (plain, {"page": 1000}),
    }
    # "Next" from page 1 follows the keyset cursor the page links to (what a person clicking does).
    if m := re.search(r'rel="next" href="([^"]+)"', admin.get(ticket_list).content.decode()):
        compared["ticket list, next page (cursor link)"] = (ticket_list + html.unescape(m.group(1)), {})
    timings = _timed_requests(report, admin, compared, repeat=repeat)
    timings["admin changelist, page 1 (baseline)"].note = "Django admin, 100 a page"
    timings["plain ListView, page 1 (baseline)"].note = "ListView + Paginator, 50 a page (bench/plain_views.py)"
    timings["plain ListView, page 1,000 (baseline)"].note = "OFFSET 49,950"
    list_p1, admin_p1 = timings["ticket list, page 1 (logistics)"], timings["admin changelist, page 1 (baseline)"]
    list_deep = timings["ticket list, page 1,000"]
    plain_p1, plain_deep = timings["plain ListView, page 1 (baseline)"], timings["plain ListView, page 1,000 (baseline)"]

    # The principal's home page: the large school against a 300-ticket one, in turns.
    small = seed_small_school()
    large_home, small_home = f"home page, principal, {total:,} tickets", f"home page, principal, {Ticket.objects.for_school(small).count():,} tickets"
    homes = _timed_requests(report, admin, {large_home: (reverse("home"), {}), small_home: (reverse("home"), {})}, repeat=repeat,
                            clients={large_home: _client("principal"), small_home: _client("small-principal")})
    home_large, home_small = homes[large_home], homes[small_home]
    _timed_request(report, "admin changelist, page 400", admin, changelist, data={"p": 400}, repeat=repeat, note="for comparison: OFFSET 39,900")
    _timed_request(report, "ticket list, filtered (overdue, 电)", admin, ticket_list, repeat=repeat,
                   data={"overdue": 1, "category": Category.objects.for_school(school).filter(name="电").values_list("pk", flat=True).first() or ""})
    _timed_request(report, "ticket list, search by number", admin, ticket_list, repeat=repeat,
                   data={"q": tickets.order_by("pk").values_list("number", flat=True)[total // 2]})
    _timed_request(report, "dispatch queue (logistics)", admin, reverse("repairs:queue"), repeat=repeat)
    _timed_request(report, "ticket list, own tickets (teacher)", teacher, ticket_list, repeat=repeat)
    busy = tickets.filter(status=Ticket.Status.ACCEPTED).order_by("-pk").first() or tickets.order_by("-pk").first()
    _timed_request(report, "ticket detail (accepted, with history)", admin, reverse("repairs:ticket-detail", args=[busy.pk]), repeat=repeat,
                   note=busy.number)

    # Submitting: the teacher's report form, each POST a new ticket (a fresh idempotency token).
    room = Room.objects.for_school(school).filter(is_active=True).order_by("pk").first()
    category = Category.objects.for_school(school).filter(is_active=True).order_by("order", "pk").first()
    report_url = reverse("repairs:ticket-report")
    before = tickets.count()

    def submit(i: int) -> Any:
        return teacher.post(report_url, {
            "room": room.pk, "category": category.pk, "urgency": "normal", "token": uuid.uuid4().hex,
            "description": f"基准测试：{room.code} 灯管不亮（第{i}次）", "reporter_phone": "13800000000",
        })

    def submitted(response: Any) -> None:
        if response.status_code != 302:
            errors = getattr(response, "context", None) and response.context.get("form") and response.context["form"].errors
            raise SystemExit(f"submit answered {response.status_code}, expected a redirect; form errors: {errors}")

    timing = report.add(measure("submit a ticket (teacher, POST)", submit, repeat=repeat, check=submitted))
    with CaptureQueriesContext(connection) as ctx:
        submitted(submit(-1))
    timing.queries = len(ctx.captured_queries)
    created = tickets.count() - before
    report.check("tickets created by the submit runs", str(created), f"= {repeat + 4}", created == repeat + 4)

    report.ratio("list page 1 / plain ListView page 1", list_p1, plain_p1, at_most=1.0)
    report.check("  queries, HTML", f"{list_p1.queries} vs {plain_p1.queries}, {list_p1.size / 1024:.0f} vs {plain_p1.size / 1024:.0f} KB")
    report.ratio("list page 1,000 / plain ListView page 1,000", list_deep, plain_deep, at_most=0.3)
    report.ratio("home page, principal: 50,000 / 300 tickets", home_large, home_small, at_most=1.3)
    report.check("  queries", f"{home_large.queries} vs {home_small.queries}")
    visit = _first_visit(report_url, "teacher")
    report.check("report form, first visit (phone)", f"{visit['total'] / 1024:.0f} KB", "< 150 KB", visit["total"] < 150 * 1024)
    report.check("  of which the page (HTML)", f"{visit['html'] / 1024:.1f} KB")
    for url, (n, encoding) in visit["files"].items():
        report.check(f"  {url.split('/')[-1]} ({encoding or 'as is'})", f"{n / 1024:.1f} KB")
    report.check("  icons: subset vs whole font", f"{visit['subset_font'] / 1024:.1f} vs {visit['whole_font'] / 1024:.0f} KB")
    report.ratio("list page 1 / admin changelist page 1", list_p1, admin_p1, at_most=1.0)
    report.ratio("list page 1,000 / list page 1", list_deep, list_p1, at_most=1.2)
    report.check("submit median", f"{timing.median_ms:.1f} ms", "< 50 ms", timing.median_ms < 50)
    return report.print()
