"""Home cards (approvals waiting, my requests, the finance card) and the district columns."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from logistics import widgets
from procurement import services
from procurement.models import Status
from tests.factories import SchoolFactory, member
from tests.procurement.factories import BudgetLineFactory, line, person, submitted


def test_the_next_approver_sees_the_request_on_the_home_page(client_for, school, teacher, chain):
    logistics, vice, principal = chain
    req = submitted(school, teacher, [line()])
    home = client_for(logistics).get("/").content.decode()
    assert 'data-approvals-waiting="1"' in home and req.number in home
    assert "data-approvals-waiting" not in client_for(vice).get("/").content.decode()
    services.requisition_approve(requisition=req, by=logistics)
    assert 'data-approvals-waiting="1"' in client_for(vice).get("/").content.decode()
    assert "data-approvals-waiting" not in client_for(logistics).get("/").content.decode()


def test_the_teacher_sees_their_requests(client_for, school, teacher):
    req = submitted(school, teacher, [line()])
    home = client_for(teacher).get("/").content.decode()
    assert req.number in home


def test_finance_sees_budget_execution(client_for, school, teacher, chain, finance):
    budget = BudgetLineFactory(school=school, year=dt.date.today().year, name="教学设备购置", amount=Decimal("100000"))
    req = submitted(school, teacher, [line(quantity=8, price="4300")], budget_line=budget)
    for who in chain:
        req = services.requisition_approve(requisition=req, by=who)
    assert req.status == Status.APPROVED
    home = client_for(finance).get("/").content.decode()
    assert "data-budget-execution" in home and "教学设备购置" in home and "34.4" in home


def test_approving_beyond_the_budget_warns(client_for, school, teacher, chain):
    budget = BudgetLineFactory(school=school, amount=Decimal("1000"))
    req = submitted(school, teacher, [line(quantity=8, price="4300")], budget_line=budget)
    page = client_for(chain[0]).get(req.get_absolute_url()).content.decode()
    assert "data-budget-warning" in page


@pytest.mark.parametrize("n", [3, 30])
def test_the_district_columns_cost_a_fixed_number_of_queries(db, n, django_assert_max_num_queries):
    from logistics.widgets import _district_columns

    schools = [SchoolFactory(code=f"d{i}") for i in range(n)]
    for s in schools[:3]:
        t = person(s)
        submitted(s, t, [line()])
    columns = [_district_columns["procurement-pending"], _district_columns["procurement-approved"]]
    with django_assert_max_num_queries(2):
        values = [c.values(schools) for c in columns]
    assert values[0][schools[0].pk] == 1 and values[0][schools[-1].pk] == (1 if n == 3 else 0)
    assert values[1][schools[0].pk] == "0.00"
    assert widgets.district_table(schools[:1])["rows"][0]["procurement-pending"] == 1


def _nav_count(client) -> int | None:
    import re

    match = re.search(r'data-nav-count="procurement-approvals">(\d+)<', client.get("/repairs/").content.decode())
    return int(match.group(1)) if match else None


def test_the_navigation_counts_the_approvals_waiting_and_follows_each_decision(client_for, school, teacher, chain):
    logistics, vice, principal = chain
    office, deputy = client_for(logistics), client_for(vice)
    assert _nav_count(office) is None
    first = submitted(school, teacher, [line()])
    submitted(school, teacher, [line()])
    assert _nav_count(office) == 2 and _nav_count(deputy) is None
    services.requisition_approve(requisition=first, by=logistics)
    assert _nav_count(office) == 1 and _nav_count(deputy) == 1  # at once, not after the cache's minutes
    services.requisition_reject(requisition=first, by=vice, reason="预算不足")
    assert _nav_count(deputy) is None and _nav_count(office) == 1


def test_the_navigation_count_costs_no_query_once_kept(client_for, school, teacher, chain, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    office = client_for(chain[0])
    submitted(school, teacher, [line()])
    office.get("/repairs/")
    with CaptureQueriesContext(connection) as kept:
        office.get("/repairs/")
    assert not any("procurement_approvalstep" in q["sql"] for q in kept.captured_queries)


def test_a_phone_shows_three_rows_of_tiles_the_waiting_approvals_first(client_for, school, teacher, chain):
    """A principal has some twenty sections: the phone shows eight tiles and one that opens the
    menu, so the to-do cards start on the first screen; what waits for them comes first."""
    logistics, _vice, _principal = chain
    submitted(school, teacher, [line()])
    response = client_for(logistics).get("/")
    tiles = response.context["shortcuts"]
    everything = widgets.nav_for(response.wsgi_request)
    assert len(everything) > 9
    assert len(tiles) == 8 and response.context["more_shortcuts"] == len(everything) - 8
    assert (tiles[0][0].key, tiles[0][1]) == ("procurement-approvals", 1)
    assert all(not count for _item, count in tiles[1:])
    page = response.content.decode()
    assert "data-more-shortcuts" in page and f"其余{len(everything) - 8}项" in page


def test_a_teacher_with_few_sections_sees_them_all_as_tiles(client_for, teacher):
    response = client_for(teacher).get("/")
    assert len(response.context["shortcuts"]) == len(widgets.nav_for(response.wsgi_request)) <= 9
    assert "data-more-shortcuts" not in response.content.decode()
