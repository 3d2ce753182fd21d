"""The ticket list's filter, declared once with django-filter: the list, its export and the export's
background job all narrow the tickets through `TicketFilter`.

An invalid value (a stale link, a tampered parameter) leaves its field out of `cleaned_data`, so
that filter is ignored and the page still answers; the form shows the error next to the field.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from logistics.models import Building, User

from repairs.models import OPEN_STATUSES, Category, Status, Ticket, Urgency
from repairs.selectors import NUMBER, buildings_of, repairers_of, unfinished

# Dates a person can mean; beyond them the database's datetime range (and a timezone shift) overflows.
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(9998, 12, 31)


class TicketFilterForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in ("date_from", "date_to"):
            day = data.get(name)
            if day is not None and not EARLIEST <= day <= LATEST:
                self.add_error(name, gettext_lazy("Choose a date between 1900 and 9998."))
        return data

    @cached_property
    def options(self) -> dict[str, list[tuple[Any, Any]]]:
        """Each select's (value, label) pairs, one query per list (ModelChoiceField would also COUNT)."""
        lists: dict[str, list[tuple[Any, Any]]] = {}
        for name in ("status", "urgency"):
            lists[name] = list(self.fields[name].choices)
        for name, label in (("category", "name"), ("building", "name"), ("assignee", "display_name")):
            field = self.fields[name]
            lists[name] = [("", field.empty_label)] + [(obj.pk, getattr(obj, label)) for obj in field.queryset]
        return lists

    def filters(self) -> dict[str, Any]:
        """The valid, non-empty filters (what the export names in its description row)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors and v not in (None, "", False)}


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class TicketFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=gettext_lazy("Search"), method="search", max_length=100,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Number or words"), "type": "search"}),
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=[("open", gettext_lazy("Open")), *Status.choices],
        empty_label=gettext_lazy("All statuses"), method="by_status",
    )
    category = django_filters.ModelChoiceFilter(label=gettext_lazy("Category"), queryset=Category.objects.none(), empty_label=gettext_lazy("All categories"))
    building = django_filters.ModelChoiceFilter(label=gettext_lazy("Building"), queryset=Building.objects.none(), empty_label=gettext_lazy("All buildings"))
    assignee = django_filters.ModelChoiceFilter(label=gettext_lazy("Repairer"), queryset=User.objects.none(), empty_label=gettext_lazy("All repairers"))
    urgency = django_filters.ChoiceFilter(label=gettext_lazy("Urgency"), choices=Urgency.choices, empty_label=gettext_lazy("Any urgency"))
    date_from = django_filters.DateFilter(label=gettext_lazy("Reported from"), method="reported_from", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = django_filters.DateFilter(label=gettext_lazy("Reported until"), method="reported_until", widget=forms.DateInput(attrs={"type": "date"}))
    overdue = django_filters.BooleanFilter(label=gettext_lazy("Overdue only"), method="only_overdue", widget=forms.CheckboxInput)
    mine = django_filters.BooleanFilter(label=gettext_lazy("Reported by me"), method="reported_by_me", widget=forms.CheckboxInput)

    class Meta:
        model = Ticket
        fields: list[str] = []
        form = TicketFilterForm

    def __init__(
        self, data: Any = None, *, queryset: QuerySet[Ticket], school: Any, user: Any = None, now: dt.datetime | None = None
    ) -> None:
        super().__init__(data or None, queryset=queryset)
        self.user, self.now = user, now
        self.filters["category"].queryset = Category.objects.for_school(school)
        self.filters["building"].queryset = buildings_of(school)
        self.filters["assignee"].queryset = repairers_of(school)

    def search(self, qs: QuerySet[Ticket], name: str, value: str) -> QuerySet[Ticket]:
        q = value.strip()
        if NUMBER.fullmatch(q.upper()):
            return qs.filter(number=q.upper())  # a whole number: the unique index, not a scan
        return qs.filter(Q(number__icontains=q) | Q(description__icontains=q)) if q else qs

    def by_status(self, qs: QuerySet[Ticket], name: str, value: str) -> QuerySet[Ticket]:
        return qs.filter(status__in=OPEN_STATUSES) if value == "open" else qs.filter(status=value)

    def reported_from(self, qs: QuerySet[Ticket], name: str, value: dt.date) -> QuerySet[Ticket]:
        return qs.filter(submitted_at__gte=_start_of(value))

    def reported_until(self, qs: QuerySet[Ticket], name: str, value: dt.date) -> QuerySet[Ticket]:
        return qs.filter(submitted_at__lt=_start_of(value + dt.timedelta(days=1)))

    def only_overdue(self, qs: QuerySet[Ticket], name: str, value: bool) -> QuerySet[Ticket]:
        return qs.filter(unfinished(), due_at__lt=self.now or timezone.now()) if value else qs

    def reported_by_me(self, qs: QuerySet[Ticket], name: str, value: bool) -> QuerySet[Ticket]:
        return qs.filter(reporter_id=getattr(self.user, "pk", None)) if value else qs
