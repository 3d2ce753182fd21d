"""The canteen section of the term report on the demo term, its comparison with the previous term,
its fixed query count; the demo seeder's term of records."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from canteen.demo import seed
from canteen.models import AccompaniedMeal, Canteen, DailyCheck, Delivery, MorningCheck, RapidTest, Sample
from canteen.report import canteen_section
from logistics.reports.composer import Context, compose
from tests.factories import TermFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def autumn(school: Any) -> Any:
    TermFactory(school=school, year=2025, semester=2, start=dt.date(2026, 2, 23), end=dt.date(2026, 7, 3))
    return TermFactory(school=school, year=2026, semester=1, start=dt.date(2026, 9, 1), end=dt.date(2027, 1, 22))


@pytest.fixture
def seeded(school: Any, autumn: Any, manager: Any, vice: Any) -> Any:
    seed(school, size="small", stdout=io.StringIO())
    return Canteen.objects.get(school=school)


def test_the_demo_seeds_a_term_with_gaps_and_anomalies(seeded: Any) -> None:
    assert Sample.objects.filter(canteen=seeded, day__lt=dt.date(2026, 9, 8)).exists()
    assert MorningCheck.objects.filter(canteen=seeded, decision="off_duty").exists() or MorningCheck.objects.count() > 500
    assert RapidTest.objects.filter(canteen=seeded, positive=True).exists()
    assert AccompaniedMeal.objects.filter(canteen=seeded, feedback="open").exists()
    assert DailyCheck.objects.filter(canteen=seeded, all_ok=False).exists() or DailyCheck.objects.count() > 50
    assert Delivery.objects.filter(canteen=seeded).count() > 20


def test_the_demo_leaves_a_school_with_a_canteen_as_it_is(seeded: Any, school: Any) -> None:
    n = Sample.objects.count()
    out = io.StringIO()
    seed(school, size="small", stdout=out)
    assert Sample.objects.count() == n and "already" in out.getvalue()


def test_the_section_tells_completion_incidents_and_the_cycle(seeded: Any, school: Any, autumn: Any) -> None:
    section = canteen_section(school, autumn)
    assert section.key == "canteen" and section.title == "食堂与食品安全"
    days = section.fact("canteen.days").value
    assert 50 < days < 70
    samples = section.fact("canteen.completion.samples").value
    assert 90 < samples < 100  # the demo skips a few meals
    assert section.fact("canteen.incidents").value == 0
    assert section.fact("canteen.positive").value >= 1
    assert any(p.key == "canteen.missing.samples" for p in section.problems)
    assert section.fact("canteen.weekly").value >= 8


def test_the_section_reads_a_fixed_number_of_queries(seeded: Any, school: Any, autumn: Any) -> None:
    with CaptureQueriesContext(connection) as ctx:
        canteen_section(school, autumn)
    assert len(ctx.captured_queries) == 27


def test_the_section_composes_into_prose(seeded: Any, school: Any, autumn: Any) -> None:
    ctx = Context(school_name=school.name, term_label="2026—2027学年第一学期", term_code="2026-2027-1", date=dt.date(2026, 11, 26))
    text = "\n".join(b.text for b in compose(ctx, [canteen_section(school, autumn)]).blocks)
    # The term still runs: "since the start of term", never 全学期.
    assert "留样记录完成率" in text and "开学以来未发生食品安全事故" in text and "全学期" not in text
    assert "较上学期" not in text.split("（二）")[1].split("（三）")[0]  # the previous term has no records: nothing compared
