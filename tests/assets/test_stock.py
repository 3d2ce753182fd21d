"""Consumables: receive (the function procurement calls), issue with approval over a limit, take back,
count, the 出入库 ledger and two people taking the last boxes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from assets.models import Stock, StockIssue, StockItem, StockMove, StockReceipt, Warehouse
from assets.services import stock
from assets.services.stock import WorkflowError
from logistics.models import Role
from tests.factories import DepartmentFactory, member

D = Decimal
TODAY = dt.date(2026, 11, 20)


def paper(school, by, quantity="40", price="23.50", **kwargs):
    kwargs.setdefault("received_on", TODAY)
    return stock.receive(school=school, by=by, name="A4复印纸", spec="70g 500张", unit="包", quantity=D(quantity), unit_price=D(price),
                         supplier="文具公司", invoice_number="No.0001", **kwargs)


def on_hand(item) -> tuple[Decimal, Decimal]:
    s = Stock.objects.get(item=item)
    return s.quantity, s.value


def test_receive_makes_the_item_in_the_default_warehouse_and_a_ledger_line(school, logistics_admin):
    receipt = paper(school, logistics_admin, note="开学备货")
    assert isinstance(receipt, StockReceipt)
    assert receipt.amount == D("940.00") and receipt.warehouse.is_default and receipt.warehouse.school == school
    assert on_hand(receipt.item) == (D("40"), D("940.00"))
    again = paper(school, logistics_admin, quantity="10", price="25")
    assert again.item == receipt.item and StockItem.objects.filter(school=school).count() == 1
    assert on_hand(receipt.item) == (D("50"), D("1190.00"))
    assert list(StockMove.objects.filter(item=receipt.item).values_list("kind", "quantity", "balance")) == [
        ("receipt", D("40"), D("40")), ("receipt", D("10"), D("50"))]
    assert Warehouse.objects.filter(school=school).count() == 1


def test_receive_keeps_a_link_to_its_source(school, logistics_admin, room):
    receipt = paper(school, logistics_admin, source=room)
    assert receipt.source_id == room.pk and receipt.source_type.model == "room" and receipt.source_label == str(room)


def test_another_spec_or_unit_is_another_item_and_schools_do_not_share(school, other_school, logistics_admin, outsider):
    a = paper(school, logistics_admin)
    b = stock.receive(school=school, by=logistics_admin, name="A4复印纸", spec="80g 500张", unit="包", quantity=D("1"),
                      unit_price=D("30"), supplier="", invoice_number="", received_on=TODAY)
    c = paper(other_school, outsider)
    assert len({a.item_id, b.item_id, c.item_id}) == 3
    assert c.warehouse.school == other_school


@pytest.mark.parametrize("field,value", [
    ("quantity", D("0")), ("quantity", D("-3")), ("quantity", D("1e9")), ("quantity", D("1.234")), ("quantity", "abc"),
    ("quantity", D("NaN")), ("unit_price", D("-1")), ("unit_price", D("1e12")), ("received_on", dt.date(1, 1, 1)),
    ("received_on", dt.date(9999, 12, 31)), ("received_on", "2026-01-01"), ("name", "  "), ("unit", ""),
])
def test_receive_refuses_bad_input_and_writes_nothing(school, logistics_admin, field, value):
    kwargs = dict(school=school, by=logistics_admin, name="粉笔", spec="", unit="盒", quantity=D("5"), unit_price=D("3"), supplier="",
                  invoice_number="", received_on=TODAY)
    kwargs[field] = value
    with pytest.raises(WorkflowError):
        stock.receive(**kwargs)
    assert not StockReceipt.objects.exists() and not StockMove.objects.exists() and not Stock.objects.exists()


def test_issue_takes_the_average_cost_and_refuses_more_than_there_is(school, logistics_admin, teacher):
    item = paper(school, logistics_admin, quantity="3", price="10").item
    paper(school, logistics_admin, quantity="1", price="11")  # 4 packs worth 41.00
    row = stock.issue(item=item, by=logistics_admin, quantity=D("3"), to_person=teacher, purpose="期中考试")
    assert row.status == StockIssue.Status.ISSUED and row.amount == D("30.75")
    assert on_hand(item) == (D("1"), D("10.25"))
    with pytest.raises(WorkflowError, match="仅剩 1"):
        stock.issue(item=item, by=logistics_admin, quantity=D("2"), to_person=teacher)
    assert on_hand(item) == (D("1"), D("10.25")) and StockIssue.objects.count() == 1
    last = stock.issue(item=item, by=logistics_admin, quantity=D("1"), to_person=teacher)
    assert last.amount == D("10.25") and on_hand(item) == (D("0"), D("0"))


def test_an_issue_needs_a_person_or_a_department_of_the_school(school, other_school, logistics_admin, outsider):
    item = paper(school, logistics_admin).item
    with pytest.raises(WorkflowError):
        stock.issue(item=item, by=logistics_admin, quantity=D("1"))
    with pytest.raises(WorkflowError):
        stock.issue(item=item, by=logistics_admin, quantity=D("1"), to_person=outsider)
    with pytest.raises(WorkflowError):
        stock.issue(item=item, by=logistics_admin, quantity=D("1"), to_department=DepartmentFactory(school=other_school))
    row = stock.issue(item=item, by=logistics_admin, quantity=D("1"), to_department=DepartmentFactory(school=school, name="教务处"))
    assert row.recipient_label == "教务处"


def test_over_the_items_limit_an_issue_waits_for_approval_by_someone_else(school, logistics_admin, teacher, principal):
    item = paper(school, logistics_admin).item
    StockItem.objects.filter(pk=item.pk).update(approval_over=D("10"))
    item.refresh_from_db()
    row = stock.issue(item=item, by=logistics_admin, quantity=D("12"), to_person=teacher)
    assert row.status == StockIssue.Status.PENDING and on_hand(item)[0] == D("40")
    with pytest.raises(WorkflowError):
        stock.issue_approve(issue_row=row, by=logistics_admin)  # the office may not approve
    stock.issue_approve(issue_row=row, by=principal)
    row.refresh_from_db()
    assert row.status == StockIssue.Status.ISSUED and row.decided_by == principal and on_hand(item)[0] == D("28")
    with pytest.raises(WorkflowError, match="已处理"):
        stock.issue_approve(issue_row=row, by=principal)
    small = stock.issue(item=item, by=logistics_admin, quantity=D("10"), to_person=teacher)
    assert small.status == StockIssue.Status.ISSUED
    rejected = stock.issue(item=item, by=logistics_admin, quantity=D("11"), to_person=teacher)
    with pytest.raises(WorkflowError):
        stock.issue_reject(issue_row=rejected, by=principal, reason=" ")
    stock.issue_reject(issue_row=rejected, by=principal, reason="数量过多")
    assert StockIssue.objects.get(pk=rejected.pk).status == StockIssue.Status.REJECTED and on_hand(item)[0] == D("18")


def test_an_approver_issuing_over_the_limit_needs_no_second_step(school, principal, teacher, logistics_admin):
    item = paper(school, logistics_admin).item
    StockItem.objects.filter(pk=item.pk).update(approval_over=D("1"))
    item.refresh_from_db()
    assert stock.issue(item=item, by=principal, quantity=D("5"), to_person=teacher).status == StockIssue.Status.ISSUED


def test_take_back_returns_at_the_value_it_left_with_and_no_more_than_was_issued(school, logistics_admin, teacher):
    item = paper(school, logistics_admin, quantity="3", price="10").item
    row = stock.issue(item=item, by=logistics_admin, quantity=D("3"), to_person=teacher)
    stock.take_back(issue_row=row, by=logistics_admin, quantity=D("1"))
    assert on_hand(item) == (D("1"), D("10.00"))
    with pytest.raises(WorkflowError):
        stock.take_back(issue_row=row, by=logistics_admin, quantity=D("3"))
    stock.take_back(issue_row=row, by=logistics_admin, quantity=D("2"))
    assert on_hand(item) == (D("3"), D("30.00"))


def test_a_count_books_the_difference(school, logistics_admin):
    item = paper(school, logistics_admin, quantity="10", price="2").item
    assert stock.count(item=item, by=logistics_admin, counted=D("10")) is None
    loss = stock.count(item=item, by=logistics_admin, counted=D("7"))
    assert loss.quantity == D("-3") and loss.amount == D("-6.00") and on_hand(item) == (D("7"), D("14.00"))
    gain = stock.count(item=item, by=logistics_admin, counted=D("8"))
    assert gain.quantity == D("1") and on_hand(item) == (D("8"), D("16.00"))
    with pytest.raises(WorkflowError):
        stock.count(item=item, by=logistics_admin, counted=D("-1"))


@pytest.mark.django_db(transaction=True)
def test_two_people_issuing_the_last_packs_at_once_never_take_more_than_there_is(school, logistics_admin, teacher):
    import threading

    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race is a PostgreSQL one")
    item = paper(school, logistics_admin, quantity="5", price="1").item
    results: list[str] = []

    def take() -> None:
        try:
            stock.issue(item=item, by=logistics_admin, quantity=D("3"), to_person=teacher)
            results.append("ok")
        except WorkflowError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "refused"] and on_hand(item)[0] == D("2")


@pytest.mark.parametrize("price", ["1000", "1000.00", "4800"])
def test_receive_refuses_a_unit_price_at_or_above_the_fixed_asset_threshold(school, logistics_admin, price):
    with pytest.raises(WorkflowError, match="1,000.00"):
        stock.receive(school=school, by=logistics_admin, name="投影机", spec="", unit="台", quantity=D("1"), unit_price=D(price),
                      supplier="", invoice_number="", received_on=TODAY)
    assert not StockReceipt.objects.exists() and not StockMove.objects.exists() and not Stock.objects.exists()


def test_receive_follows_the_schools_own_threshold(school, logistics_admin):
    from assets.models import AssetSettings

    settings = AssetSettings.for_school(school)
    settings.fixed_asset_threshold = D("500")
    settings.save()
    assert paper(school, logistics_admin, price="499.99").unit_price == D("499.99")
    with pytest.raises(WorkflowError, match="500.00"):
        paper(school, logistics_admin, price="500")
