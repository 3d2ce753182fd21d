"""Forms of the safety screens: they validate and convert; services do the work."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy

from logistics.models import Building, Room, User

from safety import photos as photo_lib
from safety.models import FIVE_IN_PLACE, Answer, Contractor, Criterion, DrillKind, Grade, HazardCategory, InspectionTemplate, ServiceKind, TrainingKind
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
    """An <input type=date>: its value is always ISO (YYYY-MM-DD), whatever the locale's format."""

    input_type = "date"

    def __init__(self, attrs: Any = None, format: str | None = None) -> None:
        super().__init__(attrs, format=format or "%Y-%m-%d")


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
    answer = forms.ChoiceField(choices=Answer.choices, label=pgettext_lazy("safety round", "Answer"))
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


# --- Drills, training, contractor evaluations ------------------------------------------------------


MAX_MATERIALS_BYTES = 20 * 1024 * 1024
MATERIAL_TYPES = (".pdf", ".ppt", ".pptx", ".doc", ".docx", ".xls", ".xlsx", ".jpg", ".jpeg", ".png", ".mp4", ".zip")


def _in_range(day: dt.date | None) -> dt.date | None:
    if day is not None and (day.year < 2000 or day > timezone.localdate() + dt.timedelta(days=366)):
        raise forms.ValidationError(gettext_lazy("Choose a date between 2000 and a year from now."))
    return day


class DrillPlanForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of drill"), choices=DrillKind.choices)
    day = forms.DateField(label=gettext_lazy("Date"), widget=DateInput)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=100, required=False,
                            help_text=gettext_lazy("Optional, e.g. 秋季消防疏散演练."))

    def clean_day(self) -> dt.date | None:
        return _in_range(self.cleaned_data.get("day"))


class DrillRecordForm(forms.Form):
    day = forms.DateField(label=gettext_lazy("Date held"), widget=DateInput)
    participants = forms.IntegerField(label=gettext_lazy("Participants"), min_value=1, max_value=100_000)
    evacuation_seconds = forms.IntegerField(label=gettext_lazy("Evacuation time (seconds)"), min_value=1, max_value=3600, required=False,
                                            help_text=gettext_lazy("From the alarm until everyone is at the assembly point."))
    duration_minutes = forms.IntegerField(label=gettext_lazy("Duration (minutes)"), min_value=1, max_value=1440, required=False)
    problems = forms.CharField(label=gettext_lazy("Problems the drill found"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    improvements = forms.CharField(label=gettext_lazy("Improvements"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    summary = forms.CharField(label=gettext_lazy("Drill summary"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    photo = PhotoField(label=gettext_lazy("Photo"), required=False)

    def clean_day(self) -> dt.date | None:
        day = _in_range(self.cleaned_data.get("day"))
        if day and day > timezone.localdate():
            raise forms.ValidationError(gettext_lazy("A drill is recorded on the day it is held or after."))
        return day


class DrillHazardForm(forms.Form):
    room = RoomField(queryset=Room.objects.none(), label=gettext_lazy("Room"), required=False)
    building = forms.ModelChoiceField(queryset=Building.objects.none(), label=gettext_lazy("Building"), required=False)
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=HazardCategory.choices, initial=HazardCategory.FIRE)
    grade = forms.ChoiceField(label=gettext_lazy("Hazard grade"), choices=Grade.choices, initial=Grade.GENERAL)
    description = forms.CharField(label=gettext_lazy("Description"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, school: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = _rooms(school)
        self.fields["building"].queryset = buildings_of(school)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("room") and not data.get("building"):
            raise forms.ValidationError(gettext_lazy("Choose where the problem is: a room or a building."))
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300)


class MaterialsField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> Any:
        data = super().clean(data, initial)
        if data:
            if data.size > MAX_MATERIALS_BYTES:
                raise forms.ValidationError(gettext_lazy("The file is larger than 20 MB."))
            if not data.name.lower().endswith(MATERIAL_TYPES):
                raise forms.ValidationError(gettext_lazy("Upload a PDF, an Office document, a picture, a video or a zip file."))
        return data or None


class PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user: User) -> str:
        return user.display_name


class TrainingForm(forms.Form):
    day = forms.DateField(label=gettext_lazy("Date"), widget=DateInput)
    kind = forms.ChoiceField(label=gettext_lazy("Kind of training"), choices=TrainingKind.choices)
    topic = forms.CharField(label=gettext_lazy("Topic"), max_length=120)
    audience = forms.CharField(label=gettext_lazy("Audience"), max_length=120,
                               help_text=gettext_lazy("Who it was for: all staff, new staff, guards, canteen staff…"))
    attendees_count = forms.IntegerField(label=gettext_lazy("Attendees"), min_value=1, max_value=100_000)
    hours = forms.DecimalField(label=gettext_lazy("Hours"), min_value=Decimal("0.1"), max_value=99, max_digits=4, decimal_places=1)
    trainer = forms.CharField(label=gettext_lazy("Trainer"), max_length=60)
    attendees = PeopleField(queryset=User.objects.none(), label=gettext_lazy("Staff who attended"), required=False,
                            widget=forms.CheckboxSelectMultiple, help_text=gettext_lazy("Optional: tick the staff, so the report can say who was trained."))
    materials = MaterialsField(label=gettext_lazy("Materials"), required=False)
    notes = forms.CharField(label=gettext_lazy("Notes"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, school: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = _people(school)

    def clean_day(self) -> dt.date | None:
        day = _in_range(self.cleaned_data.get("day"))
        if day and day > timezone.localdate():
            raise forms.ValidationError(gettext_lazy("A training session is recorded on the day it is held or after."))
        return day


class StaffStartForm(forms.Form):
    user = PersonField(queryset=User.objects.none(), label=pgettext_lazy("training coverage", "Staff member"))
    started_on = forms.DateField(label=gettext_lazy("Started on"), widget=DateInput)

    def __init__(self, *args: Any, school: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _people(school)

    def clean_started_on(self) -> dt.date | None:
        return _in_range(self.cleaned_data.get("started_on"))


class MonthField(forms.CharField):
    """YYYY-MM (an <input type=month>), returned as the first day of that month."""

    widget = forms.TextInput(attrs={"type": "month"})

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if not value:
            return None
        try:
            year, month = (int(part) for part in str(value).split("-")[:2])
            day = dt.date(year, month, 1)
        except (TypeError, ValueError):
            raise forms.ValidationError(gettext_lazy("Give the month as YYYY-MM.")) from None
        if day.year < 2000 or day > timezone.localdate():
            raise forms.ValidationError(gettext_lazy("Choose a month from 2000 up to this month."))
        return day


class ContractorForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Company"), max_length=100)
    service = forms.ChoiceField(label=gettext_lazy("Service"), choices=ServiceKind.choices)
    contact = forms.CharField(label=gettext_lazy("Contact person"), max_length=60, required=False)


class EvaluationForm(forms.Form):
    """A month's score sheet: one 0–100 field per criterion of the contractor's service."""

    month = MonthField(label=gettext_lazy("Month"))
    conclusion = forms.CharField(label=gettext_lazy("Conclusion"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, contractor: Contractor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(Criterion.objects.filter(school_id=contractor.school_id, service=contractor.service, is_active=True))
        for c in self.criteria:
            self.fields[f"c{c.pk}"] = forms.IntegerField(label=f"{c.text}（{c.weight}%）" if c.weight else c.text, min_value=0, max_value=100)
        self.order_fields(["month", *[f"c{c.pk}" for c in self.criteria], "conclusion"])

    @property
    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data.get(f"c{c.pk}") for c in self.criteria}


class FollowUpForm(forms.Form):
    follow_up = forms.CharField(label=gettext_lazy("Follow-up"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
