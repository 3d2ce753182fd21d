"""The rounds due today and missed, the home cards, the district columns, and the ledger's query count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from logistics import widgets
from logistics.models import Term
from safety import services
from safety.models import Hazard, InspectionTemplate
from safety.selectors import schedule_for
from tests.factories import SchoolFactory
from tests.safety.conftest import report, walk_all

MONDAY = dt.date(2026, 9, 14)


@pytest.fixture
def autumn(school):
    return Term.objects.create(school=school, year=2026, semester=1, start=dt.date(2026, 9, 1), end=dt.date(2027, 1, 20))


def _finish(school, officer, template, day, building=None):
    round = services.round_start(school=school, template=template, building=building, by=officer, day=day)
    walk_all(round, officer)
    return services.round_finish(round=round, by=officer, signature="孙安全")


def test_the_daily_patrol_is_due_every_school_day_and_missed_days_are_counted(school, safety_officer, patrol, autumn, building):
    # Term starts Tue 1 Sep; school days before Monday 14 Sep: 1-4 and 7-11 = 9; two were patrolled.
    _finish(school, safety_officer, patrol, dt.date(2026, 9, 2))
    _finish(school, safety_officer, patrol, dt.date(2026, 9, 10), building)
    schedule = schedule_for(school, today=MONDAY)
    due = {d.template.key: d for d in schedule.due}
    assert "fire_patrol" in due and due["fire_patrol"].done is None
    assert schedule.missed[patrol.pk] == 7
    _finish(school, safety_officer, patrol, MONDAY)
    assert {d.template.key: d for d in schedule_for(school, today=MONDAY).due}["fire_patrol"].done is not None


def test_no_daily_patrol_is_due_on_a_weekend_or_outside_the_term(school, patrol, autumn):
    assert "fire_patrol" not in {d.template.key for d in schedule_for(school, today=dt.date(2026, 9, 19)).due}  # Saturday
    assert "fire_patrol" not in {d.template.key for d in schedule_for(school, today=dt.date(2027, 2, 3)).due}  # winter holiday


def test_the_monthly_inspection_is_due_until_done_in_the_month(school, safety_officer, monthly, autumn):
    assert schedule_for(school, today=dt.date(2026, 10, 20)).missed[monthly.pk] == 1  # September went without
    _finish(school, safety_officer, monthly, dt.date(2026, 10, 5))
    due = {d.template.key: d for d in schedule_for(school, today=dt.date(2026, 10, 20)).due}
    assert due["fire_inspection"].done is not None


def test_the_officers_home_card_shows_the_rounds_to_walk(client_for, school, safety_officer, patrol):
    home = client_for(safety_officer).get(reverse("home")).content.decode()
    assert "今日安全检查" in home and "data-rounds-due" in home


def test_the_ledger_costs_the_same_for_any_page_size_and_depth(client_for, school, teacher, room, safety_officer):
    for i in range(30):
        report(school, teacher, room, description=f"隐患{i}")
    client = client_for(safety_officer)
    url = reverse("safety:hazard-list")

    def count(data):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, data)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    first = client.get(url, {"per_page": 5}).context["page"]
    count({"per_page": 1})  # the building choices are read once, then kept in the cache (logistics.options)
    baseline = count({"per_page": 5})
    assert count({"per_page": 30}) == baseline
    assert count({"per_page": 5, "before": first.next_cursor, "p": 2}) == baseline
    assert count({"per_page": 5, "status": "open", "overdue": "on", "q": "隐患"}) == baseline


def test_the_round_list_costs_the_same_for_any_page_size(client_for, school, safety_officer, patrol):
    for day in range(1, 8):
        services.round_start(school=school, template=patrol, by=safety_officer, day=dt.date(2026, 9, day))
    client = client_for(safety_officer)

    def count(n):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("safety:round-list"), {"per_page": n}).status_code == 200
        return len(ctx.captured_queries)

    count(1)  # the filter's choices are read once, then kept in the cache (logistics.options)
    assert count(2) == count(7)


@pytest.mark.parametrize("how_many", [3, 30])
def test_the_district_columns_cost_one_query_each_however_many_schools(how_many, django_assert_num_queries, teacher, room, school):
    schools = [school] + [SchoolFactory() for _ in range(how_many - 1)]
    report(school, teacher, room)
    overdue = report(school, teacher, room, description="过期")
    Hazard.objects.filter(pk=overdue.pk).update(deadline=dt.date(2020, 1, 1))
    columns = {c.key: c for c in widgets._district_columns.values()}
    with django_assert_num_queries(1):
        open_ = columns["safety-open"].values(schools)
    with django_assert_num_queries(1):
        late = columns["safety-overdue"].values(schools)
    assert open_[school.pk] == 2 and late[school.pk] == 1 and all(open_[s.pk] == 0 for s in schools[1:])


def test_the_person_responsible_sees_their_hazards_on_the_home_page(client_for, school, teacher, room, safety_officer, repairer):
    import re

    from safety import services as s

    for i in range(2):
        hazard = report(school, teacher, room, description=f"隐患{i}")
        s.hazard_assign(hazard=hazard, by=safety_officer, responsible=repairer, deadline=dt.date.today() + dt.timedelta(days=3))
    client = client_for(repairer)
    home = client.get(reverse("home")).content.decode()
    assert int(re.search(r"data-my-hazards>(\d+)<", home).group(1)) == 2
    assert client.get(reverse("safety:hazard-list"), {"status": "open"}).context["page"].count == 2
    assert "data-my-hazards" not in client_for(teacher).get(reverse("home")).content.decode()


def test_the_round_list_choices_follow_a_new_checklist_at_once(client_for, school, safety_officer, patrol):
    client = client_for(safety_officer)
    assert "夜间巡查（自定）" not in client.get(reverse("safety:round-list")).content.decode()
    InspectionTemplate.objects.create(school=school, name="夜间巡查（自定）", frequency="on_demand")
    assert "夜间巡查（自定）" in client.get(reverse("safety:round-list")).content.decode()


def test_each_ledger_row_draws_its_badges_once_for_every_width(client_for, school, teacher, room, safety_officer, repairer,
                                                                django_assert_num_queries):
    late = report(school, teacher, room, description="栏杆松动 <b>")
    late = services.hazard_assign(hazard=late, by=safety_officer, responsible=repairer, deadline=dt.date.today() + dt.timedelta(days=2))
    type(late).objects.filter(pk=late.pk).update(deadline=dt.date.today() - dt.timedelta(days=1))
    report(school, teacher, room, description="插座破损", grade="major")
    client = client_for(safety_officer)
    url = reverse("safety:hazard-list")
    client.get(url)  # navigation counts and list choices are cached on the first visit
    with django_assert_num_queries(3):  # the person, the rows, their count
        page = client.get(url).content.decode()
    assert page.count('data-status="open"') == 2 and page.count("data-overdue") == 1 and page.count('data-grade="major"') == 1
    assert "栏杆松动 &lt;b&gt;" in page and f'href="/safety/hazards/{late.pk}/"' in page and "d-md-none" not in page.split("data-hazard-list")[1]
