"""The request list's filter, declared once with django-filter: the list and its export narrow the
requests through `RequisitionFilter`. An invalid value leaves its field out, the page still answers."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from logistics.models import Department

from procurement.models import Method, Requisition, Status

NUMBER = re.compile(r"QG\d{4}-\d{4,6}")
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(9998, 12, 31)
MAX_AMOUNT = Decimal("999999999999.99")


class RequisitionFilterForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name, field in self.fields.items():
            day = data.get(name)
            if isinstance(field, forms.DateField) and day is not None and not EARLIEST <= day <= LATEST:
                self.add_error(name, gettext_lazy("Choose a date between 1900 and 9998."))
        return data

    def filters(self) -> dict[str, Any]:
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors and v not in (None, "", False)}


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class RequisitionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=gettext_lazy("Search"), method="search", max_length=100,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Number, purpose or supplier"), "type": "search"}),
    )
    status = django_filters.ChoiceFilter(label=gettext_lazy("Status"), choices=Status.choices, empty_label=gettext_lazy("All statuses"))
    department = django_filters.ModelChoiceFilter(label=gettext_lazy("Department"), queryset=Department.objects.none(),
                                                  empty_label=gettext_lazy("All departments"))
    method = django_filters.ChoiceFilter(label=gettext_lazy("Purchase method"), choices=Method.choices, empty_label=gettext_lazy("Any method"))
    amount_min = django_filters.NumberFilter(label=gettext_lazy("Total from (yuan)"), field_name="total", lookup_expr="gte",
                                             min_value=0, max_value=MAX_AMOUNT)
    amount_max = django_filters.NumberFilter(label=gettext_lazy("Total up to (yuan)"), field_name="total", lookup_expr="lte",
                                             min_value=0, max_value=MAX_AMOUNT)
    date_from = django_filters.DateFilter(label=gettext_lazy("Created from"), method="created_from", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = django_filters.DateFilter(label=gettext_lazy("Created until"), method="created_until", widget=forms.DateInput(attrs={"type": "date"}))
    mine = django_filters.BooleanFilter(label=gettext_lazy("My requests"), method="requested_by_me", widget=forms.CheckboxInput)

    class Meta:
        model = Requisition
        fields: list[str] = []
        form = RequisitionFilterForm

    def __init__(self, data: Any = None, *, queryset: QuerySet[Requisition], school: Any, user: Any = None) -> None:
        super().__init__(data or None, queryset=queryset)
        self.user = user
        self.filters["department"].queryset = Department.objects.for_school(school)

    def search(self, qs: QuerySet[Requisition], name: str, value: str) -> QuerySet[Requisition]:
        q = value.strip()
        if NUMBER.fullmatch(q.upper()):
            return qs.filter(number=q.upper())
        return qs.filter(Q(number__icontains=q) | Q(purpose__icontains=q) | Q(supplier__icontains=q)) if q else qs

    def created_from(self, qs: QuerySet[Requisition], name: str, value: dt.date) -> QuerySet[Requisition]:
        return qs.filter(created_at__gte=_start_of(value))

    def created_until(self, qs: QuerySet[Requisition], name: str, value: dt.date) -> QuerySet[Requisition]:
        return qs.filter(created_at__lt=_start_of(value + dt.timedelta(days=1)))

    def requested_by_me(self, qs: QuerySet[Requisition], name: str, value: bool) -> QuerySet[Requisition]:
        return qs.filter(requester_id=getattr(self.user, "pk", None)) if value else qs


def drawn_fields(form: forms.Form) -> list[dict[str, Any]]:
    """The filter inputs as plain data (name, label, input type, value, options with the chosen one
    marked), so the list draws them without a widget template per field: the list's page 1 must cost
    no more than a plain ListView's."""
    out: list[dict[str, Any]] = []
    for field in form:
        widget = field.field.widget
        raw = form.data.get(field.html_name, "") if form.is_bound else ""
        entry: dict[str, Any] = {"name": field.html_name, "id": field.id_for_label, "label": field.label, "value": raw,
                                 "errors": field.errors if form.is_bound else []}
        if isinstance(widget, forms.CheckboxInput):
            entry["type"] = "checkbox"
        elif isinstance(widget, forms.Select):
            entry["type"] = "select"
            entry["options"] = [(str(v), label, str(v) == raw) for v, label in field.field.choices]
        else:
            entry["type"] = widget.attrs.get("type") or getattr(widget, "input_type", "text")
            entry["placeholder"] = widget.attrs.get("placeholder", "")
        out.append(entry)
    return out
