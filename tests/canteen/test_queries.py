"""Pinned query counts: the day view, the month grid, the home card and the district column cost the
same for a day with a term of records behind it, and for 3 or 30 schools."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canteen import services
from canteen.selectors import day_view, month_grid
from canteen.widgets import district_completion
from logistics import widgets
from tests.canteen.conftest import jpeg
from tests.canteen.factories import CanteenFactory, MealFactory, StaffFactory
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def fill(canteen: Any, cooks: list[Any], manager: Any, days: list[dt.date]) -> None:
    items = {i.pk: True for i in services.checklist_for(canteen)}
    for day in days:
        for cook in cooks:
            services.morning_check_record(canteen=canteen, staff=cook, day=day, temperature=Decimal("36.5"), by=manager)
        services.sample_record(canteen=canteen, day=day, meal="lunch", dish="米饭", grams=150, by=manager)
        services.disinfection_record(canteen=canteen, day=day, meal="lunch", method="infrared", temperature=Decimal(120), seconds=900, by=manager)
        services.daily_check_record(canteen=canteen, day=day, answers=items, by=manager)


def count(fn: Any) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_the_day_view_reads_one_statement_once_the_set_up_is_kept(canteen: Any, cooks: list[Any], manager: Any, supplier: Any,
                                                                 day: dt.date) -> None:
    services.checklist_for(canteen)  # the school's checklist installed
    assert count(lambda: day_view(canteen, day)) == 6  # the meals, fridges and checklist read once, then kept in the cache
    few = count(lambda: day_view(canteen, day))
    fill(canteen, cooks, manager, [day - dt.timedelta(days=i) for i in range(12)])
    services.delivery_record(canteen=canteen, day=day, supplier=supplier, by=manager,
                             items=[{"name": "鸡蛋", "quantity": Decimal(30), "unit": "kg"}], photos=[jpeg()])
    view = day_view(canteen, day)
    assert count(lambda: day_view(canteen, day)) == few == 1
    assert view.kind("checks").done == 3 and view.kind("samples").slots[1].state == "done" and view.daily_check.all_ok
    assert [(i.name, i.quantity) for i in view.deliveries[0].items] == [("鸡蛋", Decimal("30.00"))] and len(view.deliveries[0].photos) == 1


def test_a_set_up_change_is_seen_on_the_next_day_view(canteen: Any, cooks: list[Any], fridge: Any, day: dt.date) -> None:
    from canteen.models import ChecklistItem, Meal

    before = day_view(canteen, day)
    assert [m.kind for m in before.meals] == ["breakfast", "lunch"] and before.fridges == [fridge]
    MealFactory(canteen=canteen, kind="dinner", serves_at=dt.time(17, 30))
    Meal.objects.filter(canteen=canteen, kind="breakfast").get().delete()
    item = ChecklistItem.objects.for_school(canteen.school_id).first()
    item.is_active = False
    item.save()
    after = day_view(canteen, day)
    assert [m.kind for m in after.meals] == ["lunch", "dinner"] and item.pk not in {i.pk for i in after.checklist}
    # The duty roster is set with update() (no signal): the staff are read on every visit.
    cooks[0].__class__.objects.filter(pk=cooks[0].pk).update(on_duty=False)
    assert [s.label for s in day_view(canteen, day).kind("checks").slots] == ["李阿姨", "陈师傅"]


def test_the_day_page_reads_two_queries_after_a_record_and_one_until_the_next(client_for: Any, canteen: Any, cooks: list[Any], manager: Any,
                                                                           day: dt.date, django_assert_num_queries: Any) -> None:
    client = client_for(manager)
    url = reverse("canteen:day", args=[canteen.pk, day.isoformat()])
    client.get(url)  # the set-up, the person's roles and the navigation counts are kept on the first visit
    fill(canteen, cooks, manager, [day - dt.timedelta(days=i) for i in range(3)])
    # The person (the session, membership, roles, permissions and counts are kept) and the day's statement.
    with django_assert_num_queries(2):
        drawn = client.get(url).content.decode()
    with django_assert_num_queries(1):  # nothing changed: the body is kept
        again = client.get(url).content.decode()
    assert "米饭" in drawn and "米饭" in again


def test_the_day_page_costs_the_same_with_a_term_of_records(client_for: Any, canteen: Any, cooks: list[Any], manager: Any, day: dt.date) -> None:
    client = client_for(manager)
    url = reverse("canteen:day", args=[canteen.pk, day.isoformat()])
    client.get(url)
    services.sample_record(canteen=canteen, day=day, meal="breakfast", dish="包子", grams=150, by=manager)
    empty = count(lambda: client.get(url))
    fill(canteen, cooks, manager, [day - dt.timedelta(days=i) for i in range(8)])
    full = count(lambda: client.get(url))
    assert full == empty == 2


def test_the_month_grid_reads_a_fixed_number_of_queries(canteen: Any, cooks: list[Any], manager: Any, day: dt.date) -> None:
    few = count(lambda: month_grid(canteen, day.year, day.month))
    fill(canteen, cooks, manager, [day - dt.timedelta(days=i) for i in range(6)])
    assert count(lambda: month_grid(canteen, day.year, day.month)) == few == 7


@pytest.mark.parametrize("how_many", [3, 30])
def test_the_district_column_costs_the_same_however_many_schools(how_many: int, school: Any, canteen: Any, cooks: list[Any],
                                                                 manager: Any) -> None:
    schools = [school] + [SchoolFactory() for _ in range(how_many - 1)]
    for other in schools[1:]:
        c = CanteenFactory(school=other)
        MealFactory(canteen=c)
        StaffFactory(canteen=c)
    today = dt.date(2026, 11, 26)
    fill(canteen, cooks, manager, [dt.date(2026, 11, 23), dt.date(2026, 11, 24), dt.date(2026, 11, 25)])
    with CaptureQueriesContext(connection) as ctx:
        values = district_completion(schools, days=3, today=today)
    assert len(ctx.captured_queries) == 8
    # 3 operating days (Mon–Wed); breakfast and lunch are due but only lunch was kept: checks, lunch
    # samples and disinfection, the checklist; no accompanied meal.
    assert values[school.pk] is not None and 0 < values[school.pk] < 100
    assert all(values[s.pk] == 0 for s in schools[1:])
    assert "canteen-completion" in widgets._district_columns


def test_the_managers_home_card_says_what_is_due_and_links_to_it(client_for: Any, canteen: Any, cooks: list[Any], manager: Any) -> None:
    page = client_for(manager).get("/").content.decode()
    assert "data-canteen-card" in page and 'data-card-kind="checks"' in page
    assert reverse("canteen:day", args=[canteen.pk, dt.date.today().isoformat()]) in page or "/canteen/" in page


def test_the_home_card_is_kept_and_follows_todays_records(client_for: Any, canteen: Any, cooks: list[Any], manager: Any) -> None:
    from django.utils import timezone

    client, today = client_for(manager), timezone.localdate()
    assert 'data-card-kind="checks"' in client.get("/").content.decode()
    with CaptureQueriesContext(connection) as ctx:
        client.get("/")
    assert not [q for q in ctx.captured_queries if "UNION ALL" in q["sql"]]  # the day is kept
    for cook in cooks:
        services.morning_check_record(canteen=canteen, staff=cook, day=today, temperature=Decimal("36.5"), by=manager)
    assert 'data-card-kind="checks"' not in client.get("/").content.decode()
