"""Lists and the detail page cost a fixed number of queries, whatever the page size or position."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from repairs import services
from repairs.demo import generate
from repairs.models import Category, Ticket
from repairs.selectors import dashboard_figures

LIST = reverse("repairs:ticket-list")


def queries(client, url, data=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture
def many(school, logistics_admin, repairer, teacher, room, term):
    Category.ensure_defaults(school)
    generate(school, count=240, seed=7)
    return Ticket.objects.for_school(school)


def test_the_list_costs_the_same_for_any_page_size_and_depth(client_for, logistics_admin, many, django_assert_num_queries):
    client = client_for(logistics_admin)
    first = client.get(LIST, {"per_page": 10}).context["page"]
    baseline = queries(client, LIST, {"per_page": 10})
    assert queries(client, LIST, {"per_page": 200}) == baseline
    assert queries(client, LIST, {"per_page": 10, "before": first.next_cursor, "p": 2}) == baseline
    assert queries(client, LIST, {"per_page": 10, "page": 20}) == baseline
    assert queries(client, LIST, {"per_page": 50, "status": "open", "overdue": "on", "q": "灯"}) == baseline
    with django_assert_num_queries(baseline):
        client.get(LIST, {"per_page": 100})
    # Session, user, membership, roles, permissions, unread count; the page, the capped count. The
    # filter's category, building and repairer lists come from the cache (logistics.options).
    assert baseline <= 8


def test_a_teachers_list_costs_the_same_for_any_page_size(client_for, teacher, many):
    client = client_for(teacher)
    client.get(LIST)  # the filter's choices, read once into the cache
    assert queries(client, LIST, {"per_page": 5}) == queries(client, LIST, {"per_page": 200})


def test_the_queue_costs_the_same_for_any_page_size(client_for, logistics_admin, many):
    client = client_for(logistics_admin)
    url = reverse("repairs:queue")
    client.get(url)  # the first page of a visit reads the navigation's counts into the cache
    assert queries(client, url, {"per_page": 5}) == queries(client, url, {"per_page": 200}) == queries(client, url, {"per_page": 5, "page": 2})


def test_the_detail_page_costs_the_same_however_long_its_history(client_for, logistics_admin, repairer, teacher, school, room):
    Category.ensure_defaults(school)
    category = Category.objects.for_school(school).first()
    short = services.ticket_submit(school=school, reporter=teacher, room=room, category=category, description="a")
    long = services.ticket_submit(school=school, reporter=teacher, room=room, category=category, description="b")
    for t in (short, long):
        services.ticket_dispatch(ticket=t, by=logistics_admin, repairer=repairer)
        services.ticket_start(ticket=t, by=repairer)
    for i in range(8):
        services.ticket_add_material(ticket=long, by=repairer, name=f"材料{i}", quantity=Decimal(1), unit="个")
        services.ticket_add_note(ticket=long, by=repairer, note=f"记录{i}")
    for client in (client_for(repairer), client_for(logistics_admin)):
        url = lambda t: reverse("repairs:ticket-detail", args=[t.pk])  # noqa: E731
        client.get(url(short))  # the first page of a visit reads the navigation's counts into the cache
        assert queries(client, url(short)) == queries(client, url(long))


def test_the_export_streams_in_chunks_with_a_fixed_number_of_queries(client_for, logistics_admin, many):
    client = client_for(logistics_admin)
    client.get(reverse("repairs:ticket-export"), {"status": "closed"})  # the person's roles are kept from the first
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("repairs:ticket-export"), {"status": "closed"})
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("repairs:ticket-export"))
    assert len(small.captured_queries) == len(large.captured_queries)


def test_the_home_page_widgets_cost_a_fixed_number_of_queries(client_for, logistics_admin, school, many):
    client = client_for(logistics_admin)
    queries(client, reverse("home"))  # a first visit may create a school's defaults (e.g. safety's templates)
    before = queries(client, reverse("home"))
    generate(school, count=60, seed=8, now=timezone.now() - dt.timedelta(days=1))
    assert queries(client, reverse("home")) == before


def test_the_repairs_card_counts_each_week_and_month_like_a_count_of_the_tickets(school, many):
    now = timezone.now()
    figures = dashboard_figures(school=school, now=now)
    local = timezone.localtime(now)
    monday = (local - dt.timedelta(days=local.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    starts = [monday - dt.timedelta(weeks=w) for w in range(7, -1, -1)]
    tickets = list(many)

    def in_week(at, start):
        return at is not None and start <= at < start + dt.timedelta(weeks=1)

    assert figures["week_in"] == [sum(in_week(t.submitted_at, s) for t in tickets) for s in starts]
    assert figures["week_done"] == [sum(in_week(t.done_at, s) for t in tickets) for s in starts]
    assert sum(figures["week_in"]) and sum(figures["week_done"])
    month = [t for t in tickets if t.submitted_at >= local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)]
    done = [(t.done_at - t.submitted_at).total_seconds() for t in month if t.done_at]
    assert figures["hours_to_done"] == (round(sum(done) / len(done) / 3600, 1) if done else None)
    assert figures["rated"] == sum(t.rating is not None for t in month)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plans")
def test_the_repairs_card_reads_index_ranges_never_the_whole_school(school, many):
    with CaptureQueriesContext(connection) as ctx:
        dashboard_figures(school=school)
    assert len(ctx.captured_queries) == 4
    with connection.cursor() as cursor:
        for query in ctx.captured_queries:
            plan = [str(row[-1]) for row in cursor.execute("EXPLAIN QUERY PLAN " + query["sql"]).fetchall()]
            # Each read of the tickets is a range of an index beyond the school ("SEARCH … (school_id=? AND
            # submitted_at>?)"); "SCAN", or a search on the school alone, reads every ticket of the school.
            reads = [step for step in plan if step.startswith(("SEARCH", "SCAN")) and "logistics_school" not in step and "CONSTANT ROW" not in step]
            assert reads and all("SEARCH" in step and "(school_id=? AND " in step for step in reads), (query["sql"], plan)
