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
    assert baseline <= 14


def test_a_teachers_list_costs_the_same_for_any_page_size(client_for, teacher, many):
    client = client_for(teacher)
    assert queries(client, LIST, {"per_page": 5}) == queries(client, LIST, {"per_page": 200})


def test_the_queue_costs_the_same_for_any_page_size(client_for, logistics_admin, many):
    client = client_for(logistics_admin)
    url = reverse("repairs:queue")
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
        assert queries(client, url(short)) == queries(client, url(long))


def test_the_export_streams_in_chunks_with_a_fixed_number_of_queries(client_for, logistics_admin, many):
    client = client_for(logistics_admin)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("repairs:ticket-export"), {"status": "closed"})
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("repairs:ticket-export"))
    assert len(small.captured_queries) == len(large.captured_queries)


def test_the_home_page_widgets_cost_a_fixed_number_of_queries(client_for, logistics_admin, school, many):
    client = client_for(logistics_admin)
    before = queries(client, reverse("home"))
    generate(school, count=60, seed=8, now=timezone.now() - dt.timedelta(days=1))
    assert queries(client, reverse("home")) == before
