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
