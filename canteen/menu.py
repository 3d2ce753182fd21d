"""The weekly menu (带量食谱) checked against WS/T 554-2017《学生餐营养指南》.

Lunch, grams per student, the 12–14 岁 column (the only column shipped; the other age bands are to be
added from the standard's table before a primary school or a kindergarten uses the check). Each meal
should hold at least three of the four food groups (cereals; vegetables and fruit; meat, fish and
eggs; milk, soy and nuts).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from canteen.models import Canteen, FoodGroup, MealKind, MenuDish

# WS/T 554-2017, 午餐, 12–14 岁: (low, high) grams per student.
LUNCH_12_14: dict[str, tuple[int, int]] = {
    FoodGroup.GRAINS: (140, 160), FoodGroup.VEGETABLES: (160, 180), FoodGroup.FRUIT: (100, 120), FoodGroup.MEAT: (20, 24),
    FoodGroup.FISH: (20, 24), FoodGroup.EGGS: (30, 30), FoodGroup.MILK: (100, 100), FoodGroup.SOY: (40, 40), FoodGroup.OIL: (10, 10),
    FoodGroup.SALT: (2, 2),
}
FOUR_GROUPS = {
    "grains": {FoodGroup.GRAINS},
    "vegetables_fruit": {FoodGroup.VEGETABLES, FoodGroup.FRUIT},
    "animal": {FoodGroup.MEAT, FoodGroup.FISH, FoodGroup.EGGS},
    "milk_soy": {FoodGroup.MILK, FoodGroup.SOY},
}


@dataclass
class GroupCheck:
    group: str
    label: str
    grams: Decimal
    low: int
    high: int

    @property
    def verdict(self) -> str:
        if self.grams < self.low:
            return "low"
        return "high" if self.grams > self.high else "ok"


@dataclass
class DayMenu:
    day: dt.date
    meals: dict[str, list[MenuDish]] = field(default_factory=dict)
    checks: list[GroupCheck] = field(default_factory=list)
    groups_present: int = 0

    @property
    def enough_groups(self) -> bool:
        return self.groups_present >= 3


def week_menu(canteen: Canteen, monday: dt.date) -> list[DayMenu]:
    """Monday to Friday: each meal's dishes, and lunch's grams per food group against WS/T 554 (one query)."""
    days = {monday + dt.timedelta(days=i): DayMenu(monday + dt.timedelta(days=i)) for i in range(5)}
    totals: dict[dt.date, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for dish in MenuDish.objects.filter(canteen=canteen, day__in=list(days)).order_by("day", "meal", "order", "pk"):
        days[dish.day].meals.setdefault(dish.meal, []).append(dish)
        if dish.meal == MealKind.LUNCH and dish.group and dish.grams is not None:
            totals[dish.day][dish.group] += dish.grams
    labels = dict(FoodGroup.choices)
    for day, menu in days.items():
        if MealKind.LUNCH not in menu.meals:
            continue
        got = totals[day]
        menu.checks = [GroupCheck(g, str(labels[g]), got.get(g, Decimal(0)), low, high) for g, (low, high) in LUNCH_12_14.items()]
        lunch_groups = {d.group for d in menu.meals[MealKind.LUNCH] if d.group}
        menu.groups_present = sum(1 for members in FOUR_GROUPS.values() if members & lunch_groups)
    return list(days.values())


def summary(menus: list[DayMenu]) -> dict[str, Any]:
    checked = [c for m in menus for c in m.checks]
    return {"low": sum(1 for c in checked if c.verdict == "low"), "high": sum(1 for c in checked if c.verdict == "high"),
            "short_of_groups": sum(1 for m in menus if m.checks and not m.enough_groups)}
