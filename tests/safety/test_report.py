"""The safety section of the term report (safety/report.py) on hand-built records: each figure, the
previous term, the problems and how the composer words them, the links, and a query count that does
not grow with the number of records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from logistics.reports import registry
from logistics.reports.composer import Context, compose
from safety.models import Drill, DrillStatus, Grade, Hazard, HazardStatus, InspectionTemplate, Round, RoundStatus, Training
from safety.report import safety_section
from tests.reports import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def previous_term(school: Any) -> Any:
    return factories.previous_term(school)


def hazard(school: Any, by: Any, building: Any, n: int, found: dt.date, *, status: str = HazardStatus.OPEN, closed: dt.date | None = None,
           grade: str = Grade.GENERAL, deadline: dt.date | None = None, category: str = "fire") -> Hazard:
    return Hazard.objects.create(school=school, number=f"YH-{n}", found_on=found, found_by=by, building=building, description=f"隐患{n}",
                                 status=status, closed_on=closed, grade=grade, deadline=deadline, category=category)


def drill(school: Any, by: Any, day: dt.date, people: int, seconds: int | None = None, status: str = DrillStatus.HELD) -> Drill:
    return Drill.objects.create(school=school, kind="fire", day=day, status=status, participants=people, evacuation_seconds=seconds,
                                planned_by=by)


@pytest.fixture
def records(school: Any, term: Any, previous_term: Any, safety_officer: Any, building: Any) -> None:
    InspectionTemplate.ensure_defaults(school)
    patrol = InspectionTemplate.objects.get(school=school, key="fire_patrol")
    Round.objects.create(school=school, template=patrol, day=dt.date(2026, 9, 2), status=RoundStatus.FINISHED, inspector=safety_officer)
    Round.objects.create(school=school, template=patrol, day=dt.date(2026, 9, 3), status=RoundStatus.IN_PROGRESS, inspector=safety_officer)
    # This term: 4 valid hazards (1 withdrawn not counted), 2 closed in 3 and 5 days, 1 major, 1 overdue.
    hazard(school, safety_officer, building, 1, dt.date(2026, 9, 10), status=HazardStatus.CLOSED, closed=dt.date(2026, 9, 13))
    hazard(school, safety_officer, building, 2, dt.date(2026, 10, 1), status=HazardStatus.CLOSED, closed=dt.date(2026, 10, 6),
           grade=Grade.MAJOR, category="electrical")
    hazard(school, safety_officer, building, 3, dt.date(2026, 10, 8), deadline=dt.date(2026, 10, 20))
    hazard(school, safety_officer, building, 4, dt.date(2026, 11, 2), status=HazardStatus.TO_VERIFY)
    hazard(school, safety_officer, building, 5, dt.date(2026, 11, 3), status=HazardStatus.WITHDRAWN)
    hazard(school, safety_officer, building, 6, dt.date(2026, 3, 3), status=HazardStatus.CLOSED, closed=dt.date(2026, 3, 5))  # last term
    # Drills: September and November held, October none (a month missed); one cancelled; one last term.
    drill(school, safety_officer, dt.date(2026, 9, 18), 800, 120)
    drill(school, safety_officer, dt.date(2026, 11, 12), 810, 110)
    drill(school, safety_officer, dt.date(2026, 10, 15), 0, status=DrillStatus.CANCELLED)
    drill(school, safety_officer, dt.date(2026, 4, 10), 700, 150)
    Training.objects.create(school=school, day=dt.date(2026, 9, 1), kind="term_start", topic="开学安全教育", audience="全体教职工",
                            attendees_count=96, hours=Decimal("1.5"), trainer="安全办", recorded_by=safety_officer)


def test_the_section_is_registered_as_campus_safety(school, term):
    section = safety_section(school, term)
    assert (section.key, section.title) == ("safety", "校园安全")
    assert any(p.key == "safety" for p in registry.providers())


def test_each_figure_is_counted_from_its_records(school, term, records, settings):
    section = safety_section(school, term)
    value = {f.key: f.value for f in section.facts}
    assert value["safety.rounds"] == 1
    assert value["safety.found"] == 4 and value["safety.closed"] == 2 and value["safety.rectified"] == pytest.approx(50.0)
    assert value["safety.days"] == pytest.approx(4.0) and value["safety.major"] == 1 and value["safety.major_closed"] == 1
    assert value["safety.drills"] == 2 and value["safety.participants"] == 1610 and value["safety.evacuation"] == 115
    assert value["safety.trainings"] == 1 and value["safety.attendees"] == 96 and value["safety.new_staff"] == 0
    previous = {f.key: f.previous for f in section.facts}
    assert previous["safety.found"] == 1 and previous["safety.drills"] == 1
    problems = {p.key: p for p in section.problems}
    assert problems["safety.overdue"].count == 1 and problems["safety.drills_missed"].count == 1  # October
    assert problems["safety.rectify_rate"].value == pytest.approx(50.0)


def test_every_linked_figure_opens_a_list_of_those_records(school, term, records, safety_officer, client_for):
    client = client_for(safety_officer)
    section = safety_section(school, term)
    for key, rows in {"safety.rounds": "data-round-list", "safety.found": "data-hazard-list", "safety.drills": "data-drill-list",
                      "safety.trainings": "data-training-list"}.items():
        url = section.fact(key).link.url
        page = client.get(url)
        assert page.status_code == 200, url
    hazards = client.get(section.fact("safety.found").link.url).content.decode()
    assert "YH-1" in hazards and "YH-4" in hazards and "YH-5" not in hazards and "YH-6" not in hazards


def test_the_composer_writes_the_section_in_chinese(school, term, records):
    ctx = Context(school_name=school.name, term_label=term.label, term_code=term.code, date=term.end)
    blocks = compose(ctx, [safety_section(school, term)]).blocks
    text = "".join(b.text for b in blocks)
    assert "排查发现隐患4处" in text and "组织应急演练2次" in text and "应急疏散演练" in text
    assert not any(ch.isascii() and ch.isalpha() for ch in text.replace("YH", ""))


def test_the_number_of_queries_does_not_grow_with_the_records(school, term, previous_term, safety_officer, building):
    InspectionTemplate.ensure_defaults(school)
    for n in range(3):
        hazard(school, safety_officer, building, n, dt.date(2026, 9, 10), status=HazardStatus.CLOSED, closed=dt.date(2026, 9, 12))
    safety_section(school, term)  # the school's safety settings are made on the first read
    with CaptureQueriesContext(connection) as few:
        safety_section(school, term).all_sheets()
    for n in range(3, 60):
        hazard(school, safety_officer, building, n, dt.date(2026, 9, 10), status=HazardStatus.CLOSED, closed=dt.date(2026, 9, 12))
        drill(school, safety_officer, dt.date(2026, 9, 1) + dt.timedelta(days=n), 100, 90)
    with CaptureQueriesContext(connection) as many:
        section = safety_section(school, term)
        sheets = section.all_sheets()
    assert section.fact("safety.found").value == 60 and len(sheets[0].rows) == 60
    assert len(many) == len(few) <= 40


def test_a_term_not_begun_is_empty(school):
    future = factories.TermFactory(school=school, year=2030, semester=1, start=dt.date(2030, 9, 1), end=dt.date(2031, 1, 20))
    assert not safety_section(school, future).present


def test_a_month_without_a_drill_is_named_by_its_month_not_as_a_missing_record(school, term, records):
    ctx = Context(school_name=school.name, term_label=term.label, term_code=term.code, date=term.end)
    blocks = compose(ctx, [safety_section(school, term)]).blocks
    item = next(b.text for b in blocks if b.key == "problems.safety.drills_missed")
    assert "应急疏散演练未按月开展。" in item or "应急疏散演练未做到每月一次。" in item
    assert "10月未组织演练。" in item and "应记未记" not in item
    plans = "".join(b.text for b in blocks if b.key.startswith("plans."))
    assert "每月" in plans and "演练" in plans


def test_a_kindergarten_quarter_without_a_drill_is_named_by_its_months(school, previous_term, safety_officer):
    from safety.models import SafetySettings

    SafetySettings.objects.update_or_create(school=school, defaults={"drill_every_months": 3})
    drill(school, safety_officer, dt.date(2026, 3, 20), 300, 100)  # January–March held; April–June none
    section = safety_section(school, previous_term)  # 23 Feb – 10 Jul: July–September not over, not missed
    problem = next(p for p in section.problems if p.key == "safety.drills_missed")
    ctx = Context(school_name=school.name, term_label=previous_term.label, term_code=previous_term.code, date=previous_term.end)
    assert registry.problem_kind_of(problem.kind).detail(problem, ctx) == "4月至6月未组织演练。"
    assert "未按月" not in "".join(registry.problem_kind_of(problem.kind).leads)
