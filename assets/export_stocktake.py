"""The stocktake report (盘点报告) as Excel, through the export engine: every line with what the
ledger expected and what the count found."""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, F, Value
from django.db.models.functions import Concat
from django.http import QueryDict
from django.utils.translation import gettext_lazy

from logistics.exports import Column, Export, Selection

from assets.models_stocktake import Result, Stocktake, StocktakeLine

RESULT_LABELS = dict(Result.choices)


def _select(*, user: Any, school: Any, params: QueryDict) -> Selection:
    from logistics.lists import int_param
    from logistics.permissions import can

    if not can(user, school, "assets.view_stocktake"):
        return Selection(StocktakeLine.objects.none())
    stocktake = Stocktake.objects.for_school(school).filter(pk=int_param(params.get("stocktake"), 0, low=0)).first()
    if stocktake is None:
        return Selection(StocktakeLine.objects.none())
    return Selection(StocktakeLine.objects.filter(stocktake=stocktake), [(str(gettext_lazy("Stocktake")), stocktake.title)])


def _annotations() -> dict[str, Any]:
    return {
        "x_expected": Concat(F("expected_room__building__name"), Value(" "), F("expected_room__code"), output_field=CharField()),
        "x_found": Concat(F("found_room__building__name"), Value(" "), F("found_room__code"), output_field=CharField()),
    }


STOCKTAKE = Export(
    key="assets.export_stocktake.STOCKTAKE",
    title=gettext_lazy("Stocktake report"),
    select=_select,
    annotations=_annotations,
    order_by=("expected_room__building__name", "expected_room__code", "number", "id"),
    columns=[
        Column(gettext_lazy("Asset number"), "number", 20),
        Column(gettext_lazy("Asset name"), "name", 20),
        Column(gettext_lazy("Original value (yuan)"), "original_value", 13, "money"),
        Column(gettext_lazy("Room on the ledger"), "x_expected", 16),
        Column(gettext_lazy("Result"), "result", 12, transform=lambda v: str(RESULT_LABELS.get(v, v))),
        Column(gettext_lazy("Found in"), "x_found", 16),
        Column(gettext_lazy("Note"), "note", 24),
        Column(gettext_lazy("Counted at"), "marked_at", 16, "datetime"),
    ],
)


def _select_stock(*, user: Any, school: Any, params: QueryDict) -> Selection:
    from django.db.models import Q

    from logistics.permissions import can

    from assets.selectors import stock_items_of

    if not can(user, school, "assets.view_stockitem"):
        return Selection(StocktakeLine.objects.none())
    qs = stock_items_of(school)
    filters = []
    q = (params.get("q") or "").strip()[:50]
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(spec__icontains=q))
        filters.append((str(gettext_lazy("Search")), q))
    if params.get("low"):
        qs = qs.filter(min_stock__gt=0, low=True)
        filters.append((str(gettext_lazy("Below minimum stock")), "✓"))
    return Selection(qs, filters)


STOCK = Export(
    key="assets.export_stocktake.STOCK",
    title=gettext_lazy("Consumables"),
    select=_select_stock,
    order_by=("name", "spec", "id"),
    columns=[
        Column(gettext_lazy("Name"), "name", 20),
        Column(gettext_lazy("Specification / model"), "spec", 18),
        Column(gettext_lazy("Unit"), "unit", 6),
        Column(gettext_lazy("On hand"), "on_hand", 10, "decimal"),
        Column(gettext_lazy("Value"), "value", 12, "money"),
        Column(gettext_lazy("minimum stock"), "min_stock", 10, "decimal"),
    ],
)
