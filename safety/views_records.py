"""Screens of drills, training sessions and contractor evaluations. Thin: a scoped fetch, a form, a
service, a message, a redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Avg, Count, Max
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from logistics import audit
from logistics.lists import keyset_page
from logistics.permissions import can, permission_required
from logistics.scoping import require_school

from safety.catalogue import ensure_criteria
from safety.coverage import training_coverage
from safety.export import coverage_export_response, drills_export_response, evaluations_export_response, trainings_export_response
from safety.filters import DrillFilter, EvaluationFilter, TrainingFilter
from safety.forms import (
    CancelForm,
    ContractorForm,
    DrillHazardForm,
    DrillPlanForm,
    DrillRecordForm,
    EvaluationForm,
    FollowUpForm,
    StaffStartForm,
    TrainingForm,
)
from safety.models import Contractor, Drill, DrillPhoto, DrillStatus, Evaluation, Training
from safety.selectors import DRILL_ORDER, TRAINING_ORDER, contractor_scores, drill_cadence, drills_of, evaluations_of, trainings_of
from safety.services import drills as services
from safety.services import WorkflowError


def _get(qs: Any, pk: int) -> Any:
    try:
        return qs.get(pk=pk)
    except qs.model.DoesNotExist:
        raise Http404 from None


def _errors_to_messages(request: HttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


# --- Drills -----------------------------------------------------------------------------------------

@permission_required("safety.view_drill")
def drill_list(request: HttpRequest) -> HttpResponse:
    drill_filter = DrillFilter(request.GET, queryset=drills_of(request), school=request.school)
    page = keyset_page(drill_filter.qs, request.GET, ordering=DRILL_ORDER, related=("recorded_by",))
    return render(request, "safety/drill_list.html", {
        "page": page, "form": drill_filter.form, "filtered": bool(drill_filter.filters_in_use()),
        "cadence": drill_cadence(request.school), "manages": can(request.user, request.school, "safety.manage_drill"),
    })


@permission_required("safety.view_drill")
def drill_export(request: HttpRequest) -> HttpResponse:
    return drills_export_response(request)


@permission_required("safety.manage_drill")
def drill_plan(request: HttpRequest) -> HttpResponse:
    require_school(request)
    form = DrillPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            drill = services.drill_plan(school=request.school, by=request.user, **form.cleaned_data)
        except WorkflowError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("Drill planned for %(day)s.") % {"day": drill.day.isoformat()})
            return redirect(drill)
    return render(request, "safety/form_page.html", {"form": form, "title": _("Plan a drill"), "back": "safety:drill-list"},
                  status=400 if form.errors else 200)


def _render_drill(request: HttpRequest, drill: Drill, *, status: int = 200, **forms: Any) -> HttpResponse:
    manages = can(request.user, request.school, "safety.manage_drill")
    initial = {name: getattr(drill, name) for name in ("day", "participants", "evacuation_seconds", "duration_minutes", "problems",
                                                       "improvements", "summary")}
    return render(request, "safety/drill_detail.html", {
        "drill": drill, "manages": manages, "history": list(audit.history_of(drill)), "photos": list(drill.photos.all()),
        "hazards": list(drill.hazards.select_related("building", "room").order_by("pk")),
        "record_form": forms.get("record_form") or DrillRecordForm(initial=initial),
        "cancel_form": CancelForm(), "hazard_form": forms.get("hazard_form") or DrillHazardForm(school=request.school),
    }, status=status)


@permission_required("safety.view_drill")
def drill_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_drill(request, _get(drills_of(request).select_related("planned_by", "recorded_by", "school"), pk))


@require_POST
@permission_required("safety.manage_drill")
def drill_record(request: HttpRequest, pk: int) -> HttpResponse:
    drill = _get(drills_of(request).select_related("school"), pk)
    form = DrillRecordForm(request.POST, request.FILES)
    if form.is_valid():
        data = dict(form.cleaned_data)
        photo = data.pop("photo")
        try:
            services.drill_record(drill=drill, by=request.user, photos=[photo] if photo else [], **data)
        except WorkflowError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("The drill is recorded."))
            return redirect(drill)
    messages.error(request, _("Please correct the errors below."))
    return _render_drill(request, drill, status=400, record_form=form)


@require_POST
@permission_required("safety.manage_drill")
def drill_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    drill = _get(drills_of(request), pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        _errors_to_messages(request, form)
        return redirect(drill)
    try:
        services.drill_cancel(drill=drill, by=request.user, reason=form.cleaned_data["reason"])
    except WorkflowError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("The drill is cancelled."))
    return redirect(drill)


@require_POST
@permission_required("safety.manage_drill")
def drill_hazard(request: HttpRequest, pk: int) -> HttpResponse:
    drill = _get(drills_of(request).select_related("school"), pk)
    form = DrillHazardForm(request.POST, school=request.school)
    if form.is_valid():
        try:
            hazard = services.drill_raise_hazard(drill=drill, by=request.user, **form.cleaned_data)
        except WorkflowError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("Hazard %(number)s recorded from the drill.") % {"number": hazard.number})
            return redirect(drill)
    return _render_drill(request, drill, status=400, hazard_form=form)


@permission_required("safety.view_drill")
def drill_photo(request: HttpRequest, pk: int, thumb: bool = False) -> HttpResponse:
    require_school(request)
    found = DrillPhoto.objects.for_school(request.school).filter(pk=pk).first()
    if found is None:
        raise Http404
    return _file(found.thumbnail if thumb else found.image, "image/jpeg")


def _file(file: Any, content_type: str | None = None, *, attachment: bool = False) -> HttpResponse:
    try:
        handle = file.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    kwargs: dict[str, Any] = {"as_attachment": attachment, "filename": file.name.rsplit("/", 1)[-1]}
    if content_type:
        kwargs["content_type"] = content_type
    response = FileResponse(handle, **kwargs)
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- Training ----------------------------------------------------------------------------------------

@permission_required("safety.view_training")
def training_list(request: HttpRequest) -> HttpResponse:
    training_filter = TrainingFilter(request.GET, queryset=trainings_of(request), school=request.school)
    page = keyset_page(training_filter.qs, request.GET, ordering=TRAINING_ORDER)
    return render(request, "safety/training_list.html", {
        "page": page, "form": training_filter.form, "filtered": bool(training_filter.filters_in_use()),
        "manages": can(request.user, request.school, "safety.manage_drill"),
    })


@permission_required("safety.view_training")
def training_export(request: HttpRequest) -> HttpResponse:
    return trainings_export_response(request)


def _training_form(request: HttpRequest, training: Training | None) -> HttpResponse:
    require_school(request)
    initial = {}
    if training is not None:
        initial = {name: getattr(training, name) for name in ("day", "kind", "topic", "audience", "attendees_count", "hours", "trainer", "notes")}
        initial["attendees"] = list(training.attendees.values_list("pk", flat=True))
    form = TrainingForm(request.POST or None, request.FILES or None, school=request.school, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            training = services.training_record(school=request.school, by=request.user, training=training, **form.cleaned_data)
        except WorkflowError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("The training session is recorded."))
            return redirect(training)
    title = _("Record a training session") if training is None else _("Correct the training session")
    return render(request, "safety/form_page.html", {"form": form, "title": title, "back": "safety:training-list"},
                  status=400 if form.errors else 200)


@permission_required("safety.manage_drill")
def training_add(request: HttpRequest) -> HttpResponse:
    return _training_form(request, None)


@permission_required("safety.manage_drill")
def training_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _training_form(request, _get(trainings_of(request), pk))


@permission_required("safety.view_training")
def training_detail(request: HttpRequest, pk: int) -> HttpResponse:
    training = _get(trainings_of(request).select_related("recorded_by"), pk)
    return render(request, "safety/training_detail.html", {
        "training": training, "attendees": list(training.attendees.order_by("full_name", "username")),
        "manages": can(request.user, request.school, "safety.manage_drill"), "history": list(audit.history_of(training)),
    })


@permission_required("safety.view_training")
def training_materials(request: HttpRequest, pk: int) -> HttpResponse:
    training = _get(trainings_of(request).exclude(materials=""), pk)
    return _file(training.materials, attachment=True)


@permission_required("safety.view_training")
def training_coverage_view(request: HttpRequest) -> HttpResponse:
    """Who on the staff was trained this school year and who not; new staff and whether they were
    trained before starting. The office records a start date here. Five queries."""
    require_school(request)
    manages = can(request.user, request.school, "safety.manage_drill")
    form = StaffStartForm(request.POST or None, school=request.school) if manages else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.staff_start_record(school=request.school, by=request.user, **form.cleaned_data)
            except WorkflowError as e:
                form.add_error(None, str(e))
            else:
                messages.success(request, _("The start date is recorded."))
                return redirect(f"{request.path}?show=new")
    coverage = training_coverage(request.school)
    show = request.GET.get("show", "")
    people = {"untrained": coverage.untrained, "trained": coverage.trained, "new": coverage.new_staff}.get(show, coverage.people)
    return render(request, "safety/training_coverage.html", {
        "coverage": coverage, "people": people, "show": show if show in ("untrained", "trained", "new") else "",
        "manages": manages, "form": form,
    }, status=400 if form is not None and form.errors else 200)


@permission_required("safety.view_training")
def training_coverage_export(request: HttpRequest) -> HttpResponse:
    return coverage_export_response(request)


# --- Contractors and their evaluations ------------------------------------------------------------

@permission_required("safety.view_evaluation")
def evaluation_list(request: HttpRequest) -> HttpResponse:
    require_school(request)
    ensure_criteria(request.school)
    evaluation_filter = EvaluationFilter(request.GET, queryset=evaluations_of(request), school=request.school)
    page = keyset_page(evaluation_filter.qs, request.GET, ordering=("-month", "-id"), related=("contractor", "evaluated_by"))
    contractors = list(Contractor.objects.for_school(request.school).filter(is_active=True)
                       .annotate(n=Count("evaluations"), average=Avg("evaluations__score"), last=Max("evaluations__month")))
    return render(request, "safety/evaluation_list.html", {
        "page": page, "form": evaluation_filter.form, "filtered": bool(evaluation_filter.filters_in_use()), "contractors": contractors,
        "manages": can(request.user, request.school, "safety.manage_drill"), "contractor_form": ContractorForm(),
        "follow_up_form": FollowUpForm(), "scores": contractor_scores(request.school),
    })


@permission_required("safety.view_evaluation")
def evaluation_export(request: HttpRequest) -> HttpResponse:
    return evaluations_export_response(request)


@require_POST
@permission_required("safety.manage_drill")
def contractor_add(request: HttpRequest) -> HttpResponse:
    require_school(request)
    form = ContractorForm(request.POST)
    if not form.is_valid():
        _errors_to_messages(request, form)
        return redirect("safety:evaluation-list")
    contractor, created = Contractor.objects.get_or_create(school=request.school, name=form.cleaned_data["name"].strip(),
                                                           service=form.cleaned_data["service"],
                                                           defaults={"contact": form.cleaned_data["contact"]})
    if created:
        audit.record(contractor, "safety.contractor.added", by=request.user, school=request.school, note=contractor.name)
        messages.success(request, _("%(name)s added.") % {"name": contractor})
    else:
        messages.info(request, _("%(name)s is already on the list.") % {"name": contractor})
    return redirect("safety:evaluation-list")


@permission_required("safety.add_evaluation")
def contractors_to_rate(request: HttpRequest) -> HttpResponse:
    """Staff's page: this month's score sheets of the school's contractors, those already filled marked."""
    require_school(request)
    from django.utils import timezone

    month = timezone.localdate().replace(day=1)
    done = set(Evaluation.objects.for_school(request.school).filter(evaluated_by=request.user, month=month).values_list("contractor_id", flat=True))
    contractors = list(Contractor.objects.for_school(request.school).filter(is_active=True))
    return render(request, "safety/contractors_to_rate.html", {"contractors": contractors, "done": done, "month": month})


@permission_required("safety.add_evaluation")
def evaluation_add(request: HttpRequest, pk: int) -> HttpResponse:
    require_school(request)
    ensure_criteria(request.school)
    contractor = _get(Contractor.objects.for_school(request.school), pk)
    form = EvaluationForm(request.POST or None, contractor=contractor)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.evaluation_record(contractor=contractor, by=request.user, month=form.cleaned_data["month"],
                                                    scores=form.scores, conclusion=form.cleaned_data["conclusion"])
        except WorkflowError as e:
            form.add_error(None, str(e))
        else:
            if evaluation.follow_up_needed:
                messages.warning(request, _("%(contractor)s scored %(score)s: below the school's bar, record the follow-up.") % {
                    "contractor": contractor.name, "score": evaluation.score})
            else:
                messages.success(request, _("%(contractor)s scored %(score)s.") % {"contractor": contractor.name, "score": evaluation.score})
            return redirect("safety:evaluation-list" if can(request.user, request.school, "safety.view_evaluation") else "safety:contractors-rate")
    back = "safety:evaluation-list" if can(request.user, request.school, "safety.view_evaluation") else "safety:contractors-rate"
    return render(request, "safety/form_page.html", {"form": form, "title": _("Score %(contractor)s") % {"contractor": contractor},
                                                     "back": back}, status=400 if form.errors else 200)


@require_POST
@permission_required("safety.manage_drill")
def evaluation_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _get(evaluations_of(request), pk)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        _errors_to_messages(request, form)
        return redirect("safety:evaluation-list")
    try:
        services.evaluation_follow_up(evaluation=evaluation, by=request.user, follow_up=form.cleaned_data["follow_up"])
    except WorkflowError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("The follow-up is recorded."))
    return redirect("safety:evaluation-list")
