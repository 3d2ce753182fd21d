"""Reads of repair tickets: who sees what, the list filters, keyset pagination, dashboard figures.

Visibility (the one place that decides it): people with `repairs.view_all_tickets` (the logistics
office, the principal and vice principal) see every ticket of the current school; everyone else the
tickets they reported, were dispatched or follow. Another school's tickets are never in the queryset,
so they are a 404.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any

from django.db.models import Avg, BooleanField, Count, F, FloatField, Func, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.http import Http404, HttpRequest
from django.utils import timezone

from logistics.models import Building, Membership, Role, School, User
from logistics.options import option_list
from logistics.permissions import can
from logistics.scoping import require_school
from logistics.selectors import people_with_role

from repairs.models import OPEN_STATUSES, UNFINISHED_STATUSES, Category, Status, Ticket

NUMBER = re.compile(r"BX\d{4}-\d{6}")
LIST_RELATED = ("room", "building", "category", "reporter", "assignee")
# Every list index ends in this order (see Ticket.Meta.indexes): the keyset pager seeks along it.
LIST_ORDER = ("-submitted_at", "-id")


def tickets_visible_to(*, user: Any, school: Any) -> QuerySet[Ticket]:
    qs = Ticket.objects.for_school(school)
    if can(user, school, "repairs.view_all_tickets"):
        return qs
    watched = Ticket.watchers.through.objects.filter(user_id=user.pk).values("ticket_id")
    return qs.filter(Q(reporter_id=user.pk) | Q(assignee_id=user.pk) | Q(pk__in=watched))


def visible_tickets(request: HttpRequest) -> QuerySet[Ticket]:
    require_school(request)
    return tickets_visible_to(user=request.user, school=request.school)


def get_ticket_for(request: HttpRequest, pk: int) -> Ticket:
    """The ticket if this person may see it, else 404 (also for another school's ticket)."""
    try:
        return visible_tickets(request).select_related(*LIST_RELATED, "room__building__campus", "dispatched_by", "merged_into", "school").get(pk=pk)
    except Ticket.DoesNotExist:
        raise Http404 from None


def repairers_of(school: Any) -> QuerySet[User]:
    return people_with_role(school, Role.REPAIRER)


def repairer_loads(school: Any) -> dict[int, int]:
    """{repairer id: unfinished tickets they hold}, read from the few unfinished tickets (partial index)."""
    # Counted here rather than with GROUP BY, which makes SQLite walk the assignee index over every ticket.
    return Counter(Ticket.objects.for_school(school).filter(unfinished()).values_list("assignee_id", flat=True))


def buildings_of(school: Any) -> QuerySet[Building]:
    return Building.objects.for_school(school).order_by("code")


# The ticket list's filter choices, kept in the cache per school (logistics.options).
@option_list("repairs.category", depends_on=[Category])
def _category_options(school_id: int) -> list[tuple[Any, str]]:
    return list(Category.objects.for_school(school_id).values_list("pk", "name"))


@option_list("repairs.building", depends_on=[Building])
def _building_options(school_id: int) -> list[tuple[Any, str]]:
    return list(buildings_of(school_id).values_list("pk", "name"))


@option_list("repairs.assignee", depends_on=[Membership, User])
def _assignee_options(school_id: int) -> list[tuple[Any, str]]:
    return [(user.pk, user.display_name) for user in repairers_of(school_id).only("full_name", "first_name", "last_name", "username")]


# --- Filters --------------------------------------------------------------------------------------

def unfinished() -> RawSQL:
    """`status IN (...unfinished...)` written with literals, not parameters: only then can SQLite
    (and a generic PostgreSQL plan) use the partial index `repair_t_unfinished`, which holds the few
    unfinished tickets already in list order. With parameters SQLite walked all 50,000 rows."""
    from django.db import connection

    column = f"{connection.ops.quote_name(Ticket._meta.db_table)}.{connection.ops.quote_name('status')}"
    values = ", ".join(f"'{s}'" for s in UNFINISHED_STATUSES)  # our own constants, never user input
    return RawSQL(f"{column} IN ({values})", [], output_field=BooleanField())


# --- Dashboard ------------------------------------------------------------------------------------

def _hours(seconds: float | None) -> float | None:
    return round(seconds / 3600, 1) if seconds is not None else None


class _Seconds(Func):
    """A datetime as seconds since 1970, computed by the database. A difference of two datetimes
    would do, but on SQLite Django computes it with a Python function called for every row (the
    home page's month averages took 20-40 ms on a large school); `julianday()` is SQLite's own."""

    output_field = FloatField()
    template = "EXTRACT(EPOCH FROM %(expressions)s)"  # PostgreSQL

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="(julianday(%(expressions)s) * 86400.0)", **extra)


def dashboard_figures(*, school: Any, now: dt.datetime | None = None) -> dict[str, Any]:
    """Open tickets by status, overdue, this month's averages, satisfaction, the last 8 weeks. Four queries,
    each a range of one index: the cost follows the open tickets and the last weeks, not the school's history."""
    now = now or timezone.now()
    tickets = Ticket.objects.for_school(school)
    by_status = dict(tickets.filter(status__in=OPEN_STATUSES).values_list("status").annotate(n=Count("pk")).order_by())
    overdue = tickets.overdue(now=now).count()
    local = timezone.localtime(now)
    month_start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    week_start = (local - dt.timedelta(days=local.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    starts = [week_start - dt.timedelta(weeks=w) for w in range(7, -1, -1)]
    ends = [start + dt.timedelta(weeks=1) for start in starts]
    month = tickets.filter(submitted_at__gte=month_start).aggregate(
        to_dispatch=Avg(_Seconds("dispatched_at") - _Seconds("submitted_at"), filter=Q(dispatched_at__isnull=False)),
        to_done=Avg(_Seconds("done_at") - _Seconds("submitted_at"), filter=Q(done_at__isnull=False)),
        satisfaction=Avg("rating"),
        rated=Count("rating"),
    )

    # Each week's count is a range of its own index ((school, submitted_at …) and (school, done_at)),
    # counted from the index alone, sixteen in one query. One `submitted_at ≥ X OR done_at ≥ X` filter
    # read every ticket of the school; one pass over the eight weeks evaluating sixteen FILTERs per row
    # still cost 15× these counts on the large demo school.
    def count(**where: Any) -> Subquery:
        return Subquery(tickets.filter(**where).order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"))

    weeks = {}
    for i, (start, end) in enumerate(zip(starts, ends)):
        weeks[f"in{i}"] = count(submitted_at__gte=start, submitted_at__lt=end)
        weeks[f"done{i}"] = count(done_at__gte=start, done_at__lt=end)
    figures = {**month, **School.objects.filter(pk=school.pk).annotate(**weeks).values(*weeks).get()}
    return {
        "by_status": [(Status(s), by_status.get(s, 0)) for s in OPEN_STATUSES],
        "open_total": sum(by_status.values()),
        "overdue": overdue,
        "hours_to_dispatch": _hours(figures["to_dispatch"]),
        "hours_to_done": _hours(figures["to_done"]),
        "satisfaction": round(figures["satisfaction"], 1) if figures["satisfaction"] is not None else None,
        "rated": figures["rated"],
        "week_labels": [s.strftime("%m-%d") for s in starts],
        "week_in": [figures[f"in{i}"] for i in range(8)],
        "week_done": [figures[f"done{i}"] for i in range(8)],
    }
