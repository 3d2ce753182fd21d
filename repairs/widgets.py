"""The repairs app's cards on the home pages and its navigation entries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Avg, Count, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logistics import widgets
from logistics.permissions import can
from logistics.widgets import NavItem

from repairs.models import OPEN_STATUSES, UNFINISHED_STATUSES, Status, Ticket
from repairs.selectors import dashboard_figures, unfinished

widgets.register_nav(NavItem("repairs-report", _("Report a repair"), "repairs:ticket-report", "wrench-adjustable", order=10,
                             permissions=("repairs.add_ticket",)))
widgets.register_nav(NavItem("repairs", _("Repairs"), "repairs:ticket-list", "tools", order=20, permissions=("repairs.view_ticket",)))
widgets.register_nav(NavItem("repairs-queue", _("Dispatch queue"), "repairs:queue", "inboxes", order=21, permissions=("repairs.dispatch_ticket",)))
widgets.register_nav(NavItem("repairs-jobs", _("My repair jobs"), "repairs:my-jobs", "hammer", order=22, permissions=("repairs.work_ticket",)))
widgets.register_nav(NavItem("repairs-labels", _("QR labels"), "repairs:label-index", "qr-code", order=79, permissions=("logistics.change_room",)))


@widgets.widget("repairs-overview", _("Repairs at a glance"), "repairs/widgets/overview.html", permissions=("repairs.view_all_tickets",),
                order=10, width="col-12 col-xl-8")
def overview(request: HttpRequest) -> dict[str, Any]:
    return dashboard_figures(school=request.school)


@widgets.widget("repairs-my-jobs", _("My repair jobs"), "repairs/widgets/my_jobs.html", permissions=("repairs.work_ticket",), order=11)
def my_jobs(request: HttpRequest) -> dict[str, Any] | None:
    jobs = Ticket.objects.for_school(request.school).filter(unfinished(), assignee=request.user)
    shown = list(jobs.select_related("room", "building", "category").order_by("due_at")[:5])
    if not shown and not can(request.user, request.school, "repairs.dispatch_ticket"):
        return {"jobs": [], "count": 0}
    if not shown:
        return None  # the office records contractors' jobs but has the overview card
    return {"jobs": shown, "count": jobs.count()}


@widgets.widget("repairs-my-reports", _("My repair reports"), "repairs/widgets/my_reports.html", permissions=("repairs.add_ticket",), order=12)
def my_reports(request: HttpRequest) -> dict[str, Any]:
    mine = Ticket.objects.for_school(request.school).filter(reporter=request.user, status__in=OPEN_STATUSES)
    shown = list(mine.select_related("room", "building", "category").order_by("-submitted_at")[:5])
    # Counted over all the person's open reports, not the five shown: the figure must equal its list.
    counts = mine.aggregate(total=Count("pk"), to_accept=Count("pk", filter=Q(status=Status.DONE)))
    return {"tickets": shown, **counts}


# --- The district viewer's table: one query per column, however many schools ---------------------

def _per_school(schools: list[Any], **aggregate: Any) -> dict[int, dict[str, Any]]:
    rows = Ticket.objects.filter(school__in=schools).values("school_id").annotate(**aggregate).order_by()
    return {row.pop("school_id"): row for row in rows}


@widgets.district_column("repairs-open", _("Open repairs"), order=20)
def district_open(schools: list[Any]) -> dict[int, int]:
    counts = _per_school(schools, n=Count("pk", filter=Q(status__in=OPEN_STATUSES)))
    return {s.pk: counts.get(s.pk, {}).get("n", 0) for s in schools}


@widgets.district_column("repairs-overdue", _("Overdue repairs"), order=21)
def district_overdue(schools: list[Any]) -> dict[int, int]:
    counts = _per_school(schools, n=Count("pk", filter=Q(status__in=UNFINISHED_STATUSES, due_at__lt=timezone.now())))
    return {s.pk: counts.get(s.pk, {}).get("n", 0) for s in schools}


@widgets.district_column("repairs-satisfaction", _("Satisfaction (90 days)"), order=22)
def district_satisfaction(schools: list[Any]) -> dict[int, str]:
    since = timezone.now() - dt.timedelta(days=90)
    rows = _per_school(schools, rating=Avg("rating", filter=Q(accepted_at__gte=since)))
    return {pk: f"{row['rating']:.1f}" for pk, row in rows.items() if row["rating"] is not None}
