"""Purchase and acceptance through the services: the checks, the booking into the ledger, bad input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from assets.models import AssetCard
from logistics.models import Role
from procurement import services
from procurement.models import AcceptanceLine, Method, ProcurementSettings, Requisition, Status
from procurement.services import WorkflowError
from tests.procurement.factories import CatalogueItemFactory, line, person, projector_class, submitted

DAY = dt.date(2026, 11, 20)


def approved(school: Any, requester: Any, chain: Any, lines: list | None = None, **kw: Any) -> Requisition:
    req = submitted(school, requester, lines or [line(quantity=8, price="4300", fixed_asset=True, asset_class=projector_class())], **kw)
    for who in chain:
        if req.status == Status.PENDING:
            req = services.requisition_approve(requisition=req, by=who)
    assert req.status == Status.APPROVED
    return req


def order(req: Requisition, by: Any, buyers: list, **kw: Any) -> Requisition:
    args = {"method": Method.QUOTES, "supplier": "华信科技有限公司", "ordered_on": DAY, "buyers": buyers, "contract_number": "HT-2026-018",
            "quotes": [("华信科技有限公司", Decimal("34400")), ("明达电子", Decimal("35200")), ("天元商贸", Decimal("36000"))],
            "warranty_until": dt.date(2029, 11, 20)}
    args.update(kw)
    return services.requisition_order(requisition=req, by=by, **args)


@pytest.fixture
def ordered(school, teacher, chain):
    logistics = chain[0]
    return order(approved(school, teacher, chain), logistics, [logistics, chain[1]])


def test_a_purchase_needs_two_buyers_a_supplier_and_three_quotes(school, teacher, chain):
    logistics, vice, principal = chain
    req = approved(school, teacher, chain)
    with pytest.raises(WorkflowError, match="两"):
        order(req, logistics, [logistics])
    with pytest.raises(WorkflowError, match="供应商"):
        order(req, logistics, [logistics, vice], supplier="  ")
    with pytest.raises(WorkflowError, match="三家"):
        order(req, logistics, [logistics, vice], quotes=[("甲", Decimal("1")), ("乙", Decimal("2"))])
    req.refresh_from_db()
    assert req.status == Status.APPROVED and not req.quotes.exists()
    req = order(req, logistics, [logistics, vice])
    assert req.status == Status.ORDERED and req.quotes.count() == 3 and req.buyers.count() == 2


def test_only_the_office_records_a_purchase(school, teacher, chain):
    req = approved(school, teacher, chain)
    with pytest.raises(WorkflowError):
        order(req, teacher, [chain[0], chain[1]])


def test_a_catalogue_item_goes_through_government_procurement(school, teacher, chain):
    logistics, vice, _p = chain
    item = CatalogueItemFactory(school=school, name="台式计算机")
    req = approved(school, teacher, chain, [line("台式计算机", 2, "5000", catalogue_item=item)])
    assert req.centralized
    with pytest.raises(WorkflowError, match="须走政府采购"):
        order(req, logistics, [logistics, vice])
    with pytest.raises(WorkflowError, match="政府采购编号"):
        order(req, logistics, [logistics, vice], method=Method.GOVERNMENT)
    assert order(req, logistics, [logistics, vice], method=Method.GOVERNMENT, gov_reference="ZFCG-2026-77").status == Status.ORDERED


def test_above_the_local_limit_a_request_is_marked_for_government_procurement(school, teacher, chain):
    settings = ProcurementSettings.for_school(school)
    settings.gov_procurement_limit = Decimal("30000")
    settings.save()
    req = submitted(school, teacher, [line(quantity=8, price="4300")])
    assert req.gov_procurement


def test_acceptance_needs_two_people_including_the_requester(ordered, teacher, chain):
    logistics, vice, _p = chain
    line_id = ordered.lines.get().pk
    with pytest.raises(WorkflowError, match="申请人"):
        services.acceptance_record(requisition=ordered, by=logistics, accepted_on=DAY, team=[logistics, vice], quantities={line_id: (8, 0)})
    with pytest.raises(WorkflowError, match="申请人"):
        services.acceptance_record(requisition=ordered, by=logistics, accepted_on=DAY, team=[teacher], quantities={line_id: (8, 0)})


def test_accepted_items_become_asset_cards_with_supplier_and_invoice(ordered, teacher, chain, school):
    logistics = chain[0]
    line_id = ordered.lines.get().pk
    acceptance = services.acceptance_record(requisition=ordered, by=logistics, accepted_on=DAY, team=[logistics, teacher],
                                            quantities={line_id: (5, 1)}, invoice_number="FP-0088123")
    assert AssetCard.objects.filter(school=school).count() == 0  # the requester has not confirmed yet
    services.acceptance_confirm(acceptance=acceptance, by=teacher)
    cards = AssetCard.objects.filter(school=school)
    assert cards.count() == 5
    card = cards.first()
    assert (card.supplier, card.invoice_number, card.original_value, card.warranty_until) == (
        "华信科技有限公司", "FP-0088123", Decimal("4300.00"), dt.date(2029, 11, 20))
    assert "HT-2026-018" in card.remarks and ordered.number in card.remarks
    assert AcceptanceLine.objects.get(acceptance=acceptance).cards.count() == 5
    ordered.refresh_from_db()
    assert ordered.status == Status.ORDERED  # 3 still to come (one refused, two not delivered)
    rest = services.acceptance_record(requisition=ordered, by=logistics, accepted_on=DAY, team=[logistics, teacher], quantities={line_id: (3, 0)})
    services.acceptance_confirm(acceptance=rest, by=teacher)
    ordered.refresh_from_db()
    assert ordered.status == Status.ACCEPTED and cards.count() == 8


def test_confirmed_twice_books_once(ordered, teacher, chain, school):
    logistics = chain[0]
    line_id = ordered.lines.get().pk
    acceptance = services.acceptance_record(requisition=ordered, by=logistics, accepted_on=DAY, team=[logistics, teacher], quantities={line_id: (8, 0)})
    services.acceptance_confirm(acceptance=acceptance, by=teacher)
    with pytest.raises(WorkflowError, match="已确认过"):
        services.acceptance_confirm(acceptance=acceptance, by=teacher)
    with pytest.raises(WorkflowError):
        services.acceptance_confirm(acceptance=acceptance, by=logistics)
    assert AssetCard.objects.filter(school=school).count() == 8


def test_more_than_ordered_cannot_be_received(ordered, teacher, chain):
    line_id = ordered.lines.get().pk
    with pytest.raises(WorkflowError, match="尚未到货"):
        services.acceptance_record(requisition=ordered, by=chain[0], accepted_on=DAY, team=[chain[0], teacher], quantities={line_id: (9, 0)})
    with pytest.raises(WorkflowError, match="非负整数"):
        services.acceptance_record(requisition=ordered, by=chain[0], accepted_on=DAY, team=[chain[0], teacher], quantities={line_id: (-1, 0)})


def test_a_rejected_or_withdrawn_request_cannot_be_accepted(school, teacher, chain):
    logistics = chain[0]
    req = submitted(school, teacher, [line()])
    services.requisition_reject(requisition=req, by=logistics, reason="不需要")
    with pytest.raises(WorkflowError, match="已采购"):
        services.acceptance_record(requisition=req, by=logistics, accepted_on=DAY, team=[logistics, teacher], quantities={req.lines.get().pk: (1, 0)})
    other = services.requisition_withdraw(requisition=submitted(school, teacher, [line()]), by=teacher)
    with pytest.raises(WorkflowError):
        order(other, logistics, [logistics, chain[1]])


def test_a_batch_class_gives_one_batch_card(school, teacher, chain):
    from assets.models import AssetClass

    desks = AssetClass.objects.get_or_create(code="A05010203", defaults={"name": "教学、实验用桌", "batch_counts": True, "useful_life_years": 5})[0]
    AssetClass.objects.filter(pk=desks.pk).update(batch_counts=True)
    desks.refresh_from_db()
    logistics = chain[0]
    req = order(approved(school, teacher, chain, [line("学生课桌", 50, "380", unit="张", fixed_asset=True, asset_class=desks)]), logistics,
                [logistics, chain[1]])
    acc = services.acceptance_record(requisition=req, by=logistics, accepted_on=DAY, team=[logistics, teacher], quantities={req.lines.get().pk: (50, 0)})
    services.acceptance_confirm(acceptance=acc, by=teacher)
    card = AssetCard.objects.get(school=school)
    assert card.quantity == 50 and card.original_value == Decimal("19000.00")


def test_consumables_go_into_stock(school, teacher, chain):
    stock = pytest.importorskip("assets.models_stock")
    logistics = chain[0]
    req = order(approved(school, teacher, chain, [line("A4复印纸", 40, "23.50", unit="包")]), logistics, [logistics, chain[1]], method=Method.DIRECT,
                quotes=[])
    acc = services.acceptance_record(requisition=req, by=logistics, accepted_on=DAY, team=[logistics, teacher], quantities={req.lines.get().pk: (40, 0)})
    services.acceptance_confirm(acceptance=acc, by=teacher)
    assert AssetCard.objects.filter(school=school).count() == 0
    receipt = stock.StockReceipt.objects.get(school=school)
    assert receipt.quantity == 40 and receipt.amount == Decimal("940.00")
    assert AcceptanceLine.objects.get(acceptance=acc).stock_booked


@pytest.mark.parametrize("price", ["12.345", "-1"])
def test_bad_prices_are_refused(school, teacher, price):
    with pytest.raises(WorkflowError, match="两位小数"):
        services.requisition_save(school=school, by=teacher, purpose="x", lines=[line(price=price)])
    assert not Requisition.objects.exists()


def test_a_negative_quantity_is_refused(school, teacher):
    with pytest.raises(WorkflowError, match="整数"):
        services.requisition_save(school=school, by=teacher, purpose="x", lines=[line(quantity=-3)])


def test_another_schools_budget_line_is_refused(school, other_school, teacher):
    from tests.procurement.factories import BudgetLineFactory

    with pytest.raises(WorkflowError, match="其他学校"):
        services.requisition_save(school=school, by=teacher, purpose="x", lines=[line()], budget_line=BudgetLineFactory(school=other_school))


def test_numbers_run_per_school_and_year(school, other_school, teacher):
    other = person(other_school, Role.STAFF)
    a = submitted(school, teacher, [line()])
    b = submitted(school, teacher, [line()])
    c = submitted(other_school, other, [line()])
    assert a.number.endswith("-0001") and b.number.endswith("-0002") and c.number.endswith("-0001")


def test_finance_pays_an_accepted_invoiced_delivery_once(ordered, teacher, chain, school):
    from procurement.selectors import budget_execution
    from tests.procurement.factories import BudgetLineFactory, person

    finance = person(school, Role.FINANCE)
    logistics = chain[0]
    budget = BudgetLineFactory(school=school, year=DAY.year, amount=Decimal("100000"))
    Requisition.objects.filter(pk=ordered.pk).update(budget_line=budget)
    line_id = ordered.lines.get().pk
    acc = services.acceptance_record(requisition=ordered, by=logistics, accepted_on=DAY, team=[logistics, teacher], quantities={line_id: (5, 0)})
    with pytest.raises(WorkflowError, match="确认"):  # not confirmed by the whole team yet
        services.acceptance_pay(acceptance=acc, by=finance, paid_on=DAY)
    services.acceptance_confirm(acceptance=acc, by=teacher)
    with pytest.raises(WorkflowError, match="发票"):  # no invoice number
        services.acceptance_pay(acceptance=acc, by=finance, paid_on=DAY)
    from procurement.models import Acceptance

    Acceptance.objects.filter(pk=acc.pk).update(invoice_number="FP-9")
    with pytest.raises(WorkflowError, match="财务"):
        services.acceptance_pay(acceptance=acc, by=logistics, paid_on=DAY)
    services.acceptance_pay(acceptance=acc, by=finance, paid_on=DAY)
    with pytest.raises(WorkflowError, match="已于"):
        services.acceptance_pay(acceptance=acc, by=finance, paid_on=DAY)
    row = budget_execution(school, DAY.year)[0]
    assert row["paid"] == Decimal("21500.00") and row["approved"] == Decimal("34400.00")
