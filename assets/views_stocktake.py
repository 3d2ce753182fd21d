"""Stocktake screens: the list and opening one, the count (progress by room, scan or type a number,
tick a room's items), closing, the discrepancies and their settlement, the Excel report."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.staticfiles import finders
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from logistics.exports import respond
from logistics.lists import int_param, keyset_page
from logistics.models import Building, Room, SchoolClass
from logistics.permissions import can, can_any, permission_required
from logistics.scoping import require_school

from assets import rules
from assets.export_stocktake import STOCKTAKE
from assets.views_labels import SCANNER_JS
from assets.forms import RoomChoiceField, _rooms
from assets.models_stocktake import Result, Scope, Stocktake, StocktakeLine, StocktakeStatus
from assets.selectors import buildings_of, classes_of
from assets.services import stocktake as service
from assets.services.stocktake import WorkflowError, figures, progress_by_room


class OpenForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=100)
    scope = forms.ChoiceField(label=gettext_lazy("Scope"), choices=Scope.choices)
    building = forms.ModelChoiceField(queryset=Building.objects.none(), label=gettext_lazy("Building"), required=False)
    rooms = forms.ModelMultipleChoiceField(queryset=Room.objects.none(), label=gettext_lazy("Rooms"), required=False)
    school_class = forms.ModelChoiceField(queryset=SchoolClass.objects.none(), label=gettext_lazy("Class"), required=False)

    def __init__(self, *args: Any, school: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = buildings_of(school)
        self.fields["rooms"].queryset = _rooms(school)
        self.fields["rooms"].label_from_instance = lambda r: f"{r.building.name} {r.code}"
        self.fields["school_class"].queryset = classes_of(school)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        need = {Scope.BUILDING: "building", Scope.ROOMS: "rooms", Scope.CLASS: "school_class"}.get(data.get("scope"))
        if need and not data.get(need):
            self.add_error(need, _("Choose what the stocktake covers."))
        return data


class MarkForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("Asset number"), max_length=60)
    room = RoomChoiceField(queryset=Room.objects.none(), label=gettext_lazy("Found in"), required=False,
                           help_text=gettext_lazy("Empty: where the ledger has it."))
    result = forms.ChoiceField(label=gettext_lazy("Result"), choices=[(Result.FOUND, Result.FOUND.label), (Result.DAMAGED, Result.DAMAGED.label)],
                               initial=Result.FOUND)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, school: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = _rooms(school)
        self.fields["number"].widget.attrs.update({"data-scan-input": "", "autocomplete": "off"})

    def clean_number(self) -> str:
        from assets.qr import number_from_scan

        return number_from_scan(self.cleaned_data["number"])


class SurplusForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("What was found"), max_length=100)
    room = RoomChoiceField(queryset=Room.objects.none(), label=gettext_lazy("Found in"), required=False)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, school: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = _rooms(school)


def _sees_or_counts(view: Any) -> Any:
    """The stocktake pages: those who see the ledger, and class teachers (who count their class's part)."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_any(request.user, getattr(request, "school", None), ("assets.view_stocktake", "assets.count_stocktake")):
            raise PermissionDenied("assets.view_stocktake")
        return view(request, *args, **kwargs)

    return wrapped


def _visible(request: HttpRequest) -> Any:
    """The school's stocktakes this person may open: all of them, or those holding their class's assets."""
    require_school(request)
    qs = Stocktake.objects.for_school(request.school)
    if rules.sees_all_stocktakes(request.user, request.school.pk):
        return qs
    part = StocktakeLine.objects.filter(stocktake=OuterRef("pk")).filter(rules.class_part(request.user, request.school.pk))
    return qs.filter(Exists(part))


@_sees_or_counts
def stocktake_list(request: HttpRequest) -> HttpResponse:
    require_school(request)
    page = keyset_page(_visible(request), request.GET, ordering=("-opened_at", "-id"))
    form = OpenForm(school=request.school) if can(request.user, request.school, "assets.run_stocktake") else None
    return render(request, "assets/stocktake_list.html", {"page": page, "form": form})


@require_POST
@permission_required("assets.run_stocktake")
def stocktake_open(request: HttpRequest) -> HttpResponse:
    require_school(request)
    form = OpenForm(request.POST, school=request.school)
    if form.is_valid():
        try:
            stocktake = service.stocktake_open(school=request.school, by=request.user, **form.cleaned_data)
        except WorkflowError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("Stocktake opened: %(n)d items expected.") % {"n": stocktake.lines.count()})
            return redirect(stocktake)
    page = keyset_page(Stocktake.objects.for_school(request.school), {}, ordering=("-opened_at", "-id"))
    return render(request, "assets/stocktake_list.html", {"page": page, "form": form}, status=400)


def _get(request: HttpRequest, pk: int) -> Stocktake:
    found = _visible(request).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _detail(request: HttpRequest, stocktake: Stocktake, *, status: int = 200, **forms_: Any) -> HttpResponse:
    school = request.school
    part = rules.stocktake_part(stocktake, request.user)  # None: the whole count; else a class teacher's part
    rooms = progress_by_room(stocktake, part=part)
    room_id = int_param(request.GET.get("room"), 0, low=0)
    lines = (stocktake.lines.select_related("expected_room__building", "found_room__building", "marked_by")
             .order_by("expected_room__building__name", "expected_room__code", "number", "id"))
    if part is not None:
        lines = lines.filter(part)
    if room_id:
        lines = lines.filter(expected_room_id=room_id)
    elif request.GET.get("show") == "discrepancies" or stocktake.status == StocktakeStatus.CLOSED:
        lines = [line for line in lines.exclude(result__in=(Result.FOUND, Result.PENDING)).iterator()] + [
            line for line in lines.filter(result=Result.FOUND).exclude(found_room__isnull=True).iterator() if line.wrong_room]
    else:
        lines = lines.filter(result=Result.PENDING)
    counts = can(request.user, school, "assets.count_stocktake") and stocktake.status == StocktakeStatus.OPEN
    return render(request, "assets/stocktake_detail.html", {
        "stocktake": stocktake, "figures": figures(stocktake, part=part), "rooms": rooms, "part": part is not None, "room_id": room_id, "lines": list(lines)[:500],
        "counts": counts, "runs": can(request.user, school, "assets.run_stocktake"),
        "mark_form": forms_.get("mark_form") or (MarkForm(school=school) if counts else None),
        "surplus_form": forms_.get("surplus_form") or (SurplusForm(school=school) if counts else None),
        "scanner_js": SCANNER_JS if finders.find(SCANNER_JS) else "",
    }, status=status)


@_sees_or_counts
def stocktake_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _get(request, pk))


@require_POST
@permission_required("assets.count_stocktake")
def stocktake_mark_number(request: HttpRequest, pk: int) -> HttpResponse:
    stocktake = _get(request, pk)
    form = MarkForm(request.POST, school=request.school)
    if not form.is_valid():
        return _detail(request, stocktake, status=400, mark_form=form)
    try:
        line = service.stocktake_mark_number(stocktake=stocktake, by=request.user, **form.cleaned_data)
    except WorkflowError as e:
        form.add_error("number", str(e))
        return _detail(request, stocktake, status=400, mark_form=form)
    messages.success(request, _("%(number)s %(name)s: %(result)s.") % {"number": line.number, "name": line.name,
                                                                         "result": line.get_result_display()})
    return redirect(request.POST.get("back") == "room" and f"{stocktake.get_absolute_url()}?room={line.expected_room_id or ''}"
                    or stocktake.get_absolute_url())


@require_POST
@permission_required("assets.count_stocktake")
def stocktake_mark_line(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    stocktake = _get(request, pk)
    line = StocktakeLine.objects.filter(stocktake=stocktake, pk=line_pk).select_related("stocktake").first()
    if line is None:
        return _detail(request, stocktake, status=404)
    try:
        service.stocktake_mark(line=line, by=request.user, result=request.POST.get("result", ""))
    except WorkflowError as e:
        messages.error(request, str(e))
    room = f"?room={line.expected_room_id}" if line.expected_room_id else ""
    return redirect(stocktake.get_absolute_url() + room)


@require_POST
@permission_required("assets.count_stocktake")
def stocktake_surplus(request: HttpRequest, pk: int) -> HttpResponse:
    stocktake = _get(request, pk)
    form = SurplusForm(request.POST, school=request.school)
    if not form.is_valid():
        return _detail(request, stocktake, status=400, surplus_form=form)
    try:
        service.stocktake_add_surplus(stocktake=stocktake, by=request.user, **form.cleaned_data)
        messages.success(request, _("Recorded as not on the ledger."))
    except WorkflowError as e:
        messages.error(request, str(e))
    return redirect(stocktake)


def _step(run: Any, done: Any) -> Any:
    @require_POST
    @permission_required("assets.run_stocktake")
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        stocktake = _get(request, pk)
        try:
            result = run(stocktake=stocktake, by=request.user)
            messages.success(request, done(result))
        except WorkflowError as e:
            messages.error(request, str(e))
        return redirect(stocktake)

    return view


stocktake_close = _step(service.stocktake_close, lambda s: _("Stocktake closed: what nobody found is missing."))
stocktake_apply_fixes = _step(service.stocktake_apply_fixes, lambda n: _("%(n)d cards moved to where they were found.") % {"n": n})
stocktake_dispose_losses = _step(service.stocktake_dispose_losses,
                                 lambda d: _("The missing cards are in disposal request %(number)s.") % {"number": d.number})


@permission_required("assets.view_stocktake")
def stocktake_export(request: HttpRequest, pk: int) -> HttpResponse:
    _get(request, pk)
    params = request.GET.copy()
    params["stocktake"] = str(pk)  # the export (and a job running it later) reads the stocktake from its parameters
    request.GET = params
    return respond(request, STOCKTAKE)
