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
    Contractor,
    Drill,
    DrillKind,
    DrillStatus,
    Evaluation,
    Round,
    RoundStatus,
    ServiceKind,
    Training,
    TrainingKind,
)
from safety.selectors import buildings_of


class HazardFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=gettext_lazy("Search"), method="search", max_length=100,
                                  widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Number or words"), "type": "search"}))
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=[("open", gettext_lazy("Not yet closed")), ("valid", gettext_lazy("All but withdrawn")),
                                               *HazardStatus.choices],
        empty_label=gettext_lazy("All statuses"), method="by_status",
    )
    grade = django_filters.ChoiceFilter(label=gettext_lazy("Grade"), choices=Grade.choices, empty_label=gettext_lazy("Any grade"))
    category = django_filters.ChoiceFilter(label=gettext_lazy("Category"), choices=HazardCategory.choices,
                                           empty_label=gettext_lazy("All categories"))
    building = django_filters.ModelChoiceFilter(label=gettext_lazy("Building"), queryset=Building.objects.none(),
                                                empty_label=gettext_lazy("All buildings"))
    overdue = django_filters.BooleanFilter(label=gettext_lazy("Past the deadline only"), method="only_overdue", widget=forms.CheckboxInput)
    bureau = django_filters.BooleanFilter(label=gettext_lazy("Reported to the bureau"), method="only_bureau", widget=forms.CheckboxInput)
    date_from = django_filters.DateFilter(label=gettext_lazy("Found from"), field_name="found_on", lookup_expr="gte",
                                          widget=forms.DateInput(attrs={"type": "date"}))
    date_to = django_filters.DateFilter(label=gettext_lazy("Found until"), field_name="found_on", lookup_expr="lte",
                                        widget=forms.DateInput(attrs={"type": "date"}))

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
        if value == "valid":
            return qs.exclude(status=HazardStatus.WITHDRAWN)
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


def _styled(filterset: django_filters.FilterSet) -> None:
    for name, f in filterset.form.fields.items():
        css = "form-check-input" if isinstance(f.widget, forms.CheckboxInput) else (
            "form-select" if isinstance(f.widget, forms.Select) else "form-control")
        f.widget.attrs.setdefault("class", css)


class _Base(django_filters.FilterSet):
    def filters_in_use(self) -> dict[str, Any]:
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return {k: v for k, v in getattr(self.form, "cleaned_data", {}).items() if k not in self.form.errors and v not in (None, "", False)}


class DrillFilter(_Base):
    """The drill list's filter: words, kind, status and a date range."""

    q = django_filters.CharFilter(label=gettext_lazy("Search"), method="search", max_length=100,
                                  widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Title, problems or summary"), "type": "search"}))
    kind = django_filters.ChoiceFilter(label=gettext_lazy("Kind of drill"), choices=DrillKind.choices, empty_label=gettext_lazy("All kinds"))
    status = django_filters.ChoiceFilter(label=gettext_lazy("Status"), choices=DrillStatus.choices, empty_label=gettext_lazy("All statuses"))
    date_from = django_filters.DateFilter(label=gettext_lazy("From"), field_name="day", lookup_expr="gte",
                                          widget=forms.DateInput(attrs={"type": "date"}))
    date_to = django_filters.DateFilter(label=gettext_lazy("Until"), field_name="day", lookup_expr="lte",
                                        widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = Drill
        fields: list[str] = []

    def __init__(self, data: Any = None, *, queryset: QuerySet[Drill], school: Any = None) -> None:
        super().__init__(data or None, queryset=queryset)
        _styled(self)

    def search(self, qs: QuerySet[Drill], name: str, value: str) -> QuerySet[Drill]:
        q = value.strip()
        return qs.filter(Q(title__icontains=q) | Q(problems__icontains=q) | Q(summary__icontains=q)) if q else qs


class TrainingFilter(_Base):
    q = django_filters.CharFilter(label=gettext_lazy("Search"), method="search", max_length=100,
                                  widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Topic, audience or trainer"), "type": "search"}))
    kind = django_filters.ChoiceFilter(label=gettext_lazy("Kind of training"), choices=TrainingKind.choices,
                                       empty_label=gettext_lazy("All kinds"))
    date_from = django_filters.DateFilter(label=gettext_lazy("From"), field_name="day", lookup_expr="gte",
                                          widget=forms.DateInput(attrs={"type": "date"}))
    date_to = django_filters.DateFilter(label=gettext_lazy("Until"), field_name="day", lookup_expr="lte",
                                        widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = Training
        fields: list[str] = []

    def __init__(self, data: Any = None, *, queryset: QuerySet[Training], school: Any = None) -> None:
        super().__init__(data or None, queryset=queryset)
        _styled(self)

    def search(self, qs: QuerySet[Training], name: str, value: str) -> QuerySet[Training]:
        q = value.strip()
        return qs.filter(Q(topic__icontains=q) | Q(audience__icontains=q) | Q(trainer__icontains=q)) if q else qs


class EvaluationFilter(_Base):
    q = django_filters.CharFilter(label=gettext_lazy("Search"), method="search", max_length=100,
                                  widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Company or conclusion"), "type": "search"}))
    contractor = django_filters.ModelChoiceFilter(label=gettext_lazy("Contractor"), queryset=Contractor.objects.none(),
                                                  empty_label=gettext_lazy("All contractors"))
    service = django_filters.ChoiceFilter(label=gettext_lazy("Service"), field_name="contractor__service", choices=ServiceKind.choices,
                                          empty_label=gettext_lazy("All services"))
    low = django_filters.BooleanFilter(label=gettext_lazy("Follow-up needed only"), field_name="follow_up_needed", widget=forms.CheckboxInput,
                                       method="only_low")

    class Meta:
        model = Evaluation
        fields: list[str] = []

    def __init__(self, data: Any = None, *, queryset: QuerySet[Evaluation], school: Any) -> None:
        super().__init__(data or None, queryset=queryset)
        self.filters["contractor"].queryset = Contractor.objects.for_school(school)
        _styled(self)

    def search(self, qs: QuerySet[Evaluation], name: str, value: str) -> QuerySet[Evaluation]:
        q = value.strip()
        return qs.filter(Q(contractor__name__icontains=q) | Q(conclusion__icontains=q) | Q(follow_up__icontains=q)) if q else qs

    def only_low(self, qs: QuerySet[Evaluation], name: str, value: bool) -> QuerySet[Evaluation]:
        return qs.filter(follow_up_needed=True) if value else qs
