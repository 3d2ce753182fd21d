"""The ledger's filter, declared once with django-filter: the list and its Excel export both narrow
the cards through `CardFilter`. An invalid value (a stale link, a tampered parameter) leaves its
field out of `cleaned_data`, so that filter is ignored and the page still answers."""

from __future__ import annotations

import datetime as dt
import re
from functools import cached_property
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy

from logistics.models import Building, Department, Room, SchoolClass, User

from assets.models import ACTIVE_STATUSES, AssetCard, AssetClass, Status
from assets.models_disposal import Disposal, DisposalLine, DisposalStatus, Way
from assets.selectors import buildings_of, classes_in_use, classes_of, departments_of, people_of

# A whole asset number as the ledger gives it (A02010105-2026-0001): looked up by the unique index.
NUMBER = re.compile(r"[A-Z]\d{8}-\d{4}-\d{4,}")


class CardFilterForm(forms.Form):
    @cached_property
    def options(self) -> dict[str, list[tuple[Any, Any]]]:
        """Each select's (value, label) pairs, one query per list (ModelChoiceField would also COUNT)."""
        lists: dict[str, list[tuple[Any, Any]]] = {"status": list(self.fields["status"].choices)}
        for name, label in (("asset_class", str), ("building", lambda b: b.name), ("room", str), ("department", str),
                            ("custodian", lambda u: u.display_name), ("custodian_class", str)):
            field = self.fields[name]
            lists[name] = [("", field.empty_label)] + [(obj.pk, label(obj)) for obj in field.queryset]
        return lists

    def filters(self) -> dict[str, Any]:
        """The valid, non-empty filters (what the export names in its description row)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors and v not in (None, "", False)}


class CardFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=gettext_lazy("Search"), method="search", max_length=100,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Number, name, model or serial"), "type": "search"}),
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=[("active", gettext_lazy("On the active ledger")), *Status.choices],
        empty_label=gettext_lazy("All statuses"), method="by_status",
    )
    asset_class = django_filters.ModelChoiceFilter(label=gettext_lazy("Asset class"), queryset=AssetClass.objects.none(),
                                                   empty_label=gettext_lazy("All classes"), method="by_class")
    building = django_filters.ModelChoiceFilter(label=gettext_lazy("Building"), queryset=Building.objects.none(),
                                                empty_label=gettext_lazy("All buildings"), field_name="room__building")
    room = django_filters.ModelChoiceFilter(label=gettext_lazy("Room"), queryset=Room.objects.none(), empty_label=gettext_lazy("All rooms"))
    department = django_filters.ModelChoiceFilter(label=gettext_lazy("Department"), queryset=Department.objects.none(),
                                                  empty_label=gettext_lazy("All departments"))
    custodian = django_filters.ModelChoiceFilter(label=gettext_lazy("Custodian"), queryset=User.objects.none(),
                                                 empty_label=gettext_lazy("Anyone"))
    custodian_class = django_filters.ModelChoiceFilter(label=gettext_lazy("Class holding it"), queryset=SchoolClass.objects.none(),
                                                       empty_label=gettext_lazy("Any class"))

    class Meta:
        model = AssetCard
        fields: list[str] = []
        form = CardFilterForm

    def __init__(self, data: Any = None, *, queryset: QuerySet[AssetCard], school: Any) -> None:
        super().__init__(data or None, queryset=queryset)
        self.filters["asset_class"].queryset = classes_in_use()
        self.filters["building"].queryset = buildings_of(school)
        self.filters["room"].queryset = Room.objects.for_school(school).filter(is_active=True).select_related("building")
        self.filters["department"].queryset = departments_of(school)
        self.filters["custodian"].queryset = people_of(school)
        self.filters["custodian_class"].queryset = classes_of(school)

    def search(self, qs: QuerySet[AssetCard], name: str, value: str) -> QuerySet[AssetCard]:
        q = value.strip()
        if NUMBER.fullmatch(q.upper()):
            return qs.filter(number=q.upper())
        if not q:
            return qs
        return qs.filter(Q(number__icontains=q) | Q(name__icontains=q) | Q(spec__icontains=q) | Q(serial_number__icontains=q))

    def by_status(self, qs: QuerySet[AssetCard], name: str, value: str) -> QuerySet[AssetCard]:
        if value == "active":
            return qs.filter(status__in=ACTIVE_STATUSES)
        return qs.filter(status=value)

    def by_class(self, qs: QuerySet[AssetCard], name: str, value: AssetClass) -> QuerySet[AssetCard]:
        """A class and the classes under it: A02010000 计算机设备 finds the desktops and the laptops."""
        prefix = value.code.rstrip("0")
        # Codes run in pairs of digits after the letter: keep the prefix on a whole level.
        if (len(prefix) - 1) % 2:
            prefix += "0"
        return qs.filter(asset_class__in=AssetClass.objects.filter(code__startswith=prefix).values("pk"))


# --- Disposals -------------------------------------------------------------------------------------

class DisposalFilterForm(forms.Form):
    @cached_property
    def options(self) -> dict[str, list[tuple[Any, Any]]]:
        """The selects' (value, label) pairs: fixed choices, no query."""
        return {name: list(self.fields[name].choices) for name in ("status", "way")}

    def filters(self) -> dict[str, Any]:
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors and v not in (None, "", False)}


class DisposalFilter(django_filters.FilterSet):
    """The disposal list and its export: status, way, the date requested (from/to) and a search of the
    request's number, reason and the numbers and names of its cards."""

    q = django_filters.CharFilter(
        label=gettext_lazy("Search"), method="search", max_length=100,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Number, reason, asset number or name"), "type": "search"}),
    )
    status = django_filters.ChoiceFilter(label=gettext_lazy("Status"), choices=DisposalStatus.choices, empty_label=gettext_lazy("All statuses"))
    way = django_filters.ChoiceFilter(label=gettext_lazy("Way"), choices=Way.choices, empty_label=pgettext_lazy("disposal", "All ways"))
    date_from = django_filters.DateFilter(label=gettext_lazy("Requested from"), field_name="requested_at", method="requested_from",
                                          widget=forms.DateInput(attrs={"type": "date"}))
    date_to = django_filters.DateFilter(label=gettext_lazy("Requested until"), field_name="requested_at", method="requested_until",
                                        widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = Disposal
        fields: list[str] = []
        form = DisposalFilterForm

    def __init__(self, data: Any = None, *, queryset: QuerySet[Disposal]) -> None:
        super().__init__(data or None, queryset=queryset)

    def search(self, qs: QuerySet[Disposal], name: str, value: str) -> QuerySet[Disposal]:
        q = value.strip()
        if not q:
            return qs
        cards = DisposalLine.objects.filter(Q(card__number__icontains=q) | Q(card__name__icontains=q)).values("disposal_id")
        return qs.filter(Q(number__icontains=q) | Q(reason__icontains=q) | Q(pk__in=cards))

    # The day in the school's time zone: a request made at 23:30 on the 31st belongs to the 31st.
    def requested_from(self, qs: QuerySet[Disposal], name: str, value: dt.date) -> QuerySet[Disposal]:
        return qs.filter(requested_at__gte=_day_start(value))

    def requested_until(self, qs: QuerySet[Disposal], name: str, value: dt.date) -> QuerySet[Disposal]:
        return qs.filter(requested_at__lt=_day_start(value + dt.timedelta(days=1)))


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
