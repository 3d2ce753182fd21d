"""The hazard ledger's Excel export, in the layout of a school's 隐患整改销号登记表, declared for the
export engine (logistics/exports). The rows are the ledger's rows: visible to the person in the
current school, narrowed by the ledger's filter."""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, Count, F, OuterRef, Q, Subquery, Value, Window
from django.db.models.functions import Coalesce, Concat, NullIf, RowNumber, Trim
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.translation import gettext_lazy, pgettext_lazy

from logistics.exports import Column, Export, Selection, form_filters, respond

from safety.models import Answer, Grade, RoundAnswer, RoundStatus

ORDER = ("found_on", "id")  # a register reads oldest first; 序号 follows the same order


def _name(prefix: str) -> Any:
    """User.display_name in SQL: full name, else "first last", else the login."""
    full = NullIf(F(f"{prefix}__full_name"), Value(""))
    first_last = NullIf(Trim(Concat(F(f"{prefix}__first_name"), Value(" "), F(f"{prefix}__last_name"), output_field=CharField())), Value(""))
    return Coalesce(full, first_last, F(f"{prefix}__username"), output_field=CharField())


def _annotations() -> dict[str, Any]:
    return {
        "x_seq": Window(RowNumber(), order_by=[F(name).asc() for name in ORDER]),
        "x_place": Concat(F("building__name"), Value(" "), Coalesce(F("room__code"), Value("")), output_field=CharField()),
        "x_responsible": _name("responsible"),
        "x_verifier": _name("verified_by"),
    }


def _select(*, user: Any, school: Any, params: QueryDict) -> Selection:
    from safety.filters import HazardFilter
    from safety.selectors import hazards_visible_to

    hazard_filter = HazardFilter(params, queryset=hazards_visible_to(user=user, school=school), school=school)
    parts = form_filters(hazard_filter.form) if hazard_filter.filters_in_use() else []
    return Selection(hazard_filter.qs, parts)


GRADE_LABELS = dict(Grade.choices)

HAZARDS = Export(
    key="safety.export.HAZARDS",
    title=gettext_lazy("Hazard rectification register"),
    select=_select,
    annotations=_annotations,
    order_by=ORDER,
    columns=[
        Column(pgettext_lazy("hazard register", "No."), "x_seq", 6, "int"),
        Column(pgettext_lazy("hazard register", "Found on"), "found_on", 11, "date"),
        Column(pgettext_lazy("hazard register", "Place"), "x_place", 16),
        Column(pgettext_lazy("hazard register", "Hazard"), "description", 40),
        Column(pgettext_lazy("hazard register", "Grade"), "grade", 6, transform=lambda v: str(GRADE_LABELS.get(v, v))),
        Column(pgettext_lazy("hazard register", "Person responsible"), "x_responsible", 10),
        Column(pgettext_lazy("hazard register", "Deadline"), "deadline", 11, "date"),
        Column(pgettext_lazy("hazard register", "Rectification measures"), "measures", 30),
        Column(pgettext_lazy("hazard register", "Rectified on"), "fixed_on", 11, "date"),
        Column(pgettext_lazy("hazard register", "Verified by"), "x_verifier", 10),
        Column(pgettext_lazy("hazard register", "Closed on"), "closed_on", 11, "date"),
    ],
)


def export_response(request: HttpRequest) -> HttpResponse:
    """The ledger's rows as .xlsx, or a job's progress page when there are many."""
    return respond(request, HAZARDS)


# --- The round list -----------------------------------------------------------------------------------

def _round_annotations() -> dict[str, Any]:
    def counted(condition: Q) -> Subquery:
        rows = RoundAnswer.objects.filter(condition, round=OuterRef("pk")).values("round").annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(rows), Value(0))

    return {
        "x_inspector": _name("inspector"),
        "x_place": Coalesce(F("building__name"), Value(str(_whole_campus()))),
        "x_answered": counted(Q()),
        "x_failed": counted(Q(answer=Answer.FAIL)),
    }


def _whole_campus() -> str:
    from django.utils.translation import gettext

    return gettext("Whole campus")


def _select_rounds(*, user: Any, school: Any, params: QueryDict) -> Selection:
    from safety.filters import RoundFilter
    from safety.models import Round

    round_filter = RoundFilter(params, queryset=Round.objects.for_school(school), school=school)
    parts = form_filters(round_filter.form) if round_filter.filters_in_use() else []
    return Selection(round_filter.qs, parts)


ROUND_STATUS_LABELS = dict(RoundStatus.choices)

ROUNDS = Export(
    key="safety.export.ROUNDS",
    title=gettext_lazy("Inspection rounds"),
    select=_select_rounds,
    annotations=_round_annotations,
    order_by=("-day", "-started_at", "-id"),
    columns=[
        Column(gettext_lazy("Date"), "day", 11, "date"),
        Column(gettext_lazy("Checklist"), "template__name", 16),
        Column(pgettext_lazy("hazard register", "Place"), "x_place", 14),
        Column(gettext_lazy("Inspector"), "x_inspector", 10),
        Column(gettext_lazy("walked with"), "companion", 10),
        Column(gettext_lazy("Status"), "status", 10, transform=lambda v: str(ROUND_STATUS_LABELS.get(v, v))),
        Column(gettext_lazy("Items answered"), "x_answered", 8, "int"),
        Column(gettext_lazy("Items failed"), "x_failed", 8, "int"),
        Column(gettext_lazy("signed"), "signature", 10),
        Column(gettext_lazy("finished at"), "finished_at", 17, "datetime"),
    ],
)


def rounds_export_response(request: HttpRequest) -> HttpResponse:
    return respond(request, ROUNDS)


# --- Drills and training sessions ----------------------------------------------------------------------

def _select_drills(*, user: Any, school: Any, params: QueryDict) -> Selection:
    from safety.filters import DrillFilter
    from safety.models import Drill

    drill_filter = DrillFilter(params, queryset=Drill.objects.for_school(school), school=school)
    return Selection(drill_filter.qs, form_filters(drill_filter.form) if drill_filter.filters_in_use() else [])


def _labels(choices: Any) -> Any:
    labels = dict(choices)
    return lambda v: str(labels.get(v, v))


def _drill_labels() -> tuple[Any, Any]:
    from safety.models import DrillKind, DrillStatus

    return _labels(DrillKind.choices), _labels(DrillStatus.choices)


DRILLS = Export(
    key="safety.export.DRILLS",
    title=gettext_lazy("Emergency drills"),
    select=_select_drills,
    annotations=lambda: {"x_recorder": _name("recorded_by")},
    order_by=("-day", "-id"),
    columns=[
        Column(gettext_lazy("Date"), "day", 11, "date"),
        Column(gettext_lazy("Kind of drill"), "kind", 12, transform=lambda v: _drill_labels()[0](v)),
        Column(gettext_lazy("Title"), "title", 20),
        Column(gettext_lazy("Status"), "status", 8, transform=lambda v: _drill_labels()[1](v)),
        Column(gettext_lazy("Participants"), "participants", 8, "int"),
        Column(gettext_lazy("Evacuation time (seconds)"), "evacuation_seconds", 10, "int"),
        Column(gettext_lazy("Duration (minutes)"), "duration_minutes", 8, "int"),
        Column(gettext_lazy("Problems the drill found"), "problems", 30),
        Column(gettext_lazy("Improvements"), "improvements", 30),
        Column(gettext_lazy("Drill summary"), "summary", 40),
        Column(gettext_lazy("recorded by"), "x_recorder", 10),
    ],
)


def drills_export_response(request: HttpRequest) -> HttpResponse:
    return respond(request, DRILLS)


def _select_trainings(*, user: Any, school: Any, params: QueryDict) -> Selection:
    from safety.filters import TrainingFilter
    from safety.models import Training

    training_filter = TrainingFilter(params, queryset=Training.objects.for_school(school), school=school)
    return Selection(training_filter.qs, form_filters(training_filter.form) if training_filter.filters_in_use() else [])


def _training_kind(v: Any) -> str:
    from safety.models import TrainingKind

    return _labels(TrainingKind.choices)(v)


TRAININGS = Export(
    key="safety.export.TRAININGS",
    title=gettext_lazy("Safety training sessions"),
    select=_select_trainings,
    annotations=lambda: {},
    order_by=("-day", "-id"),
    columns=[
        Column(gettext_lazy("Date"), "day", 11, "date"),
        Column(gettext_lazy("Kind of training"), "kind", 12, transform=_training_kind),
        Column(gettext_lazy("Topic"), "topic", 30),
        Column(gettext_lazy("Audience"), "audience", 16),
        Column(gettext_lazy("Attendees"), "attendees_count", 8, "int"),
        Column(gettext_lazy("Hours"), "hours", 6, "decimal"),
        Column(gettext_lazy("Trainer"), "trainer", 12),
    ],
)


def trainings_export_response(request: HttpRequest) -> HttpResponse:
    return respond(request, TRAININGS)


def _select_evaluations(*, user: Any, school: Any, params: QueryDict) -> Selection:
    from safety.filters import EvaluationFilter
    from safety.models import Evaluation

    evaluation_filter = EvaluationFilter(params, queryset=Evaluation.objects.for_school(school), school=school)
    return Selection(evaluation_filter.qs, form_filters(evaluation_filter.form) if evaluation_filter.filters_in_use() else [])


def _service(v: Any) -> str:
    from safety.models import ServiceKind

    return _labels(ServiceKind.choices)(v)


EVALUATIONS = Export(
    key="safety.export.EVALUATIONS",
    title=gettext_lazy("Contractor evaluations"),
    select=_select_evaluations,
    annotations=lambda: {"x_evaluator": _name("evaluated_by")},
    order_by=("-month", "-id"),
    columns=[
        Column(gettext_lazy("Month"), "month", 9, "date"),
        Column(gettext_lazy("Contractor"), "contractor__name", 24),
        Column(gettext_lazy("Service"), "contractor__service", 12, transform=_service),
        Column(gettext_lazy("Score"), "score", 7, "decimal"),
        Column(gettext_lazy("Conclusion"), "conclusion", 30),
        Column(gettext_lazy("Follow-up"), "follow_up", 30),
        Column(gettext_lazy("evaluated by"), "x_evaluator", 10),
    ],
)


def evaluations_export_response(request: HttpRequest) -> HttpResponse:
    return respond(request, EVALUATIONS)


# --- Training coverage: who on the staff was trained this school year ---------------------------------

COVERAGE_SHOWS = ("untrained", "trained", "new")


def _select_coverage(*, user: Any, school: Any, params: QueryDict) -> Selection:
    """The school's active staff, each with their sessions this school year (to today), start date and
    whether a session came on or before it: subqueries, one query for the whole sheet."""
    from django.db.models import BooleanField, Case, DateField, Exists, ExpressionWrapper, IntegerField, When
    from django.utils import timezone

    from logistics.models import Membership, Role
    from safety.coverage import LOOK_BACK, school_year
    from safety.models import Training

    today = timezone.localdate()
    _year, start, end = school_year(school, today)
    cut = min(today, end)
    attended = Training.attendees.through.objects.filter(user_id=OuterRef("user_id"), training__school=school)
    this_year = attended.filter(training__day__gte=start, training__day__lte=cut)
    qs = Membership.objects.for_school(school).filter(is_active=True, user__is_active=True, roles__name=Role.STAFF).annotate(
        x_name=_name("user"),
        x_sessions=Coalesce(Subquery(this_year.values("user_id").annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()),
                            Value(0)),
        x_last=Subquery(this_year.order_by("-training__day").values("training__day")[:1]),
        x_started=F("started_on"),
    ).annotate(
        x_new=Case(When(x_started__gte=start, x_started__lte=end, then=Value(True)), default=Value(False), output_field=BooleanField()),
        x_before=Case(When(x_started__gte=start, x_started__lte=end, then=Exists(attended.filter(
            training__day__lte=OuterRef("x_started"), training__day__gte=ExpressionWrapper(OuterRef("x_started") - LOOK_BACK, output_field=DateField()))
            .filter(training__day__lte=cut))), default=None, output_field=BooleanField()),
    )
    show = params.get("show", "")
    parts = []
    if show == "untrained":
        qs, parts = qs.filter(x_sessions=0), [(str(gettext_lazy("Show")), str(gettext_lazy("Not trained this school year")))]
    elif show == "trained":
        qs, parts = qs.filter(x_sessions__gt=0), [(str(gettext_lazy("Show")), str(gettext_lazy("Trained this school year")))]
    elif show == "new":
        qs, parts = qs.filter(x_new=True), [(str(gettext_lazy("Show")), str(gettext_lazy("New staff")))]
    return Selection(qs, parts)


def _yes_no(v: Any) -> str:
    return str(gettext_lazy("Yes") if v else gettext_lazy("No"))


COVERAGE = Export(
    key="safety.export.COVERAGE",
    title=gettext_lazy("Safety training coverage"),
    select=_select_coverage,
    annotations=dict,
    order_by=("department__name", "user__full_name", "user__username"),
    columns=[
        Column(pgettext_lazy("person", "Name"), "x_name", 12),
        Column(gettext_lazy("Department"), "department__name", 14),
        Column(gettext_lazy("Post"), "title", 12),
        Column(gettext_lazy("Sessions this school year"), "x_sessions", 10, "int"),
        Column(gettext_lazy("Last trained"), "x_last", 11, "date"),
        Column(gettext_lazy("Started on"), "x_started", 11, "date"),
        Column(gettext_lazy("Trained before starting"), "x_before", 10, transform=_yes_no),
    ],
)


def coverage_export_response(request: HttpRequest) -> HttpResponse:
    return respond(request, COVERAGE)
