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
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.db import connection
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logistics.options import move_on, option_list, options, watch
from logistics.scoping import require_school

from canteen.models import (
    MEAL_ORDER,
    Method,
    Rating,
    Supplier,
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
    staff: list[Any]  # rows of the day's statement (`_day_sql`), not model instances: pk and what the page shows
    fridges: list[Fridge]
    deliveries: list[Any]
    rapid_tests: list[Any]
    checklist: list[ChecklistItem]
    daily_check: Any
    menu: dict[str, list[str]]
    open_feedback: list[Any]
    additives: list[Any] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return all(k.state == "done" for k in self.kinds)

    @property
    def missing_kinds(self) -> list[KindStatus]:
        return [k for k in self.kinds if k.state != "done"]

    def kind(self, key: str) -> KindStatus:
        return next(k for k in self.kinds if k.key == key)


@dataclass
class CanteenSetup:
    """What a canteen's day is drawn from that changes a few times a term: its meals, sample fridges and
    the school's daily checklist. (Not the staff: the duty roster is set with `update()`, which sends
    no signal to forget a kept list; one query reads them.)"""

    canteen: Canteen | None = None
    meals: list[Meal] = field(default_factory=list)
    fridges: list[Fridge] = field(default_factory=list)
    checklist: list[ChecklistItem] = field(default_factory=list)


class _SchoolRef:
    """`options()` needs only the school's pk: no query for a canteen whose school is not loaded."""

    def __init__(self, pk: int) -> None:
        self.pk = pk


@option_list("canteen.setup", depends_on=[Canteen, Meal, Fridge, ChecklistItem])
def _setups(school_id: int) -> dict[int, CanteenSetup]:
    """{canteen id: its set-up} for a school's canteens, in 5 queries; kept in the cache and
    forgotten as soon as a canteen, meal, fridge or checklist item of the school is saved or deleted."""
    from canteen.catalogue import install
    from logistics.models import School

    canteens = {c.pk: c for c in Canteen.objects.filter(school_id=school_id).order_by()}
    if not canteens:
        return {}
    if not ChecklistItem.objects.filter(school_id=school_id).exists():
        install(School.objects.get(pk=school_id))
    setups = {pk: CanteenSetup(canteen=c) for pk, c in canteens.items()}
    for meal in sorted(Meal.objects.filter(canteen_id__in=canteens, is_active=True), key=lambda m: (m.serves_at, MEAL_ORDER.get(m.kind, 9))):
        setups[meal.canteen_id].meals.append(meal)
    for fridge in Fridge.objects.filter(canteen_id__in=canteens, is_active=True).order_by("pk"):
        setups[fridge.canteen_id].fridges.append(fridge)
    items = list(ChecklistItem.objects.filter(school_id=school_id, is_active=True).order_by("for_kindergarten", "order", "pk"))
    for pk, canteen in canteens.items():
        setups[pk].checklist = items if canteen.is_kindergarten else [i for i in items if not i.for_kindergarten]
    return setups


def kept_canteen_for(request: HttpRequest, pk: int) -> tuple[Canteen, CanteenSetup]:
    """`get_canteen_for` from the cache (the day page, opened on every phone every morning): the
    school's canteen as kept with its set-up, 404 for another school's or one out of use."""
    require_school(request)
    setup = options("canteen.setup", request.school).get(pk)
    if setup is None or setup.canteen is None or not setup.canteen.is_active:
        raise Http404
    return setup.canteen, setup


def setup_of(canteen: Canteen) -> CanteenSetup:
    return options("canteen.setup", _SchoolRef(canteen.school_id)).get(canteen.pk) or CanteenSetup()


def _day_sql() -> str:
    """One statement for everything the day page shows of a canteen's day, every record kind at once.

    The page a kitchen phone opens every morning is read with one statement instead of a dozen
    querysets: the ORM's compiling and model building cost ~1 ms a queryset, ten times what SQLite or
    PostgreSQL take to answer (bench/canteen.py). Each row is (kind, id, meal, a, b, c, n, flag, ref, at, pos):

    | kind        | a            | b          | c              | n           | flag         | ref          |
    | staff       | name         | post       | photo          |             | on duty      | certificate valid on the day (1/0) |
    | check       | decision     |            |                | temperature |              | staff id     |
    | sample      | dish         | fridge     |                | grams       |              |              |
    | disinfection| method       |            |                |             | out of range |              |
    | accompanied | person       | taste      |                |             |              |              |
    | feedback    | person       | day        |                |             |              |              |  (open parents' opinions, any day)
    | menu        | dish         |            |                |             |              |              |  (pos: the menu's order)
    | checklist   | problems     |            |                |             | all ok       |              |
    | delivery    | supplier     | status     |                |             |              |              |
    | item        | name         | unit       |                | quantity    |              | delivery id  |
    | photo       |              |            |                |             |              | delivery id  |
    | rapid       | sample name  |            |                | inhibition  | positive     |              |
    | additive    | name         | dish       |                | grams       |              |              |
    """
    t = {m.__name__: m._meta.db_table for m in (Staff, MorningCheck, Sample, Fridge, Disinfection, AccompaniedMeal, MenuDish, DailyCheck,
                                                 Delivery, DeliveryItem, DeliveryPhoto, Supplier, RapidTest, Additive)}
    day = "x.canteen_id = %(canteen)s AND x.day = %(day)s AND x.is_current = %(yes)s"
    return " UNION ALL ".join([
        f"SELECT 'staff' AS kind, x.id, NULL AS meal, x.name AS a, x.post AS b, x.photo AS c, NULL AS n, x.on_duty AS flag, "
        f"CASE WHEN x.certificate_no <> '' AND x.certificate_expires >= %(day)s THEN 1 ELSE 0 END AS ref, NULL AS at, 0 AS pos "
        f"FROM {t['Staff']} x WHERE x.canteen_id = %(canteen)s AND x.is_active = %(yes)s",
        f"SELECT 'check', x.id, NULL, x.decision, NULL, NULL, x.temperature, NULL, x.staff_id, x.recorded_at, 0 FROM {t['MorningCheck']} x WHERE {day}",
        f"SELECT 'sample', x.id, x.meal, x.dish, f.name, NULL, x.grams, NULL, NULL, x.recorded_at, 0 FROM {t['Sample']} x "
        f"LEFT JOIN {t['Fridge']} f ON f.id = x.fridge_id WHERE {day}",
        f"SELECT 'disinfection', x.id, x.meal, x.method, NULL, NULL, NULL, x.out_of_range, NULL, x.recorded_at, 0 FROM {t['Disinfection']} x WHERE {day}",
        f"SELECT 'accompanied', x.id, x.meal, x.person, x.taste, NULL, NULL, NULL, NULL, x.recorded_at, 0 FROM {t['AccompaniedMeal']} x WHERE {day}",
        f"SELECT 'menu', x.id, x.meal, x.name, NULL, NULL, NULL, NULL, NULL, NULL, x.{connection.ops.quote_name(MenuDish._meta.get_field('order').column)} "
        f"FROM {t['MenuDish']} x WHERE x.canteen_id = %(canteen)s AND x.day = %(day)s",
        f"SELECT 'checklist', x.id, NULL, x.problems, NULL, NULL, NULL, x.all_ok, NULL, x.recorded_at, 0 FROM {t['DailyCheck']} x WHERE {day}",
        f"SELECT 'delivery', x.id, NULL, s.name, x.status, NULL, NULL, NULL, NULL, x.recorded_at, 0 FROM {t['Delivery']} x "
        f"JOIN {t['Supplier']} s ON s.id = x.supplier_id WHERE {day}",
        f"SELECT 'item', i.id, NULL, i.name, i.unit, NULL, i.quantity, NULL, i.delivery_id, NULL, 0 FROM {t['DeliveryItem']} i "
        f"JOIN {t['Delivery']} x ON x.id = i.delivery_id WHERE {day}",
        f"SELECT 'photo', p.id, NULL, NULL, NULL, NULL, NULL, NULL, p.delivery_id, NULL, 0 FROM {t['DeliveryPhoto']} p "
        f"JOIN {t['Delivery']} x ON x.id = p.delivery_id WHERE {day}",
        f"SELECT 'rapid', x.id, NULL, x.sample_name, NULL, NULL, x.inhibition, x.positive, NULL, x.recorded_at, 0 FROM {t['RapidTest']} x WHERE {day}",
        f"SELECT 'additive', x.id, NULL, x.name, x.dish, NULL, x.grams, NULL, NULL, x.recorded_at, 0 FROM {t['Additive']} x WHERE {day}",
        # A sub-select's NULLs get no type from the others (PostgreSQL makes them text): typed here.
        f"SELECT * FROM (SELECT 'feedback', x.id, x.meal, x.person, {_day_text('x.day')}, CAST(NULL AS TEXT), CAST(NULL AS NUMERIC), "
        f"CAST(NULL AS BOOLEAN), CAST(NULL AS INTEGER), x.recorded_at, 0 FROM {t['AccompaniedMeal']} x "
        f"WHERE x.canteen_id = %(canteen)s AND x.is_current = %(yes)s AND x.feedback = %(open)s ORDER BY x.day, x.id LIMIT 10) open_feedback",
    ]) + " ORDER BY 1, 10, 11, 2"


def _day_text(column: str) -> str:
    return f"CAST({column} AS TEXT)" if connection.vendor != "postgresql" else f"TO_CHAR({column}, 'YYYY-MM-DD')"


def _decimal(value: Any, places: str) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal(places))


def day_view(canteen: Canteen, day: dt.date, *, now: dt.datetime | None = None, setup: CanteenSetup | None = None) -> DayView:
    """What is due, done and missing in `canteen` on `day`: one query whatever the records (the meals,
    fridges and checklist come from the cache; 5 more when they are read again)."""
    now = timezone.localtime(now or timezone.now())
    tz = timezone.get_current_timezone()

    def at(time: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, time, tzinfo=tz)

    setup = setup or setup_of(canteen)
    meals = setup.meals
    rows: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(_day_sql(), {"canteen": canteen.pk, "day": day, "yes": True, "open": AccompaniedMeal.Feedback.OPEN})
        for row in cursor.fetchall():
            rows[row[0]].append(row)

    decisions, methods, ratings = dict(MorningCheck.Decision.choices), dict(Method.choices), dict(Rating.choices)
    statuses = dict(Delivery.Status.choices)
    staff = [SimpleNamespace(pk=r[1], name=r[3], post=r[4], photo=r[5] or "", on_duty=bool(r[7]), certificate_valid=bool(r[8]))
             for r in sorted(rows["staff"], key=lambda r: (not r[7], r[3], r[1]))]
    checks = {r[8]: SimpleNamespace(pk=r[1], decision=r[3], decision_label=decisions.get(r[3], r[3]), temperature=_decimal(r[6], "0.1"))
              for r in rows["check"]}
    by_meal: dict[str, dict[str, list[Any]]] = {kind: defaultdict(list) for kind in ("sample", "disinfection", "accompanied", "menu")}
    for r in rows["sample"]:
        by_meal["sample"][r[2]].append(SimpleNamespace(pk=r[1], dish=r[3], fridge=r[4] or "", grams=r[6]))
    for r in rows["disinfection"]:
        by_meal["disinfection"][r[2]].append(SimpleNamespace(pk=r[1], method=r[3], method_label=methods.get(r[3], r[3]), out_of_range=bool(r[7])))
    for r in rows["accompanied"]:
        by_meal["accompanied"][r[2]].append(SimpleNamespace(pk=r[1], person=r[3], taste=r[4], taste_label=ratings.get(r[4], r[4])))
    menu: dict[str, list[str]] = defaultdict(list)
    for r in rows["menu"]:
        menu[r[2]].append(r[3])
    daily_check = next((SimpleNamespace(pk=r[1], problems=r[3] or "", all_ok=bool(r[7])) for r in rows["checklist"]), None)
    items: dict[int, list[Any]] = defaultdict(list)
    for r in rows["item"]:
        items[r[8]].append(SimpleNamespace(pk=r[1], name=r[3], unit=r[4], quantity=_decimal(r[6], "0.01")))
    photos: dict[int, list[int]] = defaultdict(list)
    for r in rows["photo"]:
        photos[r[8]].append(r[1])
    deliveries = [SimpleNamespace(pk=r[1], supplier=r[3], status=r[4], status_label=statuses.get(r[4], r[4]), items=items[r[1]], photos=photos[r[1]])
                  for r in rows["delivery"]]
    rapid_tests = [SimpleNamespace(pk=r[1], sample_name=r[3], inhibition=_decimal(r[6], "0.01"), positive=bool(r[7])) for r in rows["rapid"]]
    additives = [SimpleNamespace(pk=r[1], name=r[3], dish=r[4], grams=_decimal(r[6], "0.01")) for r in rows["additive"]]
    open_feedback = [SimpleNamespace(pk=r[1], person=r[3], day=dt.date.fromisoformat(str(r[4])[:10])) for r in rows["feedback"]]

    past = day < now.date()
    end_of_day = at(dt.time(23, 59)) if not past else None
    check_slots = []
    opens_at = at(canteen.opens_at)
    for person in staff:
        if not person.on_duty and person.pk not in checks:
            continue
        done = checks.get(person.pk)
        slot = Slot(f"staff-{person.pk}", person.name, [done] if done else [], opens_at)
        slot.state = "done" if done else ("missing" if past or now >= opens_at else "due")
        slot.extra = {"staff": person, "certificate_valid": person.certificate_valid}
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
            kept = {getattr(s, "dish", None) for s in done}
            slot.extra = {"meal": meal, "dishes": [d for d in menu.get(meal.kind, []) if d not in kept]}
            slots.append(slot)
        return slots

    checklist_slot = Slot("checklist", str(KIND_LABELS["checklist"]), [daily_check] if daily_check else [], end_of_day)
    checklist_slot.state = "done" if daily_check else ("missing" if past else "due")
    kinds = [
        KindStatus("checks", KIND_LABELS["checks"], check_slots),
        KindStatus("samples", KIND_LABELS["samples"], meal_slots(by_meal["sample"], meals)),
        KindStatus("disinfection", KIND_LABELS["disinfection"], meal_slots(by_meal["disinfection"], meals)),
        KindStatus("accompanied", KIND_LABELS["accompanied"], meal_slots(by_meal["accompanied"], [m for m in meals if m.accompanied])),
        KindStatus("checklist", KIND_LABELS["checklist"], [checklist_slot]),
    ]
    return DayView(
        canteen=canteen, day=day, meals=meals, kinds=kinds, staff=staff, fridges=setup.fridges,
        deliveries=deliveries, rapid_tests=rapid_tests, checklist=setup.checklist, daily_check=daily_check, menu=dict(menu),
        open_feedback=open_feedback, additives=additives,
    )


DAY_PAGE = "canteen.day"  # the generation of a school's kept day pages (canteen.views.day)


def watch_day_pages() -> None:
    """A school's kept day pages are drawn again once anything they show is saved (canteen.apps)."""
    watch(DAY_PAGE, [Canteen, Meal, Fridge, Staff, Supplier, MenuDish, ChecklistItem, Sample, MorningCheck, Delivery, DeliveryItem,
                     DeliveryPhoto, RapidTest, Disinfection, AccompaniedMeal, DailyCheck, Additive], per_school=True)


def day_pages_changed(school: Any) -> None:
    """A change the signals do not see (an update()) to what the day pages show."""
    move_on(f"{DAY_PAGE}:{getattr(school, 'pk', school)}")


def day_moments(canteen: Canteen, setup: CanteenSetup, day: dt.date) -> tuple[dt.datetime, ...]:
    """The moments of `day` at which `day_view`'s states change, and nowhere else: the opening time,
    each meal's "due" and "missing" times."""
    tz = timezone.get_current_timezone()
    meals = [dt.datetime.combine(day, meal.serves_at, tzinfo=tz) for meal in setup.meals]
    return (dt.datetime.combine(day, canteen.opens_at, tzinfo=tz), *(m - dt.timedelta(hours=2) for m in meals),
            *(m + SAMPLE_GRACE for m in meals))


def phase_at(moments: tuple[dt.datetime, ...], day: dt.date, *, now: dt.datetime | None = None) -> str:
    """Which of the day's moments have passed by `now`: "past" for an earlier day, else how many. With
    the records and the day, all that the day page depends on (canteen.views)."""
    now = timezone.localtime(now or timezone.now())
    return "past" if day < now.date() else str(sum(now >= moment for moment in moments))


def day_phase(canteen: Canteen, setup: CanteenSetup, day: dt.date, *, now: dt.datetime | None = None) -> str:
    return phase_at(day_moments(canteen, setup, day), day, now=now)


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
