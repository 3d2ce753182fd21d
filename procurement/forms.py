"""Forms of the procurement screens: they validate and convert; the services decide."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assets.models import AssetClass
from logistics.models import Department, User
from logistics.selectors import people_with_role

from procurement.models import Acceptance, BudgetLine, CatalogueItem, Funding, Method
from procurement.services import LineInput

EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2100, 12, 31)
MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0")}


def _date_field(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))


def _check_date(form: forms.Form, name: str) -> None:
    day = form.cleaned_data.get(name)
    if day is not None and not EARLIEST <= day <= LATEST:
        form.add_error(name, _("Choose a date between 2000 and 2100."))


def members_of(school: Any) -> Any:
    from logistics.models import Membership

    return User.objects.filter(pk__in=Membership.objects.for_school(school).active().values("user_id"), is_active=True).order_by("full_name", "username")


class RequisitionForm(forms.Form):
    purpose = forms.CharField(label=_("Purpose"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none(), required=False)
    needed_by = _date_field(_("Needed by"), required=False)
    budget_line = forms.ModelChoiceField(label=_("Budget line"), queryset=BudgetLine.objects.none(), required=False)
    funding = forms.ChoiceField(label=_("Funding source"), choices=Funding.choices, initial=Funding.FISCAL)

    def __init__(self, *args: Any, school: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.for_school(school)
        self.fields["budget_line"].queryset = BudgetLine.objects.for_school(school).filter(year__gte=timezone.localdate().year - 1)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _check_date(self, "needed_by")
        return data


class LineForm(forms.Form):
    name = forms.CharField(label=_("Item"), max_length=60, required=False)
    spec = forms.CharField(label=_("Spec / model"), max_length=100, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=10, required=False, initial="台")
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=1_000_000, required=False)
    unit_price = forms.DecimalField(label=_("Estimated unit price (yuan)"), required=False, **MONEY)
    fixed_asset = forms.BooleanField(label=_("Fixed asset"), required=False)
    asset_class = forms.ModelChoiceField(label=_("Asset class"), queryset=AssetClass.objects.filter(is_active=True), required=False)
    catalogue_item = forms.ModelChoiceField(label=_("Catalogue item"), queryset=CatalogueItem.objects.none(), required=False)

    def __init__(self, *args: Any, school: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["catalogue_item"].queryset = CatalogueItem.objects.for_school(school).filter(is_active=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (data.get("name") or "").strip():
            return data  # an empty row: left out
        if data.get("quantity") is None and "quantity" not in self.errors:
            self.add_error("quantity", _("Enter the quantity."))
        if data.get("unit_price") is None and "unit_price" not in self.errors:
            self.add_error("unit_price", _("Enter the estimated unit price."))
        if data.get("fixed_asset") and data.get("asset_class") is None:
            self.add_error("asset_class", _("A fixed asset needs its asset class."))
        return data

    def line(self) -> LineInput | None:
        d = self.cleaned_data
        if not (d.get("name") or "").strip():
            return None
        return LineInput(name=d["name"], spec=d.get("spec") or "", unit=d.get("unit") or "台", quantity=d["quantity"], unit_price=d["unit_price"],
                         fixed_asset=bool(d.get("fixed_asset")), asset_class=d.get("asset_class"), catalogue_item=d.get("catalogue_item"))


class BaseLineFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        if not any(f.cleaned_data.get("name", "").strip() for f in self.forms if f.cleaned_data):
            raise forms.ValidationError(_("Add at least one line."))

    def lines(self) -> list[LineInput]:
        return [line for f in self.forms if (line := f.line()) is not None]


LineFormSet = forms.formset_factory(LineForm, formset=BaseLineFormSet, extra=2, max_num=100, absolute_max=100, validate_max=True)


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Opinion"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    minutes = forms.FileField(label=_("Meeting minutes (collective decision)"), required=False)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class OrderForm(forms.Form):
    method = forms.ChoiceField(label=_("Purchase method"), choices=Method.choices)
    supplier = forms.CharField(label=_("Supplier"), max_length=100)
    amount = forms.DecimalField(label=_("Purchase amount (yuan)"), max_digits=14, decimal_places=2, min_value=Decimal("0"))
    contract_number = forms.CharField(label=_("Contract number"), max_length=60, required=False)
    ordered_on = _date_field(_("Order date"))
    warranty_until = _date_field(_("Warranty until"), required=False)
    gov_reference = forms.CharField(label=_("Government-procurement reference"), max_length=60, required=False)
    buyers = forms.ModelMultipleChoiceField(label=_("Buyers (at least two)"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple)
    quote_supplier_1 = forms.CharField(label=_("Quote 1: supplier"), max_length=100, required=False)
    quote_amount_1 = forms.DecimalField(label=_("Quote 1: total (yuan)"), required=False, max_digits=14, decimal_places=2, min_value=Decimal("0"))
    quote_supplier_2 = forms.CharField(label=_("Quote 2: supplier"), max_length=100, required=False)
    quote_amount_2 = forms.DecimalField(label=_("Quote 2: total (yuan)"), required=False, max_digits=14, decimal_places=2, min_value=Decimal("0"))
    quote_supplier_3 = forms.CharField(label=_("Quote 3: supplier"), max_length=100, required=False)
    quote_amount_3 = forms.DecimalField(label=_("Quote 3: total (yuan)"), required=False, max_digits=14, decimal_places=2, min_value=Decimal("0"))

    def __init__(self, *args: Any, school: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["buyers"].queryset = members_of(school)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _check_date(self, "ordered_on")
        _check_date(self, "warranty_until")
        if "supplier" in data and not data["supplier"].strip():
            self.add_error("supplier", _("Name the supplier."))
        buyers = data.get("buyers")
        if buyers is not None and len(buyers) < 2:
            self.add_error("buyers", _("A purchase is made by at least two people: name two buyers."))
        for i in (1, 2, 3):
            if data.get(f"quote_supplier_{i}") and data.get(f"quote_amount_{i}") is None and f"quote_amount_{i}" not in self.errors:
                self.add_error(f"quote_amount_{i}", _("Enter the quoted total."))
        return data

    def quotes(self) -> list[tuple[str, Decimal]]:
        d = self.cleaned_data
        return [(d[f"quote_supplier_{i}"], d[f"quote_amount_{i}"]) for i in (1, 2, 3)
                if d.get(f"quote_supplier_{i}") and d.get(f"quote_amount_{i}") is not None]


class AcceptanceForm(forms.Form):
    accepted_on = _date_field(_("Acceptance date"))
    team = forms.ModelMultipleChoiceField(label=_("Acceptance team (at least two, including the requester)"), queryset=User.objects.none(),
                                          widget=forms.CheckboxSelectMultiple)
    invoice_number = forms.CharField(label=_("Invoice number"), max_length=60, required=False)
    spec_match = forms.BooleanField(label=_("Spec matches the order"), required=False, initial=True)
    quality = forms.CharField(label=_("Quality"), max_length=200, required=False)
    conclusion = forms.ChoiceField(label=_("Conclusion"), choices=Acceptance.Conclusion.choices)

    def __init__(self, *args: Any, school: Any, lines: list[Any], left: dict[int, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = members_of(school)
        self.lines = lines
        for line in lines:
            still = max(line.quantity - left.get(line.pk, 0), 0)
            self.fields[f"received_{line.pk}"] = forms.IntegerField(
                label=_("%(item)s: received") % {"item": line.name}, min_value=0, max_value=still, initial=still, required=False)
            self.fields[f"rejected_{line.pk}"] = forms.IntegerField(
                label=_("%(item)s: refused") % {"item": line.name}, min_value=0, max_value=1_000_000, initial=0, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _check_date(self, "accepted_on")
        team = data.get("team")
        if team is not None and len(team) < 2:
            self.add_error("team", _("An acceptance team has at least two people, including the requester."))
        return data

    def line_rows(self) -> list[tuple[Any, Any, Any]]:
        return [(line, self[f"received_{line.pk}"], self[f"rejected_{line.pk}"]) for line in self.lines]

    def quantities(self) -> dict[int, tuple[int, int]]:
        d = self.cleaned_data
        return {line.pk: (d.get(f"received_{line.pk}") or 0, d.get(f"rejected_{line.pk}") or 0) for line in self.lines}


def approvers_of(school: Any) -> Any:
    return people_with_role(school, "logistics_admin")
