"""The request list's Excel export, declared for the export engine (logistics/exports): the list's
rows, visible to the person in the current school, narrowed by the list's filter form."""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, F, Value
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from logistics.exports import Column, Export, Selection, form_filters, respond

from procurement.models import Funding, Method, Status

MAX_ROWS = 200_000


def _name(prefix: str) -> Any:
    full = NullIf(F(f"{prefix}__full_name"), Value(""))
    first_last = NullIf(Trim(Concat(F(f"{prefix}__first_name"), Value(" "), F(f"{prefix}__last_name"), output_field=CharField())), Value(""))
    return Coalesce(full, first_last, F(f"{prefix}__username"), output_field=CharField())


def _annotations() -> dict[str, Any]:
    return {"x_requester": _name("requester")}


def _select(*, user: Any, school: Any, params: QueryDict) -> Selection:
    from procurement.filters import RequisitionFilter
    from procurement.selectors import requisitions_visible_to

    f = RequisitionFilter(params, queryset=requisitions_visible_to(user=user, school=school), school=school, user=user)
    parts = form_filters(f.form, ranges=[(_("Created"), "date_from", "date_to")]) if f.form.filters() else []
    return Selection(f.qs, parts)


STATUS_LABELS, METHOD_LABELS, FUNDING_LABELS = dict(Status.choices), dict(Method.choices), dict(Funding.choices)

REQUISITIONS = Export(
    key="procurement.export.REQUISITIONS",
    title=gettext_lazy("Requisitions"),
    select=_select,
    annotations=_annotations,
    order_by=("-created_at", "-id"),
    max_rows=MAX_ROWS,
    columns=[
        Column(gettext_lazy("Number"), "number", 14),
        Column(gettext_lazy("Created"), "created_at", 17, "datetime"),
        Column(gettext_lazy("Requester"), "x_requester", 10),
        Column(gettext_lazy("Department"), "department__name", 12),
        Column(gettext_lazy("Purpose"), "purpose", 40),
        Column(gettext_lazy("Total (yuan)"), "total", 12, "money"),
        Column(gettext_lazy("Budget line"), "budget_line__name", 14),
        Column(gettext_lazy("Funding"), "funding", 10, transform=lambda v: str(FUNDING_LABELS.get(v, v))),
        Column(gettext_lazy("Status"), "status", 14, transform=lambda v: str(STATUS_LABELS.get(v, v))),
        Column(gettext_lazy("Purchase method"), "method", 12, transform=lambda v: str(METHOD_LABELS.get(v, v)) if v else ""),
        Column(gettext_lazy("Supplier"), "supplier", 20),
        Column(gettext_lazy("Contract"), "contract_number", 14),
        Column(gettext_lazy("Purchase amount (yuan)"), "purchase_amount", 12, "money"),
        Column(gettext_lazy("Approved at"), "approved_at", 17, "datetime"),
        Column(gettext_lazy("Accepted at"), "accepted_at", 17, "datetime"),
    ],
)


def export_response(request: HttpRequest) -> HttpResponse:
    return respond(request, REQUISITIONS)
