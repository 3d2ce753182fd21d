"""The ticket list's Excel export, declared for the export engine (logistics/exports).

The rows are the list's rows: visible to the person in the current school, narrowed by the list's
filter form. Small selections download at once; large ones become a job with a progress page.
"""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, Case, CharField, DecimalField, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from logistics.exports import Column, Export, Selection, form_filters, respond

from repairs.models import UNFINISHED_STATUSES, Material, Status, Ticket, Urgency

MAX_ROWS = 200_000


def _name(prefix: str) -> Any:
    """User.display_name in SQL: full name, else "first last", else the login."""
    full = NullIf(F(f"{prefix}__full_name"), Value(""))
    first_last = NullIf(Trim(Concat(F(f"{prefix}__first_name"), Value(" "), F(f"{prefix}__last_name"), output_field=CharField())), Value(""))
    return Coalesce(full, first_last, F(f"{prefix}__username"), output_field=CharField())


def _annotations() -> dict[str, Any]:
    cost = ExpressionWrapper(F("quantity") * F("unit_cost"), output_field=DecimalField(max_digits=14, decimal_places=2))
    materials = Material.objects.filter(ticket=OuterRef("pk")).values("ticket").annotate(total=Sum(cost)).values("total")
    late = Q(done_at__gt=F("due_at")) | Q(status__in=UNFINISHED_STATUSES, due_at__lt=timezone.now())
    return {
        "x_reporter": _name("reporter"),
        "x_handler": Case(When(assignee__isnull=False, then=_name("assignee")), default=F("contractor"), output_field=CharField()),
        "x_late": Case(When(late, then=Value(True)), default=Value(False), output_field=BooleanField()),
        "x_materials": Subquery(materials, output_field=DecimalField(max_digits=14, decimal_places=2)),
    }


def _select(*, user: Any, school: Any, params: QueryDict) -> Selection:
    from repairs.filters import TicketFilter
    from repairs.selectors import tickets_visible_to

    ticket_filter = TicketFilter(params, queryset=tickets_visible_to(user=user, school=school), school=school, user=user)
    filtered = bool(ticket_filter.form.filters())
    parts = form_filters(ticket_filter.form, ranges=[(_("Reported at"), "date_from", "date_to")]) if filtered else []
    return Selection(ticket_filter.qs, parts)


def _yes(value: bool) -> str:
    return _("yes") if value else ""


STATUS_LABELS, URGENCY_LABELS = dict(Status.choices), dict(Urgency.choices)

TICKETS = Export(
    key="repairs.export.TICKETS",
    title=gettext_lazy("Repair tickets"),
    select=_select,
    annotations=_annotations,
    order_by=("-submitted_at", "-id"),
    max_rows=MAX_ROWS,
    columns=[
        Column(gettext_lazy("Number"), "number", 16),
        Column(gettext_lazy("Reported at"), "submitted_at", 17, "datetime"),
        Column(gettext_lazy("Reporter"), "x_reporter", 10),
        Column(gettext_lazy("Phone"), "reporter_phone", 13),
        Column(gettext_lazy("Building"), "building__name", 12),
        Column(gettext_lazy("Room"), "room__code", 8),
        Column(gettext_lazy("Room name"), "room__name", 14),
        Column(gettext_lazy("Category"), "category__name", 11),
        Column(gettext_lazy("Urgency"), "urgency", 8, transform=lambda v: str(URGENCY_LABELS.get(v, v))),
        Column(gettext_lazy("Status"), "status", 14, transform=lambda v: str(STATUS_LABELS.get(v, v))),
        Column(gettext_lazy("Description"), "description", 40),
        Column(gettext_lazy("Repairer or contractor"), "x_handler", 14),
        Column(gettext_lazy("Dispatched at"), "dispatched_at", 17, "datetime"),
        Column(gettext_lazy("Done at"), "done_at", 17, "datetime"),
        Column(gettext_lazy("Accepted at"), "accepted_at", 17, "datetime"),
        Column(gettext_lazy("Due by"), "due_at", 17, "datetime"),
        Column(gettext_lazy("Late"), "x_late", 6, transform=_yes),
        Column(gettext_lazy("Labour hours"), "labour_hours", 8, "decimal"),
        Column(gettext_lazy("Materials (yuan)"), "x_materials", 10, "money"),
        Column(gettext_lazy("Contractor (yuan)"), "contractor_cost", 10, "money"),
        Column(gettext_lazy("Rating"), "rating", 6, "int"),
        Column(gettext_lazy("Comment"), "rating_comment", 30),
    ],
)


def export_response(request: HttpRequest) -> HttpResponse:
    """The ticket list's rows as .xlsx, or a job's progress page when there are many."""
    return respond(request, TICKETS)
