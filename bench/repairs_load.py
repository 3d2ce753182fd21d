"""Repairs under load: N reporters submit tickets at once for S seconds against gunicorn on PostgreSQL.

Target (issue 4): 20 concurrent reporters for 30 s produce no error and no duplicate ticket number.
The bench creates its own database (BENCH_PG_URL, default .../bench), migrates it, seeds the small
demo school once, adds the reporters (bench01…), starts gunicorn on a free port of 127.0.0.1 and
stops it afterwards. Requests go to 127.0.0.1 only, bounded by the duration.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode, urlparse

from bench.harness import Report

BASE_DIR = Path(__file__).resolve().parent.parent
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/bench"
PASSWORD = "demo2026"
REPORTERS_SCRIPT = """
from django.contrib.auth.models import Group
from logistics.models import Membership, School, User
school = School.objects.get(code="demo")
staff = Group.objects.get(name="staff")
for i in range(1, {n} + 1):
    user, created = User.objects.get_or_create(username=f"bench{{i:02d}}", defaults={{"full_name": f"压测教师{{i:02d}}"}})
    if created or not user.has_usable_password():
        user.set_password("{password}")
        user.save()
    m, _ = Membership.objects.get_or_create(user=user, school=school)
    m.roles.add(staff)
"""


def _ensure_database(url: str) -> None:
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"Created PostgreSQL database {name}")


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args[:2])} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Reporter(threading.Thread):
    """One person: logs in, then submits report after report until the deadline."""

    def __init__(self, port: int, username: str, room: int, category: int, barrier: threading.Barrier, deadline: list[float]) -> None:
        super().__init__(daemon=True)
        self.port, self.username, self.room, self.category = port, username, room, category
        self.barrier, self.deadline = barrier, deadline
        self.cookies: dict[str, str] = {}
        self.latencies: list[float] = []
        self.errors: Counter[str] = Counter()
        self.created: set[str] = set()
        self.reconnects = 0

    def _reconnect(self) -> None:
        self.conn.close()
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def _post_with_retry(self, path: str, form: dict) -> http.client.HTTPResponse:
        """Like a browser: a kept-alive connection the server has just closed is reopened and the
        request sent again. Safe for a POST here because the form's token makes a repeat harmless."""
        try:
            return self._request("POST", path, form)
        except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
            self.reconnects += 1
            self._reconnect()
            return self._request("POST", path, form)

    def _request(self, method: str, path: str, body: dict | None = None) -> http.client.HTTPResponse:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=data, headers=headers)
        response = self.conn.getresponse()
        response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response

    def run(self) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            self._request("GET", "/accounts/login/")
            r = self._request("POST", "/accounts/login/", {"username": self.username, "password": PASSWORD,
                                                          "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")})
            if r.status != 302:
                self.errors[f"login {r.status}"] += 1
        except Exception as e:  # noqa: BLE001 - a failed login is counted, not raised in a thread
            self.errors[f"login {type(e).__name__}"] += 1
        self.barrier.wait()
        n = 0
        while time.monotonic() < self.deadline[0]:
            n += 1
            form = {"room": self.room, "category": self.category, "urgency": "normal", "token": uuid.uuid4().hex,
                    "description": f"压测报修：{self.username} 第{n}次，教室灯管闪烁", "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            start = time.perf_counter()
            try:
                r = self._post_with_retry("/repairs/report/", form)
            except Exception as e:  # noqa: BLE001 - counted, the reporter goes on
                self.errors[type(e).__name__] += 1
                self._reconnect()
                continue
            self.latencies.append(time.perf_counter() - start)
            location = r.headers.get("Location", "")
            if r.status == 302 and re.search(r"/repairs/\d+/", location):
                self.created.add(location)
            else:
                self.errors[f"HTTP {r.status} {location[:40]}".strip()] += 1
        self.conn.close()


def run(args: argparse.Namespace) -> bool:
    import psycopg

    url = os.environ.get("BENCH_PG_URL", PG_DEFAULT)
    try:
        _ensure_database(url)
    except psycopg.OperationalError as e:
        print(f"\n== repairs-load: skipped, PostgreSQL not reachable at {url}: {e}")
        return True
    env = {**os.environ, "DATABASE_URL": url, "EMAIL_URL": "dummymail://", "LOG_LEVEL": "ERROR", "CONN_MAX_AGE": "60"}
    env.pop("REDIS_URL", None)  # notifications deliver in-process (to a dummy mailbox): no broker to drain afterwards
    _manage(env, "migrate", "--noinput")
    with psycopg.connect(url) as conn:
        school = conn.execute("SELECT id FROM logistics_school WHERE code = 'demo'").fetchone()
    if not school:
        print("Seeding the demo school into the PostgreSQL bench database (once) …")
        _manage(env, "seed_demo")
    _manage(env, "shell", "-c", REPORTERS_SCRIPT.format(n=args.reporters, password=PASSWORD))
    with psycopg.connect(url) as conn:
        school_id = conn.execute("SELECT id FROM logistics_school WHERE code = 'demo'").fetchone()[0]
        room = conn.execute(
            "SELECT r.id FROM logistics_room r JOIN logistics_building b ON b.id = r.building_id "
            "JOIN logistics_campus c ON c.id = b.campus_id WHERE c.school_id = %s AND r.is_active ORDER BY r.id LIMIT 1", [school_id]
        ).fetchone()[0]
        category = conn.execute("SELECT id FROM repairs_category WHERE school_id = %s AND is_active ORDER BY \"order\", id LIMIT 1",
                                [school_id]).fetchone()[0]
        last_id = conn.execute("SELECT coalesce(max(id), 0) FROM repairs_ticket").fetchone()[0]

    port = _free_port()
    workers = str(max(2, (os.cpu_count() or 2) * 2))
    log_path = BASE_DIR / "var" / "bench-gunicorn.log"
    log = open(log_path, "w")
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "logistics.wsgi", "-b", f"127.0.0.1:{port}", "-w", workers,
         "-k", "gthread", "--threads", "4", "--timeout", "60"],
        cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(150):
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                c.request("GET", "/accounts/login/")
                if c.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit(f"gunicorn did not answer on port {port}; see {log_path}")
        barrier = threading.Barrier(args.reporters + 1)
        deadline = [float("inf")]
        reporters = [Reporter(port, f"bench{i:02d}", room, category, barrier, deadline) for i in range(1, args.reporters + 1)]
        for r in reporters:
            r.start()
        barrier.wait()
        started = time.monotonic()
        deadline[0] = started + args.seconds
        for r in reporters:
            r.join(args.seconds + 60)
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(20)
        log.close()

    latencies = [x for r in reporters for x in r.latencies]
    errors: Counter[str] = sum((r.errors for r in reporters), Counter())
    created = sum(len(r.created) for r in reporters)
    reconnects = sum(r.reconnects for r in reporters)
    with psycopg.connect(url) as conn:
        dupes = conn.execute("SELECT count(*) FROM (SELECT school_id, number FROM repairs_ticket GROUP BY 1, 2 HAVING count(*) > 1) d").fetchone()[0]
        numbers = [n for (n,) in conn.execute("SELECT number FROM repairs_ticket WHERE id > %s AND school_id = %s ORDER BY id", [last_id, school_id])]
    serials = sorted(int(n.rsplit("-", 1)[1]) for n in numbers)
    gaps = (serials[-1] - serials[0] + 1 - len(serials)) if serials else 0

    report = Report(f"repairs-load · {args.reporters} reporters · {args.seconds:.0f} s · gunicorn {workers}×4 threads · PostgreSQL")
    report.check("submissions answered", f"{len(latencies)}")
    report.check("throughput", f"{len(latencies) / elapsed:.1f}/s")
    if latencies:
        report.check("latency median", f"{statistics.median(latencies) * 1000:.0f} ms")
        report.check("latency p90", f"{sorted(latencies)[int(len(latencies) * 0.9)] * 1000:.0f} ms")
    report.check("errors", str(sum(errors.values())), "= 0", not errors)
    report.check("closed keep-alive connections, resent", str(reconnects))
    for kind, count in errors.most_common(5):
        report.check(f"  {kind}", str(count))
    report.check("tickets in the database (= tickets confirmed)", str(len(numbers)), f"= {created}", len(numbers) == created)
    report.check("duplicate numbers (whole table)", str(dupes), "= 0", dupes == 0)
    report.check("gaps in this run's numbers", str(gaps), "= 0", gaps == 0)
    if numbers:
        report.check("numbers", f"{numbers[0]} … {numbers[-1]}")
    return report.print()
