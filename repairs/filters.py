"""The ticket list's filter, declared once with django-filter: the list, its export and the export's
background job all narrow the tickets through `TicketFilter`.

An invalid value (a stale link, a tampered parameter) leaves its field out of `cleaned_data`, so
that filter is ignored and the page still answers; the form shows the error next to the field.

The term report links each figure to this list (repairs/report.py). A figure counts tickets as
they stood at a cut-off, the end of the term or, while it runs, now; the `…_by`, `unfinished_at` and
`late_at` filters take that day and the report counts with the same predicates (`is_done_by`,
`is_unfinished_at`, `is_late_at` below), so a figure and the list it opens cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Any

import django_filters
from django import forms
from django.db.models import F, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy

from logistics.models import Building, Room, User
from logistics.options import options

from repairs.models import OPEN_STATUSES, UNFINISHED_STATUSES, Category, Status, Ticket, Urgency
from repairs.selectors import NUMBER, buildings_of, repairers_of, unfinished

# Dates a person can mean; beyond them the database's datetime range (and a timezone shift) overflows.
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(9998, 12, 31)
# Drawn as inputs of their own by the list; the other filters arrive from links (the term report's
# figures) and are shown as removable notes, carried along as hidden inputs when the form is sent.
DRAWN = ("q", "status", "urgency", "category", "building", "assignee", "date_from", "date_to", "overdue", "mine")
PAGING = ("before", "after", "page", "p")


# --- What a figure of the term report counts, at a cut-off ---------------------------------------
# A ticket's done_at is set while it is done, accepted or closed (a rejection clears it) and its
# accepted_at once accepted, so "done by C" needs no status. A ticket finished after C (in the
# holidays, say) was unfinished at C. Cancelled and merged tickets were never work left undone.

def is_done_by(cut: dt.datetime) -> Q:
    return Q(done_at__lt=cut)


def is_accepted_by(cut: dt.datetime) -> Q:
    return Q(accepted_at__lt=cut)


def is_unfinished_at(cut: dt.datetime) -> Q:
    return Q(submitted_at__lt=cut) & (Q(status__in=UNFINISHED_STATUSES) | Q(done_at__gte=cut))


def is_late_at(cut: dt.datetime) -> Q:
    """Done after its deadline (by C), or unfinished at C with its deadline passed."""
    return (is_done_by(cut) & Q(done_at__gt=F("due_at"))) | (is_unfinished_at(cut) & Q(due_at__lt=cut))


class TicketFilterForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name, field in self.fields.items():
            day = data.get(name)
            if isinstance(field, forms.DateField) and day is not None and not EARLIEST <= day <= LATEST:
                self.add_error(name, gettext_lazy("Choose a date between 1900 and 9998."))
        return data

    school: Any = None  # set by TicketFilter

    @cached_property
    def options(self) -> dict[str, list[tuple[Any, Any]]]:
        """Each select's (value, label) pairs; the school's lists come from the cache (logistics.options)."""
        lists: dict[str, list[tuple[Any, Any]]] = {}
        for name in ("status", "urgency"):
            lists[name] = list(self.fields[name].choices)
        for name in ("category", "building", "assignee"):
            lists[name] = [("", self.fields[name].empty_label), *options(f"repairs.{name}", self.school)]
        return lists

    def filters(self) -> dict[str, Any]:
        """The valid, non-empty filters (what the export names in its description row)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors and v not in (None, "", False)}

    @cached_property
    def notes(self) -> list[dict[str, str]]:
        """The valid filters the list draws no input for (a report figure's link brings them): each
        with its label, its value as read, the raw value (a hidden input keeps it) and the query
        string without it (its remove link)."""
        out: list[dict[str, str]] = []
        for name, value in self.filters().items():
            if name in DRAWN:
                continue
            rest = QueryDict(mutable=True)
            rest.update(self.data)
            for key in (name, *PAGING):
                rest.pop(key, None)
            out.append({
                "name": name, "label": str(self.fields[name].label), "raw": str(self.data.get(name, "")),
                "value": value.isoformat() if isinstance(value, dt.date) else "" if value is True else str(value),
                "rest": rest.urlencode(),
            })
        return out


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _end_of(day: dt.date) -> dt.datetime:
    """The first moment after `day`, so a day's filter includes the whole day."""
    return _start_of(day + dt.timedelta(days=1))


class TicketFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=gettext_lazy("Search"), method="search", max_length=100,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Number or words"), "type": "search"}),
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=[("open", pgettext_lazy("ticket status", "Open")), ("not_merged", gettext_lazy("All but merged duplicates")), *Status.choices],
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
    # Brought by the term report's links (shown as notes, see TicketFilterForm.notes).
    room = django_filters.ModelChoiceFilter(label=gettext_lazy("Room"), queryset=Room.objects.none())
    done_by = django_filters.DateFilter(label=gettext_lazy("Done by the end of"), method="done_by_day")
    accepted_by = django_filters.DateFilter(label=gettext_lazy("Accepted by the end of"), method="accepted_by_day")
    unfinished_at = django_filters.DateFilter(label=gettext_lazy("Unfinished at the end of"), method="unfinished_at_day")
    late_at = django_filters.DateFilter(label=gettext_lazy("Late as of the end of"), method="late_at_day")
    rated = django_filters.BooleanFilter(label=gettext_lazy("Rated only"), method="only_rated", widget=forms.CheckboxInput)

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
        self.filters["room"].queryset = Room.objects.for_school(school).select_related("building")
        self.school = school

    @property
    def form(self) -> TicketFilterForm:
        form = super().form
        form.school = self.school
        return form

    def _cut_off(self, day: dt.date) -> dt.datetime:
        """The end of `day`, or now if that is still to come: a state is known only up to now."""
        return min(_end_of(day), self.now or timezone.now())

    def search(self, qs: QuerySet[Ticket], name: str, value: str) -> QuerySet[Ticket]:
        q = value.strip()
        if NUMBER.fullmatch(q.upper()):
            return qs.filter(number=q.upper())  # a whole number: the unique index, not a scan
        return qs.filter(Q(number__icontains=q) | Q(description__icontains=q)) if q else qs

    def by_status(self, qs: QuerySet[Ticket], name: str, value: str) -> QuerySet[Ticket]:
        if value == "open":
            return qs.filter(status__in=OPEN_STATUSES)
        if value == "not_merged":
            return qs.exclude(status=Status.MERGED)
        return qs.filter(status=value)

    def reported_from(self, qs: QuerySet[Ticket], name: str, value: dt.date) -> QuerySet[Ticket]:
        return qs.filter(submitted_at__gte=_start_of(value))

    def reported_until(self, qs: QuerySet[Ticket], name: str, value: dt.date) -> QuerySet[Ticket]:
        return qs.filter(submitted_at__lt=_end_of(value))

    def done_by_day(self, qs: QuerySet[Ticket], name: str, value: dt.date) -> QuerySet[Ticket]:
        return qs.filter(is_done_by(_end_of(value)))

    def accepted_by_day(self, qs: QuerySet[Ticket], name: str, value: dt.date) -> QuerySet[Ticket]:
        return qs.filter(is_accepted_by(_end_of(value)))

    def unfinished_at_day(self, qs: QuerySet[Ticket], name: str, value: dt.date) -> QuerySet[Ticket]:
        return qs.filter(is_unfinished_at(self._cut_off(value)))

    def late_at_day(self, qs: QuerySet[Ticket], name: str, value: dt.date) -> QuerySet[Ticket]:
        return qs.filter(is_late_at(self._cut_off(value)))

    def only_rated(self, qs: QuerySet[Ticket], name: str, value: bool) -> QuerySet[Ticket]:
        return qs.filter(rating__isnull=False) if value else qs

    def only_overdue(self, qs: QuerySet[Ticket], name: str, value: bool) -> QuerySet[Ticket]:
        return qs.filter(unfinished(), due_at__lt=self.now or timezone.now()) if value else qs

    def reported_by_me(self, qs: QuerySet[Ticket], name: str, value: bool) -> QuerySet[Ticket]:
        return qs.filter(reporter_id=getattr(self.user, "pk", None)) if value else qs
