"""The weekly menu (带量食谱): dishes with grams per student, lunch checked against WS/T 554."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from canteen import services
from canteen.menu import week_menu
from canteen.models import MenuDish

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 23)


def lunch(canteen: Any, manager: Any, day: dt.date, dishes: list[tuple[str, str, int]]) -> None:
    for name, group, grams in dishes:
        services.menu_dish_add(canteen=canteen, day=day, meal="lunch", name=name, group=group, grams=Decimal(grams), by=manager)


def test_lunch_grams_are_checked_against_the_ranges(canteen: Any, manager: Any) -> None:
    lunch(canteen, manager, MONDAY, [("米饭", "grains", 150), ("清炒时蔬", "vegetables", 120), ("红烧鸡块", "meat", 40), ("酸奶", "milk", 100)])
    monday = week_menu(canteen, MONDAY)[0]
    verdicts = {c.group: c.verdict for c in monday.checks}
    assert verdicts["grains"] == "ok" and verdicts["vegetables"] == "low" and verdicts["meat"] == "high" and verdicts["milk"] == "ok"
    assert monday.groups_present == 4 and monday.enough_groups


def test_a_lunch_with_two_food_groups_is_flagged(canteen: Any, manager: Any) -> None:
    lunch(canteen, manager, MONDAY, [("米饭", "grains", 150), ("炒青菜", "vegetables", 170)])
    assert not week_menu(canteen, MONDAY)[0].enough_groups


def test_the_menu_page_adds_a_dish_and_prefills_todays_samples(client_for: Any, canteen: Any, manager: Any, vice: Any) -> None:
    url = reverse("canteen:menu", args=[canteen.pk, MONDAY.isoformat()])
    assert client_for(vice).post(url, {"day": "2026-11-25", "meal": "lunch", "name": "番茄炒蛋"}).status_code == 403
    response = client_for(manager).post(url, {"day": "2026-11-25", "meal": "lunch", "name": "番茄炒蛋", "group": "eggs", "grams": "30"})
    assert response.status_code == 302
    assert MenuDish.objects.get().grams == Decimal("30")
    refused = client_for(manager).post(url, {"day": "2099-01-01", "meal": "lunch", "name": "x"})
    assert refused.status_code == 400 and not MenuDish.objects.filter(day=dt.date(2099, 1, 1)).exists()
    page = client_for(vice).get(url).content.decode()
    assert 'data-menu-day="2026-11-25"' in page and "番茄炒蛋" in page
    day_page = client_for(manager).get(reverse("canteen:day", args=[canteen.pk, "2026-11-25"])).content.decode()
    assert 'data-sample-dish="番茄炒蛋"' in day_page
