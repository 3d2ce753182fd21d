"""Forms of the repairs screens: they validate and convert; services do the work."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.functional import SimpleLazyObject
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from logistics.models import Room, User

from repairs import photos as photo_lib
from repairs.models import Category, RepairSettings, Ticket, Urgency
from repairs.selectors import repairer_loads, repairers_of


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to three pictures; each refused one is named with the reason."""

    widget = MultipleFileInput(attrs={"accept": "image/*", "multiple": True})

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        problems = []
        if len(files) > photo_lib.MAX_PHOTOS:
            problems.append(
                _("You chose %(n)d photos; at most %(max)d are allowed.") % {"n": len(files), "max": photo_lib.MAX_PHOTOS}
            )
        problems += [p for f in files if (p := photo_lib.problem_with(f))]
        if problems:
            # Browsers never re-fill a file input, so say it plainly: the rest of the form is kept.
            problems.append(_("Everything else you typed is kept; please choose the photos again."))
            raise forms.ValidationError(problems)
        return files


class RoomChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, room: Room) -> str:
        return f"{room.code} {room.name}" if room.name != room.code else room.code


class TicketReportForm(forms.Form):
    room = RoomChoiceField(queryset=Room.objects.none(), label=gettext_lazy("Place"), help_text=gettext_lazy("Type a room number or name."))
    category = forms.ModelChoiceField(queryset=Category.objects.none(), label=gettext_lazy("What kind of fault"), empty_label=None,
                                      widget=forms.RadioSelect)
    description = forms.CharField(
        label=gettext_lazy("What is wrong"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": gettext_lazy("e.g. the second lamp from the front flickers")}),
    )
    urgency = forms.ChoiceField(label=gettext_lazy("How urgent"), choices=Urgency.choices, initial=Urgency.NORMAL, widget=forms.RadioSelect)
    photos = PhotosField(label=gettext_lazy("Photos (up to 3, optional)"), required=False,
                         help_text=gettext_lazy("Pictures up to 10 MB each; location data is removed."))
    reporter_phone = forms.CharField(label=gettext_lazy("Contact phone"), max_length=20, required=False)
    asset_number = forms.CharField(label=gettext_lazy("Asset number (optional)"), max_length=40, required=False)
    token = forms.CharField(widget=forms.HiddenInput, max_length=40, required=False)

    def __init__(self, *args: Any, school: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["room"].queryset = (
            Room.objects.for_school(school).filter(is_active=True).select_related("building").order_by("building__code", "floor", "code")
        )
        self.fields["category"].queryset = Category.objects.for_school(school).active()
        if not self.is_bound and not self.initial.get("token"):
            self.initial["token"] = uuid.uuid4().hex

    def rooms_by_building(self) -> list[tuple[Any, list[Room]]]:
        """The rooms grouped for the <select>'s optgroups, the person's own classes' rooms first
        (two queries). Each room carries `keywords`: its classes' names as people type them."""
        rooms = list(self.fields["room"].queryset.prefetch_related("classes"))
        mine: list[Room] = []
        groups: dict[Any, list[Room]] = {}
        for room in rooms:
            names = [c.name for c in room.classes.all()]
            room.keywords = " ".join(names + [re.sub(r"[()（）\s]", "", n) for n in names])
            if self.user is not None and any(c.head_teacher_id == self.user.pk for c in room.classes.all()):
                mine.append(room)
            else:
                groups.setdefault(room.building.name, []).append(room)
        return ([(_("My classes"), mine)] if mine else []) + list(groups.items())


class RepairerChoiceField(forms.ModelChoiceField):
    """A repairer with the jobs they already hold, so the office spreads the work: "王师傅 · 在办 3"."""

    loads: dict[int, int] | None = None  # set by the form: {repairer id: jobs in hand}

    def label_from_instance(self, obj: Any) -> str:
        if self.loads is None:
            return obj.display_name
        return _("%(name)s · %(n)d in hand") % {"name": obj.display_name, "n": self.loads.get(obj.pk, 0)}


class DispatchForm(forms.Form):
    repairer = RepairerChoiceField(label=gettext_lazy("Repairer"), queryset=User.objects.none(), required=False,
                                      empty_label=gettext_lazy("— choose —"), widget=forms.Select(attrs={"class": "form-select"}))
    contractor = forms.CharField(label=gettext_lazy("or outside contractor"), max_length=100, required=False,
                                 help_text=gettext_lazy("Name of the company, if the job goes outside."))

    def __init__(self, *args: Any, school: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["repairer"].queryset = repairers_of(school)
        self.fields["repairer"].loads = SimpleLazyObject(lambda: repairer_loads(school))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if bool(data.get("repairer")) == bool((data.get("contractor") or "").strip()):
            raise forms.ValidationError(_("Choose a repairer or name an outside contractor (one of the two)."))
        return data


class BulkDispatchForm(DispatchForm):
    tickets = forms.ModelMultipleChoiceField(queryset=Ticket.objects.none(), label=gettext_lazy("Tickets"))

    def __init__(self, *args: Any, school: Any, **kwargs: Any) -> None:
        super().__init__(*args, school=school, **kwargs)
        self.fields["tickets"].queryset = Ticket.objects.for_school(school)


class UrgencyForm(forms.Form):
    urgency = forms.ChoiceField(label=gettext_lazy("Urgency"), choices=Urgency.choices, widget=forms.Select(attrs={"class": "form-select"}))


class MergeForm(forms.Form):
    into = forms.CharField(label=gettext_lazy("Duplicate of ticket number"), max_length=20,
                           widget=forms.TextInput(attrs={"placeholder": "BX2026-000123"}))

    def __init__(self, *args: Any, school: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.school = school

    def clean_into(self) -> Ticket:
        number = self.cleaned_data["into"].strip().upper()
        ticket = Ticket.objects.for_school(self.school).filter(number=number).first()
        if ticket is None:
            raise forms.ValidationError(_("No ticket %(number)s in this school.") % {"number": number})
        return ticket


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    photos = PhotosField(label=gettext_lazy("Photos (up to 3)"), required=False)


class MaterialForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Material"), max_length=60, widget=forms.TextInput(attrs={"placeholder": gettext_lazy("e.g. LED tube 1.2 m")}))
    quantity = forms.DecimalField(label=gettext_lazy("Quantity"), min_value=Decimal("0.01"), max_digits=10, decimal_places=2)
    unit = forms.CharField(label=gettext_lazy("Unit"), max_length=10, widget=forms.TextInput(attrs={"placeholder": "支"}))
    unit_cost = forms.DecimalField(label=gettext_lazy("Unit cost (yuan)"), min_value=Decimal("0"), max_digits=10, decimal_places=2,
                                   required=False, initial=Decimal("0"))

    def __init__(self, *args: Any, school: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if school is not None:
            bound_by_settings(self, school, quantity="max_quantity", unit_cost="max_unit_cost")

    def clean_unit_cost(self) -> Decimal:
        return self.cleaned_data.get("unit_cost") or Decimal("0")


def bound_by_settings(form: forms.Form, school: Any, **limits: str) -> None:
    """Cap each named field at the school's repair setting, so the limit shows next to the field
    (the services enforce the same settings whoever calls them)."""
    repair_settings = RepairSettings.for_school(school)
    for name, setting in limits.items():
        limit = getattr(repair_settings, setting)
        form.fields[name].validators.append(MaxValueValidator(limit))
        form.fields[name].widget.attrs["max"] = str(limit)


class DoneForm(forms.Form):
    labour_hours = forms.DecimalField(label=gettext_lazy("Labour hours"), min_value=Decimal("0"), max_digits=6, decimal_places=1, required=False)
    work_summary = forms.CharField(label=gettext_lazy("What was done"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    contractor_cost = forms.DecimalField(label=gettext_lazy("Contractor's charge (yuan)"), min_value=Decimal("0"), max_digits=10,
                                         decimal_places=2, required=False)

    def __init__(self, *args: Any, school: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if school is not None:
            bound_by_settings(self, school, labour_hours="max_labour_hours", contractor_cost="max_contractor_cost")


class AcceptForm(forms.Form):
    rating = forms.TypedChoiceField(label=gettext_lazy("Rating"), coerce=int, choices=[(i, "★" * i) for i in range(5, 0, -1)],
                                    widget=forms.RadioSelect, initial=5)
    comment = forms.CharField(label=gettext_lazy("Comment"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
