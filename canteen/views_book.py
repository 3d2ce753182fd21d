"""Printable pages: the monthly book (月度台账) of a canteen and the weekly menu for parents.

The book holds every record kind of the month in the order and columns of the paper registers
inspectors leaf through (留样, 晨检, 进货查验, 农残快检, 餐具消毒, 陪餐, 日管控, 食品添加剂, 周排查, 月调度),
one kind per A4 page run, with the school, canteen and month on each and the signature lines of the
food-safety officer and the principal. An operating day with no record of a daily kind is printed as
a "not recorded" row, so a gap is seen, not hidden. It reads a fixed number of queries however
many records the month holds (tests/canteen/test_book.py pins them).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from logistics.permissions import permission_required

from canteen.models import (
    MEAL_ORDER,
    AccompaniedMeal,
    Additive,
    DailyCheck,
    Delivery,
    DeliveryItem,
    Disinfection,
    Event,
    Meal,
    MealKind,
    MorningCheck,
    RapidTest,
    Sample,
    Staff,
)
from canteen.selectors import get_canteen_for, is_operating_day, month_days


@dataclass
class BookDay:
    """One day of a daily kind: its records, or nothing on an operating day (printed as missing)."""

    day: dt.date
    records: list[Any]
    missing: bool


@dataclass
class BookPart:
    key: str
    title: Promise
    records: list[Any] = field(default_factory=list)
    days: list[BookDay] = field(default_factory=list)  # the daily kinds only
    missing_days: int = 0

    @property
    def count(self) -> int:
        return len(self.records)


TITLES = {
    "samples": gettext_lazy("Food sample retention record"),
    "checks": gettext_lazy("Staff morning health check record"),
    "deliveries": gettext_lazy("Incoming food inspection record"),
    "rapid": gettext_lazy("Pesticide residue rapid test record"),
    "disinfection": gettext_lazy("Tableware cleaning and disinfection record"),
    "accompanied": gettext_lazy("Accompanied meal record"),
    "checklist": gettext_lazy("Daily food safety inspection record"),
    "additives": gettext_lazy("Food additive use record"),
    "weekly": gettext_lazy("Weekly food safety review report"),
    "monthly": gettext_lazy("Monthly food safety meeting minutes"),
}
DAILY = ("samples", "checks", "disinfection", "accompanied", "checklist")


def month_book(canteen: Any, year: int, month: int, *, today: dt.date | None = None) -> dict[str, Any]:
    """Every record of `canteen` in the month, by kind, with the operating days lacking a daily kind."""
    today = today or timezone.localdate()
    days = month_days(year, month)
    span = {"canteen": canteen, "day__gte": days[0], "day__lte": days[-1], "is_current": True}
    parts = {key: BookPart(key, title) for key, title in TITLES.items()}
    parts["samples"].records = list(Sample.objects.filter(**span).select_related("fridge", "created_by", "destroyed_by")
                                    .order_by("day", "recorded_at", "pk"))
    parts["checks"].records = list(MorningCheck.objects.filter(**span).select_related("staff", "created_by").order_by("day", "staff__name", "pk"))
    parts["deliveries"].records = list(Delivery.objects.filter(**span).select_related("supplier", "created_by").order_by("day", "recorded_at", "pk"))
    # The items in one query of their own, run even for a month without deliveries (a prefetch would not be).
    items: dict[int, list[DeliveryItem]] = defaultdict(list)
    for item in DeliveryItem.objects.filter(**{f"delivery__{k}": v for k, v in span.items()}).order_by("pk"):
        items[item.delivery_id].append(item)
    for delivery in parts["deliveries"].records:
        delivery.book_items = items.get(delivery.pk, [])
    parts["rapid"].records = list(RapidTest.objects.filter(**span).select_related("supplier", "created_by").order_by("day", "recorded_at", "pk"))
    parts["disinfection"].records = list(Disinfection.objects.filter(**span).select_related("created_by").order_by("day", "recorded_at", "pk"))
    parts["accompanied"].records = list(AccompaniedMeal.objects.filter(**span).select_related("created_by").order_by("day", "recorded_at", "pk"))
    parts["checklist"].records = list(DailyCheck.objects.filter(**span).select_related("created_by").order_by("day", "pk"))
    parts["additives"].records = list(Additive.objects.filter(**span).select_related("created_by").order_by("day", "recorded_at", "pk"))
    events = list(Event.objects.filter(canteen=canteen, day__gte=days[0], day__lte=days[-1] + dt.timedelta(days=6),
                                       kind__in=[Event.Kind.WEEKLY_REVIEW, Event.Kind.MONTHLY_MEETING])
                  .select_related("created_by").order_by("day", "pk"))
    # A week's review is dated its Sunday (or the day it was signed): the weeks that began in the month.
    parts["weekly"].records = [e for e in events if e.kind == Event.Kind.WEEKLY_REVIEW
                               and days[0] <= e.day - dt.timedelta(days=e.day.weekday()) <= days[-1]]
    parts["monthly"].records = [e for e in events if e.kind == Event.Kind.MONTHLY_MEETING and e.day <= days[-1]]

    meals = sorted(Meal.objects.filter(canteen=canteen, is_active=True), key=lambda m: (m.serves_at, MEAL_ORDER.get(m.kind, 9)))
    on_duty = Staff.objects.filter(canteen=canteen, is_active=True, on_duty=True).count()
    expected = {"samples": bool(meals), "disinfection": bool(meals), "accompanied": any(m.accompanied for m in meals),
                "checks": bool(on_duty), "checklist": True}
    by_day: dict[str, dict[dt.date, list[Any]]] = {key: defaultdict(list) for key in DAILY}
    for key in DAILY:
        for record in parts[key].records:
            by_day[key][record.day].append(record)
    recorded_days = {d for key in DAILY for d in by_day[key]} | {r.day for key in ("deliveries", "rapid", "additives") for r in parts[key].records}
    operating = [d for d in days if d <= today and (is_operating_day(d) or d in recorded_days)]
    for key in DAILY:
        part = parts[key]
        part.days = [BookDay(d, by_day[key].get(d, []), expected[key] and not by_day[key].get(d) and d < today) for d in operating]
        part.missing_days = sum(1 for d in part.days if d.missing)
    # 周排查: one signed review per week that started in the month and has ended (Monday to Sunday).
    mondays = [d for d in days if d.weekday() == 0 and d + dt.timedelta(days=6) < today]
    reviewed = {e.day - dt.timedelta(days=e.day.weekday()) for e in parts["weekly"].records}
    weeks_missing = [m for m in mondays if m not in reviewed]
    parts["weekly"].missing_days = len(weeks_missing)
    parts["monthly"].missing_days = 0 if parts["monthly"].records or days[-1] >= today else 1
    return {"parts": parts, "order": list(TITLES), "operating_days": len(operating), "weeks_missing": weeks_missing,
            "meals": meals, "first": days[0], "last": days[-1]}


@permission_required("canteen.view_canteen")
def book(request: HttpRequest, pk: int, year: int, month: int) -> HttpResponse:
    canteen = get_canteen_for(request, pk)
    if not (2000 <= year <= 2100 and 1 <= month <= 12) or dt.date(year, month, 1) > timezone.localdate():
        raise Http404
    data = month_book(canteen, year, month)
    parts = data["parts"]
    return render(request, "canteen/book.html", {
        "canteen": canteen, "school": canteen.school, **data, "printed_on": timezone.localdate(),
        "samples": parts["samples"], "checks": parts["checks"], "deliveries": parts["deliveries"], "rapid": parts["rapid"],
        "disinfection": parts["disinfection"], "accompanied": parts["accompanied"], "checklist": parts["checklist"],
        "additives": parts["additives"], "weekly": parts["weekly"], "monthly": parts["monthly"],
        "summary": [parts[key] for key in data["order"]],
    })


# --- The weekly menu for parents -----------------------------------------------------------------------

@permission_required("canteen.view_canteen")
def menu_print(request: HttpRequest, pk: int, day: str) -> HttpResponse:
    """One A4 page: the week's dishes by day and meal, without grams (what parents are shown)."""
    from canteen.menu import week_menu

    canteen = get_canteen_for(request, pk)
    try:
        when = dt.date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    monday = when - dt.timedelta(days=when.weekday())
    menus = week_menu(canteen, monday)
    kinds = sorted({meal for m in menus for meal in m.meals}, key=lambda k: MEAL_ORDER.get(k, 9))
    labels = dict(MealKind.choices)
    rows = [(labels[k], [m.meals.get(k, []) for m in menus]) for k in kinds]
    return render(request, "canteen/book_menu.html", {
        "canteen": canteen, "school": canteen.school, "menus": menus, "rows": rows, "monday": monday, "friday": monday + dt.timedelta(days=4),
    })
