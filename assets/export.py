"""The ledger's Excel export, declared for the export engine (logistics/exports): the 资产清查
columns, the rows of the ledger list as the person sees it (visibility and filters). Small
selections download at once; large ones become a job with a progress page."""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, DecimalField, ExpressionWrapper, F, Value
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.translation import gettext_lazy

from logistics.exports import Column, Export, Selection, form_filters, respond

from assets.models import Acquisition, Funding, Status

MAX_ROWS = 200_000
STATUS_LABELS, ACQUISITION_LABELS, FUNDING_LABELS = dict(Status.choices), dict(Acquisition.choices), dict(Funding.choices)


def _person(prefix: str) -> Any:
    """User.display_name in SQL: full name, else "first last", else the login."""
    full = NullIf(F(f"{prefix}__full_name"), Value(""))
    first_last = NullIf(Trim(Concat(F(f"{prefix}__first_name"), Value(" "), F(f"{prefix}__last_name"), output_field=CharField())), Value(""))
    return Coalesce(full, first_last, F(f"{prefix}__username"), output_field=CharField())


def _annotations() -> dict[str, Any]:
    return {
        "x_holder": Coalesce(_person("custodian"), F("custodian_class__name"), Value(""), output_field=CharField()),
        "x_place": Concat(F("room__building__name"), Value(" "), F("room__code"), output_field=CharField()),
        "x_unit_value": ExpressionWrapper(F("original_value") / F("quantity"), output_field=DecimalField(max_digits=14, decimal_places=2)),
    }


def _select(*, user: Any, school: Any, params: QueryDict) -> Selection:
    from assets.filters import CardFilter
    from assets.selectors import cards_visible_to

    card_filter = CardFilter(params, queryset=cards_visible_to(user=user, school=school), school=school)
    parts = form_filters(card_filter.form) if card_filter.form.filters() else []
    return Selection(card_filter.qs, parts)


def _label(labels: dict[str, Any]) -> Any:
    return lambda v: str(labels.get(v, v))


LEDGER = Export(
    key="assets.export.LEDGER",
    title=gettext_lazy("Asset ledger"),
    select=_select,
    annotations=_annotations,
    order_by=("number", "id"),
    max_rows=MAX_ROWS,
    columns=[
        Column(gettext_lazy("Asset number"), "number", 20),
        Column(gettext_lazy("Class code"), "asset_class__code", 11),
        Column(gettext_lazy("Class name"), "asset_class__name", 14),
        Column(gettext_lazy("Asset name"), "name", 20),
        Column(gettext_lazy("Model"), "spec", 18),
        Column(gettext_lazy("Serial number"), "serial_number", 16),
        Column(gettext_lazy("Unit"), "unit", 6),
        Column(gettext_lazy("Quantity"), "quantity", 7, "int"),
        Column(gettext_lazy("Unit price (yuan)"), "x_unit_value", 11, "money"),
        Column(gettext_lazy("Original value (yuan)"), "original_value", 13, "money"),
        Column(gettext_lazy("Acquired by"), "acquisition", 8, transform=_label(ACQUISITION_LABELS)),
        Column(gettext_lazy("Acquired on"), "acquired_on", 11, "date"),
        Column(gettext_lazy("Booked on"), "booked_on", 11, "date"),
        Column(gettext_lazy("Funding source"), "funding", 10, transform=_label(FUNDING_LABELS)),
        Column(gettext_lazy("Department"), "department__name", 12),
        Column(gettext_lazy("Custodian"), "x_holder", 10),
        Column(gettext_lazy("Location"), "x_place", 16),
        Column(gettext_lazy("Status"), "status", 8, transform=_label(STATUS_LABELS)),
        Column(gettext_lazy("Supplier"), "supplier", 18),
        Column(gettext_lazy("Invoice"), "invoice_number", 14),
        Column(gettext_lazy("Warranty ends"), "warranty_until", 11, "date"),
        Column(gettext_lazy("Useful life (years)"), "asset_class__useful_life_years", 8, "int"),
        Column(gettext_lazy("Remarks"), "remarks", 24),
    ],
)


def export_response(request: HttpRequest) -> HttpResponse:
    """The ledger's rows as .xlsx, or a job's progress page when there are many."""
    return respond(request, LEDGER)


# --- The disposal list --------------------------------------------------------------------------------

def _select_disposals(*, user: Any, school: Any, params: QueryDict) -> Selection:
    from logistics.permissions import can

    from assets.filters import DisposalFilter
    from assets.models_disposal import Disposal

    if not can(user, school, "assets.view_disposal"):
        return Selection(Disposal.objects.none())
    disposal_filter = DisposalFilter(params, queryset=Disposal.objects.for_school(school))
    form = disposal_filter.form
    parts = form_filters(form, ranges=[(str(gettext_lazy("Requested")), "date_from", "date_to")]) if form.filters() else []
    return Selection(disposal_filter.qs, parts)


def _disposal_annotations() -> dict[str, Any]:
    from django.db.models import Count

    return {"x_requester": _person("requested_by"), "x_approver": _person("approved_by"), "x_cards": Count("lines")}


def _disposal_labels() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    from assets.models_disposal import DisposalStatus, Tier, Way

    return dict(DisposalStatus.choices), dict(Way.choices), dict(Tier.choices)


DISPOSAL_STATUS_LABELS, WAY_LABELS, TIER_LABELS = _disposal_labels()

DISPOSALS = Export(
    key="assets.export.DISPOSALS",
    title=gettext_lazy("Disposals"),
    select=_select_disposals,
    annotations=_disposal_annotations,
    order_by=("-requested_at", "-id"),
    max_rows=MAX_ROWS,
    columns=[
        Column(gettext_lazy("Number"), "number", 16),
        Column(gettext_lazy("Way"), "way", 12, transform=_label(WAY_LABELS)),
        Column(gettext_lazy("Status"), "status", 10, transform=_label(DISPOSAL_STATUS_LABELS)),
        Column(gettext_lazy("Reason"), "reason", 30),
        Column(gettext_lazy("Cards"), "x_cards", 7, "int"),
        Column(gettext_lazy("Total original value (yuan)"), "total_value", 14, "money"),
        Column(gettext_lazy("Approval tier"), "tier", 14, transform=_label(TIER_LABELS)),
        Column(gettext_lazy("Requested by"), "x_requester", 10),
        Column(gettext_lazy("Requested at"), "requested_at", 16, "datetime"),
        Column(gettext_lazy("Approved by"), "x_approver", 10),
        Column(gettext_lazy("Approved at"), "approved_at", 16, "datetime"),
        Column(gettext_lazy("Disposed on"), "executed_on", 11, "date"),
        Column(gettext_lazy("Proceeds (yuan)"), "proceeds", 12, "money"),
    ],
)
