"""Forms of the safety screens: they validate and convert; services do the work."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from logistics.models import Building, Room, User

from safety import photos as photo_lib
from safety.models import FIVE_IN_PLACE, Answer, Grade, HazardCategory, InspectionTemplate
from safety.selectors import buildings_of


class PhotoField(forms.FileField):
    """One picture, checked like a repair photo (size, pixels, a real image)."""

    widget = forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"})

    def clean(self, data: Any, initial: Any = None) -> Any:
        data = super().clean(data, initial)
        if data and (problem := photo_lib.problem_with(data)):
            raise forms.ValidationError(problem)
        return data or None


class RoomField(forms.ModelChoiceField):
    def label_from_instance(self, room: Room) -> str:
        name = room.name if room.name != room.code else ""
        return f"{room.building.name} {room.code} {name}".strip()


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        return user.display_name


def _people(school: Any) -> Any:
    return User.objects.filter(memberships__school=school, memberships__is_active=True, is_active=True).distinct().order_by("full_name", "username")


def _rooms(school: Any) -> Any:
    return Room.objects.for_school(school).filter(is_active=True).select_related("building").order_by("building__code", "code")


class DateInput(forms.DateInput):
    input_type = "date"


class RoundStartForm(forms.Form):
    template = forms.ModelChoiceField(queryset=InspectionTemplate.objects.none(), label=gettext_lazy("Checklist"), empty_label=None,
                                      widget=forms.Select(attrs={"class": "form-select"}))
    building = forms.ModelChoiceField(queryset=Building.objects.none(), label=gettext_lazy("Place inspected"), required=False,
                                      empty_label=gettext_lazy("Whole campus"), widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, *args: Any, school: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = InspectionTemplate.objects.for_school(school).active()
        self.fields["building"].queryset = buildings_of(school)


class AnswerForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.ChoiceField(choices=Answer.choices, label=gettext_lazy("Answer"))
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False)
    room = forms.ModelChoiceField(queryset=Room.objects.none(), label=gettext_lazy("Room"), required=False)
    photo = PhotoField(label=gettext_lazy("Photo"), required=False)

    def __init__(self, *args: Any, rooms: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms


class FinishForm(forms.Form):
    signature = forms.CharField(label=gettext_lazy("Signature (your name)"), max_length=50)
    companion = forms.CharField(label=gettext_lazy("Walked with (optional)"), max_length=50, required=False)


def _not_past(day: dt.date | None) -> dt.date | None:
    if day is not None and day < timezone.localdate():
        raise forms.ValidationError(gettext_lazy("The deadline cannot be in the past."))
    return day


class HazardReportForm(forms.Form):
    room = RoomField(queryset=Room.objects.none(), label=gettext_lazy("Room"), required=False,
                     help_text=gettext_lazy("Or choose only the building below."))
    building = forms.ModelChoiceField(queryset=Building.objects.none(), label=gettext_lazy("Building"), required=False)
    category = forms.ChoiceField(choices=HazardCategory.choices, label=gettext_lazy("Category"))
    grade = forms.ChoiceField(choices=Grade.choices, label=gettext_lazy("Grade"), initial=Grade.GENERAL, widget=forms.RadioSelect)
    description = forms.CharField(label=gettext_lazy("What is the hazard"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    temporary_measures = forms.CharField(label=gettext_lazy("Temporary measures taken"), max_length=500, required=False,
                                         help_text=gettext_lazy("e.g. cordoned off, warning sign put up."))
    responsible = PersonField(queryset=User.objects.none(), label=gettext_lazy("Person responsible (optional)"), required=False)
    deadline = forms.DateField(label=gettext_lazy("Deadline (optional)"), required=False, widget=DateInput)
    photo = PhotoField(label=gettext_lazy("Photo (optional)"), required=False)

    def __init__(self, *args: Any, school: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = _rooms(school)
        self.fields["building"].queryset = buildings_of(school)
        self.fields["responsible"].queryset = _people(school)

    def clean_deadline(self) -> dt.date | None:
        return _not_past(self.cleaned_data.get("deadline"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("room") and not data.get("building"):
            self.add_error("room", gettext_lazy("Choose the room or the building."))
        return data


class AssignForm(forms.Form):
    responsible = PersonField(queryset=User.objects.none(), label=gettext_lazy("Person responsible"))
    deadline = forms.DateField(label=gettext_lazy("Deadline"), widget=DateInput)
    grade = forms.ChoiceField(choices=Grade.choices, label=gettext_lazy("Grade"), widget=forms.RadioSelect)
    room = RoomField(queryset=Room.objects.none(), label=gettext_lazy("Room"), required=False)
    temporary_measures = forms.CharField(label=gettext_lazy("Temporary measures taken"), max_length=500, required=False)

    def __init__(self, *args: Any, school: Any, keep_deadline: dt.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keep_deadline = keep_deadline
        self.fields["responsible"].queryset = _people(school)
        self.fields["room"].queryset = _rooms(school)

    def clean_deadline(self) -> dt.date | None:
        day = self.cleaned_data.get("deadline")
        return day if day == self.keep_deadline else _not_past(day)


class FiveForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in FIVE_IN_PLACE:
            self.fields[name] = forms.BooleanField(label=label, required=False)


class RectifyForm(forms.Form):
    measures = forms.CharField(label=gettext_lazy("Measures taken"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    photo = PhotoField(label=gettext_lazy("Photo after the fix (optional)"), required=False)


class CloseForm(forms.Form):
    verification = forms.CharField(label=gettext_lazy("Verification: what you checked"), max_length=2000, required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    photo = PhotoField(label=gettext_lazy("Photo (optional)"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (data.get("verification") or "").strip() and not data.get("photo"):
            self.add_error("verification", gettext_lazy("Give the evidence of the check: a note or a photo."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class BureauForm(forms.Form):
    report = forms.CharField(label=gettext_lazy("Written report (reference or summary)"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))


class RepairForm(forms.Form):
    category = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Repair category"), empty_label=None)
    description = forms.CharField(label=gettext_lazy("What to repair"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, school: Any, **kwargs: Any) -> None:
        # The repair categories are repairs' data, read through its model's scoped manager (there is
        # no repairs selector for them yet); the ticket itself is made by repairs.services.
        from repairs.models import Category

        super().__init__(*args, **kwargs)
        Category.ensure_defaults(school)
        self.fields["category"].queryset = Category.objects.for_school(school).active()
