"""The repairs section of the term report (repairs/report.py) on hand-built tickets: each figure, the
previous term, the problems and how they are worded, and a query count that does not grow with the
number of tickets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from logistics.reports import registry
from logistics.reports.composer import Context, compose
from repairs.models import Status
from repairs.report import RECURRING_KIND, repairs_section
from tests.factories import TermFactory
from tests.reports import factories
from tests.reports.factories import category, ticket

pytestmark = pytest.mark.django_db

# tests/repairs/conftest.py has fixtures of its own named `ticket` and `category`: these tests build
# their tickets with the report factories (plain functions) instead.


@pytest.fixture
def previous_term(school: Any) -> Any:
    return factories.previous_term(school)


@pytest.fixture
def term_tickets(school: Any, term: Any, previous_term: Any, room: Any, teacher: Any, repairer: Any, other_room: Any, outsider: Any) -> dict:
    return factories.term_tickets(school=school, term=term, previous_term=previous_term, room=room, teacher=teacher, repairer=repairer,
                                  other_room=other_room, outsider=outsider)


def test_the_section_carries_the_key_order_and_title_it_was_registered_with(school: Any, term: Any) -> None:
    s = repairs_section(school, term)
    assert (s.key, s.order, s.title) == ("repairs", 20, "校舍维修与报修服务")
    registered = next(p for p in registry.providers() if p.key == "repairs")
    assert (registered.order, registered.title) == (20, "校舍维修与报修服务")


def test_each_figure_of_the_term_is_counted_from_its_tickets(school: Any, term: Any, term_tickets: dict) -> None:
    s = repairs_section(school, term)
    value = {f.key: f.value for f in s.facts}
    assert value["repairs.received"] == 6  # merged, holiday and other-school tickets are not counted
    assert value["repairs.done"] == 3
    assert value["repairs.cancelled"] == 1
    assert value["repairs.urgent"] == 1
    assert value["repairs.completion"] == pytest.approx(60.0)  # 3 of the 5 not cancelled
    assert value["repairs.on_time"] == pytest.approx(200 / 3)
    assert value["repairs.response"] == pytest.approx(1.75)
    assert value["repairs.turnaround"] == pytest.approx(30.0)
    assert value["repairs.accepted"] == 2
    assert float(value["repairs.rating"]) == pytest.approx(3.5)
    assert value["repairs.good"] == pytest.approx(50.0)
    assert value["repairs.material_cost"] == Decimal("177.00")
    assert value["repairs.contractor_cost"] == Decimal("300")
    assert value["repairs.labour"] == Decimal("3.5")
    # Materials ranked by money and written as actions (LED灯管 100元 before 水龙头 77元).
    assert next(p for p in s.parts if p.key == "costs").note == "按金额计，主要更换LED灯管4支、水龙头2个。"


def test_figures_are_compared_with_the_previous_term(school: Any, term: Any, term_tickets: dict) -> None:
    s = repairs_section(school, term)
    assert s.fact("repairs.received").previous == 2
    assert s.fact("repairs.done").previous == 2
    assert s.fact("repairs.completion").previous == pytest.approx(100.0)
    ranking = next(p.ranking for p in s.parts if p.ranking)
    assert [(i.label, i.value, i.previous) for i in ranking.items] == [("供水设施", 3, 2), ("电路照明", 3, None)]  # named in words: no bare 电类


def test_without_a_previous_term_nothing_is_compared(school: Any, term: Any, room: Any, teacher: Any) -> None:
    ticket(school=school, room=room, reporter=teacher, cat=category(school, "水"), day=term.start)
    s = repairs_section(school, term)
    assert all(f.previous is None for f in s.facts)


def test_problems_are_drawn_from_late_open_and_recurring_tickets(school: Any, term: Any, term_tickets: dict) -> None:
    problems = {p.key: p for p in repairs_section(school, term).problems}
    assert problems["repairs.overdue"].count == 3  # one done late, two still open past their deadline
    assert problems["repairs.open"].count == 2
    # Two kinds of fault in one room merge into one item.
    recurring = [p for p in problems.values() if p.kind == RECURRING_KIND]
    assert [(p.count, p.subject) for p in recurring] == [(6, "教学楼A栋初一(3)班教室（A203）的供水设施、电路照明故障")]


def test_figures_link_to_the_ticket_list_with_the_terms_filters(school: Any, term: Any, term_tickets: dict) -> None:
    s = repairs_section(school, term)
    assert s.fact("repairs.received").link.url == "/repairs/?date_from=2026-09-01&date_to=2027-01-22&status=not_merged"
    assert "urgency=urgent" in s.fact("repairs.urgent").link.url
    ranking = next(p.ranking for p in s.parts if p.ranking)
    assert f"category={term_tickets['water'].pk}" in ranking.items[0].link.url


def test_a_term_without_tickets_has_no_figures_worth_a_sentence(school: Any, term: Any) -> None:
    s = repairs_section(school, term)
    assert not s.present and not s.problems and not s.charts
    assert [len(sheet.rows) for sheet in s.all_sheets()] == [0, 0]


def test_the_annex_lists_every_counted_ticket_and_material(school: Any, term: Any, term_tickets: dict) -> None:
    tickets_sheet, materials_sheet = repairs_section(school, term).all_sheets()
    assert len(tickets_sheet.rows) == 6 and tickets_sheet.headers[0] == "编号"
    assert [r[1] for r in materials_sheet.rows] == ["LED灯管", "水龙头"]
    assert materials_sheet.rows[1][5] == Decimal("77.00")


def _make(n: int, school: Any, term: Any, room: Any, teacher: Any, repairer: Any) -> None:
    cats = [category(school, name) for name in ("水", "电", "门窗")]
    for i in range(n):
        ticket(school=school, room=room, reporter=teacher, cat=cats[i % 3], day=term.start + dt.timedelta(days=i % 100),
               status=[Status.ACCEPTED, Status.SUBMITTED, Status.DONE][i % 3], dispatch_after=1, done_after=5 if i % 3 != 1 else None,
               rating=4 if i % 3 == 0 else None, assignee=repairer)


def test_the_number_of_queries_does_not_grow_with_the_number_of_tickets(
    school: Any, term: Any, previous_term: Any, room: Any, teacher: Any, repairer: Any
) -> None:
    _make(10, school, term, room, teacher, repairer)
    with CaptureQueriesContext(connection) as few:
        repairs_section(school, term).all_sheets()
    _make(190, school, term, room, teacher, repairer)
    with CaptureQueriesContext(connection) as many:
        section = repairs_section(school, term)
        sheets = section.all_sheets()
    assert section.fact("repairs.received").value == 200 and len(sheets[0].rows) == 200
    assert len(many) == len(few) <= 20


def test_a_recurring_fault_is_worded_as_a_repair_in_the_shortcomings_and_the_plans(school: Any, term: Any, term_tickets: dict) -> None:
    section = repairs_section(school, term)
    ctx = Context(school_name=school.name, term_label=term.label, term_code=term.code, date=term.end)
    blocks = {b.key: b.text for b in compose(ctx, [section]).blocks}
    recurring = [text for key, text in blocks.items() if key.startswith("problems.repairs.recurring.")]
    assert recurring and all("本学期共报修6次，需要从根本上查找原因。" in text for text in recurring)
    plans = [text for key, text in blocks.items() if key.startswith("plans.repairs.recurring.")]
    assert plans and all(("检修或更换" in text) or ("专项排查" in text) for text in plans)


def test_a_term_that_has_not_started_yet_gives_an_empty_section(school: Any) -> None:
    future = TermFactory(school=school, year=2030, semester=1, start=dt.date(2030, 9, 1), end=dt.date(2031, 1, 20))
    s = repairs_section(school, future)
    assert not s.present and not s.charts
