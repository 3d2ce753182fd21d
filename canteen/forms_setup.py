"""Forms of the set-up screens: they validate and convert; `canteen.services.configure` applies the
rules (licence expired, certificate dates, one meal of a kind per canteen) and saves.

A per-canteen form offers only the school's canteens: another school's canteen id is an invalid choice.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy

from canteen.forms import INPUT, SELECT, DateInput
from canteen.models import Canteen, ChecklistItem, Fridge, Meal, Staff, Supplier

CHECK = {"class": "form-check-input"}


class TimeInput(forms.TimeInput):
    input_type = "time"


def _widgets(model: type, fields: list[str]) -> dict[str, Any]:
    widgets: dict[str, Any] = {}
    for name in fields:
        field = model._meta.get_field(name)
        if isinstance(field, models.BooleanField):
            widgets[name] = forms.CheckboxInput(attrs=CHECK)
        elif isinstance(field, models.DateField):
            widgets[name] = DateInput(attrs=INPUT, format="%Y-%m-%d")
        elif isinstance(field, models.TimeField):
            widgets[name] = TimeInput(attrs=INPUT, format="%H:%M")
        elif field.choices or field.is_relation:
            widgets[name] = forms.Select(attrs=SELECT)
        elif isinstance(field, models.ImageField):
            # No "clear" box and no link to the stored file: the photo is served to the school only (the staff page).
            widgets[name] = forms.FileInput(attrs={"class": "form-control", "accept": "image/*", "capture": "user"})
        else:
            widgets[name] = forms.TextInput(attrs=INPUT)
    return widgets


class SetupForm(forms.ModelForm):
    """A set-up row of the school. `school` limits the canteen choice to the school's canteens."""

    def __init__(self, *args: Any, school: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.school = school
        if "canteen" in self.fields:
            self.fields["canteen"].queryset = Canteen.objects.for_school(school).order_by("-is_active", "name")
            self.fields["canteen"].empty_label = None

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields if name in self.cleaned_data}


def _form(model: type, fields: list[str], **extra: Any) -> type[SetupForm]:
    meta = type("Meta", (), {"model": model, "fields": fields, "widgets": _widgets(model, fields)})
    return type(f"{model.__name__}SetupForm", (SetupForm,), {"Meta": meta, **extra})


CanteenForm = _form(Canteen, ["name", "operator", "licence_no", "licence_expires", "opens_at", "menu_band", "is_kindergarten",
                              "sample_min_grams", "sample_hours", "certificate_notice_days", "rapid_test_limit", "is_active"])
MealForm = _form(Meal, ["canteen", "kind", "serves_at", "accompanied", "is_active"])
FridgeForm = _form(Fridge, ["canteen", "name", "is_active"])
StaffForm = _form(Staff, ["canteen", "name", "post", "certificate_no", "certificate_issued", "certificate_expires", "photo", "on_duty",
                          "is_active"])
ChecklistItemForm = _form(ChecklistItem, ["group", "text", "for_kindergarten", "order", "is_active"])


class SupplierForm(_form(Supplier, ["name", "licence_no", "licence_expires", "contact", "phone", "address", "products", "is_active"])):  # type: ignore[misc]
    dropped_reason = forms.CharField(label=gettext_lazy("Why dropped"), max_length=200, required=False, widget=forms.TextInput(attrs=INPUT),
                                     help_text=gettext_lazy("Needed when the supplier is taken out of use; its deliveries stay."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["dropped_reason"]
        elif not self.instance.is_active:
            self.initial["dropped_reason"] = self.instance.dropped_reason


class RosterForm(forms.Form):
    on_duty = forms.TypedMultipleChoiceField(label=gettext_lazy("On the duty roster"), coerce=int, required=False,
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, staff: list[Staff], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on_duty"].choices = [(s.pk, s.name) for s in staff]
