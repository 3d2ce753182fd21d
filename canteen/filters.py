"""The record lists' filters, declared once with django-filter: each list and its export narrow the
records through the same FilterSet. An invalid value leaves its field out (the page still answers)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from canteen.models import (
    AccompaniedMeal,
    Additive,
    Canteen,
    DailyCheck,
    Delivery,
    Disinfection,
    MealKind,
    Method,
    MorningCheck,
    RapidTest,
    Sample,
)

DATE = forms.DateInput(attrs={"type": "date"})


class RecordFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=gettext_lazy("Search"), method="search", max_length=100,
                                  widget=forms.TextInput(attrs={"type": "search", "placeholder": gettext_lazy("Words")}))
    canteen = django_filters.ModelChoiceFilter(label=gettext_lazy("Canteen"), queryset=Canteen.objects.none(),
                                               empty_label=gettext_lazy("All canteens"))
    date_from = django_filters.DateFilter(label=gettext_lazy("From"), field_name="day", lookup_expr="gte", widget=DATE)
    date_to = django_filters.DateFilter(label=gettext_lazy("To"), field_name="day", lookup_expr="lte", widget=DATE)
    history = django_filters.BooleanFilter(label=gettext_lazy("Include corrected versions"), method="with_history",
                                           widget=forms.CheckboxInput)

    SEARCH: tuple[str, ...] = ()

    class Meta:
        model = Sample
        fields: list[str] = []

    def __init__(self, data: Any = None, *, queryset: QuerySet[Any], school: Any) -> None:
        super().__init__(data or None, queryset=queryset)
        self.filters["canteen"].queryset = Canteen.objects.for_school(school)

    def filters_in_use(self) -> dict[str, Any]:
        self.form.is_valid()
        return {k: v for k, v in getattr(self.form, "cleaned_data", {}).items() if k not in self.form.errors and v not in (None, "", False)}

    @property
    def qs(self) -> QuerySet[Any]:
        qs = super().qs
        if not self.filters_in_use().get("history"):
            qs = qs.filter(is_current=True)
        return qs

    def search(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        query = Q()
        for word in value.split()[:5]:
            part = Q()
            for path in self.SEARCH:
                part |= Q(**{f"{path}__icontains": word})
            query &= part
        return qs.filter(query)

    def with_history(self, qs: QuerySet[Any], name: str, value: bool) -> QuerySet[Any]:
        return qs


class SampleFilter(RecordFilter):
    meal = django_filters.ChoiceFilter(label=gettext_lazy("Meal"), choices=MealKind.choices, empty_label=gettext_lazy("All meals"))
    status = django_filters.ChoiceFilter(label=gettext_lazy("Status"), choices=Sample.Status.choices, empty_label=gettext_lazy("Any status"))
    expired = django_filters.BooleanFilter(label=gettext_lazy("Kept long enough, not destroyed"), method="only_expired", widget=forms.CheckboxInput)
    SEARCH = ("dish",)

    class Meta:
        model = Sample
        fields: list[str] = []

    def only_expired(self, qs: QuerySet[Sample], name: str, value: bool) -> QuerySet[Sample]:
        return qs.filter(status=Sample.Status.KEPT, expires_at__lte=timezone.now()) if value else qs


class MorningCheckFilter(RecordFilter):
    decision = django_filters.ChoiceFilter(label=gettext_lazy("Decision"), choices=MorningCheck.Decision.choices,
                                           empty_label=gettext_lazy("Any decision"))
    SEARCH = ("staff__name", "action")

    class Meta:
        model = MorningCheck
        fields: list[str] = []


class DeliveryFilter(RecordFilter):
    status = django_filters.ChoiceFilter(label=gettext_lazy("Result"), choices=Delivery.Status.choices, empty_label=gettext_lazy("Any result"))
    SEARCH = ("supplier__name", "items__name", "items__batch", "note")

    class Meta:
        model = Delivery
        fields: list[str] = []

    def search(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return super().search(qs, name, value).distinct()


class RapidTestFilter(RecordFilter):
    positive = django_filters.BooleanFilter(label=gettext_lazy("Positive only"), method="only_positive", widget=forms.CheckboxInput)
    SEARCH = ("sample_name", "batch", "supplier__name")

    class Meta:
        model = RapidTest
        fields: list[str] = []

    def only_positive(self, qs: QuerySet[RapidTest], name: str, value: bool) -> QuerySet[RapidTest]:
        return qs.filter(positive=True) if value else qs


class DisinfectionFilter(RecordFilter):
    method = django_filters.ChoiceFilter(label=gettext_lazy("Method"), choices=Method.choices, empty_label=gettext_lazy("Any method"))
    out_of_range = django_filters.BooleanFilter(label=gettext_lazy("Out of range only"), method="only_flagged", widget=forms.CheckboxInput)
    SEARCH = ("items", "checker")

    class Meta:
        model = Disinfection
        fields: list[str] = []

    def only_flagged(self, qs: QuerySet[Disinfection], name: str, value: bool) -> QuerySet[Disinfection]:
        return qs.filter(out_of_range=True) if value else qs


class AccompaniedMealFilter(RecordFilter):
    role = django_filters.ChoiceFilter(label=gettext_lazy("As"), choices=AccompaniedMeal.Role.choices, empty_label=gettext_lazy("Anyone"))
    feedback = django_filters.ChoiceFilter(label=gettext_lazy("Feedback"), choices=AccompaniedMeal.Feedback.choices,
                                           empty_label=gettext_lazy("Any"))
    SEARCH = ("person", "opinion", "answer")

    class Meta:
        model = AccompaniedMeal
        fields: list[str] = []


class DailyCheckFilter(RecordFilter):
    problems_only = django_filters.BooleanFilter(label=gettext_lazy("With problems only"), method="only_problems", widget=forms.CheckboxInput)
    SEARCH = ("problems",)

    class Meta:
        model = DailyCheck
        fields: list[str] = []

    def only_problems(self, qs: QuerySet[DailyCheck], name: str, value: bool) -> QuerySet[DailyCheck]:
        return qs.filter(all_ok=False) if value else qs


class AdditiveFilter(RecordFilter):
    SEARCH = ("name", "dish", "batch")

    class Meta:
        model = Additive
        fields: list[str] = []


FILTERS: dict[str, type[RecordFilter]] = {
    "check": MorningCheckFilter,
    "sample": SampleFilter,
    "disinfection": DisinfectionFilter,
    "accompanied": AccompaniedMealFilter,
    "delivery": DeliveryFilter,
    "rapid": RapidTestFilter,
    "checklist": DailyCheckFilter,
    "additive": AdditiveFilter,
}
