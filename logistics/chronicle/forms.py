"""The 纪事 entry form: a minute on a phone. Every refusal is at its field; the rest stays typed."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from logistics.chronicle.models import ChronicleEntry, ChronicleKind, Domain
from logistics.models import User
from logistics.photos import PhotosField

MAX_LINKED = 20


class EntryForm(forms.ModelForm):
    tickets = forms.CharField(
        label=gettext_lazy("Linked repair tickets"), required=False, max_length=400,
        help_text=gettext_lazy("Ticket numbers, separated by spaces or commas (e.g. BX2026-0012)."),
    )
    photos = PhotosField(label=gettext_lazy("Photos (up to 3, optional)"), required=False)

    class Meta:
        model = ChronicleEntry
        fields = ["date", "end_date", "kind", "domain", "title", "summary", "amount", "quantity", "unit", "people_count", "people",
                  "people_text"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "amount": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0"}),
            "quantity": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0"}),
            "people_count": forms.NumberInput(attrs={"inputmode": "numeric", "min": "0"}),
            "people": forms.SelectMultiple(attrs={"size": 4}),
        }
        help_texts = {
            "title": gettext_lazy("What was done, as it will read in the report: 维修运动场看台座椅, 完成实验楼屋面防水工程."),
            "end_date": gettext_lazy("For work that took several days."),
        }

    def __init__(self, *args: Any, school: Any, term: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.school, self.term = school, term
        self.fields["kind"].queryset = ChronicleKind.objects.for_school(school).filter(is_active=True).order_by("order", "pk")
        self.fields["kind"].empty_label = None
        self.fields["people"].queryset = (
            User.objects.filter(memberships__school=school, memberships__is_active=True).distinct().order_by("full_name", "username")
        )
        self.fields["people"].required = False
        self.fields["title"].required = True
        self.fields["domain"].initial = Domain.GENERAL
        for name in ("amount", "quantity"):
            self.fields[name].min_value = Decimal("0")
        if self.instance.pk and not self.is_bound:
            self.initial["tickets"] = " ".join(link.label for link in self.instance.links.all())
        self.linked: list[Any] = []

    def _in_term(self, name: str) -> Any:
        day = self.cleaned_data.get(name)
        if day and self.term and not (self.term.start <= day <= self.term.end):
            raise forms.ValidationError(
                _("The date must be within %(term)s (%(start)s to %(end)s).")
                % {"term": self.term.label, "start": self.term.start.isoformat(), "end": self.term.end.isoformat()}
            )
        return day

    def clean_date(self) -> Any:
        return self._in_term("date")

    def clean_end_date(self) -> Any:
        return self._in_term("end_date")

    def clean_title(self) -> str:
        title = (self.cleaned_data.get("title") or "").strip()
        if not title:
            raise forms.ValidationError(_("Give the entry a title."))
        return title

    def clean_tickets(self) -> str:
        from repairs.models import Ticket

        raw = self.cleaned_data.get("tickets") or ""
        numbers = list(dict.fromkeys(n for n in re.split(r"[\s,，、;；]+", raw.strip()) if n))
        if len(numbers) > MAX_LINKED:
            raise forms.ValidationError(_("Link at most %(n)d tickets.") % {"n": MAX_LINKED})
        found = {t.number: t for t in Ticket.objects.for_school(self.school).filter(number__in=[n.upper() for n in numbers])}
        missing = [n for n in numbers if n.upper() not in found]
        if missing:
            raise forms.ValidationError(_("No ticket of this school has the number %(numbers)s.") % {"numbers": "、".join(missing)})
        self.linked = [found[n.upper()] for n in numbers]
        return " ".join(numbers)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day cannot come before the first."))
        if data.get("quantity") and not (data.get("unit") or "").strip():
            self.add_error("unit", _("Say what the quantity counts (个, 米, 套…)."))
        return data

    def values(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {k: d.get(k) for k in ("date", "end_date", "domain", "title", "summary", "amount", "quantity", "people_count")} | {
            "unit": (d.get("unit") or "").strip(), "people_text": (d.get("people_text") or "").strip(),
        }


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why is it withdrawn?"), max_length=200)
