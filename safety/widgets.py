"""Campus safety's cards on the home pages, its navigation entries and the district columns."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logistics import widgets
from logistics.widgets import NavItem

from safety.models import OPEN_HAZARD_STATUSES, UNFIXED_STATUSES, Hazard, InspectionTemplate
from safety.selectors import hazard_figures, schedule_for

widgets.register_nav(NavItem("safety", _("Campus safety"), "safety:home", "exclamation-triangle", order=40,
                             permissions=("safety.walk_round", "safety.view_all_hazards")))
widgets.register_nav(NavItem("safety-hazards", _("Hazards"), "safety:hazard-list", "exclamation-octagon", order=41,
                             permissions=("safety.view_all_hazards",)))
widgets.register_nav(NavItem("safety-report", _("Report a hazard"), "safety:hazard-report", "exclamation-triangle", order=42,
                             permissions=("safety.add_hazard",)))


@widgets.widget("safety-rounds", _("Safety rounds today"), "safety/widgets/rounds.html", permissions=("safety.walk_round",), order=8)
def rounds_today(request: HttpRequest) -> dict[str, Any]:
    InspectionTemplate.ensure_defaults(request.school)
    schedule = schedule_for(request.school)
    return {"due": schedule.due, "to_do": schedule.to_do, "missed_total": schedule.missed_total}


@widgets.widget("safety-hazards", _("Hazards"), "safety/widgets/hazards.html", permissions=("safety.view_all_hazards",), order=9)
def hazards(request: HttpRequest) -> dict[str, Any]:
    return hazard_figures(school=request.school)


# --- The district viewer's table: one query per column, however many schools ---------------------

def _per_school(schools: list[Any], condition: Q) -> dict[int, int]:
    rows = Hazard.objects.filter(school__in=schools).values("school_id").annotate(n=Count("pk", filter=condition)).order_by()
    counts = {row["school_id"]: row["n"] for row in rows}
    return {s.pk: counts.get(s.pk, 0) for s in schools}


@widgets.district_column("safety-open", _("Open hazards"), order=40)
def district_open(schools: list[Any]) -> dict[int, int]:
    return _per_school(schools, Q(status__in=OPEN_HAZARD_STATUSES))


@widgets.district_column("safety-overdue", _("Overdue hazards"), order=41)
def district_overdue(schools: list[Any]) -> dict[int, int]:
    return _per_school(schools, Q(status__in=UNFIXED_STATUSES, deadline__lt=timezone.localdate()))


@widgets.widget("safety-mine", _("Hazards for me to rectify"), "safety/widgets/mine.html", permissions=("safety.view_hazard",), order=13)
def mine(request: HttpRequest) -> dict[str, Any] | None:
    """The person responsible's to-do: hazards they answer for that are not rectified yet."""
    qs = Hazard.objects.for_school(request.school).filter(responsible=request.user, status__in=UNFIXED_STATUSES)
    shown = list(qs.select_related("building", "room").order_by("deadline", "pk")[:5])
    if not shown:
        return None
    return {"hazards": shown, "count": qs.count() if len(shown) == 5 else len(shown)}


widgets.register_nav(NavItem("safety-drills", _("Drills"), "safety:drill-list", "megaphone", order=43, permissions=("safety.view_drill",)))
widgets.register_nav(NavItem("safety-training", _("Safety training"), "safety:training-list", "mortarboard", order=44,
                             permissions=("safety.view_training",)))
widgets.register_nav(NavItem("safety-contractors", _("Contractor evaluations"), "safety:evaluation-list", "clipboard-check", order=45,
                             permissions=("safety.view_evaluation",)))


@widgets.widget("safety-todo", _("Safety to-do"), "safety/widgets/todo.html", permissions=("safety.manage_drill",), order=7)
def todo(request: HttpRequest) -> dict[str, Any] | None:
    """The safety officer's next steps, each linked: hazards to verify, to assign, overdue; the drill
    this period needs; contractors' low scores not followed up. Four queries."""
    from safety.models import Evaluation
    from safety.selectors import drill_cadence

    school = request.school
    row = Hazard.objects.for_school(school).aggregate(
        to_verify=Count("pk", filter=Q(status="to_verify")),
        unassigned=Count("pk", filter=Q(status="open", responsible__isnull=True)),
        overdue=Count("pk", filter=Q(status__in=UNFIXED_STATUSES, deadline__lt=timezone.localdate())),
        major_missing_five=Count("pk", filter=Q(status__in=UNFIXED_STATUSES, grade="major") & (
            Q(measures_in_place=False) | Q(funds_in_place=False) | Q(deadline_in_place=False) | Q(person_in_place=False)
            | Q(plan_in_place=False))),
    )
    cadence = drill_cadence(school)
    follow_ups = Evaluation.objects.for_school(school).filter(follow_up_needed=True, follow_up="").count()
    return {**row, "cadence": cadence, "follow_ups": follow_ups}


@widgets.district_column("safety-drills", _("Drills this term"), order=42)
def district_drills(schools: list[Any]) -> dict[int, int]:
    """Drills held in each school's current term (or the last 6 months without one): two queries."""
    import datetime as dt

    from django.db.models import OuterRef, Subquery

    from logistics.models import Term
    from safety.models import Drill, DrillStatus

    today = timezone.localdate()
    term_start = Term.objects.filter(school=OuterRef("school_id"), start__lte=today, end__gte=today).order_by("-start").values("start")[:1]
    fallback = today - dt.timedelta(days=183)
    rows = (Drill.objects.filter(school__in=schools, status=DrillStatus.HELD, day__lte=today)
            .annotate(since=Subquery(term_start)).values("school_id", "day", "since"))
    counts: dict[int, int] = {}
    for r in rows:
        if r["day"] >= (r["since"] or fallback):
            counts[r["school_id"]] = counts.get(r["school_id"], 0) + 1
    return {s.pk: counts.get(s.pk, 0) for s in schools}


@widgets.widget("safety-rate", _("Rate the outsourced services"), "safety/widgets/rate.html", permissions=("safety.add_evaluation",), order=30)
def rate(request: HttpRequest) -> dict[str, Any] | None:
    """Staff's card: contractors they have not scored this month (the office scores on its own page)."""
    from safety.models import Contractor, Evaluation

    from logistics.permissions import can

    if can(request.user, request.school, "safety.manage_drill"):
        return None
    month = timezone.localdate().replace(day=1)
    done = Evaluation.objects.for_school(request.school).filter(evaluated_by=request.user, month=month).values("contractor_id")
    left = Contractor.objects.for_school(request.school).filter(is_active=True).exclude(pk__in=done).count()
    return {"left": left} if left else None


@widgets.widget("safety-untrained", _("Staff not trained"), "safety/widgets/untrained.html", permissions=("safety.manage_drill",), order=31)
def untrained(request: HttpRequest) -> dict[str, Any] | None:
    """The safety officer's card when someone on the staff has no safety training this school year, or
    a new member of staff was not trained before starting: four queries."""
    from safety.coverage import training_coverage

    coverage = training_coverage(request.school)
    if not coverage.untrained and not coverage.new_untrained:
        return None
    return {"untrained": len(coverage.untrained), "new_untrained": len(coverage.new_untrained), "staff": coverage.staff,
            "names": [p.user.display_name for p in coverage.untrained[:5]], "year": coverage.label}
