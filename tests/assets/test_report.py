"""The assets section of the term report: what was added (named: 新增投影机8台), by funding, the
disposals, the stocktake's 账实相符率, the consumables issued, against the previous term, in prose
that the composer writes; a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assets.report import assets_section, notable_sentence
from assets.services import disposal as disposals
from assets.services import stock
from assets.services import stocktake as stocktakes
from logistics.reports.composer import Context, compose
from tests.assets.factories import CardFactory, asset_class
from tests.factories import TermFactory

D = Decimal


def _term_work(school, logistics_admin, teacher, room, n=8):
    CardFactory.create_batch(n, school=school, name="投影机", unit="台", booked_on=dt.date(2026, 10, 10), original_value=D("6000"),
                             room=room)
    CardFactory(school=school, name="学生课桌椅", unit="套", quantity=400, asset_class=asset_class("A05010203"),
                booked_on=dt.date(2026, 9, 5), original_value=D("120000"), funding="own", room=room)
    old = CardFactory(school=school, name="旧电脑", booked_on=dt.date(2018, 1, 1))
    d = disposals.disposal_request(school=school, by=logistics_admin, cards=[old], way="scrap", reason="超过使用年限")
    disposals.disposal_approve(disposal=d, by=logistics_admin)
    disposals.disposal_execute(disposal=d, by=logistics_admin)
    count = stocktakes.stocktake_open(school=school, by=logistics_admin, title="秋季清查", scope="school")
    first = count.lines.select_related("stocktake").first()
    stocktakes.stocktake_mark(line=first, by=logistics_admin, result="found")
    stocktakes.stocktake_close(stocktake=count, by=logistics_admin)
    receipt = stock.receive(school=school, by=logistics_admin, name="粉笔", spec="", unit="盒", quantity=D("50"), unit_price=D("3"),
                            supplier="", invoice_number="", received_on=timezone.localdate())
    stock.issue(item=receipt.item, by=logistics_admin, quantity=D("10"), to_person=teacher)


def test_the_section_names_what_was_added_the_disposals_and_the_stocktake(school, term, logistics_admin, teacher, room):
    _term_work(school, logistics_admin, teacher, room)
    section = assets_section(school, term)
    assert section.fact("assets.added").value == 9 and section.fact("assets.added_value").value == D("168000.00")
    assert section.fact("assets.funding.own").value == D("120000.00")
    assert section.parts[0].note == "新增学生课桌椅400套、投影机8台"
    assert section.fact("assets.disposed").value == 1
    assert section.fact("assets.stocktake.items").value == 9 and round(section.fact("assets.stocktake.rate").value, 1) == 11.1
    assert section.fact("assets.consumables.value").value == D("30.00")
    ctx = Context(school_name=school.name, term_label=term.label, term_code=term.code, date=timezone.localdate(), term_over=False)
    text = "\n".join(b.text for b in compose(ctx, [section]).blocks)
    assert "新增学生课桌椅400套、投影机8台" in text and "账实相符率" in text and "报废处置资产" in text
    assert text.count("其中") == 1


def test_the_previous_term_is_compared(school, term, logistics_admin, teacher, room):
    TermFactory(school=school, year=2025, semester=2, start=dt.date(2026, 2, 20), end=dt.date(2026, 7, 10))
    CardFactory.create_batch(3, school=school, booked_on=dt.date(2026, 3, 1))
    CardFactory(school=school, booked_on=dt.date(2026, 9, 3))
    assert assets_section(school, term).fact("assets.added").previous == 3


def test_the_queries_do_not_grow_with_the_ledger(school, term, logistics_admin, teacher, room):
    _term_work(school, logistics_admin, teacher, room, n=2)
    with CaptureQueriesContext(connection) as few:
        assets_section(school, term)
    CardFactory.create_batch(30, school=school, booked_on=dt.date(2026, 10, 1), room=room)
    with CaptureQueriesContext(connection) as many:
        assets_section(school, term)
    assert len(few) == len(many) <= 15


def test_notable_sentence():
    assert notable_sentence([{"name": "投影机", "items": 8, "unit": "台"}]) == "新增投影机8台"
    assert notable_sentence([]) == ""


# --- 存在的不足 from the ledger, and the stocktake against last term's ----------------------------------

FORBIDDEN = ["全学期", "期末", "None", "0.0%", "/", "。。", "，。"]


def _composed(school, term, sections):
    ctx = Context(school_name=school.name, term_label=term.label, term_code=term.code, date=timezone.localdate(), term_over=False)
    return compose(ctx, sections)


def test_the_ledgers_shortcomings_are_drawn_from_its_cards(school, term, logistics_admin, teacher, room):
    _term_work(school, logistics_admin, teacher, room, n=3)  # the stocktake finds 1 of 4: 3 盘亏 still on the ledger
    CardFactory(school=school, name="移动音箱")  # neither a holder nor a room
    CardFactory(school=school, name="摄像机", room=room, status="lent", lent_to="校团委", lent_due=dt.date(2026, 10, 20))
    CardFactory(school=school, name="打印机", room=room, warranty_until=dt.date(2026, 10, 1))
    CardFactory(school=school, name="旧打印机", room=room, warranty_until=dt.date(2026, 3, 1))  # lapsed before the term
    section = assets_section(school, term)
    problems = {p.key: p for p in section.problems}
    assert problems["assets.stocktake.rate"].value == 25.0 and problems["assets.stocktake.rate"].kind == "low_rate"
    assert problems["assets.loss_pending"].count == 3
    assert (problems["assets.unplaced"].count, problems["assets.unplaced"].total) == (1, 8)
    assert problems["assets.loan_overdue"].count == 1 and problems["assets.warranty"].count == 1
    composed = _composed(school, term, [section])
    text = "\n".join(b.text for b in composed.blocks if b.kind not in ("table", "chart"))
    assert "资产账实相符率" in text and "未达到98%的要求" in text
    assert "盘亏资产" in text and "尚有3项未履行报损核销手续" in text
    assert "出借资产" in text and "仍有1项超过约定的归还日期" in text
    assert not [phrase for phrase in FORBIDDEN if phrase in text], text


def test_a_written_off_loss_and_a_tidy_ledger_raise_nothing(school, term, logistics_admin, teacher, room):
    card = CardFactory(school=school, room=room, booked_on=dt.date(2026, 9, 2))
    count = stocktakes.stocktake_open(school=school, by=logistics_admin, title="秋季清查", scope="school")
    stocktakes.stocktake_mark(line=count.lines.select_related("stocktake").get(), by=logistics_admin, result="found")
    stocktakes.stocktake_close(stocktake=count, by=logistics_admin)
    lost = CardFactory(school=school, room=room, status="disposed")  # a 盘亏 written off: no longer on the ledger
    from assets.models import StocktakeLine

    StocktakeLine.objects.create(stocktake=count, card=lost, number=lost.number, name=lost.name, result="missing")
    problems = {p.key for p in assets_section(school, term).problems}
    assert problems == {"assets.stocktake.rate"} and card.pk  # the loss lowers the rate, but is written off


def test_the_stocktakes_rate_is_compared_with_last_terms(school, term, logistics_admin, teacher, room):
    TermFactory(school=school, year=2025, semester=2, start=dt.date(2026, 2, 20), end=dt.date(2026, 7, 10))
    CardFactory.create_batch(2, school=school, room=room)
    spring = stocktakes.stocktake_open(school=school, by=logistics_admin, title="春季清查", scope="school")
    for line in spring.lines.select_related("stocktake"):
        stocktakes.stocktake_mark(line=line, by=logistics_admin, result="found")
    stocktakes.stocktake_close(stocktake=spring, by=logistics_admin)
    type(spring).objects.filter(pk=spring.pk).update(closed_at=timezone.make_aware(dt.datetime(2026, 6, 30, 10)))
    autumn = stocktakes.stocktake_open(school=school, by=logistics_admin, title="秋季清查", scope="school")
    stocktakes.stocktake_mark(line=autumn.lines.select_related("stocktake").first(), by=logistics_admin, result="found")
    stocktakes.stocktake_close(stocktake=autumn, by=logistics_admin)
    section = assets_section(school, term)
    rate = section.fact("assets.stocktake.rate")
    assert (rate.value, rate.previous) == (50.0, 100.0) and rate.previous_link.args == (spring.pk,)
    text = "\n".join(b.text for b in _composed(school, term, [section]).blocks)
    assert "账实相符率" in text and "上学期" in text
    clause = next(line for line in text.splitlines() if "较上学期" in line or "比上学期" in line)
    assert "上学期" in clause and "同期" not in clause  # against last term's count, not the same span of it
