"""Reads of the canteen app: scoped getters, the day view and the month grid.

Everything starts from the request's school: another school's canteen or record is a 404. The day
view and the month grid read a fixed number of queries however many records a term holds
(tests/canteen/test_queries.py pins them).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logistics.scoping import require_school

from canteen.models import (
    MEAL_ORDER,
    AccompaniedMeal,
    Additive,
    Canteen,
    ChecklistItem,
    DailyCheck,
    Delivery,
    DeliveryItem,
    DeliveryPhoto,
    Disinfection,
    Fridge,
    Meal,
    MenuDish,
    MorningCheck,
    RapidTest,
    Sample,
    Staff,
    Supplier,
)

SAMPLE_GRACE = dt.timedelta(hours=1)

# The record kinds a day is complete with, in the order the day view and the month grid show them.
KINDS: list[tuple[str, Any]] = [
    ("checks", _("Morning checks")),
    ("samples", _("Samples")),
    ("disinfection", _("Disinfection")),
    ("accompanied", _("Accompanied meal")),
    ("checklist", _("Daily checklist")),
]
KIND_LABELS = dict(KINDS)


def canteens_of(request: HttpRequest) -> QuerySet[Canteen]:
    require_school(request)
    return Canteen.objects.for_school(request.school).filter(is_active=True)


def get_canteen_for(request: HttpRequest, pk: int) -> Canteen:
    try:
        return canteens_of(request).select_related("school").get(pk=pk)
    except Canteen.DoesNotExist:
        raise Http404 from None


def records_of(request: HttpRequest, model: Any) -> QuerySet[Any]:
    require_school(request)
    return model.objects.for_school(request.school)


def get_record_for(request: HttpRequest, model: Any, pk: int) -> Any:
    try:
        return records_of(request, model).select_related("canteen__school", "created_by").get(pk=pk)
    except model.DoesNotExist:
        raise Http404 from None


def is_operating_day(day: dt.date) -> bool:
    """Monday to Friday (a weekend day with records counts as operated too)."""
    return day.weekday() < 5


# --- The day view ------------------------------------------------------------------------------------

@dataclass
class Slot:
    """One thing due on the day: a staff member's check, a meal's samples…"""

    key: str
    label: str
    done: list[Any] = field(default_factory=list)
    due_at: dt.datetime | None = None
    state: str = "later"  # done | due | missing | later
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class KindStatus:
    key: str
    label: Any
    slots: list[Slot]

    @property
    def done(self) -> int:
        return sum(1 for s in self.slots if s.state == "done")

    @property
    def total(self) -> int:
        return len(self.slots)

    @property
    def state(self) -> str:
        if not self.slots or self.done == self.total:
            return "done"
        if any(s.state == "missing" for s in self.slots):
            return "missing"
        if any(s.state == "due" for s in self.slots):
            return "due"
        return "later"


@dataclass
class DayView:
    canteen: Canteen
    day: dt.date
    meals: list[Meal]
    kinds: list[KindStatus]
    staff: list[Staff]
    fridges: list[Fridge]
    suppliers: list[Supplier]
    deliveries: list[Delivery]
    rapid_tests: list[RapidTest]
    checklist: list[ChecklistItem]
    daily_check: DailyCheck | None
    menu: dict[str, list[str]]
    open_feedback: list[AccompaniedMeal]
    additives: list[Additive] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return all(k.state == "done" for k in self.kinds)

    @property
    def missing_kinds(self) -> list[KindStatus]:
        return [k for k in self.kinds if k.state != "done"]

    def kind(self, key: str) -> KindStatus:
        return next(k for k in self.kinds if k.key == key)


def day_view(canteen: Canteen, day: dt.date, *, now: dt.datetime | None = None) -> DayView:
    """What is due, done and missing in `canteen` on `day`: 16 queries, whatever the records."""
    now = timezone.localtime(now or timezone.now())
    tz = timezone.get_current_timezone()

    def at(time: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, time, tzinfo=tz)

    meals = sorted(Meal.objects.filter(canteen=canteen, is_active=True), key=lambda m: (m.serves_at, MEAL_ORDER.get(m.kind, 9)))
    staff = list(Staff.objects.filter(canteen=canteen, is_active=True).order_by("-on_duty", "name"))
    checks = {c.staff_id: c for c in MorningCheck.objects.current().filter(canteen=canteen, day=day)}
    samples: dict[str, list[Sample]] = defaultdict(list)
    for s in Sample.objects.current().filter(canteen=canteen, day=day).select_related("fridge").order_by("recorded_at", "pk"):
        samples[s.meal].append(s)
    disinfections: dict[str, list[Disinfection]] = defaultdict(list)
    for d in Disinfection.objects.current().filter(canteen=canteen, day=day).order_by("recorded_at", "pk"):
        disinfections[d.meal].append(d)
    accompanied: dict[str, list[AccompaniedMeal]] = defaultdict(list)
    for a in AccompaniedMeal.objects.current().filter(canteen=canteen, day=day).order_by("recorded_at", "pk"):
        accompanied[a.meal].append(a)
    menu: dict[str, list[str]] = defaultdict(list)
    for dish in MenuDish.objects.filter(canteen=canteen, day=day).order_by("order", "pk"):
        menu[dish.meal].append(dish.name)
    daily_check = DailyCheck.objects.current().filter(canteen=canteen, day=day).first()
    past = day < now.date()
    end_of_day = at(dt.time(23, 59)) if not past else None

    check_slots = []
    for person in staff:
        if not person.on_duty and person.pk not in checks:
            continue
        done = checks.get(person.pk)
        slot = Slot(f"staff-{person.pk}", person.name, [done] if done else [], at(canteen.opens_at))
        slot.state = "done" if done else ("missing" if past or now >= slot.due_at else "due")
        slot.extra = {"staff": person, "certificate_valid": person.certificate_valid_on(day)}
        check_slots.append(slot)

    def meal_slots(records: dict[str, list[Any]], wanted: list[Meal]) -> list[Slot]:
        slots = []
        for meal in wanted:
            done = records.get(meal.kind, [])
            slot = Slot(meal.kind, str(meal.get_kind_display()), done, at(meal.serves_at))
            if done:
                slot.state = "done"
            elif past or now >= slot.due_at + SAMPLE_GRACE:
                slot.state = "missing"
            elif now >= slot.due_at - dt.timedelta(hours=2):
                slot.state = "due"
            slot.extra = {"meal": meal, "dishes": [d for d in menu.get(meal.kind, []) if d not in {getattr(s, "dish", None) for s in done}]}
            slots.append(slot)
        return slots

    checklist_slot = Slot("checklist", str(KIND_LABELS["checklist"]), [daily_check] if daily_check else [], end_of_day)
    checklist_slot.state = "done" if daily_check else ("missing" if past else "due")
    kinds = [
        KindStatus("checks", KIND_LABELS["checks"], check_slots),
        KindStatus("samples", KIND_LABELS["samples"], meal_slots(samples, meals)),
        KindStatus("disinfection", KIND_LABELS["disinfection"], meal_slots(disinfections, meals)),
        KindStatus("accompanied", KIND_LABELS["accompanied"], meal_slots(accompanied, [m for m in meals if m.accompanied])),
        KindStatus("checklist", KIND_LABELS["checklist"], [checklist_slot]),
    ]
    deliveries = list(
        Delivery.objects.current().filter(canteen=canteen, day=day).select_related("supplier")
        .prefetch_related(Prefetch("items", queryset=DeliveryItem.objects.order_by("pk")), Prefetch("photos", queryset=DeliveryPhoto.objects.order_by("pk")))
        .order_by("recorded_at", "pk")
    )
    rapid_tests = list(RapidTest.objects.current().filter(canteen=canteen, day=day).select_related("supplier").order_by("recorded_at", "pk"))
    from canteen.services.records import checklist_for

    checklist = checklist_for(canteen)
    open_feedback = list(AccompaniedMeal.objects.current().filter(canteen=canteen, feedback=AccompaniedMeal.Feedback.OPEN)
                         .order_by("day", "pk")[:10])
    return DayView(
        canteen=canteen, day=day, meals=meals, kinds=kinds, staff=staff,
        fridges=list(Fridge.objects.filter(canteen=canteen, is_active=True)),
        suppliers=list(Supplier.objects.for_school(canteen.school_id).filter(is_active=True).order_by("name")),
        deliveries=deliveries, rapid_tests=rapid_tests, checklist=checklist, daily_check=daily_check, menu=dict(menu),
        open_feedback=open_feedback,
        additives=list(Additive.objects.current().filter(canteen=canteen, day=day).order_by("recorded_at", "pk")),
    )


# --- The month grid ----------------------------------------------------------------------------------

GREEN, AMBER, RED, NONE = "green", "amber", "red", "none"


@dataclass
class GridDay:
    day: dt.date
    operating: bool
    cells: dict[str, str]  # kind → green | amber | red | none


def month_days(year: int, month: int) -> list[dt.date]:
    return [dt.date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1)]


def completion(canteens: list[Canteen] | QuerySet[Canteen], start: dt.date, end: dt.date) -> tuple[dict[tuple[int, dt.date, str], int], dict[tuple[int, str], int]]:
    """Done counts per (canteen, day, kind) and expected counts per (canteen, kind), in 7 queries.

    The expected morning checks are today's duty roster (the roster of a past day is not kept)."""
    ids = [c.pk for c in canteens]
    expected: dict[tuple[int, str], int] = defaultdict(int)
    accompanied_meals: dict[int, set[str]] = defaultdict(set)
    for row in Meal.objects.filter(canteen__in=ids, is_active=True).values("canteen_id", "kind", "accompanied"):
        expected[(row["canteen_id"], "samples")] += 1
        expected[(row["canteen_id"], "disinfection")] += 1
        if row["accompanied"]:
            expected[(row["canteen_id"], "accompanied")] += 1
            accompanied_meals[row["canteen_id"]].add(row["kind"])
    for row in Staff.objects.filter(canteen__in=ids, is_active=True, on_duty=True).values("canteen_id").annotate(n=Count("pk")).order_by():
        expected[(row["canteen_id"], "checks")] = row["n"]
    for cid in ids:
        expected[(cid, "checklist")] = 1
    done: dict[tuple[int, dt.date, str], int] = {}
    span = {"canteen__in": ids, "day__gte": start, "day__lte": end, "is_current": True}
    for kind, model, distinct in (("checks", MorningCheck, "staff"), ("samples", Sample, "meal"), ("disinfection", Disinfection, "meal"),
                                  ("checklist", DailyCheck, "pk")):
        for row in model.objects.filter(**span).values("canteen_id", "day").annotate(n=Count(distinct, distinct=True)).order_by():
            done[(row["canteen_id"], row["day"], kind)] = row["n"]
    for row in AccompaniedMeal.objects.filter(**span).values("canteen_id", "day", "meal").distinct().order_by():
        if row["meal"] in accompanied_meals[row["canteen_id"]]:
            key = (row["canteen_id"], row["day"], "accompanied")
            done[key] = done.get(key, 0) + 1
    return done, dict(expected)


def colour(done: int, expected: int) -> str:
    if expected == 0:
        return GREEN if done else NONE
    if done >= expected:
        return GREEN
    return AMBER if done else RED


def month_grid(canteen: Canteen, year: int, month: int, *, today: dt.date | None = None) -> list[GridDay]:
    today = today or timezone.localdate()
    days = month_days(year, month)
    done, expected = completion([canteen], days[0], days[-1])
    grid = []
    for day in days:
        any_record = any(done.get((canteen.pk, day, k)) for k, _label in KINDS)
        operating = (is_operating_day(day) or any_record) and day <= today
        cells = {}
        for key, _label in KINDS:
            if not operating:
                cells[key] = NONE
            elif day == today and not done.get((canteen.pk, day, key)):
                cells[key] = NONE if expected.get((canteen.pk, key), 0) == 0 else AMBER
            else:
                cells[key] = colour(done.get((canteen.pk, day, key), 0), expected.get((canteen.pk, key), 0))
        grid.append(GridDay(day, operating, cells))
    return grid


def day_colour(cells: dict[str, str]) -> str:
    values = set(cells.values()) - {NONE}
    if not values:
        return NONE
    if values == {GREEN}:
        return GREEN
    return RED if RED in values and GREEN not in values and AMBER not in values else AMBER


# --- Figures for the home card and the district column -------------------------------------------------

def certificates_expiring(school: Any, *, within_days: int = 30, today: dt.date | None = None) -> QuerySet[Staff]:
    today = today or timezone.localdate()
    return Staff.objects.for_school(school).filter(is_active=True, certificate_expires__lte=today + dt.timedelta(days=within_days))


def samples_to_destroy(school: Any, *, now: dt.datetime | None = None) -> QuerySet[Sample]:
    return Sample.objects.for_school(school).current().filter(status=Sample.Status.KEPT, expires_at__lte=now or timezone.now())


# --- The weekly review (周排查) and the monthly meeting (月调度): drafts from the records ------------------

@dataclass
class ReviewDraft:
    canteen: Canteen
    start: dt.date
    end: dt.date
    days: list[GridDay]
    completion: dict[str, float | None]
    anomalies: list[str]
    missed: list[str]
    signed: Any = None


def review_draft(canteen: Canteen, start: dt.date, end: dt.date, *, kind: str, today: dt.date | None = None) -> ReviewDraft:
    """The week's (or month's) completion by day and record kind, its anomalies and missed items, in a
    fixed number of queries; what the food-safety officer completes and signs."""
    from canteen.models import Event

    today = today or timezone.localdate()
    end = min(end, today)
    done, expected = completion([canteen], start, end)
    days, totals = [], {key: [0, 0] for key, _label in KINDS}
    missed: list[str] = []
    day = start
    while day <= end:
        any_record = any(done.get((canteen.pk, day, k)) for k, _label in KINDS)
        operating = is_operating_day(day) or any_record
        cells = {}
        for key, label in KINDS:
            want = expected.get((canteen.pk, key), 0) if operating else 0
            got = min(done.get((canteen.pk, day, key), 0), want)
            totals[key][0] += got
            totals[key][1] += want
            cells[key] = colour(got, want) if operating else NONE
            if want and got < want:
                missed.append(f"{day:%m-%d} {label} {got}/{want}")
        days.append(GridDay(day, operating, cells))
        day += dt.timedelta(days=1)
    span = {"canteen": canteen, "day__gte": start, "day__lte": end, "is_current": True}
    anomalies = [f"{c.day:%m-%d} 晨检 {c.staff.name} {c.temperature}℃ 调离" for c in
                 MorningCheck.objects.filter(**span, decision=MorningCheck.Decision.OFF_DUTY).select_related("staff").order_by("day")]
    anomalies += [f"{d.day:%m-%d} 消毒参数不达标（{d.get_method_display()}）" for d in Disinfection.objects.filter(**span, out_of_range=True).order_by("day")]
    anomalies += [f"{t.day:%m-%d} 农残快检阳性 {t.sample_name} {t.inhibition}%" for t in RapidTest.objects.filter(**span, positive=True).order_by("day")]
    anomalies += [f"{d.day:%m-%d} 拒收 {d.supplier.name}：{d.rejection_reason}" for d in
                  Delivery.objects.filter(**span, status=Delivery.Status.REJECTED).select_related("supplier").order_by("day")]
    anomalies += [f"{c.day:%m-%d} 每日检查发现问题：{c.problems}" for c in DailyCheck.objects.filter(**span, all_ok=False).order_by("day")]
    signed = Event.objects.filter(canteen=canteen, kind=kind, day__gte=start, day__lte=max(end, start)).first()
    return ReviewDraft(canteen, start, end, days, {k: rate_of(*totals[k]) for k in totals}, anomalies, missed, signed)


def rate_of(done: int, want: int) -> float | None:
    return round(100 * done / want, 1) if want else None
