"""Forms of the canteen screens: they validate and convert; the services apply the rules.

Every record form carries `uid` (made when the page was drawn, so a form sent twice, e.g. once from
the phone's offline queue, is one record) and `recorded_at` (set by the page's script when the person
presses the button, so a form sent later keeps the time it was filled in).
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy, pgettext_lazy

from canteen import photos as photo_lib
from canteen.models import AccompaniedMeal, Delivery, Event, FoodGroup, Fridge, MealKind, Method, MorningCheck, Rating, Staff, Supplier, Symptom

SELECT = {"class": "form-select form-select-lg"}
INPUT = {"class": "form-control form-control-lg"}


class DateInput(forms.DateInput):
    input_type = "date"


class RecordForm(forms.Form):
    uid = forms.UUIDField(widget=forms.HiddenInput, required=False)
    recorded_at = forms.CharField(widget=forms.HiddenInput, required=False)
    correction_reason = forms.CharField(label=gettext_lazy("Why corrected"), max_length=200, required=False,
                                        widget=forms.TextInput(attrs=INPUT))

    def __init__(self, *args: Any, canteen: Any = None, correcting: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("uid", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.canteen = canteen
        if not correcting:
            del self.fields["correction_reason"]  # asked only when a record is corrected

    def clean_recorded_at(self) -> dt.datetime | None:
        raw = (self.cleaned_data.get("recorded_at") or "").strip()
        if not raw:
            return None
        value = parse_datetime(raw)
        if value is None:
            raise ValidationError(gettext_lazy("Not a date and time."))
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value

    def record_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        reason = data.pop("correction_reason", "") or ""
        extra = {"reason": reason} if reason else {}
        return {**data, **extra}


def apply_errors(form: forms.Form, error: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Put a service's field errors next to the form's fields (others at the top of the form)."""
    aliases = aliases or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.message_dict.items():
        name = aliases.get(name, name)
        form.add_error(name if name in form.fields else None, errors)


class StaffAdminForm(forms.ModelForm):
    """A canteen staff member in the admin: the photo is checked as a picture (size, pixels, a real
    image), refused in words the person understands, and kept re-encoded without EXIF (the set-up
    screens do the same through canteen.services.configure)."""

    class Meta:
        model = Staff
        fields = "__all__"
        field_classes = {"photo": forms.FileField}

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if not isinstance(photo, UploadedFile):  # unchanged (the stored file), cleared (False) or none
            return photo
        if problem := photo_lib.problem_with(photo):
            raise ValidationError(problem)
        return photo_lib.staff_photo_file(photo)


class MorningCheckForm(RecordForm):
    staff = forms.ModelChoiceField(queryset=Staff.objects.none(), label=gettext_lazy("Staff member"), widget=forms.Select(attrs=SELECT))
    temperature = forms.DecimalField(label=gettext_lazy("Temperature (℃)"), max_digits=4, decimal_places=1, initial=Decimal("36.5"),
                                     widget=forms.NumberInput(attrs={**INPUT, "step": "0.1", "inputmode": "decimal"}))
    symptoms = forms.TypedMultipleChoiceField(label=gettext_lazy("Symptoms"), choices=Symptom.choices, coerce=int, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    hygiene_ok = forms.BooleanField(label=gettext_lazy("Clothes, nails, no jewellery"), required=False, initial=True,
                                    widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))
    decision = forms.ChoiceField(label=gettext_lazy("Decision"), choices=MorningCheck.Decision.choices, initial=MorningCheck.Decision.ON_DUTY,
                                 widget=forms.Select(attrs=SELECT))
    action = forms.CharField(label=gettext_lazy("Action taken"), max_length=200, required=False, widget=forms.TextInput(attrs=INPUT))

    def __init__(self, *args: Any, canteen: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, canteen=canteen, **kwargs)
        self.fields["staff"].queryset = Staff.objects.filter(canteen=canteen, is_active=True)


class SampleForm(RecordForm):
    meal = forms.ChoiceField(label=gettext_lazy("Meal"), choices=MealKind.choices, widget=forms.Select(attrs=SELECT))
    dish = forms.CharField(label=gettext_lazy("Dish"), max_length=60, widget=forms.TextInput(attrs=INPUT))
    grams = forms.IntegerField(label=gettext_lazy("Weight (g)"), min_value=0, max_value=100000,
                               widget=forms.NumberInput(attrs={**INPUT, "inputmode": "numeric"}))
    fridge = forms.ModelChoiceField(queryset=Fridge.objects.none(), label=gettext_lazy("Fridge"), required=False, widget=forms.Select(attrs=SELECT))

    def __init__(self, *args: Any, canteen: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, canteen=canteen, **kwargs)
        self.fields["fridge"].queryset = Fridge.objects.filter(canteen=canteen, is_active=True)


class DisinfectionForm(RecordForm):
    meal = forms.ChoiceField(label=gettext_lazy("Meal"), choices=MealKind.choices, widget=forms.Select(attrs=SELECT))
    method = forms.ChoiceField(label=gettext_lazy("Method"), choices=Method.choices, initial=Method.INFRARED, widget=forms.Select(attrs=SELECT))
    temperature = forms.DecimalField(label=gettext_lazy("Temperature (℃)"), max_digits=5, decimal_places=1, required=False,
                                     widget=forms.NumberInput(attrs={**INPUT, "step": "0.1", "inputmode": "decimal"}))
    concentration = forms.IntegerField(label=gettext_lazy("Concentration (mg/L)"), min_value=0, max_value=100000, required=False,
                                       widget=forms.NumberInput(attrs={**INPUT, "inputmode": "numeric"}))
    minutes = forms.DecimalField(label=gettext_lazy("Duration (minutes)"), min_value=Decimal("0.1"), max_value=1440, decimal_places=1,
                                 widget=forms.NumberInput(attrs={**INPUT, "step": "0.1", "inputmode": "decimal"}))
    items = forms.CharField(label=gettext_lazy("Tableware"), max_length=100, required=False, initial="餐具", widget=forms.TextInput(attrs=INPUT))
    quantity = forms.IntegerField(label=gettext_lazy("Pieces"), min_value=0, max_value=1_000_000, required=False,
                                  widget=forms.NumberInput(attrs={**INPUT, "inputmode": "numeric"}))
    checker = forms.CharField(label=gettext_lazy("Checked by"), max_length=40, required=False, widget=forms.TextInput(attrs=INPUT))

    def record_kwargs(self) -> dict[str, Any]:
        data = super().record_kwargs()
        data["seconds"] = int(data.pop("minutes") * 60)
        return data


class AccompaniedMealForm(RecordForm):
    meal = forms.ChoiceField(label=gettext_lazy("Meal"), choices=MealKind.choices, widget=forms.Select(attrs=SELECT))
    person = forms.CharField(label=gettext_lazy("Who ate with the students"), max_length=40, widget=forms.TextInput(attrs=INPUT))
    role = forms.ChoiceField(label=gettext_lazy("As"), choices=AccompaniedMeal.Role.choices, initial=AccompaniedMeal.Role.LEADER,
                             widget=forms.Select(attrs=SELECT))
    taste = forms.ChoiceField(label=gettext_lazy("Colour, smell and taste"), choices=Rating.choices, initial=Rating.GOOD, widget=forms.Select(attrs=SELECT))
    warmth = forms.ChoiceField(label=gettext_lazy("Temperature of the food"), choices=Rating.choices, initial=Rating.GOOD, widget=forms.Select(attrs=SELECT))
    portion = forms.ChoiceField(label=gettext_lazy("Portion"), choices=Rating.choices, initial=Rating.GOOD, widget=forms.Select(attrs=SELECT))
    hygiene = forms.ChoiceField(label=gettext_lazy("Hygiene and order"), choices=Rating.choices, initial=Rating.GOOD, widget=forms.Select(attrs=SELECT))
    opinion = forms.CharField(label=gettext_lazy("Opinions and problems"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=gettext_lazy("Answer"), max_length=2000, widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}))


class DeliveryForm(RecordForm):
    supplier = forms.ModelChoiceField(queryset=Supplier.objects.none(), label=gettext_lazy("Supplier"), widget=forms.Select(attrs=SELECT))
    name = forms.CharField(label=pgettext_lazy("food name", "Food"), max_length=60, widget=forms.TextInput(attrs=INPUT))
    spec = forms.CharField(label=gettext_lazy("Specification"), max_length=40, required=False, widget=forms.TextInput(attrs=INPUT))
    quantity = forms.DecimalField(label=gettext_lazy("Quantity"), min_value=0, max_digits=10, decimal_places=2,
                                  widget=forms.NumberInput(attrs={**INPUT, "step": "0.01", "inputmode": "decimal"}))
    unit = forms.CharField(label=gettext_lazy("Unit"), max_length=10, initial="kg", widget=forms.TextInput(attrs=INPUT))
    production_date = forms.DateField(label=gettext_lazy("Production date"), required=False, widget=DateInput(attrs=INPUT))
    batch = forms.CharField(label=gettext_lazy("Batch"), max_length=40, required=False, widget=forms.TextInput(attrs=INPUT))
    shelf_life_days = forms.IntegerField(label=gettext_lazy("Shelf life (days)"), min_value=0, max_value=36500, required=False,
                                         widget=forms.NumberInput(attrs={**INPUT, "inputmode": "numeric"}))
    is_staple = forms.BooleanField(label=gettext_lazy("Bulk staple (rice, flour, oil, meat, eggs, milk)"), required=False,
                                   widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))
    second_acceptor = forms.CharField(label=gettext_lazy("Second person accepting"), max_length=40, required=False, widget=forms.TextInput(attrs=INPUT))
    status = forms.ChoiceField(label=gettext_lazy("Result"), choices=Delivery.Status.choices, initial=Delivery.Status.ACCEPTED,
                               widget=forms.Select(attrs=SELECT))
    rejection_reason = forms.CharField(label=gettext_lazy("Why rejected"), max_length=200, required=False, widget=forms.TextInput(attrs=INPUT))
    photo = forms.FileField(label=gettext_lazy("Certificate photo"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment", "class": "form-control"}))

    def __init__(self, *args: Any, canteen: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, canteen=canteen, **kwargs)
        self.fields["supplier"].queryset = Supplier.objects.for_school(canteen.school_id).filter(is_active=True) if canteen else Supplier.objects.none()

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if photo and (problem := photo_lib.problem_with(photo)):
            raise ValidationError(problem)
        return photo

    def record_kwargs(self) -> dict[str, Any]:
        data = super().record_kwargs()
        item = {k: data.pop(k) for k in ("name", "spec", "quantity", "unit", "production_date", "batch", "shelf_life_days", "is_staple")}
        photo = data.pop("photo", None)
        return {**data, "items": [item], "photos": [photo] if photo else []}


class RapidTestForm(RecordForm):
    sample_name = forms.CharField(label=gettext_lazy("Vegetable tested"), max_length=60, widget=forms.TextInput(attrs=INPUT))
    supplier = forms.ModelChoiceField(queryset=Supplier.objects.none(), label=gettext_lazy("Supplier"), required=False, widget=forms.Select(attrs=SELECT))
    batch = forms.CharField(label=gettext_lazy("Batch"), max_length=40, required=False, widget=forms.TextInput(attrs=INPUT))
    inhibition = forms.DecimalField(label=gettext_lazy("Inhibition (%)"), max_digits=5, decimal_places=2,
                                    widget=forms.NumberInput(attrs={**INPUT, "step": "0.1", "inputmode": "decimal"}))
    action = forms.CharField(label=gettext_lazy("Action taken"), max_length=200, required=False, widget=forms.TextInput(attrs=INPUT))

    def __init__(self, *args: Any, canteen: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, canteen=canteen, **kwargs)
        self.fields["supplier"].queryset = Supplier.objects.for_school(canteen.school_id) if canteen else Supplier.objects.none()


class DailyCheckForm(RecordForm):
    problems = forms.CharField(label=gettext_lazy("Problems found and fixes"), required=False, max_length=4000,
                               widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}))

    def __init__(self, *args: Any, canteen: Any = None, items: list[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, canteen=canteen, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"item_{item.pk}"] = forms.BooleanField(label=item.text, required=False, initial=True)

    @property
    def item_rows(self) -> list[dict[str, Any]]:
        """The checklist as the page draws it: ticked unless the person unticked it in a refused form."""
        return [{"item": item, "group": item.group, "checked": not self.is_bound or bool(self.data.get(f"item_{item.pk}"))}
                for item in self.items]

    def record_kwargs(self) -> dict[str, Any]:
        data = super().record_kwargs()
        answers = {item.pk: bool(data.pop(f"item_{item.pk}", False)) for item in self.items}
        return {**data, "answers": answers}


class AdditiveForm(RecordForm):
    name = forms.CharField(label=gettext_lazy("Additive"), max_length=60, widget=forms.TextInput(attrs=INPUT))
    batch = forms.CharField(label=gettext_lazy("Batch"), max_length=40, required=False, widget=forms.TextInput(attrs=INPUT))
    dish = forms.CharField(label=gettext_lazy("Dish"), max_length=60, widget=forms.TextInput(attrs=INPUT))
    grams = forms.DecimalField(label=gettext_lazy("Amount (g)"), max_digits=8, decimal_places=2,
                               widget=forms.NumberInput(attrs={**INPUT, "step": "0.1", "inputmode": "decimal"}))


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Event.Kind.choices, widget=forms.Select(attrs=SELECT))
    day = forms.DateField(label=gettext_lazy("Date"), widget=DateInput(attrs=INPUT))
    title = forms.CharField(label=gettext_lazy("Title"), max_length=100, widget=forms.TextInput(attrs=INPUT))
    summary = forms.CharField(label=pgettext_lazy("meeting", "Summary"), required=False, max_length=4000, widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}))
    people_count = forms.IntegerField(label=pgettext_lazy("count", "People"), min_value=0, max_value=100000, required=False)


class ExportForm(forms.Form):
    date_from = forms.DateField(label=gettext_lazy("From"), widget=DateInput(attrs=INPUT))
    date_to = forms.DateField(label=gettext_lazy("To"), widget=DateInput(attrs=INPUT))

    MAX_DAYS = 800

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if end < start:
                self.add_error("date_to", gettext_lazy("The end is before the start."))
            elif (end - start).days > self.MAX_DAYS:
                self.add_error("date_to", gettext_lazy("At most two school years at a time."))
        return data


FORMS: dict[str, type[RecordForm]] = {
    "check": MorningCheckForm,
    "sample": SampleForm,
    "disinfection": DisinfectionForm,
    "accompanied": AccompaniedMealForm,
    "delivery": DeliveryForm,
    "rapid": RapidTestForm,
    "checklist": DailyCheckForm,
    "additive": AdditiveForm,
}


class ReviewForm(forms.Form):
    summary = forms.CharField(label=gettext_lazy("Review (drafted from the records; complete it)"), max_length=8000,
                              widget=forms.Textarea(attrs={"class": "form-control", "rows": 6}))
    attendees = forms.CharField(label=pgettext_lazy("meeting", "Attendees"), max_length=300, required=False, widget=forms.TextInput(attrs=INPUT))
    next_work = forms.CharField(label=gettext_lazy("Next month's key work"), max_length=4000, required=False,
                                widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}))


class MenuDishForm(forms.Form):
    day = forms.DateField(label=gettext_lazy("Date"), widget=DateInput(attrs=INPUT))
    meal = forms.ChoiceField(label=gettext_lazy("Meal"), choices=MealKind.choices, initial=MealKind.LUNCH, widget=forms.Select(attrs=SELECT))
    name = forms.CharField(label=gettext_lazy("Dish"), max_length=60, widget=forms.TextInput(attrs=INPUT))
    group = forms.ChoiceField(label=gettext_lazy("Food group"), choices=[("", "—"), *FoodGroup.choices], required=False,
                              widget=forms.Select(attrs=SELECT))
    grams = forms.DecimalField(label=gettext_lazy("Grams per student"), min_value=0, max_value=2000, decimal_places=1, required=False,
                               widget=forms.NumberInput(attrs={**INPUT, "step": "1", "inputmode": "decimal"}))
