"""Screens of campus safety. Thin: a scoped fetch, a form, a service, a message, a redirect."""

from __future__ import annotations

from typing import Any, Callable

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from logistics import audit
from logistics.lists import keyset_page, safe_next
from logistics.options import options
from logistics.models import Room
from logistics.permissions import can, permission_required
from logistics.scoping import require_school

from safety import services
from safety.export import export_response, rounds_export_response
from safety.filters import HazardFilter, RoundFilter
from safety.forms import AnswerForm, AssignForm, BureauForm, CloseForm, FinishForm, FiveForm, HazardReportForm, ReasonForm, RectifyForm, RepairForm, RoundStartForm
from safety.models import FIVE_IN_PLACE, Answer, Hazard, HazardPhoto, InspectionTemplate, Round, RoundAnswer, TemplateItem
from safety.rules import hazard_actions_for, walk
from safety.selectors import (
    HAZARD_ORDER,
    HAZARD_RELATED,
    ROUND_ORDER,
    ROUND_RELATED,
    get_hazard_for,
    get_round_for,
    hazard_figures,
    rounds_of,
    schedule_for,
    visible_hazards,
)
from safety.services import WorkflowError
from safety.services.rounds import unanswered


# --- Today ------------------------------------------------------------------------------------------

@permission_required("safety.view_hazard")
def home(request: HttpRequest) -> HttpResponse:
    """Today's rounds (due, started, done) for whoever walks them; the hazards at a glance."""
    require_school(request)
    InspectionTemplate.ensure_defaults(request.school)
    walks = can(request.user, request.school, "safety.walk_round")
    context: dict[str, Any] = {"walks": walks, "sees_all": can(request.user, request.school, "safety.view_all_hazards")}
    if walks:
        context["schedule"] = schedule_for(request.school)
        context["start_form"] = RoundStartForm(school=request.school)
    if context["sees_all"]:
        context["figures"] = hazard_figures(school=request.school)
    if can(request.user, request.school, "safety.view_drill"):
        from safety.selectors import drill_cadence

        context["cadence"] = drill_cadence(request.school)
        context["manages"] = can(request.user, request.school, "safety.manage_drill")
    return render(request, "safety/home.html", context)


# --- Rounds -----------------------------------------------------------------------------------------

@permission_required("safety.view_round")
def round_list(request: HttpRequest) -> HttpResponse:
    round_filter = RoundFilter(request.GET, queryset=rounds_of(request), school=request.school)
    page = keyset_page(round_filter.qs, request.GET, ordering=ROUND_ORDER, related=ROUND_RELATED)
    return render(request, "safety/round_list.html", {"page": page, "form": round_filter.form,
                                                      "filtered": bool(round_filter.filters_in_use()),
                                                      "template_options": [("", round_filter.form.fields["template"].empty_label),
                                                                           *options("safety.template", request.school)],
                                                      "building_options": [("", round_filter.form.fields["building"].empty_label),
                                                                           *options("safety.building", request.school)]})


@permission_required("safety.export_hazard")
def round_export(request: HttpRequest) -> HttpResponse:
    return rounds_export_response(request)


@require_POST
@permission_required("safety.walk_round")
def round_start(request: HttpRequest) -> HttpResponse:
    require_school(request)
    form = RoundStartForm(request.POST, school=request.school)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("safety:home")
    try:
        round = services.round_start(school=request.school, template=form.cleaned_data["template"], building=form.cleaned_data["building"],
                                     by=request.user)
    except WorkflowError as e:
        messages.error(request, str(e))
        return redirect("safety:home")
    return redirect(round)


def _render_walk(request: HttpRequest, round: Round, *, status: int = 200, failed: dict[str, Any] | None = None,
                 finish_form: FinishForm | None = None) -> HttpResponse:
    items = list(TemplateItem.objects.filter(section__template=round.template_id, is_active=True)
                 .select_related("section").order_by("section__order", "section__pk", "order", "pk"))
    answers = {a.item_id: a for a in RoundAnswer.objects.filter(round=round).select_related("hazard", "room")}
    sections: list[dict[str, Any]] = []
    for item in items:
        if not sections or sections[-1]["section"].pk != item.section_id:
            sections.append({"section": item.section, "items": []})
        sections[-1]["items"].append({"item": item, "answer": answers.get(item.pk)})
    rooms = Room.objects.for_school(round.school_id).filter(is_active=True).select_related("building").order_by("building__code", "code")
    if round.building_id:
        rooms = rooms.filter(building_id=round.building_id)
    answered = sum(1 for i in items if i.pk in answers)
    return render(request, "safety/round_walk.html", {
        "round": round, "sections": sections, "answered": answered, "total": len(items), "may_walk": walk(round, request.user) is None,
        "failed": failed or {}, "rooms": list(rooms), "Answer": Answer,
        "finish_form": finish_form or FinishForm(initial={"signature": request.user.display_name, "companion": round.companion}),
        "fails": [a for a in answers.values() if a.answer == Answer.FAIL],
    }, status=status)


@permission_required("safety.view_round")
def round_walk(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_walk(request, get_round_for(request, pk))


def _next_anchor(round: Round, item_id: int) -> str:
    later = [i for i in unanswered(round) if i.pk != item_id]
    return f"#item-{later[0].pk}" if later else "#finish"


@require_POST
@permission_required("safety.walk_round")
def round_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """One item's answer, saved at once. A refused fail re-shows the page with what was typed."""
    round = get_round_for(request, pk)
    rooms = Room.objects.for_school(request.school)
    form = AnswerForm(request.POST, request.FILES, rooms=rooms)
    item = None
    if form.is_valid():
        item = TemplateItem.objects.filter(pk=form.cleaned_data["item"], section__template=round.template_id).first()
    if item is None:
        messages.error(request, _("That item is not on this round's checklist.") if form.is_valid() else _("Please correct the errors below."))
        failed = {"item": form.data.get("item"), "note": form.data.get("note", ""), "room": form.data.get("room", ""),
                  "errors": [e for errors in form.errors.values() for e in errors]}
        return _render_walk(request, round, status=400, failed=failed)
    data = form.cleaned_data
    try:
        services.round_answer(round=round, item=item, by=request.user, answer=data["answer"], note=data["note"], photo=data["photo"],
                              room=data["room"])
    except WorkflowError as e:
        failed = {"item": str(item.pk), "note": data["note"], "room": str(data["room"].pk) if data["room"] else "", "errors": [str(e)],
                  "answer": data["answer"]}
        return _render_walk(request, round, status=400, failed=failed)
    return redirect(reverse("safety:round-walk", args=[round.pk]) + _next_anchor(round, item.pk))


@require_POST
@permission_required("safety.walk_round")
def round_finish(request: HttpRequest, pk: int) -> HttpResponse:
    round = get_round_for(request, pk)
    form = FinishForm(request.POST)
    if not form.is_valid():
        return _render_walk(request, round, status=400, finish_form=form)
    try:
        round = services.round_finish(round=round, by=request.user, signature=form.cleaned_data["signature"],
                                      companion=form.cleaned_data["companion"])
    except WorkflowError as e:
        messages.error(request, str(e))
        return _render_walk(request, round, status=400, finish_form=form)
    found = Hazard.objects.filter(source_answer__round=round).count()
    if found:
        messages.success(request, _("Round signed; %(n)d hazards recorded for rectification.") % {"n": found})
    else:
        messages.success(request, _("Round signed; nothing wrong found."))
    return redirect(round)


@permission_required("safety.view_round")
def answer_photo(request: HttpRequest, pk: int, thumb: bool = False) -> HttpResponse:
    found = RoundAnswer.objects.for_school(request.school).filter(pk=pk).exclude(photo="").first() if request.school else None
    if found is None:
        raise Http404
    return _file(found.thumbnail if thumb else found.photo)


# --- Hazards ----------------------------------------------------------------------------------------

@permission_required("safety.view_hazard")
def hazard_list(request: HttpRequest) -> HttpResponse:
    hazard_filter = HazardFilter(request.GET, queryset=visible_hazards(request), school=request.school)
    page = keyset_page(hazard_filter.qs, request.GET, ordering=HAZARD_ORDER, related=HAZARD_RELATED)
    return render(request, "safety/hazard_list.html", {
        "page": page, "form": hazard_filter.form, "filtered": bool(hazard_filter.filters_in_use()),
        "sees_all": can(request.user, request.school, "safety.view_all_hazards"),
        "building_options": [("", hazard_filter.form.fields["building"].empty_label), *options("safety.building", request.school)],
    })


@permission_required("safety.export_hazard")
def hazard_export(request: HttpRequest) -> HttpResponse:
    return export_response(request)


@permission_required("safety.add_hazard")
def hazard_report(request: HttpRequest) -> HttpResponse:
    require_school(request)
    if request.method == "POST":
        form = HazardReportForm(request.POST, request.FILES, school=request.school)
        if form.is_valid():
            data = form.cleaned_data
            try:
                hazard = services.hazard_report(
                    school=request.school, by=request.user, building=data["building"], room=data["room"], category=data["category"],
                    grade=data["grade"], description=data["description"], temporary_measures=data["temporary_measures"],
                    responsible=data["responsible"], deadline=data["deadline"], photos=[data["photo"]] if data["photo"] else [],
                )
            except WorkflowError as e:
                form.add_error(None, str(e))
            else:
                messages.success(request, _("Hazard %(number)s recorded. Thank you.") % {"number": hazard.number})
                return redirect(hazard)
    else:
        form = HazardReportForm(school=request.school)
    return render(request, "safety/hazard_report.html", {"form": form})


def _render_detail(request: HttpRequest, hazard: Hazard, status: int = 200, **forms: Any) -> HttpResponse:
    actions = hazard_actions_for(hazard, request.user)
    ticket = None
    if hazard.repair_ticket_id:
        from repairs.selectors import tickets_visible_to

        ticket = tickets_visible_to(user=request.user, school=request.school).filter(pk=hazard.repair_ticket_id).first()
    context = {
        "hazard": hazard, "can": actions, "history": list(audit.history_of(hazard)), "photos": list(hazard.photos.all()),
        "five": [(label, getattr(hazard, name)) for name, label in FIVE_IN_PLACE], "ticket": ticket,
        "assign_form": forms.get("assign_form") or AssignForm(school=request.school, keep_deadline=hazard.deadline, initial={
            "responsible": hazard.responsible_id, "deadline": hazard.deadline, "grade": hazard.grade, "room": hazard.room_id,
            "temporary_measures": hazard.temporary_measures}),
        "five_form": FiveForm(initial={name: getattr(hazard, name) for name, _label in FIVE_IN_PLACE}),
        "rectify_form": forms.get("rectify_form") or RectifyForm(initial={"measures": hazard.measures or _repaired(ticket)}),
        "close_form": forms.get("close_form") or CloseForm(),
        "reason_form": ReasonForm(),
        "bureau_form": BureauForm() if actions["bureau"] else None,
        "repair_form": (forms.get("repair_form") or RepairForm(school=request.school)) if actions["repair"] else None,
    }
    return render(request, "safety/hazard_detail.html", context, status=status)


def _repaired(ticket: Any) -> str:
    """What to offer as the rectification once the linked repair is accepted by its reporter."""
    if ticket is None or ticket.status not in ("accepted", "closed"):
        return ""
    return _("Repair ticket %(ticket)s accepted: %(work)s") % {"ticket": ticket.number, "work": ticket.work_summary or ticket.description}


@permission_required("safety.view_hazard")
def hazard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, get_hazard_for(request, pk))


def _form_kwargs(form_class: Any, request: HttpRequest, hazard: Hazard) -> dict[str, Any]:
    if form_class is AssignForm:
        return {"school": request.school, "keep_deadline": hazard.deadline}
    if form_class is RepairForm:
        return {"school": request.school}
    return {}


def _action(perm: str, form_class: Any | None, run: Callable[[HttpRequest, Hazard, dict[str, Any]], str], *,
            form_name: str = "") -> Callable[..., HttpResponse]:
    """A POST-only step on one hazard: visible-or-404, role-or-403, form, service, message, back."""

    @require_POST
    @permission_required(perm)
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        hazard = get_hazard_for(request, pk)
        data: dict[str, Any] = {}
        if form_class is not None:
            form = form_class(request.POST, request.FILES, **_form_kwargs(form_class, request, hazard))
            if not form.is_valid():
                if form_name:  # re-show the page with what the person typed and the errors next to it
                    messages.error(request, _("Please correct the errors below."))
                    return _render_detail(request, hazard, status=400, **{form_name: form})
                for errors in form.errors.values():
                    for error in errors:
                        messages.error(request, error)
                return redirect(hazard)
            data = form.cleaned_data
        try:
            messages.success(request, run(request, hazard, data))
        except WorkflowError as e:
            messages.error(request, str(e))
            if form_name and form_class is not None:
                return _render_detail(request, hazard, status=400, **{form_name: form})
        return redirect(safe_next(request, request.POST.get("next")) or hazard)

    return view


def _assign(request: HttpRequest, hazard: Hazard, data: dict[str, Any]) -> str:
    services.hazard_assign(hazard=hazard, by=request.user, responsible=data["responsible"], deadline=data["deadline"], grade=data["grade"],
                           room=data["room"], temporary_measures=data["temporary_measures"])
    return _("%(number)s assigned.") % {"number": hazard.number}


def _five(request: HttpRequest, hazard: Hazard, data: dict[str, Any]) -> str:
    services.hazard_record_five(hazard=hazard, by=request.user, **data)
    return _("The five “in place” are recorded.")


def _start(request: HttpRequest, hazard: Hazard, data: dict[str, Any]) -> str:
    services.hazard_start(hazard=hazard, by=request.user)
    return _("Rectification of %(number)s started.") % {"number": hazard.number}


def _rectify(request: HttpRequest, hazard: Hazard, data: dict[str, Any]) -> str:
    services.hazard_rectify(hazard=hazard, by=request.user, measures=data["measures"], photos=[data["photo"]] if data["photo"] else [])
    return _("%(number)s is rectified and awaits verification.") % {"number": hazard.number}


def _close(request: HttpRequest, hazard: Hazard, data: dict[str, Any]) -> str:
    services.hazard_close(hazard=hazard, by=request.user, verification=data["verification"], photos=[data["photo"]] if data["photo"] else [])
    return _("%(number)s verified and closed.") % {"number": hazard.number}


def _send_back(request: HttpRequest, hazard: Hazard, data: dict[str, Any]) -> str:
    services.hazard_send_back(hazard=hazard, by=request.user, reason=data["reason"])
    return _("%(number)s sent back for rectification.") % {"number": hazard.number}


def _withdraw(request: HttpRequest, hazard: Hazard, data: dict[str, Any]) -> str:
    services.hazard_withdraw(hazard=hazard, by=request.user, reason=data["reason"])
    return _("%(number)s withdrawn.") % {"number": hazard.number}


def _repair(request: HttpRequest, hazard: Hazard, data: dict[str, Any]) -> str:
    hazard = services.hazard_open_repair(hazard=hazard, by=request.user, category=data["category"], description=data["description"])
    return _("Repair ticket %(ticket)s opened for %(number)s.") % {"ticket": hazard.repair_ticket_number, "number": hazard.number}


def _bureau(request: HttpRequest, hazard: Hazard, data: dict[str, Any]) -> str:
    services.hazard_report_to_bureau(hazard=hazard, by=request.user, report=data["report"])
    return _("%(number)s is recorded as reported to the education bureau.") % {"number": hazard.number}


hazard_assign = _action("safety.manage_hazard", AssignForm, _assign, form_name="assign_form")
hazard_five = _action("safety.manage_hazard", FiveForm, _five)
hazard_start = _action("safety.view_hazard", None, _start)
hazard_rectify = _action("safety.view_hazard", RectifyForm, _rectify, form_name="rectify_form")
hazard_close = _action("safety.verify_hazard", CloseForm, _close, form_name="close_form")
hazard_send_back = _action("safety.verify_hazard", ReasonForm, _send_back)
hazard_withdraw = _action("safety.manage_hazard", ReasonForm, _withdraw)
hazard_bureau = _action("safety.manage_hazard", BureauForm, _bureau)
hazard_repair = _action("safety.manage_hazard", RepairForm, _repair, form_name="repair_form")


@permission_required("safety.view_hazard")
def hazard_photo(request: HttpRequest, pk: int, thumb: bool = False) -> HttpResponse:
    """Photos are served only to people who may see the hazard (never from a public media URL)."""
    found = HazardPhoto.objects.filter(pk=pk, hazard__in=visible_hazards(request).values("pk")).first()
    if found is None:
        raise Http404
    return _file(found.thumbnail if thumb else found.image)


def _file(file: Any) -> HttpResponse:
    try:
        handle = file.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response

