"""The hazard ledger's Excel export, in the layout of a school's 隐患整改销号登记表, declared for the
export engine (logistics/exports). The rows are the ledger's rows: visible to the person in the
current school, narrowed by the ledger's filter."""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, F, Value, Window
from django.db.models.functions import Coalesce, Concat, NullIf, RowNumber, Trim
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.translation import gettext_lazy, pgettext_lazy

from logistics.exports import Column, Export, Selection, form_filters, respond

from safety.models import Grade

ORDER = ("found_on", "id")  # a register reads oldest first; 序号 follows the same order


def _name(prefix: str) -> Any:
    """User.display_name in SQL: full name, else "first last", else the login."""
    full = NullIf(F(f"{prefix}__full_name"), Value(""))
    first_last = NullIf(Trim(Concat(F(f"{prefix}__first_name"), Value(" "), F(f"{prefix}__last_name"), output_field=CharField())), Value(""))
    return Coalesce(full, first_last, F(f"{prefix}__username"), output_field=CharField())


def _annotations() -> dict[str, Any]:
    return {
        "x_seq": Window(RowNumber(), order_by=[F(name).asc() for name in ORDER]),
        "x_place": Concat(F("building__name"), Value(" "), Coalesce(F("room__code"), Value("")), output_field=CharField()),
        "x_responsible": _name("responsible"),
        "x_verifier": _name("verified_by"),
    }


def _select(*, user: Any, school: Any, params: QueryDict) -> Selection:
    from safety.filters import HazardFilter
    from safety.selectors import hazards_visible_to

    hazard_filter = HazardFilter(params, queryset=hazards_visible_to(user=user, school=school), school=school)
    parts = form_filters(hazard_filter.form) if hazard_filter.filters_in_use() else []
    return Selection(hazard_filter.qs, parts)


GRADE_LABELS = dict(Grade.choices)

HAZARDS = Export(
    key="safety.export.HAZARDS",
    title=gettext_lazy("Hazard rectification register"),
    select=_select,
    annotations=_annotations,
    order_by=ORDER,
    columns=[
        Column(pgettext_lazy("hazard register", "No."), "x_seq", 6, "int"),
        Column(pgettext_lazy("hazard register", "Found on"), "found_on", 11, "date"),
        Column(pgettext_lazy("hazard register", "Place"), "x_place", 16),
        Column(pgettext_lazy("hazard register", "Hazard"), "description", 40),
        Column(pgettext_lazy("hazard register", "Grade"), "grade", 6, transform=lambda v: str(GRADE_LABELS.get(v, v))),
        Column(pgettext_lazy("hazard register", "Person responsible"), "x_responsible", 10),
        Column(pgettext_lazy("hazard register", "Deadline"), "deadline", 11, "date"),
        Column(pgettext_lazy("hazard register", "Rectification measures"), "measures", 30),
        Column(pgettext_lazy("hazard register", "Rectified on"), "fixed_on", 11, "date"),
        Column(pgettext_lazy("hazard register", "Verified by"), "x_verifier", 10),
        Column(pgettext_lazy("hazard register", "Closed on"), "closed_on", 11, "date"),
    ],
)


def export_response(request: HttpRequest) -> HttpResponse:
    """The ledger's rows as .xlsx, or a job's progress page when there are many."""
    return respond(request, HAZARDS)
