"""The set-up screens outside the admin: canteens, meals, sample fridges, staff (with the duty roster),
suppliers and the daily checklist's items. One list and one add/edit page per kind, all alike.

Seeing a list needs the model's view permission, adding its add permission, editing its change
permission (the canteen manager holds all three; the office, the principal and the vice principal
read). Rows are the current school's: another school's id is a 404. Nothing is deleted here: a row
leaves use (is_active) and keeps its history.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from logistics.permissions import can, permission_required
from logistics.scoping import require_school

from canteen.forms import apply_errors
from canteen.forms_setup import CanteenForm, ChecklistItemForm, FridgeForm, MealForm, RosterForm, SetupForm, StaffForm, SupplierForm
from canteen.models import Canteen, ChecklistItem, Fridge, Meal, Staff, Supplier
from canteen.services.configure import roster_set, setup_save


@dataclass(frozen=True)
class Section:
    key: str
    model: type[Model]
    form: type[SetupForm]
    title: Promise
    add_label: Promise
    columns: tuple[tuple[Promise, Callable[[Any], Any]], ...]
    related: tuple[str, ...] = ()
    ordering: tuple[str, ...] = ("-is_active", "name")
    icon: str = "gear"

    @property
    def perm(self) -> str:
        return f"canteen.%s_{self.model._meta.model_name}"

    def rows(self, school: Any) -> QuerySet[Any]:
        return self.model.objects.for_school(school).select_related(*self.related).order_by(*self.ordering)


def _date(value: Any) -> str:
    return value.isoformat() if value else ""


SECTIONS: dict[str, Section] = {s.key: s for s in (
    Section("canteens", Canteen, CanteenForm, gettext_lazy("Canteens"), gettext_lazy("Add a canteen"), (
        (gettext_lazy("Name"), lambda c: c.name), (gettext_lazy("Contracted operator"), lambda c: c.operator),
        (gettext_lazy("Licence no."), lambda c: c.licence_no), (gettext_lazy("Licence expires"), lambda c: _date(c.licence_expires)),
        (gettext_lazy("Menu age band"), lambda c: c.get_menu_band_display()),
    ), icon="shop"),
    Section("meals", Meal, MealForm, gettext_lazy("Meals"), gettext_lazy("Add a meal"), (
        (gettext_lazy("Canteen"), lambda m: m.canteen.name), (gettext_lazy("Meal"), lambda m: m.get_kind_display()),
        (gettext_lazy("Served at"), lambda m: m.serves_at.strftime("%H:%M")),
        (gettext_lazy("Accompanied meal"), lambda m: _("Yes") if m.accompanied else ""),
    ), related=("canteen",), ordering=("-is_active", "canteen__name", "serves_at"), icon="clock"),
    Section("fridges", Fridge, FridgeForm, gettext_lazy("Sample fridges"), gettext_lazy("Add a fridge"), (
        (gettext_lazy("Canteen"), lambda f: f.canteen.name), (gettext_lazy("Name"), lambda f: f.name),
    ), related=("canteen",), ordering=("-is_active", "canteen__name", "name"), icon="snow"),
    Section("staff", Staff, StaffForm, pgettext_lazy("canteen", "Staff"), gettext_lazy("Add a staff member"), (
        (gettext_lazy("Canteen"), lambda s: s.canteen.name), (pgettext_lazy("person", "Name"), lambda s: s.name),
        (pgettext_lazy("canteen staff", "Post"), lambda s: s.post), (gettext_lazy("Health certificate no."), lambda s: s.certificate_no),
        (gettext_lazy("Certificate expires"), lambda s: _date(s.certificate_expires)),
        (gettext_lazy("On duty"), lambda s: _("Yes") if s.on_duty else ""),
    ), related=("canteen",), ordering=("-is_active", "canteen__name", "name"), icon="person-badge"),
    Section("suppliers", Supplier, SupplierForm, gettext_lazy("Suppliers"), gettext_lazy("Add a supplier"), (
        (gettext_lazy("Name"), lambda s: s.name), (gettext_lazy("Licence no."), lambda s: s.licence_no),
        (gettext_lazy("Licence expires"), lambda s: _date(s.licence_expires)),
        (gettext_lazy("Contact"), lambda s: " ".join(v for v in (s.contact, s.phone) if v)), (gettext_lazy("Product kinds"), lambda s: s.products),
    ), icon="truck"),
    Section("checklist", ChecklistItem, ChecklistItemForm, gettext_lazy("Daily checklist items"), gettext_lazy("Add an item"), (
        (pgettext_lazy("checklist", "Group"), lambda i: i.group), (pgettext_lazy("checklist", "Item"), lambda i: i.text),
        (gettext_lazy("Kindergarten checklist"), lambda i: _("Yes") if i.for_kindergarten else ""),
    ), ordering=("-is_active", "for_kindergarten", "order", "pk"), icon="list-check"),
)}


def _section(key: str) -> Section:
    try:
        return SECTIONS[key]
    except KeyError:
        raise Http404 from None


def _require(request: HttpRequest, section: Section, action: str) -> None:
    if not can(request.user, request.school, section.perm % action):
        raise PermissionDenied


@permission_required("canteen.view_canteen")
def index(request: HttpRequest) -> HttpResponse:
    """The set-up sections, each with how many rows are in use."""
    require_school(request)
    visible = [s for s in SECTIONS.values() if can(request.user, request.school, s.perm % "view")]
    return render(request, "canteen/setup/index.html", {
        "sections": visible, "roster": can(request.user, request.school, "canteen.change_staff"),
    })


@permission_required("canteen.view_canteen")
def section_list(request: HttpRequest, section: str) -> HttpResponse:
    s = _section(section)
    require_school(request)
    _require(request, s, "view")
    if s.model is ChecklistItem:
        ChecklistItem.ensure_defaults(request.school)  # the standard items first, as the day page would install them
    rows = [(obj, [str(get(obj)) for _label, get in s.columns]) for obj in s.rows(request.school)]
    return render(request, "canteen/setup/list.html", {
        "section": s, "rows": rows, "adds": can(request.user, request.school, s.perm % "add"),
        "changes": can(request.user, request.school, s.perm % "change"), "today": timezone.localdate(),
    })


@permission_required("canteen.view_canteen")
def section_edit(request: HttpRequest, section: str, pk: int | None = None) -> HttpResponse:
    s = _section(section)
    require_school(request)
    _require(request, s, "add" if pk is None else "change")
    if pk is None:
        instance = s.model()
    else:
        try:
            instance = s.rows(request.school).get(pk=pk)
        except s.model.DoesNotExist:
            raise Http404 from None
    form = s.form(request.POST or None, request.FILES or None, instance=instance, school=request.school)
    if request.method == "POST":
        if form.is_valid():
            try:
                obj = setup_save(model=s.model, values=form.values(), school=request.school, by=request.user,
                                 instance=None if pk is None else instance)
            except ValidationError as e:
                apply_errors(form, e)
            else:
                messages.success(request, _("Saved: %(name)s.") % {"name": obj})
                return redirect("canteen:setup-list", s.key)
        messages.error(request, _("Please correct the errors below."))
    return render(request, "canteen/setup/form.html", {"section": s, "form": form, "object": instance if pk else None},
                  status=400 if form.errors else 200)


@permission_required("canteen.view_staff")
def roster(request: HttpRequest) -> HttpResponse:
    """The duty roster: who is checked every morning (操作规范: every working day before work)."""
    require_school(request)
    staff = list(Staff.objects.for_school(request.school).filter(is_active=True).select_related("canteen").order_by("canteen__name", "name"))
    form = RosterForm(request.POST or None, staff=staff, initial={"on_duty": [s.pk for s in staff if s.on_duty]})
    if request.method == "POST":
        if not can(request.user, request.school, "canteen.change_staff"):
            raise PermissionDenied
        if form.is_valid():
            try:
                changed = roster_set(school=request.school, on_duty=set(form.cleaned_data["on_duty"]), by=request.user)
            except ValidationError as e:
                apply_errors(form, e)
            else:
                messages.success(request, _("Duty roster saved (%(n)s changed).") % {"n": changed})
                return redirect("canteen:setup-roster")
    return render(request, "canteen/setup/roster.html", {
        "staff": staff, "form": form, "on_duty": {int(v) for v in (form["on_duty"].value() or [])},
        "changes": can(request.user, request.school, "canteen.change_staff"),
    }, status=400 if form.errors else 200)
