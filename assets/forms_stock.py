"""Forms of the consumables screens: they validate and convert; `assets.services.stock` does the work."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from logistics.models import Department, User

from assets.forms import DATE, PersonChoiceField
from assets.models_stock import StockItem, Warehouse
from assets.selectors import departments_of, people_of

QTY = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0.01"), "max_value": Decimal("999999.99")}


def _warehouses(school: Any) -> Any:
    return Warehouse.objects.for_school(school).filter(is_active=True)


class ReceiveForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    spec = forms.CharField(label=gettext_lazy("Specification / model"), max_length=200, required=False)
    unit = forms.CharField(label=gettext_lazy("Unit"), max_length=10)
    quantity = forms.DecimalField(label=gettext_lazy("Quantity"), **QTY)
    unit_price = forms.DecimalField(label=gettext_lazy("Unit price (yuan)"), max_digits=12, decimal_places=2, min_value=Decimal("0"),
                                    max_value=Decimal("9999999.99"))
    supplier = forms.CharField(label=gettext_lazy("Supplier"), max_length=100, required=False)
    invoice_number = forms.CharField(label=gettext_lazy("Invoice number"), max_length=50, required=False)
    received_on = forms.DateField(label=gettext_lazy("Received on"), widget=DATE)
    warehouse = forms.ModelChoiceField(queryset=Warehouse.objects.none(), label=gettext_lazy("Warehouse"), required=False,
                                       help_text=gettext_lazy("Empty: the main store."))
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, school: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"received_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].queryset = _warehouses(school)
        for name in ("quantity", "unit_price"):
            self.fields[name].widget.attrs["inputmode"] = "decimal"

    def clean_received_on(self) -> dt.date:
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate() or value.year < 2000:
            raise forms.ValidationError(_("The date received cannot be in the future or before 2000."))
        return value


class IssueForm(forms.Form):
    quantity = forms.DecimalField(label=gettext_lazy("Quantity"), **QTY)
    to_person = PersonChoiceField(queryset=User.objects.none(), label=gettext_lazy("To person"), required=False)
    to_department = forms.ModelChoiceField(queryset=Department.objects.none(), label=gettext_lazy("To department"), required=False)
    warehouse = forms.ModelChoiceField(queryset=Warehouse.objects.none(), label=gettext_lazy("Warehouse"), required=False,
                                       help_text=gettext_lazy("Empty: the main store."))
    purpose = forms.CharField(label=gettext_lazy("Purpose"), max_length=200, required=False)

    def __init__(self, *args: Any, school: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_person"].queryset = people_of(school)
        self.fields["to_department"].queryset = departments_of(school)
        self.fields["warehouse"].queryset = _warehouses(school)
        self.fields["quantity"].widget.attrs["inputmode"] = "decimal"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (data.get("to_person") or data.get("to_department")) and not self.errors:
            raise forms.ValidationError(_("Say who receives it: a person or a department."))
        return data


class CountForm(forms.Form):
    counted = forms.DecimalField(label=gettext_lazy("Counted"), max_digits=12, decimal_places=2, min_value=Decimal("0"),
                                 max_value=Decimal("999999.99"))
    warehouse = forms.ModelChoiceField(queryset=Warehouse.objects.none(), label=gettext_lazy("Warehouse"), required=False,
                                       help_text=gettext_lazy("Empty: the main store."))
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, school: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].queryset = _warehouses(school)


class ReturnForm(forms.Form):
    quantity = forms.DecimalField(label=gettext_lazy("Quantity back"), **QTY)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)


class ItemLimitsForm(forms.ModelForm):
    class Meta:
        model = StockItem
        fields = ["min_stock", "approval_over", "is_active"]


class MonthForm(forms.Form):
    month = forms.DateField(label=gettext_lazy("Month"), input_formats=["%Y-%m"], required=False,
                            widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"))
