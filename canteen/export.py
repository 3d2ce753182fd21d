"""Excel exports of the canteen records, declared for the export engine (logistics/exports), with the
Chinese headers of the paper registers inspectors know.

- each record list exports its filtered rows (`respond`: small at once, large as a job);
- `workbook_for` writes every record kind of a date range into one workbook, one sheet per kind
  (the engine's `write_sheet`, constant memory).
"""

from __future__ import annotations

import datetime as dt
from typing import IO, Any

from django.db.models import CharField, F, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.translation import gettext_lazy, pgettext_lazy

from logistics.exports import Column, Export, Selection, form_filters, respond
from logistics.exports.engine import describe, new_workbook, sheet_title, write_sheet

from canteen.models import (
    AccompaniedMeal,
    Additive,
    DailyCheck,
    Delivery,
    DeliveryItem,
    Disinfection,
    MealKind,
    Method,
    MorningCheck,
    RapidTest,
    Rating,
    Sample,
    Symptom,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEALS = dict(MealKind.choices)
METHODS = dict(Method.choices)
RATINGS = dict(Rating.choices)
SYMPTOMS = dict(Symptom.choices)


def _label(choices: dict[Any, Any]) -> Any:
    return lambda v: str(choices.get(v, v))


def _yes_no(v: Any) -> str:
    from django.utils.translation import gettext

    return gettext("Yes") if v else gettext("No")


def _symptoms(v: Any) -> str:
    from django.utils.translation import pgettext

    return "、".join(str(SYMPTOMS.get(c, c)) for c in v) if v else pgettext("health check", "Normal")


def _who(prefix: str = "created_by") -> Any:
    return Coalesce(NullIf(F(f"{prefix}__full_name"), Value("")), F(f"{prefix}__username"), output_field=CharField())


def _annotations() -> dict[str, Any]:
    return {"x_by": _who()}


def _selector(kind: str) -> Any:
    def select(*, user: Any, school: Any, params: QueryDict) -> Selection:
        from canteen.filters import FILTERS

        model = {"check": MorningCheck, "sample": Sample, "disinfection": Disinfection, "accompanied": AccompaniedMeal,
                 "delivery": DeliveryItem, "rapid": RapidTest, "checklist": DailyCheck, "additive": Additive}[kind]
        if kind == "delivery":
            # One row per delivered item, as the 进货查验 register has it.
            deliveries = FILTERS[kind](params, queryset=Delivery.objects.for_school(school), school=school)
            return Selection(DeliveryItem.objects.filter(delivery__in=deliveries.qs.values("pk")),
                             form_filters(deliveries.form) if deliveries.filters_in_use() else [])
        record_filter = FILTERS[kind](params, queryset=model.objects.for_school(school), school=school)
        return Selection(record_filter.qs, form_filters(record_filter.form) if record_filter.filters_in_use() else [])

    return select


COMMON_TAIL = [
    Column(gettext_lazy("Recorded by"), "x_by", 10),
    Column(gettext_lazy("Recorded at"), "recorded_at", 17, "datetime"),
    Column(gettext_lazy("Why corrected"), "correction_reason", 16),
]

SAMPLES = Export(
    key="canteen.export.SAMPLES", title=gettext_lazy("Sample retention register"), select=_selector("sample"),
    annotations=_annotations, order_by=("day", "recorded_at", "id"),
    columns=[
        Column(gettext_lazy("Date"), "day", 11, "date"),
        Column(gettext_lazy("Canteen"), "canteen__name", 10),
        Column(gettext_lazy("Meal"), "meal", 6, transform=_label(MEALS)),
        Column(gettext_lazy("Dish"), "dish", 16),
        Column(gettext_lazy("Weight (g)"), "grams", 8, "int"),
        Column(gettext_lazy("Fridge"), "fridge__name", 10),
        Column(gettext_lazy("Keep until"), "expires_at", 17, "datetime"),
        Column(gettext_lazy("Destroyed at"), "destroyed_at", 17, "datetime"),
        *COMMON_TAIL,
    ],
)

CHECKS = Export(
    key="canteen.export.CHECKS", title=gettext_lazy("Staff morning check register"), select=_selector("check"),
    annotations=_annotations, order_by=("day", "staff__name", "id"),
    columns=[
        Column(gettext_lazy("Date"), "day", 11, "date"),
        Column(gettext_lazy("Canteen"), "canteen__name", 10),
        Column(pgettext_lazy("person", "Name"), "staff__name", 8),
        Column(pgettext_lazy("canteen staff", "Post"), "staff__post", 8),
        Column(gettext_lazy("Temperature (℃)"), "temperature", 8, "decimal"),
        Column(gettext_lazy("Symptoms"), "symptoms", 12, transform=_symptoms),
        Column(gettext_lazy("Personal hygiene in order"), "hygiene_ok", 8, transform=_yes_no),
        Column(gettext_lazy("Health certificate valid"), "certificate_valid", 8, transform=_yes_no),
        Column(gettext_lazy("Decision"), "decision", 8, transform=_label(dict(MorningCheck.Decision.choices))),
        Column(gettext_lazy("Action taken"), "action", 16),
        *COMMON_TAIL,
    ],
)

DELIVERIES = Export(
    key="canteen.export.DELIVERIES", title=gettext_lazy("Incoming goods register"), select=_selector("delivery"),
    annotations=lambda: {"x_by": _who("delivery__created_by")}, order_by=("delivery__day", "delivery__recorded_at", "id"),
    columns=[
        Column(gettext_lazy("Date"), "delivery__day", 11, "date"),
        Column(gettext_lazy("Canteen"), "delivery__canteen__name", 10),
        Column(pgettext_lazy("food name", "Food"), "name", 12),
        Column(gettext_lazy("Specification"), "spec", 8),
        Column(gettext_lazy("Quantity"), "quantity", 8, "decimal"),
        Column(gettext_lazy("Unit"), "unit", 5),
        Column(gettext_lazy("Production date"), "production_date", 11, "date"),
        Column(gettext_lazy("Batch"), "batch", 10),
        Column(gettext_lazy("Shelf life (days)"), "shelf_life_days", 8, "int"),
        Column(gettext_lazy("Supplier"), "delivery__supplier__name", 16),
        Column(gettext_lazy("Contact"), "delivery__supplier__phone", 12),
        Column(gettext_lazy("Result"), "delivery__status", 6, transform=_label(dict(Delivery.Status.choices))),
        Column(gettext_lazy("Why rejected"), "delivery__rejection_reason", 14),
        Column(gettext_lazy("Second person accepting"), "delivery__second_acceptor", 8),
        Column(gettext_lazy("Keep the record until"), "delivery__retain_until", 11, "date"),
        Column(gettext_lazy("Recorded by"), "x_by", 10),
    ],
)

RAPID_TESTS = Export(
    key="canteen.export.RAPID_TESTS", title=gettext_lazy("Pesticide rapid test register"), select=_selector("rapid"),
    annotations=_annotations, order_by=("day", "recorded_at", "id"),
    columns=[
        Column(gettext_lazy("Date"), "day", 11, "date"),
        Column(gettext_lazy("Canteen"), "canteen__name", 10),
        Column(gettext_lazy("Vegetable tested"), "sample_name", 12),
        Column(gettext_lazy("Supplier"), "supplier__name", 14),
        Column(gettext_lazy("Batch"), "batch", 10),
        Column(gettext_lazy("Inhibition (%)"), "inhibition", 8, "decimal"),
        Column(gettext_lazy("Result"), "positive", 6, transform=lambda v: str(gettext_lazy("Positive") if v else gettext_lazy("Negative"))),
        Column(gettext_lazy("Action taken"), "action", 16),
        *COMMON_TAIL,
    ],
)

DISINFECTIONS = Export(
    key="canteen.export.DISINFECTIONS", title=gettext_lazy("Tableware disinfection register"), select=_selector("disinfection"),
    annotations=_annotations, order_by=("day", "recorded_at", "id"),
    columns=[
        Column(gettext_lazy("Date"), "day", 11, "date"),
        Column(gettext_lazy("Canteen"), "canteen__name", 10),
        Column(gettext_lazy("Meal"), "meal", 6, transform=_label(MEALS)),
        Column(gettext_lazy("Tableware"), "items", 10),
        Column(gettext_lazy("Pieces"), "quantity", 6, "int"),
        Column(gettext_lazy("Method"), "method", 10, transform=_label(METHODS)),
        Column(gettext_lazy("Temperature (℃)"), "temperature", 8, "decimal"),
        Column(gettext_lazy("Concentration (mg/L)"), "concentration", 8, "int"),
        Column(gettext_lazy("Duration (seconds)"), "seconds", 8, "int"),
        Column(gettext_lazy("Out of range"), "out_of_range", 6, transform=_yes_no),
        Column(gettext_lazy("Checked by"), "checker", 8),
        *COMMON_TAIL,
    ],
)

ACCOMPANIED = Export(
    key="canteen.export.ACCOMPANIED", title=gettext_lazy("Accompanied meal register"), select=_selector("accompanied"),
    annotations=_annotations, order_by=("day", "recorded_at", "id"),
    columns=[
        Column(gettext_lazy("Date"), "day", 11, "date"),
        Column(gettext_lazy("Canteen"), "canteen__name", 10),
        Column(gettext_lazy("Meal"), "meal", 6, transform=_label(MEALS)),
        Column(gettext_lazy("Who ate with the students"), "person", 8),
        Column(gettext_lazy("As"), "role", 6, transform=_label(dict(AccompaniedMeal.Role.choices))),
        Column(gettext_lazy("Colour, smell and taste"), "taste", 6, transform=_label(RATINGS)),
        Column(pgettext_lazy("food", "Temperature"), "warmth", 6, transform=_label(RATINGS)),
        Column(gettext_lazy("Portion"), "portion", 6, transform=_label(RATINGS)),
        Column(gettext_lazy("Hygiene and order"), "hygiene", 6, transform=_label(RATINGS)),
        Column(gettext_lazy("Opinions and problems"), "opinion", 24),
        Column(gettext_lazy("Answer"), "answer", 24),
        *COMMON_TAIL,
    ],
)

CHECKLISTS = Export(
    key="canteen.export.CHECKLISTS", title=gettext_lazy("Daily food-safety checks"), select=_selector("checklist"),
    annotations=_annotations, order_by=("day", "id"),
    columns=[
        Column(gettext_lazy("Date"), "day", 11, "date"),
        Column(gettext_lazy("Canteen"), "canteen__name", 10),
        Column(gettext_lazy("No problem found"), "all_ok", 8, transform=_yes_no),
        Column(gettext_lazy("Problems found and fixes"), "problems", 40),
        *COMMON_TAIL,
    ],
)

ADDITIVES = Export(
    key="canteen.export.ADDITIVES", title=gettext_lazy("Food additive register"), select=_selector("additive"),
    annotations=_annotations, order_by=("day", "recorded_at", "id"),
    columns=[
        Column(gettext_lazy("Date"), "day", 11, "date"),
        Column(gettext_lazy("Canteen"), "canteen__name", 10),
        Column(gettext_lazy("Additive"), "name", 14),
        Column(gettext_lazy("Batch"), "batch", 10),
        Column(gettext_lazy("Dish"), "dish", 14),
        Column(gettext_lazy("Amount (g)"), "grams", 8, "decimal"),
        *COMMON_TAIL,
    ],
)

EXPORTS: dict[str, Export] = {
    "check": CHECKS, "sample": SAMPLES, "disinfection": DISINFECTIONS, "accompanied": ACCOMPANIED,
    "delivery": DELIVERIES, "rapid": RAPID_TESTS, "checklist": CHECKLISTS, "additive": ADDITIVES,
}


def export_response(request: HttpRequest, kind: str) -> HttpResponse:
    return respond(request, EXPORTS[kind])


def workbook_for(*, user: Any, school: Any, start: dt.date, end: dt.date, target: str | IO[bytes], canteen: Any = None) -> int:
    """Every record kind of `start`–`end` (current versions), one sheet per kind; returns the rows written."""
    params = QueryDict(mutable=True)
    params.update({"date_from": start.isoformat(), "date_to": end.isoformat()})
    if canteen is not None:
        params["canteen"] = str(canteen.pk)
    workbook = new_workbook(target)
    taken: set[str] = set()
    total = 0
    for export in EXPORTS.values():
        selection = export.select(user=user, school=school, params=params)
        total += write_sheet(
            workbook, sheet_title(str(export.title), taken), [str(c.header) for c in export.columns],
            export.rows(selection.queryset).iterator(chunk_size=2000),
            formats=[c.format for c in export.columns], widths=[c.width for c in export.columns],
            transforms=[c.transform for c in export.columns], description=describe(selection.filters),
        )
    workbook.close()
    return total
