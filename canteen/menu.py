"""The weekly menu (带量食谱) checked against WS/T 554-2017《学生餐营养指南》.

Lunch, grams per student, in the column of the canteen's age band (`Canteen.menu_band`: 6–8, 9–11,
12–14 or 15–17 岁). A kindergarten canteen has no band: WS/T 554 covers pupils of 6 to 17, and the
page says the check does not apply. Each meal should hold at least three of the four food groups
(cereals; vegetables and fruit; meat, fish and eggs; milk, soy and nuts).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from canteen.models import AgeBand, Canteen, FoodGroup, MealKind, MenuDish

Range = tuple[Decimal, Decimal]


def _column(grains: Range, vegetables: Range, fruit: Range, meat: Range, fish: Range, eggs: int, milk: int, soy: int, oil: int,
            salt: str) -> dict[str, Range]:
    def one(value: Any) -> Range:
        return (Decimal(value), Decimal(value))

    return {FoodGroup.GRAINS: grains, FoodGroup.VEGETABLES: vegetables, FoodGroup.FRUIT: fruit, FoodGroup.MEAT: meat, FoodGroup.FISH: fish,
            FoodGroup.EGGS: one(eggs), FoodGroup.MILK: one(milk), FoodGroup.SOY: one(soy), FoodGroup.OIL: one(oil), FoodGroup.SALT: one(salt)}


def _r(low: int, high: int) -> Range:
    return (Decimal(low), Decimal(high))


# WS/T 554-2017《学生餐营养指南》, the table 每人每天午餐、晚餐的食物种类及数量 (g per student per meal), one
# column per age band: 谷薯类, 蔬菜类, 水果类, 畜禽肉类, 鱼虾类, 蛋类, 奶及奶制品, 大豆类及其制品和坚果, 植物油, 盐.
# The 12–14 岁 column is the one in ../shared/DOMAIN.md; the others are read from the same table.
LUNCH: dict[str, dict[str, Range]] = {
    AgeBand.AGE_6_8: _column(_r(100, 120), _r(120, 140), _r(60, 80), _r(12, 16), _r(12, 16), 20, 80, 30, 10, "2"),
    AgeBand.AGE_9_11: _column(_r(120, 140), _r(140, 160), _r(80, 100), _r(16, 20), _r(16, 20), 20, 80, 35, 10, "2"),
    AgeBand.AGE_12_14: _column(_r(140, 160), _r(160, 180), _r(100, 120), _r(20, 24), _r(20, 24), 30, 100, 40, 10, "2"),
    AgeBand.AGE_15_17: _column(_r(140, 160), _r(180, 200), _r(120, 140), _r(24, 28), _r(20, 24), 30, 100, 50, 15, "2.5"),
}
LUNCH_12_14 = LUNCH[AgeBand.AGE_12_14]


def lunch_ranges(canteen: Canteen) -> dict[str, Range] | None:
    """The canteen's lunch column, or None where no WS/T 554 band applies (a kindergarten)."""
    if canteen.is_kindergarten:
        return None
    return LUNCH.get(canteen.menu_band)

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
    low: Decimal
    high: Decimal

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
    """Monday to Friday: each meal's dishes, and lunch's grams per food group against the canteen's
    WS/T 554 column, none where no band applies (one query)."""
    days = {monday + dt.timedelta(days=i): DayMenu(monday + dt.timedelta(days=i)) for i in range(5)}
    totals: dict[dt.date, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for dish in MenuDish.objects.filter(canteen=canteen, day__in=list(days)).order_by("day", "meal", "order", "pk"):
        days[dish.day].meals.setdefault(dish.meal, []).append(dish)
        if dish.meal == MealKind.LUNCH and dish.group and dish.grams is not None:
            totals[dish.day][dish.group] += dish.grams
    labels = dict(FoodGroup.choices)
    ranges = lunch_ranges(canteen)
    for day, menu in days.items():
        if MealKind.LUNCH not in menu.meals or ranges is None:
            continue
        got = totals[day]
        menu.checks = [GroupCheck(g, str(labels[g]), got.get(g, Decimal(0)), low, high) for g, (low, high) in ranges.items()]
        lunch_groups = {d.group for d in menu.meals[MealKind.LUNCH] if d.group}
        menu.groups_present = sum(1 for members in FOUR_GROUPS.values() if members & lunch_groups)
    return list(days.values())


def summary(menus: list[DayMenu]) -> dict[str, Any]:
    checked = [c for m in menus for c in m.checks]
    return {"low": sum(1 for c in checked if c.verdict == "low"), "high": sum(1 for c in checked if c.verdict == "high"),
            "short_of_groups": sum(1 for m in menus if m.checks and not m.enough_groups)}
