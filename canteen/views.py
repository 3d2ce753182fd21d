"""Screens of the canteen. Thin: a scoped fetch, a form, a service, a message, a redirect.

A record form sent by the page's offline queue (header `X-Canteen-Offline: 1`) gets JSON back: 201
stored, 409 already stored (a replay: the queue drops it), 400 with the field errors.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import get_language, gettext_lazy
from django.views.decorators.http import require_POST

from logistics.exports import filename
from logistics.lists import keyset_page, safe_next
from logistics.options import kept
from logistics.permissions import can, permission_required
from logistics.scoping import require_school

from canteen import services
from canteen.export import XLSX_TYPE, export_response, workbook_for
from canteen.filters import FILTERS
from canteen.photos import THUMB_SIZES, staff_thumbnail
from canteen.forms import FORMS, AnswerForm, DailyCheckForm, EventForm, ExportForm, MenuDishForm, ReviewForm, apply_errors
from canteen.models import AccompaniedMeal, Additive, Canteen, DailyCheck, Delivery, DeliveryPhoto, Disinfection, Event, MorningCheck, RapidTest, Sample, Staff
from canteen.selectors import (
    DAY_PAGE,
    KINDS,
    canteens_of,
    certificates_expiring,
    day_colour,
    day_moments,
    day_view,
    get_canteen_for,
    get_record_for,
    kept_canteen_for,
    month_grid,
    phase_at,
    records_of,
    review_draft,
)

MODELS = {"check": MorningCheck, "sample": Sample, "disinfection": Disinfection, "accompanied": AccompaniedMeal,
          "delivery": Delivery, "rapid": RapidTest, "checklist": DailyCheck, "additive": Additive}
SERVICES = {
    "check": services.morning_check_record, "sample": services.sample_record, "disinfection": services.disinfection_record,
    "accompanied": services.accompanied_meal_record, "delivery": services.delivery_record, "rapid": services.rapid_test_record,
    "checklist": services.daily_check_record, "additive": services.additive_record,
}
RELATED = {"check": ("canteen", "staff", "created_by"), "sample": ("canteen", "fridge", "created_by"), "delivery": ("canteen", "supplier", "created_by"),
           "rapid": ("canteen", "supplier", "created_by")}
ALIASES = {"delivery": {"photos": "photo"}}
ANCHORS = {"check": "checks", "sample": "samples", "disinfection": "disinfection", "accompanied": "accompanied", "delivery": "deliveries",
           "rapid": "rapid", "checklist": "checklist", "additive": "additives"}
LIST_TITLES = {"check": gettext_lazy("Morning checks"), "sample": gettext_lazy("Samples"), "disinfection": gettext_lazy("Disinfection"),
               "accompanied": gettext_lazy("Accompanied meals"), "delivery": gettext_lazy("Deliveries"), "rapid": gettext_lazy("Pesticide rapid tests"),
               "checklist": gettext_lazy("Daily checklists"), "additive": gettext_lazy("Additive register")}


def _perm_for(kind: str) -> str:
    return "canteen.accompany_meal" if kind == "accompanied" else "canteen.record_canteen"


def _day(value: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise Http404 from None
    return day


# --- Home and the day view -----------------------------------------------------------------------------

@permission_required("canteen.view_canteen")
def home(request: HttpRequest) -> HttpResponse:
    """The school's canteens; with one canteen, straight to today's page."""
    canteens = list(canteens_of(request).order_by("name"))
    if len(canteens) == 1:
        return redirect("canteen:day", canteens[0].pk, timezone.localdate().isoformat())
    return render(request, "canteen/home.html", {"canteens": canteens, "today": timezone.localdate()})


def _form_for(kind: str, canteen: Canteen, view: Any = None, **kwargs: Any) -> Any:
    kwargs.setdefault("auto_id", f"id_{kind}_%s")  # a form fetched into the day page: ids stay unique
    if kind == "checklist":
        return DailyCheckForm(canteen=canteen, items=view.checklist if view else services.checklist_for(canteen), **kwargs)
    return FORMS[kind](canteen=canteen, **kwargs)


def _first_open(slots: list[Any], default: str = "") -> str:
    return next((s.key for s in slots if s.state != "done"), slots[0].key if slots else default)


def _initial(kind: str, view: Any, request: HttpRequest) -> dict[str, Any]:
    """Pre-fills: the meal still to record, the minimum weight, the first fridge, the person's name."""
    meals = [m.kind for m in view.meals]
    if kind == "sample":
        return {"meal": _first_open(view.kind("samples").slots, meals[0] if meals else ""), "grams": view.canteen.sample_min_grams,
                "fridge": view.fridges[0].pk if view.fridges else None}
    if kind == "disinfection":
        return {"meal": _first_open(view.kind("disinfection").slots), "temperature": 120, "minutes": 15}
    if kind == "accompanied":
        return {"meal": _first_open(view.kind("accompanied").slots, meals[0] if meals else ""), "person": request.user.display_name}
    return {}


# The day page draws what is due and done, and the one-tap buttons (a normal morning check, a sample
# of a dish on the menu, the checklist with nothing found); each full form is a page of its own,
# fetched into the day page when its button is opened (offline.js), so the page a kitchen phone opens
# every morning answers about as fast as the login page (bench/canteen.py).
FORM_TITLES = {"check": gettext_lazy("Record with temperature and symptoms"), "sample": gettext_lazy("Another dish"),
               "disinfection": gettext_lazy("Record disinfection"), "accompanied": gettext_lazy("Record an accompanied meal"),
               "delivery": gettext_lazy("Record a delivery"), "rapid": gettext_lazy("Record a rapid test"),
               "additive": gettext_lazy("Record an additive"), "checklist": gettext_lazy("Record with problems found")}
SUBMIT_LABELS = {"check": gettext_lazy("Record the check"), "sample": gettext_lazy("Record the sample"),
                 "disinfection": gettext_lazy("Record disinfection"), "accompanied": gettext_lazy("Record the accompanied meal"),
                 "delivery": gettext_lazy("Record the delivery"), "rapid": gettext_lazy("Record the test"),
                 "additive": gettext_lazy("Record the additive"), "checklist": gettext_lazy("Record the checklist")}


# Marks in the kept body of the day page, filled in for each request: the person's CSRF token and a
# fresh record id per one-tap form. A NUL never comes from a record (forms refuse it, PostgreSQL too).
CSRF_MARK, UID_MARK = "\x00csrf\x00", "\x00uid\x00"


@dataclass(frozen=True)
class _DayPage:
    """A day page's body as kept, with what says whether it still holds (`phase_at` its moments)."""

    title: str
    moments: tuple[dt.datetime, ...]
    phase: str
    body: str


@permission_required("canteen.view_canteen")
def day(request: HttpRequest, pk: int, day: str) -> HttpResponse:
    """The day page, its body drawn once and kept until a record of the school's canteens changes or
    one of the day's moments passes (`phase_at`), per language and per what the person may record:
    the page opened on every kitchen phone all day answers about as fast as the login page
    (bench/canteen.py). Only the CSRF token and the record ids are written for each request.

    A body is kept only once its canteen was found in the person's school, under that school's
    generation (which a canteen closed moves on): finding it there is the check."""
    when = _day(day)
    if when > timezone.localdate():
        raise Http404
    require_school(request)
    school, today = request.school, timezone.localdate()
    records = can(request.user, school, "canteen.record_canteen")
    accompanies = can(request.user, school, "canteen.accompany_meal")

    def draw() -> _DayPage:
        canteen, setup = kept_canteen_for(request, pk)
        day_url = reverse("canteen:day", args=[canteen.pk, when.isoformat()])
        body = render_to_string("canteen/includes/day_body.html", {
            "view": day_view(canteen, when, setup=setup), "canteen": canteen, "day": when, "today": today,
            "day_url": day_url,  # + "<kind>/": a record form (canteen:record-add), without a reverse per button
            "records_url": reverse("canteen:record-list", args=["sample"]).removesuffix("sample/"),  # + "<kind>/<pk>/"
            "staff_photo_url": reverse("canteen:staff-list"),  # + "<pk>/photo/"
            "certificate_url": reverse("canteen:delivery-photo", args=[0]).removesuffix("0/"),  # + "<pk>/thumb/"
            "previous_day": when - dt.timedelta(days=1), "next_day": when + dt.timedelta(days=1) if when < today else None,
            "records": records, "not_records": not records, "accompanies": accompanies,
            "csrf_token_value": CSRF_MARK, "uid": UID_MARK,
        })
        moments = day_moments(canteen, setup, when)
        return _DayPage(canteen.name, moments, phase_at(moments, when), body)

    key = f"{pk}:{when}:{today}:{records:d}{accompanies:d}:{get_language()}"
    page = kept(f"{DAY_PAGE}:{school.pk}", key, draw, fresh=lambda page: page.phase == phase_at(page.moments, when))
    body = re.sub(UID_MARK, lambda _: str(uuid.uuid4()), page.body.replace(CSRF_MARK, get_token(request)))
    return render(request, "canteen/day.html", {"title": page.title, "day": when, "body": mark_safe(body)})


def _render_form(request: HttpRequest, canteen: Canteen, day: dt.date, kind: str, form: Any = None, *, status: int = 200) -> HttpResponse:
    """One record form: a page of its own (a refused form comes back here with its errors), or with
    ?fragment=1 only the form, for the day page to show in place."""
    if form is None:
        view = day_view(canteen, day)
        form = _form_for(kind, canteen, view, initial=_initial(kind, view, request))
    fragment = request.GET.get("fragment") == "1"
    context = {"canteen": canteen, "day": day, "kind": kind, "form": form, "title": FORM_TITLES[kind], "submit_label": SUBMIT_LABELS[kind],
               "action": reverse("canteen:record-add", args=[canteen.pk, day.isoformat(), kind]), "fragment": fragment,
               "day_url": reverse("canteen:day", args=[canteen.pk, day.isoformat()]) + f"#{ANCHORS[kind]}"}
    template = "canteen/includes/record_form.html" if fragment else "canteen/record_form.html"
    return render(request, template, context, status=status)


@permission_required("canteen.view_canteen")
def record_add(request: HttpRequest, pk: int, day: str, kind: str) -> HttpResponse:
    if kind not in FORMS:
        raise Http404
    canteen = get_canteen_for(request, pk)
    when = _day(day)
    if when > timezone.localdate() and request.method != "POST":
        raise Http404
    if not can(request.user, request.school, _perm_for(kind)):
        raise PermissionDenied
    if request.method != "POST":
        return _render_form(request, canteen, when, kind)
    offline = request.headers.get("X-Canteen-Offline") == "1"
    form = _form_for(kind, canteen, data=request.POST, files=request.FILES)
    if form.is_valid():
        try:
            record = SERVICES[kind](canteen=canteen, day=when, by=request.user, **form.record_kwargs())
        except services.Replay as e:
            if offline:
                return JsonResponse({"ok": True, "replay": True, "message": str(e)}, status=409)
            messages.info(request, str(e))
            return redirect(reverse("canteen:day", args=[canteen.pk, when.isoformat()]) + f"#{ANCHORS[kind]}")
        except ValidationError as e:
            apply_errors(form, e, ALIASES.get(kind))
        except services.WorkflowError as e:
            form.add_error(None, str(e))
        else:
            if offline:
                return JsonResponse({"ok": True, "id": record.pk}, status=201)
            messages.success(request, _("Recorded."))
            return redirect(reverse("canteen:day", args=[canteen.pk, when.isoformat()]) + f"#{ANCHORS[kind]}")
    if offline:
        return JsonResponse({"ok": False, "errors": {k: [str(m) for m in v] for k, v in form.errors.items()}}, status=400)
    messages.error(request, _("Please correct the errors below."))
    return _render_form(request, canteen, when, kind, form, status=400)


# --- The month grid ------------------------------------------------------------------------------------

@permission_required("canteen.view_canteen")
def month(request: HttpRequest, pk: int, year: int, month: int) -> HttpResponse:
    canteen = get_canteen_for(request, pk)
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise Http404
    grid = month_grid(canteen, year, month)
    first = dt.date(year, month, 1)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    rows = [(g, day_colour(g.cells)) for g in grid]
    return render(request, "canteen/month.html", {
        "canteen": canteen, "rows": rows, "kinds": KINDS, "first": first, "previous": previous,
        "following": following if following <= timezone.localdate() else None, "today": timezone.localdate(),
        "canteens": list(canteens_of(request).order_by("name")),
    })


# --- Record lists, detail, corrections, exports --------------------------------------------------------

@permission_required("canteen.view_canteen")
def record_list(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in FILTERS:
        raise Http404
    record_filter = FILTERS[kind](request.GET, queryset=records_of(request, MODELS[kind]), school=request.school)
    page = keyset_page(record_filter.qs, request.GET, ordering=("-day", "-recorded_at", "-id"),
                       related=RELATED.get(kind, ("canteen", "created_by")))
    return render(request, "canteen/record_list.html", {
        "kind": kind, "title": LIST_TITLES[kind], "page": page, "form": record_filter.form, "kinds": LIST_TITLES,
        "filtered": bool(record_filter.filters_in_use()), "exports": can(request.user, request.school, "canteen.export_canteen"),
    })


@permission_required("canteen.export_canteen")
def record_export(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in FILTERS:
        raise Http404
    return export_response(request, kind)


@permission_required("canteen.view_canteen")
def record_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if kind not in MODELS:
        raise Http404
    record = get_record_for(request, MODELS[kind], pk)
    versions = []
    old = record
    while old.replaces_id:
        old = MODELS[kind].objects.select_related("created_by").get(pk=old.replaces_id)
        versions.append(old)
    newer = MODELS[kind].objects.filter(replaces=record).first()
    form = None
    if record.is_current and can(request.user, request.school, _perm_for(kind)) and kind != "checklist":
        form = _correction_form(kind, record)
    return render(request, "canteen/record_detail.html", {
        "kind": kind, "title": LIST_TITLES[kind], "record": record, "versions": versions, "newer": newer, "form": form,
        "answer_form": AnswerForm() if kind == "accompanied" and record.feedback == AccompaniedMeal.Feedback.OPEN else None,
        "records": can(request.user, request.school, "canteen.record_canteen"),
        "now": timezone.now(),
    })


def _correction_form(kind: str, record: Any, data: Any = None, files: Any = None) -> Any:
    initial: dict[str, Any] = {}
    form_class = FORMS[kind]
    for name in form_class.base_fields:
        if name in ("uid", "recorded_at", "correction_reason"):
            continue
        if name == "minutes":
            initial[name] = round(record.seconds / 60, 1)
        elif kind == "delivery" and name in ("name", "spec", "quantity", "unit", "production_date", "batch", "shelf_life_days", "is_staple"):
            item = record.items.first()
            initial[name] = getattr(item, name) if item else None
        elif hasattr(record, f"{name}_id"):
            initial[name] = getattr(record, f"{name}_id")
        elif hasattr(record, name) and name != "photo":
            initial[name] = getattr(record, name)
    return form_class(data=data, files=files, canteen=record.canteen, initial=initial, correcting=True)


@require_POST
@permission_required("canteen.view_canteen")
def record_correct(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if kind not in MODELS or kind == "checklist":
        raise Http404
    record = get_record_for(request, MODELS[kind], pk)
    if not can(request.user, request.school, _perm_for(kind)):
        raise PermissionDenied
    form = _correction_form(kind, record, data=request.POST, files=request.FILES)
    if form.is_valid():
        kwargs = form.record_kwargs()
        if not kwargs.get("reason"):
            form.add_error("correction_reason", _("Say why the record is corrected."))
        else:
            try:
                new = SERVICES[kind](canteen=record.canteen, day=record.day, by=request.user, replaces=record, **kwargs)
            except ValidationError as e:
                apply_errors(form, e, ALIASES.get(kind))
            except services.WorkflowError as e:
                form.add_error(None, str(e))
            else:
                messages.success(request, _("Corrected; the earlier version is kept."))
                return redirect("canteen:record-detail", kind, new.pk)
    return render(request, "canteen/record_detail.html", {
        "kind": kind, "title": LIST_TITLES[kind], "record": record, "versions": [], "form": form, "records": True, "now": timezone.now(),
    }, status=400)


@require_POST
@permission_required("canteen.record_canteen")
def sample_destroy(request: HttpRequest, pk: int) -> HttpResponse:
    sample = get_record_for(request, Sample, pk)
    try:
        services.sample_destroy(sample=sample, by=request.user)
        messages.success(request, _("Destruction recorded."))
    except ValidationError as e:
        messages.error(request, " ".join(m for ms in e.message_dict.values() for m in ms))
    except services.WorkflowError as e:
        messages.error(request, str(e))
    return redirect(safe_next(request, request.POST.get("next")) or reverse("canteen:record-detail", args=["sample", pk]))


@require_POST
@permission_required("canteen.record_canteen")
def accompanied_answer(request: HttpRequest, pk: int) -> HttpResponse:
    meal = get_record_for(request, AccompaniedMeal, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.accompanied_meal_answer(meal=meal, answer=form.cleaned_data["answer"], by=request.user)
            messages.success(request, _("Answer recorded."))
        except ValidationError as e:
            messages.error(request, " ".join(m for ms in e.message_dict.values() for m in ms))
        except services.WorkflowError as e:
            messages.error(request, str(e))
    else:
        messages.error(request, _("Write the answer given to the parent."))
    return redirect("canteen:record-detail", "accompanied", pk)


@permission_required("canteen.view_delivery")
def delivery_photo(request: HttpRequest, pk: int, thumb: bool = False) -> FileResponse:
    require_school(request)
    try:
        photo = DeliveryPhoto.objects.for_school(request.school).get(pk=pk)
    except DeliveryPhoto.DoesNotExist:
        raise Http404 from None
    image = photo.thumbnail if thumb else photo.image
    try:
        return FileResponse(image.open("rb"), content_type="image/jpeg")
    except FileNotFoundError:
        raise Http404 from None


@permission_required("canteen.export_canteen")
def export_book(request: HttpRequest) -> HttpResponse:
    """Every record kind of a date range, one sheet per kind."""
    require_school(request)
    form = ExportForm(request.GET or None)
    if not request.GET or not form.is_valid():
        return render(request, "canteen/export.html", {"form": form}, status=400 if request.GET else 200)
    start, end = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    handle = tempfile.TemporaryFile()
    workbook_for(user=request.user, school=request.school, start=start, end=end, target=handle)
    handle.seek(0)
    name = filename(_("Canteen records"), [(_("Date"), f"{start.isoformat()}至{end.isoformat()}")])
    return FileResponse(handle, as_attachment=True, filename=name, content_type=XLSX_TYPE)


# --- Staff and events ------------------------------------------------------------------------------------

@permission_required("canteen.view_staff")
def staff_list(request: HttpRequest) -> HttpResponse:
    require_school(request)
    today = timezone.localdate()
    staff = list(Staff.objects.for_school(request.school).filter(is_active=True).select_related("canteen").order_by("canteen__name", "name"))
    expiring = {s.pk for s in certificates_expiring(request.school, today=today)}
    return render(request, "canteen/staff_list.html", {"staff": staff, "expiring": expiring, "today": today})


@permission_required("canteen.view_staff")
def staff_photo(request: HttpRequest, pk: int) -> FileResponse:
    """A staff member's face, small (?size=s, the day page) or larger (the staff page), to people of their school only."""
    require_school(request)
    size = request.GET.get("size", "s")
    if size not in THUMB_SIZES:
        raise Http404
    person = Staff.objects.for_school(request.school).filter(pk=pk).exclude(photo="").first()
    if person is None:
        raise Http404
    try:
        name = staff_thumbnail(person.photo, size)
        response = FileResponse(default_storage.open(name, "rb"), content_type="image/jpeg")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    # The address carries the photo's name (?v=): a new photo is a new address, so this one may be kept.
    response["Cache-Control"] = "private, max-age=604800"
    return response


@permission_required("canteen.add_event")
def event_add(request: HttpRequest) -> HttpResponse:
    require_school(request)
    form = EventForm(request.POST or None, initial={"day": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.event_record(school=request.school, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Recorded."))
            return redirect("canteen:home")
    events = list(Event.objects.for_school(request.school).order_by("-day", "-pk")[:20])
    return render(request, "canteen/event_form.html", {"form": form, "events": events}, status=400 if form.errors else 200)


# --- The weekly review (周排查) and the monthly meeting (月调度) ----------------------------------------

ATTENDEES = "校长、分管副校长、后勤主任、食堂经理、食品安全员"


def _period(period: str, day: dt.date) -> tuple[str, dt.date, dt.date]:
    if period == "week":
        start = day - dt.timedelta(days=day.weekday())
        return Event.Kind.WEEKLY_REVIEW, start, start + dt.timedelta(days=6)
    if period == "month":
        start = day.replace(day=1)
        return Event.Kind.MONTHLY_MEETING, start, (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    raise Http404


def _draft_text(draft: Any) -> str:
    from canteen.selectors import KIND_LABELS

    rates = "，".join(f"{KIND_LABELS[k]}{v}%" for k, v in draft.completion.items() if v is not None)
    text = _("%(start)s to %(end)s: completion %(rates)s; %(anomalies)s anomalies, %(missed)s items missed.") % {
        "start": draft.start.isoformat(), "end": draft.end.isoformat(), "rates": rates, "anomalies": len(draft.anomalies),
        "missed": len(draft.missed)}
    if draft.anomalies:
        text += "\n" + "\n".join(draft.anomalies)
    return text


@permission_required("canteen.view_canteen")
def review(request: HttpRequest, pk: int, period: str, day: str) -> HttpResponse:
    canteen = get_canteen_for(request, pk)
    when = _day(day)
    if when > timezone.localdate():
        raise Http404
    kind, start, end = _period(period, when)
    draft = review_draft(canteen, start, end, kind=kind)
    form = ReviewForm(request.POST or None, initial={"summary": _draft_text(draft), "attendees": ATTENDEES if period == "month" else ""})
    status = 200
    if request.method == "POST":
        if not can(request.user, request.school, "canteen.record_canteen"):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            summary = data["summary"]
            if period == "month":
                summary += "\n" + _("Attendees: %(names)s") % {"names": data["attendees"]}
                if data["next_work"]:
                    summary += "\n" + _("Next month's key work: %(work)s") % {"work": data["next_work"]}
            people = len([n for n in data["attendees"].replace("，", "、").replace(",", "、").split("、") if n.strip()]) or None
            try:
                services.review_sign(canteen=canteen, kind=kind, start=start, end=end, summary=summary, by=request.user,
                                     people_count=people if period == "month" else None)
            except ValidationError as e:
                apply_errors(form, e)
            except services.WorkflowError as e:
                form.add_error(None, str(e))
            else:
                messages.success(request, _("Signed."))
                return redirect("canteen:review", canteen.pk, period, when.isoformat())
        status = 400
    return render(request, "canteen/review.html", {
        "canteen": canteen, "draft": draft, "form": form, "period": period, "kinds": KINDS,
        "records": can(request.user, request.school, "canteen.record_canteen"),
    }, status=status)


# --- The weekly menu (带量食谱), checked against WS/T 554 -------------------------------------------------

@permission_required("canteen.view_canteen")
def menu(request: HttpRequest, pk: int, day: str) -> HttpResponse:
    from canteen.menu import LUNCH_12_14, summary, week_menu

    canteen = get_canteen_for(request, pk)
    when = _day(day)
    monday = when - dt.timedelta(days=when.weekday())
    form = MenuDishForm(request.POST or None, initial={"day": when})
    status = 200
    if request.method == "POST":
        if not can(request.user, request.school, "canteen.record_canteen"):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.menu_dish_add(canteen=canteen, by=request.user, **form.cleaned_data)
            except ValidationError as e:
                apply_errors(form, e)
            else:
                messages.success(request, _("Recorded."))
                return redirect("canteen:menu", canteen.pk, form.cleaned_data["day"].isoformat())
        status = 400
    menus = week_menu(canteen, monday)
    return render(request, "canteen/menu.html", {
        "canteen": canteen, "menus": menus, "summary": summary(menus), "monday": monday, "form": form, "ranges": LUNCH_12_14,
        "previous": monday - dt.timedelta(days=7), "following": monday + dt.timedelta(days=7),
        "records": can(request.user, request.school, "canteen.record_canteen"),
    }, status=status)
