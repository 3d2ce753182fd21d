"""Reads of campus safety: who sees which hazard, the rounds due today and those missed, figures.

Visibility (the one place that decides it): people with `safety.view_all_hazards` (the safety office,
the logistics office, the principal and vice principal, the district viewer) see every hazard of the
current school; everyone else the hazards they reported or answer for. Another school's records are
never in the queryset, so they are a 404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from logistics.models import Building, Term
from logistics.permissions import can
from logistics.scoping import require_school

from safety.models import (
    OPEN_HAZARD_STATUSES,
    UNFIXED_STATUSES,
    Coverage,
    Frequency,
    Grade,
    Hazard,
    InspectionTemplate,
    Round,
    RoundStatus,
)

HAZARD_RELATED = ("building", "room", "responsible", "found_by")
HAZARD_ORDER = ("-found_on", "-id")
ROUND_RELATED = ("template", "building", "inspector")
ROUND_ORDER = ("-day", "-started_at", "-id")


def hazards_visible_to(*, user: Any, school: Any) -> QuerySet[Hazard]:
    qs = Hazard.objects.for_school(school)
    if can(user, school, "safety.view_all_hazards"):
        return qs
    return qs.filter(Q(found_by_id=user.pk) | Q(responsible_id=user.pk))


def visible_hazards(request: HttpRequest) -> QuerySet[Hazard]:
    require_school(request)
    return hazards_visible_to(user=request.user, school=request.school)


def get_hazard_for(request: HttpRequest, pk: int) -> Hazard:
    """The hazard if this person may see it, else 404 (also for another school's hazard)."""
    try:
        return visible_hazards(request).select_related(*HAZARD_RELATED, "fixed_by", "verified_by", "school",
                                                        "source_answer__round__template").get(pk=pk)
    except Hazard.DoesNotExist:
        raise Http404 from None


def rounds_of(request: HttpRequest) -> QuerySet[Round]:
    require_school(request)
    return Round.objects.for_school(request.school)


def get_round_for(request: HttpRequest, pk: int) -> Round:
    try:
        return rounds_of(request).select_related(*ROUND_RELATED, "school").get(pk=pk)
    except Round.DoesNotExist:
        raise Http404 from None


def buildings_of(school: Any) -> QuerySet[Building]:
    return Building.objects.for_school(school).order_by("campus", "code")


# --- The schedule: which rounds are due, which were missed -------------------------------------------

def is_school_day(day: dt.date, terms: list[Term]) -> bool:
    """Monday to Friday within a term (any weekday when the school has entered no term yet)."""
    if day.weekday() >= 5:
        return False
    return not terms or any(t.start <= day <= t.end for t in terms)


def period_of(frequency: str, day: dt.date, term: Term | None) -> tuple[dt.date, dt.date]:
    """The first and last day of the period `day` falls in (a day, a week, a month, the term)."""
    if frequency == Frequency.WEEKLY:
        start = day - dt.timedelta(days=day.weekday())
        return start, start + dt.timedelta(days=6)
    if frequency == Frequency.MONTHLY:
        start = day.replace(day=1)
        return start, (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    if frequency == Frequency.TERM and term is not None:
        return term.start, term.end
    return day, day


@dataclass
class DueRound:
    template: InspectionTemplate
    building: Building | None
    done: Round | None = None
    open_round: Round | None = None

    @property
    def place_label(self) -> str:
        from django.utils.translation import gettext as _

        return self.building.name if self.building else _("Whole campus")


@dataclass
class Schedule:
    due: list[DueRound] = field(default_factory=list)
    missed: dict[int, int] = field(default_factory=dict)  # template id → periods missed this term, before today

    @property
    def to_do(self) -> list[DueRound]:
        return [d for d in self.due if d.done is None]

    @property
    def missed_total(self) -> int:
        return sum(self.missed.values())


def schedule_for(school: Any, *, today: dt.date | None = None) -> Schedule:
    """The rounds due in today's period and whether each is done; the daily/weekly/monthly periods of
    the current term before today with no finished round. Four queries, however long the term."""
    today = today or timezone.localdate()
    terms = list(Term.objects.for_school(school).filter(start__lte=today + dt.timedelta(days=366)))
    term = next((t for t in terms if t.start <= today <= t.end), None)
    templates = [t for t in InspectionTemplate.objects.for_school(school).active().exclude(frequency=Frequency.ON_DEMAND)]
    if not templates:
        return Schedule()
    buildings = list(buildings_of(school)) if any(t.coverage == Coverage.EACH_BUILDING for t in templates) else []
    since = term.start if term else today - dt.timedelta(days=30)
    rounds = list(Round.objects.for_school(school).filter(template__in=templates, day__gte=min(since, today.replace(day=1), today - dt.timedelta(days=7)))
                  .select_related("building").order_by("day", "pk"))
    schedule = Schedule()
    for template in templates:
        if template.frequency == Frequency.TERM and term is None:
            continue
        places: list[Building | None] = buildings if template.coverage == Coverage.EACH_BUILDING else [None]
        start, end = period_of(template.frequency, today, term)
        mine = [r for r in rounds if r.template_id == template.pk]
        if template.frequency != Frequency.DAILY or is_school_day(today, terms):
            for place in places:
                here = [r for r in mine if start <= r.day <= end and (place is None or r.building_id == place.pk)]
                schedule.due.append(DueRound(
                    template, place,
                    done=next((r for r in here if r.status == RoundStatus.FINISHED), None),
                    open_round=next((r for r in here if r.status == RoundStatus.IN_PROGRESS), None),
                ))
        schedule.missed[template.pk] = _missed(template, places, mine, terms, term, today) if term else 0
    return schedule


def _missed(template: InspectionTemplate, places: list[Building | None], rounds: list[Round], terms: list[Term], term: Term,
            today: dt.date) -> int:
    if template.frequency == Frequency.TERM:
        return 0  # the term's own round is due until the term ends
    finished = {(r.day, r.building_id) for r in rounds if r.status == RoundStatus.FINISHED}
    missed, day = 0, term.start
    while day < today:
        start, end = period_of(template.frequency, day, term)
        if end >= today:
            break  # the period still runs: not missed yet
        if template.frequency != Frequency.DAILY or is_school_day(day, terms):
            for place in places:
                if not any(start <= d <= end and (place is None or b == place.pk) for d, b in finished):
                    missed += 1
        day = end + dt.timedelta(days=1)
    return missed


# --- Figures --------------------------------------------------------------------------------------

def hazard_figures(*, school: Any, today: dt.date | None = None) -> dict[str, Any]:
    """Open and overdue hazards by grade: one query."""
    today = today or timezone.localdate()
    row = Hazard.objects.for_school(school).filter(status__in=OPEN_HAZARD_STATUSES).aggregate(
        open_general=Count("pk", filter=Q(grade=Grade.GENERAL)),
        open_major=Count("pk", filter=Q(grade=Grade.MAJOR)),
        overdue_general=Count("pk", filter=Q(grade=Grade.GENERAL, status__in=UNFIXED_STATUSES, deadline__lt=today)),
        overdue_major=Count("pk", filter=Q(grade=Grade.MAJOR, status__in=UNFIXED_STATUSES, deadline__lt=today)),
        to_verify=Count("pk", filter=Q(status="to_verify")),
    )
    row["open_total"] = row["open_general"] + row["open_major"]
    row["overdue_total"] = row["overdue_general"] + row["overdue_major"]
    return row


# --- Drills: the cadence (教基一厅〔2014〕2号: schools monthly, kindergartens quarterly) -----------------

def drill_period(day: dt.date, every_months: int) -> tuple[dt.date, dt.date]:
    """The calendar period of `every_months` months that `day` falls in (a month, a quarter…)."""
    every = max(1, min(12, every_months or 1))
    first_month = (day.month - 1) // every * every + 1
    start = day.replace(month=first_month, day=1)
    last_month = first_month + every - 1
    if last_month >= 12:
        return start, day.replace(month=12, day=31)
    end = day.replace(month=last_month + 1, day=1) - dt.timedelta(days=1)
    return start, end


@dataclass
class DrillPeriod:
    start: dt.date
    end: dt.date
    held: int = 0
    planned: list[Any] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return self.held > 0


@dataclass
class DrillCadence:
    every_months: int
    today: dt.date
    current: DrillPeriod
    periods: list[DrillPeriod]  # the term's periods up to and including the current one (compliance)
    next_planned: Any = None
    last_held: Any = None

    @property
    def warning(self) -> str:
        """'' when this period's drill is held; 'planned' when one is on the calendar in it; 'due' otherwise."""
        if self.current.done:
            return ""
        return "planned" if self.current.planned else "due"

    @property
    def missed(self) -> list[DrillPeriod]:
        return [p for p in self.periods if p.end < self.today and not p.done]


def drill_cadence(school: Any, *, today: dt.date | None = None) -> DrillCadence:
    """This period's drill (held, planned or due) and each period of the term so far: three queries."""
    from safety.models import Drill, DrillStatus, SafetySettings

    today = today or timezone.localdate()
    every = SafetySettings.for_school(school).drill_every_months
    term = Term.objects.for_school(school).filter(start__lte=today, end__gte=today).first()
    first_day = drill_period(term.start if term else today, every)[0]
    drills = list(Drill.objects.for_school(school).filter(day__gte=min(first_day, today - dt.timedelta(days=400)))
                  .exclude(status=DrillStatus.CANCELLED).order_by("day", "pk"))
    periods: list[DrillPeriod] = []
    start = first_day
    while start <= today:
        p_start, p_end = drill_period(start, every)
        period = DrillPeriod(p_start, p_end)
        for d in drills:
            if p_start <= d.day <= p_end:
                if d.status == DrillStatus.HELD:
                    period.held += 1
                elif d.day >= today:
                    period.planned.append(d)
        periods.append(period)
        start = p_end + dt.timedelta(days=1)
    held = [d for d in drills if d.status == DrillStatus.HELD]
    upcoming = [d for d in drills if d.status == DrillStatus.PLANNED and d.day >= today]
    return DrillCadence(every_months=every, today=today, current=periods[-1], periods=periods,
                        next_planned=upcoming[0] if upcoming else None, last_held=held[-1] if held else None)


def drills_of(request: HttpRequest) -> QuerySet[Any]:
    from safety.models import Drill

    require_school(request)
    return Drill.objects.for_school(request.school)


def trainings_of(request: HttpRequest) -> QuerySet[Any]:
    from safety.models import Training

    require_school(request)
    return Training.objects.for_school(request.school)


def evaluations_of(request: HttpRequest) -> QuerySet[Any]:
    from safety.models import Evaluation

    require_school(request)
    return Evaluation.objects.for_school(request.school)


DRILL_ORDER = ("-day", "-id")
DRILL_RELATED = ("recorded_by",)
TRAINING_ORDER = ("-day", "-id")


# --- The round list's filter choices, kept per school in the cache (logistics.options) ----------------

from logistics.options import option_list  # noqa: E402


@option_list("safety.template", depends_on=[InspectionTemplate])
def _template_options(school_id: int) -> list[tuple[Any, str]]:
    return list(InspectionTemplate.objects.filter(school_id=school_id).order_by("order", "name").values_list("pk", "name"))


@option_list("safety.building", depends_on=[Building])
def _building_options(school_id: int) -> list[tuple[Any, str]]:
    return list(buildings_of(school_id).values_list("pk", "name"))


@dataclass
class ScoreSeries:
    """Monthly average scores of each outsourced service over the last months, for the chart (as
    json_script data) and its table fallback."""

    months: list[dt.date]
    threshold: float
    services: list[tuple[str, str, list[float | None]]]  # (key, label, one average per month or None)

    @property
    def present(self) -> bool:
        return any(v is not None for _key, _label, values in self.services for v in values)

    def chart_data(self) -> dict[str, Any]:
        return {"labels": [f"{m:%Y-%m}" for m in self.months], "threshold": self.threshold,
                "series": [{"key": key, "label": label, "data": values} for key, label, values in self.services]}

    def rows(self) -> list[tuple[dt.date, list[float | None]]]:
        """The table: one row per month, newest first, one cell per service."""
        return [(m, [values[i] for _k, _l, values in self.services]) for i, m in reversed(list(enumerate(self.months)))]


def contractor_scores(school: Any, *, months: int = 12, today: dt.date | None = None) -> ScoreSeries:
    """The last `months` months (this one included) of each service's average monthly score: two queries."""
    from django.db.models import Avg

    from safety.models import Evaluation, SafetySettings, ServiceKind

    first = (today or timezone.localdate()).replace(day=1)
    month_list = [first]
    for _n in range(months - 1):
        month_list.insert(0, (month_list[0] - dt.timedelta(days=1)).replace(day=1))
    rows = (Evaluation.objects.for_school(school).filter(month__gte=month_list[0], month__lte=first)
            .values("contractor__service", "month").annotate(average=Avg("score")).order_by())
    averages: dict[str, dict[dt.date, float]] = {}
    for row in rows:
        averages.setdefault(row["contractor__service"], {})[row["month"].replace(day=1)] = round(float(row["average"]), 1)
    labels = dict(ServiceKind.choices)
    services = [(key, str(labels.get(key, key)), [averages[key].get(m) for m in month_list])
                for key in ServiceKind.values if key in averages]
    return ScoreSeries(month_list, float(SafetySettings.for_school(school).low_score), services)
