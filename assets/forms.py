"""Forms of the asset screens: they validate and convert; services do the work."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from logistics.models import Room, SchoolClass, User

from assets.models import AssetCard, AssetClass, AssetSettings
from assets.selectors import classes_in_use, classes_of, departments_of, people_of
from assets.services import value_problem

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CUSTODY = ("custodian", "custodian_class", "room")


class RoomChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, room: Room) -> str:
        name = f" {room.name}" if room.name != room.code else ""
        return f"{room.building.name} {room.code}{name}"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        return user.display_name


class ClassChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AssetClass) -> str:
        return f"{obj.code} {obj.name}"


def _rooms(school: Any) -> Any:
    return Room.objects.for_school(school).filter(is_active=True).select_related("building").order_by("building__code", "floor", "code")


def _school_choices(form: forms.Form, school: Any) -> None:
    fields = form.fields
    if "asset_class" in fields:
        fields["asset_class"].queryset = classes_in_use()
    if "department" in fields:
        fields["department"].queryset = departments_of(school)
    if "custodian" in fields:
        fields["custodian"].queryset = people_of(school)
    if "custodian_class" in fields:
        fields["custodian_class"].queryset = classes_of(school)
    if "room" in fields:
        fields["room"].queryset = _rooms(school)


class CardForm(forms.ModelForm):
    """A new card (with where it goes) or the particulars of an existing one (custody excluded)."""

    class Meta:
        model = AssetCard
        fields = ["asset_class", "name", "spec", "serial_number", "quantity", "unit", "original_value", "acquisition", "acquired_on",
                  "booked_on", "funding", "supplier", "invoice_number", "warranty_until", "department", *CUSTODY, "remarks"]
        field_classes = {"asset_class": ClassChoiceField, "custodian": PersonChoiceField, "room": RoomChoiceField}
        widgets = {"acquired_on": DATE, "booked_on": DATE, "warranty_until": DATE, "remarks": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"booked_on": gettext_lazy("Empty: the day it was acquired.")}

    def __init__(self, *args: Any, school: Any, **kwargs: Any) -> None:
        kwargs.setdefault("instance", AssetCard(school=school))
        super().__init__(*args, **kwargs)
        self.school = school
        if self.instance.pk:
            for name in CUSTODY:
                del self.fields[name]
        self.fields["booked_on"].required = False
        self.fields["original_value"].widget.attrs.update({"inputmode": "decimal", "min": "0"})
        _school_choices(self, school)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        asset_class, quantity, value = data.get("asset_class"), data.get("quantity"), data.get("original_value")
        if asset_class is not None and quantity and value is not None:
            if problem := value_problem(AssetSettings.for_school(self.school), asset_class, quantity, value):
                self.add_error("original_value", problem)
        if data.get("custodian") and data.get("custodian_class"):
            self.add_error("custodian_class", _("A card is held by a person or by a class, not both."))
        if not data.get("booked_on") and data.get("acquired_on"):
            data["booked_on"] = data["acquired_on"]
        return data

    def _post_clean(self) -> None:
        # The services check the card (number, school, custody); the model's own validation would
        # only repeat it on a half-built instance.
        pass


class HolderForm(forms.Form):
    """Issue or transfer: to a person or a class, and/or into a room."""

    custodian = PersonChoiceField(queryset=User.objects.none(), label=gettext_lazy("Person"), required=False)
    custodian_class = forms.ModelChoiceField(queryset=SchoolClass.objects.none(), label=gettext_lazy("Class"), required=False)
    room = RoomChoiceField(queryset=Room.objects.none(), label=gettext_lazy("Room"), required=False,
                           help_text=gettext_lazy("Empty for a class: its home room."))
    department = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Department (if it changes)"), required=False)
    quantity = forms.IntegerField(label=gettext_lazy("How many of the batch"), min_value=1, required=False,
                                  help_text=gettext_lazy("Empty: the whole batch. Fewer: they become a card of their own."))
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, school: Any, batch: int = 1, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _school_choices(self, school)
        if batch > 1:
            self.fields["quantity"].validators.append(MaxValueValidator(batch))
            self.fields["quantity"].widget.attrs.update({"max": batch, "placeholder": str(batch)})
        else:
            del self.fields["quantity"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("custodian") and data.get("custodian_class"):
            raise forms.ValidationError(_("A card is held by a person or by a class, not both."))
        if not (data.get("custodian") or data.get("custodian_class") or data.get("room")):
            raise forms.ValidationError(_("Choose who holds it (a person or a class) or the room where it stands."))
        return data


class TakeBackForm(forms.Form):
    room = RoomChoiceField(queryset=Room.objects.none(), label=gettext_lazy("Kept in"), required=False,
                           help_text=gettext_lazy("The store room, if it goes there."))
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, school: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _school_choices(self, school)


class LendForm(forms.Form):
    to = forms.CharField(label=gettext_lazy("Lent to"), max_length=100)
    due = forms.DateField(label=gettext_lazy("To be back by"), widget=DATE)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)

    def clean_due(self) -> Any:
        due = self.cleaned_data["due"]
        if due < timezone.localdate():
            raise forms.ValidationError(_("The date it is due back cannot be in the past."))
        return due


class NoteForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200)
