"""Safety's 工作纪事 entries by rule: each drill held, each training session, each 重大 hazard closed;
once per record (recording again updates the entry), in Chinese."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from logistics.chronicle.models import ChronicleEntry
from logistics.chronicle.selectors import entries_for
from safety import services
from safety.services import drills
from tests.safety.conftest import MAJOR, report

YESTERDAY = timezone.localdate() - dt.timedelta(days=1)


def test_a_drill_held_is_one_entry_updated_when_corrected(school, term, safety_officer):
    drill = drills.drill_plan(school=school, by=safety_officer, kind="fire", day=YESTERDAY)
    drills.drill_record(drill=drill, by=safety_officer, participants=800, evacuation_seconds=118, summary="有序")
    drills.drill_record(drill=drill, by=safety_officer, participants=812, evacuation_seconds=110, summary="有序")
    entry = ChronicleEntry.objects.get(rule="safety.drill_held")
    assert entry.domain == "safety" and entry.people_count == 812 and entry.title == "消防疏散演练" and "疏散用时110秒" in entry.summary
    if term.start <= YESTERDAY <= term.end:
        assert list(entries_for(school, term, domain="safety")) == [entry]


def test_a_training_session_is_an_entry(school, safety_officer):
    training = drills.training_record(school=school, by=safety_officer, day=YESTERDAY, kind="fire", topic="消防安全知识培训",
                                      audience="全体教职工", attendees_count=96, hours=Decimal("2.0"), trainer="消防大队")
    entry = ChronicleEntry.objects.get(rule="safety.training_held")
    assert entry.title == "消防安全知识培训" and entry.people_count == 96 and entry.kind.key == "training" and entry.source == training


def test_only_a_major_hazard_closed_is_an_entry(school, teacher, room, safety_officer, repairer, to_verify):
    services.hazard_close(hazard=to_verify, by=safety_officer, verification="复查合格")
    assert not ChronicleEntry.objects.filter(rule="safety.major_hazard_closed").exists()
    hazard = report(school, teacher, room, description="实验楼配电箱老化", **MAJOR)
    hazard = services.hazard_assign(hazard=hazard, by=safety_officer, responsible=repairer, deadline=timezone.localdate())
    services.hazard_record_five(hazard=hazard, by=safety_officer, measures_in_place=True, funds_in_place=True, deadline_in_place=True,
                                person_in_place=True, plan_in_place=True)
    hazard = services.hazard_start(hazard=hazard, by=safety_officer)
    hazard = services.hazard_rectify(hazard=hazard, by=repairer, measures="更换配电箱")
    services.hazard_close(hazard=hazard, by=safety_officer, verification="复查合格")
    entry = ChronicleEntry.objects.get(rule="safety.major_hazard_closed")
    assert hazard.number in entry.title and "重大隐患" in entry.title and entry.summary == "更换配电箱"
