"""The hazard ledger's filter, declared once with django-filter: the list and its export narrow the
hazards through `HazardFilter`. An invalid value leaves its field out (the page still answers)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from logistics.models import Building

from safety.models import (
    OPEN_HAZARD_STATUSES,
    UNFIXED_STATUSES,
    Grade,
    Hazard,
    HazardCategory,
    HazardStatus,
    InspectionTemplate,
    Round,
    RoundStatus,
)
from safety.selectors import buildings_of


class HazardFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=gettext_lazy("Search"), method="search", max_length=100,
                                  widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Number or words"), "type": "search"}))
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=[("open", gettext_lazy("Not yet closed")), *HazardStatus.choices],
        empty_label=gettext_lazy("All statuses"), method="by_status",
    )
    grade = django_filters.ChoiceFilter(label=gettext_lazy("Grade"), choices=Grade.choices, empty_label=gettext_lazy("Any grade"))
    category = django_filters.ChoiceFilter(label=gettext_lazy("Category"), choices=HazardCategory.choices,
                                           empty_label=gettext_lazy("All categories"))
    building = django_filters.ModelChoiceFilter(label=gettext_lazy("Building"), queryset=Building.objects.none(),
                                                empty_label=gettext_lazy("All buildings"))
    overdue = django_filters.BooleanFilter(label=gettext_lazy("Past the deadline only"), method="only_overdue", widget=forms.CheckboxInput)
    bureau = django_filters.BooleanFilter(label=gettext_lazy("Reported to the bureau"), method="only_bureau", widget=forms.CheckboxInput)

    class Meta:
        model = Hazard
        fields: list[str] = []

    def __init__(self, data: Any = None, *, queryset: QuerySet[Hazard], school: Any, today: dt.date | None = None) -> None:
        super().__init__(data or None, queryset=queryset)
        self.today = today
        self.filters["building"].queryset = buildings_of(school)

    def filters_in_use(self) -> dict[str, Any]:
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return {k: v for k, v in getattr(self.form, "cleaned_data", {}).items() if k not in self.form.errors and v not in (None, "", False)}

    def search(self, qs: QuerySet[Hazard], name: str, value: str) -> QuerySet[Hazard]:
        q = value.strip()
        if not q:
            return qs
        return qs.filter(Q(number__icontains=q) | Q(description__icontains=q) | Q(room__code__icontains=q))

    def by_status(self, qs: QuerySet[Hazard], name: str, value: str) -> QuerySet[Hazard]:
        if value == "open":
            return qs.filter(status__in=OPEN_HAZARD_STATUSES)
        return qs.filter(status=value)

    def only_bureau(self, qs: QuerySet[Hazard], name: str, value: bool) -> QuerySet[Hazard]:
        return qs.filter(reported_to_bureau_on__isnull=False) if value else qs

    def only_overdue(self, qs: QuerySet[Hazard], name: str, value: bool) -> QuerySet[Hazard]:
        return qs.filter(status__in=UNFIXED_STATUSES, deadline__lt=self.today or timezone.localdate()) if value else qs


class RoundFilter(django_filters.FilterSet):
    """The round list's filter: checklist, place, status and a date range."""

    template = django_filters.ModelChoiceFilter(label=gettext_lazy("Checklist"), queryset=InspectionTemplate.objects.none(),
                                                empty_label=gettext_lazy("All checklists"))
    building = django_filters.ModelChoiceFilter(label=gettext_lazy("Building"), queryset=Building.objects.none(),
                                                empty_label=gettext_lazy("All buildings"))
    status = django_filters.ChoiceFilter(label=gettext_lazy("Status"), choices=RoundStatus.choices, empty_label=gettext_lazy("All statuses"))
    date_from = django_filters.DateFilter(label=gettext_lazy("From"), field_name="day", lookup_expr="gte",
                                          widget=forms.DateInput(attrs={"type": "date"}))
    date_to = django_filters.DateFilter(label=gettext_lazy("Until"), field_name="day", lookup_expr="lte",
                                        widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = Round
        fields: list[str] = []

    def __init__(self, data: Any = None, *, queryset: QuerySet[Round], school: Any) -> None:
        super().__init__(data or None, queryset=queryset)
        self.filters["template"].queryset = InspectionTemplate.objects.for_school(school)
        self.filters["building"].queryset = buildings_of(school)

    def filters_in_use(self) -> dict[str, Any]:
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return {k: v for k, v in getattr(self.form, "cleaned_data", {}).items() if k not in self.form.errors and v not in (None, "", False)}
