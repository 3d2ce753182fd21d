"""The printable monthly book (月度台账), the WS/T 554 age bands and the parents' weekly menu."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canteen import services
from canteen.menu import LUNCH, week_menu
from canteen.models import AgeBand, Event, FoodGroup
from canteen.views_book import month_book

pytestmark = pytest.mark.django_db

OCTOBER = [dt.date(2026, 10, d) for d in range(1, 32)]  # 1 October 2026 is a Thursday
WORKDAYS = [d for d in OCTOBER if d.weekday() < 5]


def book_url(canteen: Any, year: int = 2026, month: int = 10) -> str:
    return reverse("canteen:book", args=[canteen.pk, year, month])


def fill(canteen: Any, cooks: list[Any], manager: Any, supplier: Any, days: list[dt.date]) -> None:
    items = {i.pk: True for i in services.checklist_for(canteen)}
    for day in days:
        for cook in cooks:
            services.morning_check_record(canteen=canteen, staff=cook, day=day, temperature=Decimal("36.5"), by=manager)
        for meal in ("breakfast", "lunch"):
            services.sample_record(canteen=canteen, day=day, meal=meal, dish="米饭", grams=150, by=manager)
            services.disinfection_record(canteen=canteen, day=day, meal=meal, method="infrared", temperature=Decimal(120), seconds=900, by=manager)
        services.accompanied_meal_record(canteen=canteen, day=day, meal="lunch", person="周校长", by=manager)
        services.daily_check_record(canteen=canteen, day=day, answers=items, by=manager)
        services.delivery_record(canteen=canteen, supplier=supplier, day=day, by=manager,
                                 items=[{"name": "大米", "quantity": Decimal(50), "unit": "kg", "batch": "B1", "shelf_life_days": 365}])
        services.rapid_test_record(canteen=canteen, day=day, sample_name="青菜", inhibition=Decimal(12), by=manager)
        services.additive_record(canteen=canteen, day=day, name="食盐", dish="青菜", grams=Decimal(2), by=manager)


def test_the_book_access_matrix(access: Any, client_for: Any, canteen: Any, manager: Any, vice: Any, principal: Any,
                                logistics_admin: Any, teacher: Any, district: Any, outsider: Any) -> None:
    access(client_for, book_url(canteen), {None: 302, manager: 200, vice: 200, principal: 200, logistics_admin: 200, teacher: 403,
                                           district: 403, outsider: 404})
    client = client_for(manager)
    assert client.get(book_url(canteen, 2026, 13)).status_code == 404
    assert client.get(book_url(canteen, 2099, 1)).status_code == 404  # a month still to come


def test_the_book_prints_every_kind_and_shows_the_days_not_recorded(client_for: Any, canteen: Any, cooks: list[Any], manager: Any,
                                                                    supplier: Any, fridge: Any) -> None:
    recorded = WORKDAYS[:-1]  # the last working day of October has nothing
    fill(canteen, cooks, manager, supplier, recorded[:3])
    services.review_sign(canteen=canteen, kind=Event.Kind.WEEKLY_REVIEW, start=dt.date(2026, 10, 5), end=dt.date(2026, 10, 11),
                         summary="本周晨检、留样完成。", by=manager)
    services.review_sign(canteen=canteen, kind=Event.Kind.MONTHLY_MEETING, start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31),
                         summary="十月食品安全调度会。", by=manager, people_count=5)
    page = client_for(manager).get(book_url(canteen)).content.decode()
    for part in ("cover", "samples", "checks", "deliveries", "rapid", "disinfection", "accompanied", "checklist", "additives", "weekly", "monthly"):
        assert f'data-book-part="{part}"' in page, part
    # 22 working days, 3 of them recorded: 19 days missing in each daily kind, printed as rows.
    assert page.count('data-missing="2026-10-30"') == 5
    assert 'data-missing="2026-10-01"' not in page and 'data-missing="2026-10-03"' not in page  # recorded; a Saturday
    book = month_book(canteen, 2026, 10)
    assert book["operating_days"] == len(WORKDAYS) == 22
    assert {k: book["parts"][k].missing_days for k in ("samples", "checks", "disinfection", "accompanied", "checklist")} == dict.fromkeys(
        ("samples", "checks", "disinfection", "accompanied", "checklist"), 19)
    assert book["parts"]["samples"].count == 6 and book["parts"]["checks"].count == 9 and book["parts"]["deliveries"].count == 3
    # Weeks of 5, 12, 19 and 26 October ended; only the first was reviewed.
    assert [d.day for d in book["weeks_missing"]] == [12, 19, 26]
    assert "十月食品安全调度会。" in page and "本周晨检、留样完成。" in page and "data-missing-meeting" not in page
    assert page.count("class=\"sign\"") == 11  # the signature lines on the cover and under each record
    assert "大米" in page and "周校长" in page and "食盐" in page


def test_a_month_without_its_meeting_prints_it_missing(client_for: Any, canteen: Any, manager: Any) -> None:
    page = client_for(manager).get(book_url(canteen)).content.decode()
    assert "data-missing-meeting" in page
    assert 'data-missing-week="2026-10-05"' in page


def test_the_book_reads_a_fixed_number_of_queries(client_for: Any, canteen: Any, cooks: list[Any], manager: Any, supplier: Any,
                                                  django_assert_num_queries: Any) -> None:
    client = client_for(manager)
    url = book_url(canteen)
    client.get(url)  # warm the session and the navigation
    with CaptureQueriesContext(connection) as book_alone:
        month_book(canteen, 2026, 10)
    assert len(book_alone.captured_queries) == 12  # nine record kinds, the delivered items, the meals, the roster
    with CaptureQueriesContext(connection) as empty:
        client.get(url)
    fill(canteen, cooks, manager, supplier, WORKDAYS[:8])
    with django_assert_num_queries(len(empty.captured_queries)):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(12):
        month_book(canteen, 2026, 10)


def test_the_book_is_linked_from_the_month_grid_and_the_export_page(client_for: Any, canteen: Any, manager: Any) -> None:
    client = client_for(manager)
    month = client.get(reverse("canteen:month", args=[canteen.pk, 2026, 10])).content.decode()
    assert f'href="{book_url(canteen)}"' in month
    export = client.get(reverse("canteen:export")).content.decode()
    assert "data-book-link" in export and reverse("canteen:book", args=[canteen.pk, 2026, 11]) in export


def test_a_week_across_two_months_is_reviewed_in_the_month_it_began(canteen: Any, manager: Any) -> None:
    services.review_sign(canteen=canteen, kind=Event.Kind.WEEKLY_REVIEW, start=dt.date(2026, 9, 28), end=dt.date(2026, 10, 4),
                         summary="跨月的一周。", by=manager)
    assert [e.summary for e in month_book(canteen, 2026, 9)["parts"]["weekly"].records] == ["跨月的一周。"]
    assert month_book(canteen, 2026, 10)["parts"]["weekly"].records == []
    assert dt.date(2026, 9, 28) not in month_book(canteen, 2026, 9)["weeks_missing"]


# --- WS/T 554 age bands ---------------------------------------------------------------------------------

MONDAY = dt.date(2026, 11, 23)


def lunch(canteen: Any, manager: Any, dishes: list[tuple[str, str, int]]) -> None:
    for name, group, grams in dishes:
        services.menu_dish_add(canteen=canteen, day=MONDAY, meal="lunch", name=name, group=group, grams=Decimal(grams), by=manager)


def test_every_school_band_has_every_food_group_and_the_12_14_column_is_unchanged() -> None:
    assert set(LUNCH) == {AgeBand.AGE_6_8, AgeBand.AGE_9_11, AgeBand.AGE_12_14, AgeBand.AGE_15_17}
    for band, ranges in LUNCH.items():
        assert set(ranges) == set(FoodGroup.values), band
        assert all(low <= high for low, high in ranges.values()), band
    assert LUNCH[AgeBand.AGE_12_14][FoodGroup.GRAINS] == (140, 160) and LUNCH[AgeBand.AGE_12_14][FoodGroup.SOY] == (40, 40)
    assert LUNCH[AgeBand.AGE_15_17][FoodGroup.SALT] == (Decimal("2.5"), Decimal("2.5"))


def test_the_same_lunch_is_right_for_a_primary_band_and_short_for_the_oldest(canteen: Any, manager: Any) -> None:
    lunch(canteen, manager, [("米饭", "grains", 110), ("炒青菜", "vegetables", 130), ("鸡块", "meat", 14)])
    canteen.menu_band = AgeBand.AGE_6_8
    verdicts = {c.group: c.verdict for c in week_menu(canteen, MONDAY)[0].checks}
    assert verdicts["grains"] == verdicts["vegetables"] == verdicts["meat"] == "ok"
    canteen.menu_band = AgeBand.AGE_15_17
    verdicts = {c.group: c.verdict for c in week_menu(canteen, MONDAY)[0].checks}
    assert verdicts["grains"] == verdicts["vegetables"] == verdicts["meat"] == "low"


def test_a_kindergarten_canteen_is_not_checked_and_the_page_says_so(client_for: Any, canteen: Any, manager: Any) -> None:
    lunch(canteen, manager, [("米饭", "grains", 60)])
    canteen.is_kindergarten, canteen.menu_band = True, AgeBand.NONE
    canteen.save()
    assert week_menu(canteen, MONDAY)[0].checks == []
    page = client_for(manager).get(reverse("canteen:menu", args=[canteen.pk, MONDAY.isoformat()])).content.decode()
    assert 'data-menu-band=""' in page and "data-menu-checks" not in page
    assert "WS/T 554" in page


def test_the_menu_page_names_the_band(client_for: Any, canteen: Any, manager: Any) -> None:
    canteen.menu_band = AgeBand.AGE_9_11
    canteen.save()
    lunch(canteen, manager, [("米饭", "grains", 130)])
    page = client_for(manager).get(reverse("canteen:menu", args=[canteen.pk, MONDAY.isoformat()])).content.decode()
    assert 'data-menu-band="9-11"' in page
    assert 'data-group="grains" data-verdict="ok"' in page


# --- The weekly menu for parents ------------------------------------------------------------------------

def test_the_parents_menu_has_dishes_by_day_and_meal_and_no_grams(client_for: Any, canteen: Any, manager: Any, vice: Any,
                                                                   teacher: Any, access: Any, outsider: Any) -> None:
    lunch(canteen, manager, [("米饭", "grains", 150), ("番茄炒蛋", "eggs", 30)])
    services.menu_dish_add(canteen=canteen, day=MONDAY + dt.timedelta(days=2), meal="breakfast", name="豆浆<b>油条</b>", by=manager)
    url = reverse("canteen:menu-print", args=[canteen.pk, (MONDAY + dt.timedelta(days=3)).isoformat()])
    access(client_for, url, {None: 302, vice: 200, teacher: 403, outsider: 404})
    page = client_for(vice).get(url).content.decode()
    assert "番茄炒蛋" in page and "2026-11-23" in page and "2026-11-27" in page
    assert page.count("data-menu-meal") == 2  # breakfast and lunch rows
    assert "150" not in page and "30g" not in page and " g<" not in page
    assert "豆浆&lt;b&gt;油条&lt;/b&gt;" in page
    assert client_for(vice).get(reverse("canteen:menu-print", args=[canteen.pk, "2026-02-30"])).status_code == 404
    menu = client_for(vice).get(reverse("canteen:menu", args=[canteen.pk, MONDAY.isoformat()])).content.decode()
    assert reverse("canteen:menu-print", args=[canteen.pk, MONDAY.isoformat()]) in menu
