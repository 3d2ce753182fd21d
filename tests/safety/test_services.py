"""The rules of rounds and hazards, through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from logistics.audit import history_of
from logistics.workflow import WorkflowError
from safety import services
from safety.catalogue import install
from safety.models import Answer, Grade, Hazard, HazardStatus, InspectionTemplate, Round, RoundAnswer, TemplateItem
from tests.safety.conftest import MAJOR, item_named, items_of, jpeg, report, walk_all


# --- Templates ---------------------------------------------------------------------------------------

def test_a_school_gets_the_shipped_templates_once(school):
    InspectionTemplate.ensure_defaults(school)
    InspectionTemplate.ensure_defaults(school)
    install(school)
    names = set(InspectionTemplate.objects.filter(school=school).values_list("name", flat=True))
    assert {"防火巡查", "防火检查", "开学前校舍安全检查"} <= names
    patrol = InspectionTemplate.objects.get(school=school, name="防火巡查")
    assert patrol.frequency == "daily"
    texts = set(TemplateItem.objects.filter(section__template=patrol).values_list("text", flat=True))
    assert {"疏散通道畅通", "常闭式防火门处于关闭状态", "无违章用火"} <= texts  # 61号令 第二十五条
    assert TemplateItem.objects.filter(section__template__name="防火检查", section__template__school=school).count() == 12


# --- Rounds ------------------------------------------------------------------------------------------

def test_a_fail_needing_evidence_is_refused_without_a_photo_or_a_note(school, safety_officer, patrol, building):
    round = services.round_start(school=school, template=patrol, building=building, by=safety_officer)
    item = item_named(patrol, "疏散通道畅通")
    with pytest.raises(WorkflowError, match="疏散通道畅通"):
        services.round_answer(round=round, item=item, by=safety_officer, answer=Answer.FAIL)
    assert not RoundAnswer.objects.filter(round=round).exists()
    services.round_answer(round=round, item=item, by=safety_officer, answer=Answer.FAIL, photo=jpeg())
    answer = RoundAnswer.objects.get(round=round, item=item)
    assert answer.answer == Answer.FAIL and answer.photo and answer.thumbnail


def test_an_interrupted_round_resumes_with_its_answers(school, safety_officer, patrol, building):
    round = services.round_start(school=school, template=patrol, building=building, by=safety_officer)
    first, second, *_rest = items_of(patrol)
    services.round_answer(round=round, item=first, by=safety_officer, answer=Answer.PASS)
    services.round_answer(round=round, item=second, by=safety_officer, answer=Answer.NOT_APPLICABLE)
    again = services.round_start(school=school, template=patrol, building=building, by=safety_officer)
    assert again.pk == round.pk
    assert dict(RoundAnswer.objects.filter(round=round).values_list("item_id", "answer")) == {first.pk: "pass", second.pk: "na"}


def test_a_round_is_signed_only_when_every_item_is_answered_and_each_fail_becomes_a_hazard(school, safety_officer, patrol, building, room):
    round = services.round_start(school=school, template=patrol, building=building, by=safety_officer)
    services.round_answer(round=round, item=items_of(patrol)[0], by=safety_officer, answer=Answer.PASS)
    with pytest.raises(WorkflowError, match="not answered|未作答"):
        services.round_finish(round=round, by=safety_officer, signature="孙安全")
    walk_all(round, safety_officer, fail={"疏散通道畅通": "一楼东侧通道堆放桌椅", "应急照明完好": "楼梯间应急灯不亮"})
    with pytest.raises(WorkflowError):
        services.round_finish(round=round, by=safety_officer, signature="  ")
    round = services.round_finish(round=round, by=safety_officer, signature="孙安全", companion="郑主任")
    assert round.status == Round.Status.FINISHED and round.signature == "孙安全" and round.companion == "郑主任"
    hazards = Hazard.objects.filter(source_answer__round=round).order_by("number")
    assert [h.description for h in hazards] == ["疏散通道畅通：一楼东侧通道堆放桌椅", "应急照明完好：楼梯间应急灯不亮"]
    assert all(h.building == building and h.status == HazardStatus.OPEN for h in hazards)
    with pytest.raises(WorkflowError):
        services.round_answer(round=round, item=items_of(patrol)[0], by=safety_officer, answer=Answer.FAIL, note="改")


def test_only_the_safety_office_walks_rounds(school, teacher, patrol):
    with pytest.raises(WorkflowError):
        services.round_start(school=school, template=patrol, by=teacher)


def test_a_template_of_another_school_cannot_be_walked(school, other_school, safety_officer):
    InspectionTemplate.ensure_defaults(other_school)
    theirs = InspectionTemplate.objects.filter(school=other_school).first()
    with pytest.raises(WorkflowError):
        services.round_start(school=school, template=theirs, by=safety_officer)


# --- Hazards -----------------------------------------------------------------------------------------

def test_anyone_reports_a_hazard_but_not_with_a_deadline_in_the_past(school, teacher, room):
    with pytest.raises(WorkflowError, match=r"\d{4}-\d\d-\d\d"):
        report(school, teacher, room, deadline=timezone.localdate() - dt.timedelta(days=1))
    assert not Hazard.objects.exists()
    hazard = report(school, teacher, room, photos=[jpeg()])
    assert hazard.number.startswith(f"YH{timezone.localdate().year}-") and hazard.building == room.building
    assert hazard.photos.count() == 1
    assert [e.action for e in history_of(hazard)] == ["safety.hazard.reported"]


def test_a_hazard_goes_from_open_to_closed_with_a_verifier_other_than_the_fixer(school, to_verify, repairer, safety_officer, logistics_admin):
    assert to_verify.status == HazardStatus.TO_VERIFY and to_verify.fixed_by == repairer
    with pytest.raises(WorkflowError):
        services.hazard_close(hazard=to_verify, by=safety_officer, verification="")  # no evidence
    closed = services.hazard_close(hazard=to_verify, by=safety_officer, verification="现场查看，已更换")
    assert closed.status == HazardStatus.CLOSED and closed.verified_by == safety_officer and closed.closed_on == timezone.localdate()
    assert [e.action for e in history_of(closed)] == [
        "safety.hazard.reported", "safety.hazard.assigned", "safety.hazard.started", "safety.hazard.rectified", "safety.hazard.closed"]


def test_the_fixer_cannot_verify_their_own_fix(school, fixing, safety_officer):
    hazard = services.hazard_rectify(hazard=fixing, by=safety_officer, measures="已清理通道")
    with pytest.raises(WorkflowError, match="someone else|他人|其他"):
        services.hazard_close(hazard=hazard, by=safety_officer, verification="ok")
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.TO_VERIFY


def test_a_major_hazard_needs_the_five_in_place_before_it_moves_on(school, teacher, room, safety_officer, repairer):
    hazard = report(school, teacher, room, **MAJOR)
    hazard = services.hazard_assign(hazard=hazard, by=safety_officer, responsible=repairer, deadline=timezone.localdate())
    with pytest.raises(WorkflowError, match="资金|funds"):
        services.hazard_start(hazard=hazard, by=safety_officer)
    services.hazard_record_five(hazard=hazard, by=safety_officer, measures_in_place=True, funds_in_place=True, plan_in_place=True)
    hazard = services.hazard_start(hazard=Hazard.objects.get(pk=hazard.pk), by=safety_officer)
    assert hazard.status == HazardStatus.FIXING and hazard.grade == Grade.MAJOR


def test_a_hazard_needs_its_person_and_deadline_before_the_fix_starts(hazard, safety_officer):
    with pytest.raises(WorkflowError):
        services.hazard_start(hazard=hazard, by=safety_officer)


def test_a_wrong_hazard_is_withdrawn_with_a_reason_never_deleted(hazard, safety_officer, teacher):
    with pytest.raises(WorkflowError):
        services.hazard_withdraw(hazard=hazard, by=safety_officer, reason="")
    with pytest.raises(WorkflowError):
        services.hazard_withdraw(hazard=hazard, by=teacher, reason="重复")
    withdrawn = services.hazard_withdraw(hazard=hazard, by=safety_officer, reason="与YH重复")
    assert withdrawn.status == HazardStatus.WITHDRAWN and withdrawn.withdraw_reason == "与YH重复"
    assert Hazard.objects.filter(pk=hazard.pk).exists()


def test_a_sent_back_fix_returns_to_rectification(to_verify, safety_officer):
    hazard = services.hazard_send_back(hazard=to_verify, by=safety_officer, reason="灭火器型号不对")
    assert hazard.status == HazardStatus.FIXING and hazard.fixed_on is None


def test_overdue_is_past_the_deadline_and_not_yet_rectified(assigned):
    Hazard.objects.filter(pk=assigned.pk).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    assert Hazard.objects.overdue().filter(pk=assigned.pk).exists()
    assert Hazard.objects.get(pk=assigned.pk).is_overdue


def test_a_repair_ticket_is_opened_through_the_repairs_service(assigned, logistics_admin, school):
    from repairs.models import Category
    from repairs.selectors import tickets_visible_to

    Category.ensure_defaults(school)
    category = Category.objects.get(school=school, name="其他")
    hazard = services.hazard_open_repair(hazard=assigned, by=logistics_admin, category=category)
    ticket = tickets_visible_to(user=logistics_admin, school=school).get(pk=hazard.repair_ticket_id)
    assert ticket.number == hazard.repair_ticket_number and hazard.number in ticket.description and ticket.room == hazard.room
    with pytest.raises(WorkflowError):
        services.hazard_open_repair(hazard=hazard, by=logistics_admin, category=category)


def test_the_demo_makes_a_week_of_patrols_and_hazards_in_every_state_once(school, safety_officer, logistics_admin, repairer, teacher, room):
    import io

    from safety.demo import seed

    out = io.StringIO()
    seed(school, size="small", stdout=out)
    seed(school, size="small", stdout=out)
    assert Round.objects.filter(school=school, status=Round.Status.FINISHED).count() == 5
    states = set(Hazard.objects.filter(school=school).values_list("status", flat=True))
    assert states == set(HazardStatus.values)
    assert Hazard.objects.overdue().filter(school=school).exists()
    assert "rounds already" in out.getvalue()


def test_the_people_concerned_are_told_of_each_step(safety_officer, repairer, logistics_admin, hazard):
    from logistics.notifications import Notification

    assert Notification.objects.filter(recipient=safety_officer, subject__contains=hazard.number).exists()
    services.hazard_assign(hazard=hazard, by=safety_officer, responsible=repairer, deadline=timezone.localdate())
    told = Notification.objects.get(recipient=repairer)
    assert hazard.number in told.subject and told.url == hazard.get_absolute_url()


def test_a_hazard_the_school_cannot_remove_is_reported_to_the_bureau_once(school, teacher, room, safety_officer):
    hazard = report(school, teacher, room, **MAJOR)
    with pytest.raises(WorkflowError):
        services.hazard_report_to_bureau(hazard=hazard, by=safety_officer, report=" ")
    with pytest.raises(WorkflowError):
        services.hazard_report_to_bureau(hazard=hazard, by=teacher, report="东城校〔2026〕3号")
    hazard = services.hazard_report_to_bureau(hazard=hazard, by=safety_officer, report="东城校〔2026〕3号")
    assert hazard.reported_to_bureau_on == timezone.localdate() and hazard.bureau_report == "东城校〔2026〕3号"
    with pytest.raises(WorkflowError, match="上报|reported"):
        services.hazard_report_to_bureau(hazard=hazard, by=safety_officer, report="再报")
    assert Hazard.objects.filter(reported_to_bureau_on__isnull=False).count() == 1


def test_the_further_shipped_templates_and_which_start_switched_off(school, other_school):
    InspectionTemplate.ensure_defaults(school)
    shipped = dict(InspectionTemplate.objects.filter(school=school).values_list("key", "is_active"))
    assert {"security_patrol", "canteen_safety", "sports_equipment", "holiday_check", "storm_check", "lab_chemicals", "dorm_night"} <= set(shipped)
    assert shipped["dorm_night"] is False and shipped["lab_chemicals"] is True and shipped["security_patrol"] is True
    assert InspectionTemplate.objects.get(school=school, key="holiday_check").frequency == "on_demand"
    other_school.kind = "kindergarten"
    other_school.save()
    InspectionTemplate.ensure_defaults(other_school)
    assert InspectionTemplate.objects.get(school=other_school, key="lab_chemicals").is_active is False


def test_a_school_with_the_first_templates_gets_the_later_ones_once(school, django_assert_num_queries):
    from safety.catalogue import SHIPPED

    install(school)
    InspectionTemplate.objects.filter(school=school, key="storm_check").update(key="", name="台风检查（旧）")
    InspectionTemplate.ensure_defaults(school)
    assert InspectionTemplate.objects.filter(school=school, key="storm_check").count() == 1
    assert InspectionTemplate.objects.filter(school=school).exclude(key="").count() == len(SHIPPED)
    with django_assert_num_queries(1):
        InspectionTemplate.ensure_defaults(school)


def test_the_demo_adds_drills_training_and_contractor_scores_once(school, term, safety_officer, logistics_admin, repairer, teacher, room):
    import io

    from safety.demo import seed_drills
    from safety.models import Drill, Evaluation, Training
    from safety.selectors import drill_cadence

    out = io.StringIO()
    seed_drills(school, size="small", stdout=out)
    seed_drills(school, size="small", stdout=out)
    assert "drills already" in out.getvalue()
    # The 18th of each month of the term, the second month skipped, one planned ahead; sessions held by today.
    assert Drill.objects.filter(school=school, status="held").count() >= 1 and Drill.objects.filter(school=school, status="planned").count() == 1
    assert drill_cadence(school).missed or len(drill_cadence(school).periods) < 3
    assert not Drill.objects.filter(school=school, status="held", day__gt=timezone.localdate()).exists()
    assert 2 <= Training.objects.filter(school=school).count() <= 5 and not Training.objects.filter(day__gt=timezone.localdate()).exists()
    assert Evaluation.objects.filter(school=school).count() == 18 and Evaluation.objects.filter(follow_up_needed=True).exclude(follow_up="").count() == 1
    assert Hazard.objects.filter(school=school, drill__isnull=False).exists()
    assert drill_cadence(school).periods  # the cadence reads the demo's drills


def test_the_large_demo_adds_a_school_year_of_daily_patrols(school, term, safety_officer, logistics_admin, client_for):
    import io

    from safety.demo import seed_drills
    from safety.models import Drill

    seed_drills(school, size="large", stdout=io.StringIO())
    assert Round.objects.filter(school=school, status="finished").count() > 200
    assert Drill.objects.filter(school=school, status="held").count() >= 8  # ten months, one skipped, this one if its 18th is past
    assert client_for(safety_officer).get("/safety/rounds/").status_code == 200


def test_a_school_template_named_like_a_shipped_one_costs_no_extra_query(school, django_assert_num_queries):
    InspectionTemplate.objects.create(school=school, name="安保巡逻", frequency="daily")
    InspectionTemplate.ensure_defaults(school)
    assert not InspectionTemplate.objects.filter(school=school, key="security_patrol").exists()
    with django_assert_num_queries(1):
        InspectionTemplate.ensure_defaults(school)


def test_the_demo_term_reads_as_weeks_of_work_most_hazards_closed_in_time(school, term, safety_officer, logistics_admin, repairer, teacher,
                                                                           room):
    import io

    from django.db.models import F

    from safety.demo import seed

    seed(school, size="small", stdout=io.StringIO())
    hazards = Hazard.objects.filter(school=school).exclude(status=HazardStatus.WITHDRAWN)
    closed = hazards.filter(status=HazardStatus.CLOSED)
    assert closed.count() >= hazards.count() * 0.6
    assert not closed.filter(closed_on__gt=F("deadline")).exists() and not closed.filter(closed_on__lt=F("found_on")).exists()
    assert hazards.filter(found_on__lt=timezone.localdate() - dt.timedelta(days=30)).count() >= 10  # spread over the term
    assert 1 <= Hazard.objects.overdue().filter(school=school).count() <= 3
    assert hazards.filter(status=HazardStatus.TO_VERIFY).count() >= 2
    major = hazards.get(grade="major")
    assert major.status == HazardStatus.CLOSED and all(getattr(major, f) for f in (
        "measures_in_place", "funds_in_place", "deadline_in_place", "person_in_place", "plan_in_place"))
