"""Forms of the repairs screens: they validate and convert; services do the work."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from logistics.models import Room, User

from logistics.photos import PhotosField
from repairs.models import Category, CommonMaterial, RepairSettings, Ticket, Urgency
from repairs.selectors import repairer_loads, repairers_of
from repairs.templatetags.repairs_tags import qty


def name_the_missing(form: forms.Form) -> None:
    """Say which field is missing ("请填写：故障描述"), not only "这个字段是必填项": on a phone the field
    may be a screen away from the message at the top."""
    for field in form.fields.values():
        if field.required and not field.widget.is_hidden:
            message = _("Please choose: %(field)s") if isinstance(field, forms.ChoiceField) else _("Please fill in: %(field)s")
            field.error_messages["required"] = message % {"field": field.label}


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

    def __init__(self, *args: Any, school: Any, user: Any = None, held: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["photos"].held = held
        name_the_missing(self)
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


class StockChoiceField(forms.ModelChoiceField):
    """A row of the consumables store: "LED灯管 T8 1.2米 · 在库 12 支 · ¥18.00"."""

    def label_from_instance(self, obj: Any) -> str:
        return _("%(item)s · %(quantity)s %(unit)s in store · ¥%(cost)s") % {
            "item": " ".join(x for x in (obj.item.name, obj.item.spec) if x), "quantity": qty(obj.quantity), "unit": obj.item.unit,
            "cost": obj.average_cost}


class MaterialForm(forms.Form):
    # From the consumables store (issued for the ticket at the store's cost), or typed / a common material.
    stock = StockChoiceField(label=gettext_lazy("From the store"), queryset=None, required=False,
                             empty_label=gettext_lazy("— not from the store: type it below —"),
                             widget=forms.Select(attrs={"class": "form-select", "data-material-stock": ""}))
    name = forms.CharField(label=gettext_lazy("Material"), max_length=60, required=False, widget=forms.TextInput(
        attrs={"placeholder": gettext_lazy("e.g. LED tube 1.2 m"), "list": "common-materials", "autocomplete": "off", "data-material-name": ""}))
    quantity = forms.DecimalField(label=gettext_lazy("Quantity"), min_value=Decimal("0.01"), max_digits=10, decimal_places=2)
    unit = forms.CharField(label=gettext_lazy("Unit"), max_length=10, required=False,
                           widget=forms.TextInput(attrs={"placeholder": "支", "data-material-unit": ""}))
    unit_cost = forms.DecimalField(label=gettext_lazy("Unit cost (yuan)"), min_value=Decimal("0"), max_digits=10, decimal_places=2,
                                   required=False, initial=Decimal("0"), widget=forms.NumberInput(attrs={"data-material-price": ""}))

    def __init__(self, *args: Any, school: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        name_the_missing(self)
        self.school = school
        if school is not None:
            from assets.services.stock import repair_stock_rows

            # Any of the school's rows validates: one emptied since the page was drawn is refused by
            # the store with how much is left, not as "not a valid choice".
            self.fields["stock"].queryset = repair_stock_rows(school, in_stock_only=False)
            bound_by_settings(self, school, quantity="max_quantity", unit_cost="max_unit_cost")
        else:
            del self.fields["stock"]

    def stock_rows(self) -> list[Any]:
        """The store's rows for the hand-drawn <select> (one query), each with its `label`; the
        warehouse is named when the school keeps more than one."""
        if "stock" not in self.fields:
            return []
        if not hasattr(self, "_stock_rows"):
            field = self.fields["stock"]
            rows = list(field.queryset.filter(quantity__gt=0))
            several = len({r.warehouse_id for r in rows}) > 1
            for r in rows:
                r.label = field.label_from_instance(r) + (f" · {r.warehouse.name}" if several else "")
            self._stock_rows = rows
        return self._stock_rows

    def common_materials(self) -> list[CommonMaterial]:
        """The school's pick list (name, unit, price) for the <datalist>."""
        return list(CommonMaterial.objects.for_school(self.school).active()) if self.school is not None else []

    def clean_unit_cost(self) -> Decimal:
        return self.cleaned_data.get("unit_cost") or Decimal("0")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("stock") is None:  # typed: the name and the unit are needed; from the store they come with the item
            for name in ("name", "unit"):
                if not (data.get(name) or "").strip() and name not in self.errors:
                    self.add_error(name, _("Please fill in: %(field)s") % {"field": self.fields[name].label})
        return data

    def has_any(self) -> bool:
        """Did the person type anything into the line (a bound form)? The price alone does not count:
        the empty form shows 0 there."""
        return any((self.data.get(self.add_prefix(name)) or "").strip() for name in ("stock", "name", "quantity", "unit"))


# The same sentences as the services' refusals (repairs/services/work.py), so the limit reads alike
# next to the field and in a message.
LIMIT_MESSAGES = {
    "max_quantity": ("quantity", gettext_lazy("%(quantity)s is more than the limit of %(max)s units on one material line.")),
    "max_unit_cost": ("cost", gettext_lazy(
        "A unit price of %(cost)s yuan is more than the limit of %(max)s yuan; dearer items are bought through a requisition.")),
    "max_labour_hours": ("hours", gettext_lazy("%(hours)s labour hours is more than the limit of %(max)s hours for one ticket.")),
    "max_contractor_cost": ("cost", gettext_lazy(
        "A contractor's charge of %(cost)s yuan is more than the limit of %(max)s yuan for a repair ticket.")),
}


def _figure(value: Decimal) -> str:
    return f"{value.normalize():,f}"


def _at_most(limit: Decimal, setting: str) -> Any:
    key, message = LIMIT_MESSAGES[setting]

    def validate(value: Decimal | None) -> None:
        if value is not None and value > limit:
            raise forms.ValidationError(str(message) % {key: _figure(value), "max": _figure(limit)}, code="max_value")

    return validate


def bound_by_settings(form: forms.Form, school: Any, **limits: str) -> None:
    """Cap each named field at the school's repair setting, so the limit shows next to the field
    (the services enforce the same settings whoever calls them)."""
    repair_settings = RepairSettings.for_school(school)
    for name, setting in limits.items():
        limit = getattr(repair_settings, setting)
        form.fields[name].validators.append(_at_most(limit, setting))
        form.fields[name].widget.attrs["max"] = str(limit)


class DoneForm(forms.Form):
    """Done, with the material line the repairer typed but did not add (carried over by work.js as
    `pending-*` fields): it is recorded with done, or done is refused and the line kept."""

    labour_hours = forms.DecimalField(
        label=gettext_lazy("Labour hours"), min_value=Decimal("0"), max_digits=6, decimal_places=1,
        help_text=gettext_lazy("Hours actually spent on this job, in steps of 0.5. Required: write 0 if it took no time worth counting."),
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    work_summary = forms.CharField(label=gettext_lazy("What was done"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    contractor_cost = forms.DecimalField(label=gettext_lazy("Contractor's charge (yuan)"), min_value=Decimal("0"), max_digits=10,
                                         decimal_places=2, required=False)

    def __init__(self, *args: Any, school: Any = None, contractor: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if contractor:
            # An outside contractor's job is costed by their charge; the school's hours may be none.
            self.fields["labour_hours"].required = False
            self.fields["labour_hours"].help_text = _("Hours the school's own staff spent on it, if any.")
        name_the_missing(self)
        if school is not None:
            bound_by_settings(self, school, labour_hours="max_labour_hours", contractor_cost="max_contractor_cost")
        self.pending = MaterialForm(self.data if self.is_bound else None, prefix="pending", school=school)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["material"] = None
        if self.pending.is_bound and self.pending.has_any():
            if self.pending.is_valid():
                data["material"] = self.pending.cleaned_data
            else:
                self.add_error(None, _("The material you typed is not complete: add it or clear it first."))
        return data

    def companions(self) -> dict[str, forms.Form]:
        """The material form to re-show with the typed line (and its errors) when done fails."""
        if not (self.pending.is_bound and self.pending.has_any()):
            return {}
        unprefixed = {name: self.data.get(self.pending.add_prefix(name), "") for name in self.pending.fields}
        material = MaterialForm(unprefixed, school=self.pending.school)
        material.is_valid()
        return {"material_form": material}


class AcceptForm(forms.Form):
    rating = forms.TypedChoiceField(label=gettext_lazy("Rating"), coerce=int, choices=[(i, "★" * i) for i in range(5, 0, -1)],
                                    widget=forms.RadioSelect, initial=5)
    comment = forms.CharField(label=gettext_lazy("Comment"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
