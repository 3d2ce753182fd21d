"""Drills with the per-term cadence, training sessions and contractor evaluations: services, screens
and the cadence warnings (教基一厅〔2014〕2号: schools monthly, kindergartens quarterly)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from logistics.audit import history_of
from logistics.workflow import WorkflowError
from safety.catalogue import ensure_criteria
from safety.models import Contractor, Criterion, Drill, DrillStatus, Evaluation, Hazard, SafetySettings, Training
from safety.selectors import drill_cadence, drill_period
from safety.services import drills as services
from tests.safety.conftest import jpeg

TODAY = timezone.localdate()
YESTERDAY = TODAY - dt.timedelta(days=1)


def held(school: Any, by: Any, day: dt.date, **kwargs: Any) -> Drill:
    drill = services.drill_plan(school=school, by=by, kind=kwargs.pop("kind", "fire"), day=day)
    kwargs.setdefault("participants", 820)
    kwargs.setdefault("evacuation_seconds", 115)
    kwargs.setdefault("summary", "全校师生按预定路线有序疏散")
    return services.drill_record(drill=drill, by=by, **kwargs)


# --- The cadence ----------------------------------------------------------------------------------------

def test_the_drill_period_is_a_month_or_a_calendar_quarter():
    assert drill_period(dt.date(2026, 11, 26), 1) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert drill_period(dt.date(2026, 11, 26), 3) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert drill_period(dt.date(2027, 2, 1), 1) == (dt.date(2027, 2, 1), dt.date(2027, 2, 28))
    assert drill_period(dt.date(9999, 12, 31), 3) == (dt.date(9999, 10, 1), dt.date(9999, 12, 31))


def test_a_school_drills_monthly_and_a_kindergarten_quarterly_by_default(school, other_school):
    other_school.kind = "kindergarten"
    other_school.save()
    assert SafetySettings.for_school(school).drill_every_months == 1
    assert SafetySettings.for_school(other_school).drill_every_months == 3


def test_a_kindergarten_with_no_drill_this_quarter_is_warned(other_school, outsider):
    other_school.kind = "kindergarten"
    other_school.save()
    cadence = drill_cadence(other_school, today=dt.date(2026, 11, 26))
    assert cadence.every_months == 3 and cadence.warning == "due"
    assert cadence.current.start == dt.date(2026, 10, 1) and cadence.current.end == dt.date(2026, 12, 31)
    # A drill in September was last quarter: this quarter still has none.
    Drill.objects.create(school=other_school, kind="fire", day=dt.date(2026, 9, 20), status=DrillStatus.HELD, participants=90,
                         planned_by=outsider)
    assert drill_cadence(other_school, today=dt.date(2026, 11, 26)).warning == "due"
    Drill.objects.create(school=other_school, kind="earthquake", day=dt.date(2026, 12, 10), planned_by=outsider)
    assert drill_cadence(other_school, today=dt.date(2026, 11, 26)).warning == "planned"
    Drill.objects.create(school=other_school, kind="fire", day=dt.date(2026, 10, 9), status=DrillStatus.HELD, participants=90,
                         planned_by=outsider)
    assert drill_cadence(other_school, today=dt.date(2026, 11, 26)).warning == ""


def test_the_term_compliance_lists_each_month_and_the_missed_ones(school, term, safety_officer):
    Drill.objects.create(school=school, kind="fire", day=dt.date(2026, 9, 15), status=DrillStatus.HELD, participants=800,
                         planned_by=safety_officer)
    Drill.objects.create(school=school, kind="fire", day=dt.date(2026, 10, 15), status=DrillStatus.CANCELLED, planned_by=safety_officer)
    cadence = drill_cadence(school, today=dt.date(2026, 11, 26))
    assert [(p.start.month, p.done) for p in cadence.periods] == [(9, True), (10, False), (11, False)]
    assert [p.start.month for p in cadence.missed] == [10]  # November still runs
    assert cadence.warning == "due" and cadence.last_held.day == dt.date(2026, 9, 15)


def test_the_cadence_is_three_queries(school, term, safety_officer, django_assert_num_queries):
    for month in (9, 10, 11):
        Drill.objects.create(school=school, kind="fire", day=dt.date(2026, month, 5), status=DrillStatus.HELD, participants=5,
                             planned_by=safety_officer)
    SafetySettings.for_school(school)
    with django_assert_num_queries(3):
        drill_cadence(school, today=dt.date(2026, 11, 26))


# --- Drills ------------------------------------------------------------------------------------------------

def test_a_drill_is_planned_then_recorded_with_photos_and_audited(school, safety_officer):
    drill = services.drill_plan(school=school, by=safety_officer, kind="fire", day=YESTERDAY, title="秋季消防疏散演练")
    assert drill.status == DrillStatus.PLANNED
    drill = services.drill_record(drill=drill, by=safety_officer, participants=1250, evacuation_seconds=128, duration_minutes=30,
                                  problems="三楼东侧楼梯拥堵", improvements="错峰下楼", summary="演练有序", photos=[jpeg()])
    assert drill.status == DrillStatus.HELD and drill.participants == 1250 and drill.photos.count() == 1
    assert [e.action for e in history_of(drill)] == ["safety.drill.planned", "safety.drill.held"]


@pytest.mark.parametrize("change, message", [
    ({"participants": 0}, "participants"),
    ({"participants": None}, "participants"),
    ({"evacuation_seconds": 0}, "evacuation"),
    ({"evacuation_seconds": 99999}, "evacuation"),
    ({"summary": "  "}, "summary"),
    ({"day": TODAY + dt.timedelta(days=3)}, "not come"),
    ({"day": dt.date(1, 1, 1)}, "out of range"),
])
def test_a_bad_drill_record_is_refused_and_changes_nothing(school, safety_officer, change, message, settings):
    settings.LANGUAGE_CODE = "en"
    drill = services.drill_plan(school=school, by=safety_officer, kind="fire", day=YESTERDAY)
    fields = {"participants": 10, "evacuation_seconds": 100, "summary": "ok", **change}
    with pytest.raises(WorkflowError):
        services.drill_record(drill=drill, by=safety_officer, **fields)
    assert Drill.objects.get(pk=drill.pk).status == DrillStatus.PLANNED


def test_only_the_safety_office_plans_drills(school, teacher, principal):
    for person in (teacher, principal):
        with pytest.raises(WorkflowError):
            services.drill_plan(school=school, by=person, kind="fire", day=TODAY)


def test_a_planned_drill_is_cancelled_with_a_reason_and_a_held_one_is_not(school, safety_officer):
    drill = services.drill_plan(school=school, by=safety_officer, kind="intruder", day=TODAY)
    with pytest.raises(WorkflowError):
        services.drill_cancel(drill=drill, by=safety_officer, reason=" ")
    drill = services.drill_cancel(drill=drill, by=safety_officer, reason="台风停课")
    assert drill.status == DrillStatus.CANCELLED
    done = held(school, safety_officer, YESTERDAY)
    with pytest.raises(WorkflowError):
        services.drill_cancel(drill=done, by=safety_officer, reason="x")


def test_a_problem_found_in_a_drill_becomes_a_hazard_linked_to_it(school, safety_officer, room):
    drill = held(school, safety_officer, YESTERDAY)
    hazard = services.drill_raise_hazard(drill=drill, by=safety_officer, room=room, category="fire", description="三楼应急灯不亮")
    assert hazard.drill == drill and hazard.status == "open" and hazard.building == room.building
    planned = services.drill_plan(school=school, by=safety_officer, kind="fire", day=TODAY)
    with pytest.raises(WorkflowError):
        services.drill_raise_hazard(drill=planned, by=safety_officer, room=room, category="fire", description="x")


# --- Training ----------------------------------------------------------------------------------------------

def test_a_training_session_is_recorded_with_attendees_and_materials(school, safety_officer, teacher, repairer):
    materials = SimpleUploadedFile("课件.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    training = services.training_record(school=school, by=safety_officer, day=YESTERDAY, kind="new_staff", topic="新教师消防安全培训",
                                        audience="新入职教师", attendees_count=None, hours=Decimal("1.5"), trainer="消防大队王教官",
                                        attendees=[teacher, repairer], materials=materials)
    assert training.attendees_count == 2 and set(training.attendees.all()) == {teacher, repairer} and training.materials


def test_a_training_with_an_outsider_or_too_few_attendees_is_refused(school, safety_officer, teacher, outsider):
    common = dict(school=school, by=safety_officer, day=YESTERDAY, kind="fire", topic="消防", audience="全体", hours=Decimal("1"), trainer="x")
    with pytest.raises(WorkflowError):
        services.training_record(attendees_count=5, attendees=[outsider], **common)
    with pytest.raises(WorkflowError):
        services.training_record(attendees_count=0, **common)
    with pytest.raises(WorkflowError):
        services.training_record(attendees_count=5, **{**common, "hours": Decimal("0")})
    assert not Training.objects.exists()


# --- Contractor evaluations ---------------------------------------------------------------------------

@pytest.fixture
def guards(school: Any) -> Contractor:
    ensure_criteria(school)
    return Contractor.objects.create(school=school, name="平安保安服务公司", service="security")


def sheet(contractor: Contractor, score: int) -> dict[int, int]:
    return {c.pk: score for c in Criterion.objects.filter(school=contractor.school, service=contractor.service)}


def test_a_month_is_scored_by_weighted_criteria_and_a_low_score_needs_a_follow_up(school, safety_officer, logistics_admin, guards):
    scores = sheet(guards, 90)
    first = Criterion.objects.filter(school=school, service="security").order_by("order").first()  # weight 30
    scores[first.pk] = 40
    evaluation = services.evaluation_record(contractor=guards, by=safety_officer, month=TODAY, scores=scores, conclusion="门卫登记不全")
    assert evaluation.month == TODAY.replace(day=1) and evaluation.score == Decimal("75.0") and not evaluation.follow_up_needed
    low = services.evaluation_record(contractor=guards, by=logistics_admin, month=TODAY, scores=sheet(guards, 50))
    assert low.follow_up_needed
    with pytest.raises(WorkflowError):
        services.evaluation_follow_up(evaluation=low, by=safety_officer, follow_up=" ")
    low = services.evaluation_follow_up(evaluation=low, by=safety_officer, follow_up="约谈项目经理，扣减当月服务费5%")
    assert Evaluation.objects.get(pk=low.pk).follow_up.startswith("约谈")


def test_a_month_scored_twice_by_the_same_person_or_with_a_missing_score_is_refused(safety_officer, guards):
    services.evaluation_record(contractor=guards, by=safety_officer, month=TODAY, scores=sheet(guards, 80))
    with pytest.raises(WorkflowError):
        services.evaluation_record(contractor=guards, by=safety_officer, month=TODAY, scores=sheet(guards, 80))
    partial = sheet(guards, 80)
    partial.popitem()
    with pytest.raises(WorkflowError):
        services.evaluation_record(contractor=guards, by=safety_officer, month=TODAY - dt.timedelta(days=40), scores=partial)
    with pytest.raises(WorkflowError):
        services.evaluation_record(contractor=guards, by=safety_officer, month=TODAY - dt.timedelta(days=40), scores=sheet(guards, 101))
    assert Evaluation.objects.count() == 1


# --- Screens ---------------------------------------------------------------------------------------------------

def test_the_permission_matrix_of_drills_training_and_evaluations(access, client_for, school, safety_officer, teacher, principal, outsider,
                                                                  district_viewer, guards):
    drill = held(school, safety_officer, YESTERDAY)
    training = services.training_record(school=school, by=safety_officer, day=YESTERDAY, kind="fire", topic="消防", audience="全体",
                                        attendees_count=40, hours=Decimal("1"), trainer="x")
    for url in (reverse("safety:drill-list"), reverse("safety:training-list"), reverse("safety:evaluation-list"),
                reverse("safety:drill-export"), reverse("safety:training-export")):
        access(client_for, url, {None: 302, teacher: 403, safety_officer: 200, principal: 200, district_viewer: 200})
    access(client_for, reverse("safety:drill-detail", args=[drill.pk]), {teacher: 403, principal: 200, outsider: 404})
    access(client_for, reverse("safety:training-detail", args=[training.pk]), {teacher: 403, principal: 200, outsider: 404})
    access(client_for, reverse("safety:drill-plan"), {teacher: 403, principal: 403, safety_officer: 200})
    access(client_for, reverse("safety:evaluation-add", args=[guards.pk]), {principal: 200, district_viewer: 403, outsider: 404, safety_officer: 200})
    access(client_for, reverse("safety:drill-detail", args=[10**22]), {safety_officer: 404})
    access(client_for, reverse("safety:drill-cancel", args=[drill.pk]), {principal: 403, outsider: 404}, method="post", data={"reason": "x"})


def test_the_officer_plans_and_records_a_drill_on_screen_and_a_bad_number_keeps_the_rest(client_for, school, safety_officer):
    client = client_for(safety_officer)
    response = client.post(reverse("safety:drill-plan"), {"kind": "earthquake", "day": YESTERDAY.isoformat(), "title": "=cmd|' /C calc'!A0"})
    drill = Drill.objects.get(school=school)
    assert response.status_code == 302 and response["Location"] == drill.get_absolute_url()
    url = reverse("safety:drill-record", args=[drill.pk])
    refused = client.post(url, {"day": YESTERDAY.isoformat(), "participants": "abc", "summary": "<script>alert(1)</script>有序"})
    page = refused.content.decode()
    assert refused.status_code == 400 and "&lt;script&gt;alert(1)&lt;/script&gt;有序" in page
    assert Drill.objects.get(pk=drill.pk).status == DrillStatus.PLANNED
    ok = client.post(url, {"day": YESTERDAY.isoformat(), "participants": "600", "evacuation_seconds": "130", "summary": "有序", "photo": jpeg()})
    assert ok.status_code == 302 and Drill.objects.get(pk=drill.pk).status == DrillStatus.HELD
    listing = client.get(reverse("safety:drill-list"), {"kind": "earthquake", "q": "cmd"}).content.decode()
    assert drill.get_absolute_url() in listing
    export = client.get(reverse("safety:drill-export"))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    cells = [c for row in book.active.iter_rows() for c in row]
    assert 600 in [c.value for c in cells]
    title = next(c for c in cells if c.value == "=cmd|' /C calc'!A0")
    assert title.data_type == "s"  # the text typed, never a formula


def test_two_presses_of_the_same_score_sheet_record_it_once(client_for, safety_officer, guards):
    client = client_for(safety_officer)
    data = {"month": f"{TODAY:%Y-%m}", **{f"c{pk}": 85 for pk in sheet(guards, 0)}}
    url = reverse("safety:evaluation-add", args=[guards.pk])
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 400 and Evaluation.objects.count() == 1
    bad = client.post(url, {**data, "month": "9999-13"})
    assert bad.status_code == 400
    listing = client.get(reverse("safety:evaluation-list"), {"q": "平安"}).content.decode()
    assert "85.0" in listing
    export = client.get(reverse("safety:evaluation-export"), {"q": "平安"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    assert "平安保安服务公司" in [c.value for row in book.active.iter_rows() for c in row]


def test_the_officer_home_card_links_the_next_steps(client_for, school, term, safety_officer, hazard):
    page = client_for(safety_officer).get(reverse("home")).content.decode()
    assert "data-safety-todo" in page and 'data-todo="assign"' in page and reverse("safety:drill-plan") in page


@pytest.mark.parametrize("how_many", [3, 30])
def test_the_district_drill_column_is_one_query_however_many_schools(how_many, django_assert_num_queries, school, term, safety_officer):
    from logistics import widgets
    from tests.factories import SchoolFactory

    schools = [school] + [SchoolFactory() for _ in range(how_many - 1)]
    held(school, safety_officer, YESTERDAY)
    Drill.objects.create(school=school, kind="fire", day=dt.date(2026, 3, 1), status=DrillStatus.HELD, participants=1,
                         planned_by=safety_officer)  # last term
    Drill.objects.create(school=schools[1], kind="fire", day=YESTERDAY, status=DrillStatus.HELD, participants=1, planned_by=safety_officer)
    column = {c.key: c for c in widgets._district_columns.values()}["safety-drills"]
    with django_assert_num_queries(1):
        values = column.values(schools)
    expected_school = 1 if term.start <= YESTERDAY <= term.end else 0
    assert values[school.pk] == expected_school and values[schools[1].pk] == 1 and all(values[s.pk] == 0 for s in schools[2:])


def test_a_training_is_recorded_on_screen_with_its_materials_served_only_to_the_school(client_for, school, safety_officer, teacher, outsider,
                                                                                       principal):
    client = client_for(safety_officer)
    url = reverse("safety:training-add")
    data = {"day": YESTERDAY.isoformat(), "kind": "fire", "topic": "消防器材使用", "audience": "全体教职工", "attendees_count": "40",
            "hours": "1.5", "trainer": "王教官", "attendees": [teacher.pk]}
    bad = client.post(url, {**data, "materials": SimpleUploadedFile("run.exe", b"MZ"), "hours": "abc"})
    assert bad.status_code == 400 and not Training.objects.exists()
    assert "消防器材使用" in bad.content.decode()  # what was typed stays
    ok = client.post(url, {**data, "materials": SimpleUploadedFile("课件.pdf", b"%PDF-1.4")})
    training = Training.objects.get(school=school)
    assert ok.status_code == 302 and list(training.attendees.all()) == [teacher]
    materials = reverse("safety:training-materials", args=[training.pk])
    assert b"".join(client_for(principal).get(materials).streaming_content) == b"%PDF-1.4"
    assert client_for(outsider).get(materials).status_code == 404
    edit = client.post(reverse("safety:training-edit", args=[training.pk]), {**data, "attendees_count": "45"})
    assert edit.status_code == 302 and Training.objects.get(pk=training.pk).attendees_count == 45 and Training.objects.count() == 1


def test_the_drill_reminder_tells_the_office_near_the_end_of_a_period_without_a_drill(school, term, safety_officer, other_school, outsider):
    from logistics.notifications import Notification
    from safety.tasks import send_drill_reminders

    assert services.drill_reminders_send(today=dt.date(2026, 11, 10)) == 0  # twenty days left: not yet
    assert services.drill_reminders_send(today=dt.date(2026, 11, 25)) == 2  # both schools, nothing held or planned
    assert Notification.objects.filter(recipient=safety_officer).count() == 1
    Drill.objects.create(school=school, kind="fire", day=dt.date(2026, 11, 28), planned_by=safety_officer)
    assert services.drill_reminders_send(today=dt.date(2026, 11, 25)) == 1  # planned: no reminder for `school`
    assert isinstance(send_drill_reminders.apply().get(), int)


def test_staff_may_score_the_contractors_too_once_a_month_but_not_read_the_scores(client_for, school, teacher, outsider, safety_officer, guards):
    client = client_for(teacher)
    home = client.get(reverse("home")).content.decode()
    assert 'data-contractors-left="1"' in home
    assert client.get(reverse("safety:contractors-rate")).status_code == 200
    data = {"month": f"{TODAY:%Y-%m}", **{f"c{pk}": 90 for pk in sheet(guards, 0)}}
    response = client.post(reverse("safety:evaluation-add", args=[guards.pk]), data)
    assert response.status_code == 302 and response["Location"] == reverse("safety:contractors-rate")
    assert Evaluation.objects.get().evaluated_by == teacher
    assert "data-rated" in client.get(reverse("safety:contractors-rate")).content.decode()
    assert "data-contractors-left" not in client.get(reverse("home")).content.decode()
    assert client.get(reverse("safety:evaluation-list")).status_code == 403
    assert client_for(outsider).get(reverse("safety:evaluation-add", args=[guards.pk])).status_code == 404
    assert "data-contractors-left" not in client_for(safety_officer).get(reverse("home")).content.decode()
