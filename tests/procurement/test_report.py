"""The procurement section of the term report and its 工作纪事 entries by rule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from logistics.chronicle.selectors import entries_for
from logistics.reports import registry
from logistics.reports.composer import Context, compose
from procurement import services
from procurement.models import Requisition, Status
from procurement.report import procurement_section, purchase_title
from tests.factories import TermFactory
from tests.procurement.factories import BudgetLineFactory, line, projector_class, submitted
from tests.procurement.test_services import DAY, approved, order


def accepted(school: Any, teacher: Any, chain: Any, lines: list | None = None, **kw: Any) -> Requisition:
    logistics = chain[0]
    req = order(approved(school, teacher, chain, lines, **kw), logistics, [logistics, chain[1]])
    acc = services.acceptance_record(requisition=req, by=logistics, accepted_on=DAY, team=[logistics, teacher], invoice_number="FP-1",
                                     quantities={x.pk: (x.quantity, 0) for x in req.lines.all()})
    services.acceptance_confirm(acceptance=acc, by=teacher)
    req.refresh_from_db()
    assert req.status == Status.ACCEPTED
    return req


@pytest.fixture
def term(school):
    today = timezone.localdate()
    return TermFactory(school=school, year=today.year, semester=1, start=today - dt.timedelta(days=60), end=today + dt.timedelta(days=60))


def test_the_title_names_the_purchase_with_its_amount():
    assert purchase_title([{"name": "投影机", "quantity": 8, "unit": "台", "amount": Decimal("34400")}], Decimal("34400")) == "购置投影机8台，计3.44万元"


def test_the_section_counts_and_names_the_largest_purchase(school, teacher, chain, term):
    budget = BudgetLineFactory(school=school, year=term.start.year, amount=Decimal("100000"), name="教学设备购置")
    accepted(school, teacher, chain, budget_line=budget)
    submitted(school, teacher, [line(price="300")])
    s = procurement_section(school, term)
    assert (s.key, s.title) == ("procurement", "物资采购与验收")
    value = {f.key: f.value for f in s.facts}
    assert value["procurement.requests"] == 2 and value["procurement.approved"] == 1 and value["procurement.accepted"] == 1
    assert value["procurement.money"] == Decimal("34400.00")
    assert value["procurement.execution"] == pytest.approx(34.4)
    assert "购置投影机8台，计3.44万元" in s.parts[1].note
    ctx = Context(school_name=school.name, term_label=term.label, term_code=term.code, date=term.end, term_over=False)
    text = "".join(b.text for b in compose(ctx, [s]).blocks)
    assert "投影机" in text


def test_a_large_purchase_becomes_a_chronicle_entry_once(school, teacher, chain, term):
    req = accepted(school, teacher, chain)
    entries = list(entries_for(school, term, domain="procurement"))
    assert len(entries) == 1 and entries[0].title == "购置投影机8台" and entries[0].amount == Decimal("34400.00")
    from procurement.report import record_purchase

    record_purchase(req)
    assert entries_for(school, term, domain="procurement").count() == 1


def test_the_query_count_does_not_grow_with_requests(school, teacher, chain, term):
    accepted(school, teacher, chain)
    with CaptureQueriesContext(connection) as few:
        procurement_section(school, term)
    for _i in range(3):
        accepted(school, teacher, chain)
    with CaptureQueriesContext(connection) as many:
        procurement_section(school, term)
    assert len(few) == len(many)


def test_the_provider_is_registered():
    assert any(p.key == "procurement" for p in registry.providers())
