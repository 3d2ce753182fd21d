"""Repair materials picked from the consumables store and issued from stock (issue 12): the stock and
the term's material costs agree, a shortage refuses the line and writes nothing, removing a line puts
it back, and the 出入库 ledger names the ticket."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from assets.models_stock import IssueStatus, Stock, StockIssue, StockMove
from assets.services import stock as store
from logistics.workflow import WorkflowError
from repairs import services
from repairs.forms import DoneForm, MaterialForm
from repairs.models import Material, RepairSettings, Status, Ticket
from repairs.report import repairs_section
from tests.repairs.conftest import submit

pytestmark = pytest.mark.django_db
D = Decimal


def receive(school: Any, by: Any, name: str = "LED灯管", unit: str = "支", quantity: str = "10", price: str = "18.00", **kwargs: Any) -> Stock:
    receipt = store.receive(school=school, by=by, name=name, spec=kwargs.pop("spec", "T8 1.2米"), unit=unit, quantity=D(quantity),
                            unit_price=D(price), supplier="五金店", invoice_number="", received_on=timezone.localdate(), **kwargs)
    return Stock.objects.get(item=receipt.item, warehouse=receipt.warehouse)


def on_hand(row: Stock) -> tuple[Decimal, Decimal]:
    row.refresh_from_db()
    return row.quantity, row.value


@pytest.fixture
def tubes(school: Any, logistics_admin: Any) -> Stock:
    return receive(school, logistics_admin)


# --- Services ------------------------------------------------------------------------------------

def test_a_line_from_the_store_is_issued_to_the_repairer_for_the_ticket_at_the_stores_cost(in_progress, repairer, tubes):
    m = services.ticket_add_stock_material(ticket=in_progress, by=repairer, stock=tubes, quantity=D("3"))
    assert (m.name, m.quantity, m.unit, m.unit_cost) == ("LED灯管", D("3"), "支", D("18.00"))
    assert m.stock_item_id == tubes.item_id
    issued = m.stock_issue
    assert (issued.status, issued.quantity, issued.amount, issued.to_person, issued.requested_by) == (
        IssueStatus.ISSUED, D("3"), D("54.00"), repairer, repairer)
    assert (issued.source_type.app_label, issued.source_type.model, issued.source_id) == ("repairs", "ticket", in_progress.pk)
    assert on_hand(tubes) == (D("7"), D("126.00"))
    move = StockMove.objects.get(issue=issued)
    assert (move.kind, move.quantity, move.amount, move.balance) == ("issue", D("-3"), D("-54.00"), D("7"))
    assert in_progress.number in move.note and repairer.display_name in move.note


def test_a_repair_does_not_wait_for_approval_over_the_items_limit(in_progress, repairer, tubes):
    tubes.item.approval_over = D("1")
    tubes.item.save()
    m = services.ticket_add_stock_material(ticket=in_progress, by=repairer, stock=tubes, quantity=D("5"))
    assert m.stock_issue.status == IssueStatus.ISSUED and on_hand(tubes)[0] == D("5")


def test_more_than_the_store_holds_is_refused_and_nothing_is_written(in_progress, repairer, tubes):
    with pytest.raises(WorkflowError, match="10"):
        services.ticket_add_stock_material(ticket=in_progress, by=repairer, stock=tubes, quantity=D("11"))
    assert on_hand(tubes) == (D("10"), D("180.00"))
    assert not Material.objects.exists() and not StockIssue.objects.exists()
    assert StockMove.objects.filter(kind="issue").count() == 0


def test_a_repair_limit_refuses_the_line_after_the_issue_and_the_issue_goes_too(in_progress, repairer, school, logistics_admin):
    dear = receive(school, logistics_admin, name="镇流器", unit="个", spec="", quantity="5", price="80")
    limits = RepairSettings.for_school(school)
    limits.max_unit_cost = D("50")
    limits.save()
    with pytest.raises(WorkflowError, match="50"):
        services.ticket_add_stock_material(ticket=in_progress, by=repairer, stock=dear, quantity=D("1"))
    assert on_hand(dear) == (D("5"), D("400.00")) and not StockIssue.objects.exists() and not Material.objects.exists()


def test_another_schools_store_is_refused(in_progress, repairer, other_school, outsider):
    theirs = receive(other_school, outsider)
    with pytest.raises(WorkflowError):
        services.ticket_add_stock_material(ticket=in_progress, by=repairer, stock=theirs, quantity=D("1"))
    assert on_hand(theirs)[0] == D("10") and not Material.objects.exists()


def test_only_while_the_work_is_in_progress(dispatched, repairer, tubes):
    with pytest.raises(WorkflowError):
        services.ticket_add_stock_material(ticket=dispatched, by=repairer, stock=tubes, quantity=D("1"))
    assert on_hand(tubes)[0] == D("10")


def test_removing_the_line_puts_it_back_in_the_store_at_the_value_it_left_with(in_progress, repairer, tubes):
    m = services.ticket_add_stock_material(ticket=in_progress, by=repairer, stock=tubes, quantity=D("4"))
    services.ticket_remove_material(material=m, by=repairer)
    assert on_hand(tubes) == (D("10"), D("180.00"))
    assert not Material.objects.exists()
    issued = StockIssue.objects.get()
    assert issued.returned == issued.quantity == D("4")
    back = StockMove.objects.get(kind="return")
    assert (back.quantity, back.amount) == (D("4"), D("72.00")) and in_progress.number in back.note


def test_an_average_that_does_not_divide_costs_the_line_exactly_what_leaves_the_store(in_progress, repairer, school, logistics_admin):
    row = receive(school, logistics_admin, quantity="2", price="18.00")
    receive(school, logistics_admin, quantity="1", price="19.00")  # 3 支 for 55.00: 18.333… each
    first = services.ticket_add_stock_material(ticket=in_progress, by=repairer, stock=row, quantity=D("1"))
    assert first.unit_cost == D("18.33") and first.stock_issue.amount == D("18.33")
    rest = services.ticket_add_stock_material(ticket=in_progress, by=repairer, stock=row, quantity=D("2"))
    # 36.67 left for 2: 18.335 → 18.34 would take 36.68, more than there is; 18.33 each, the fen stays.
    assert rest.unit_cost == D("18.33") and rest.stock_issue.amount == D("36.66")
    assert on_hand(row) == (D("0"), D("0.01"))
    for m in (first, rest):
        assert m.total == m.stock_issue.amount


def test_done_with_a_store_line_typed_but_not_added_issues_it_in_the_same_step(in_progress, repairer, tubes):
    line = services.work.MaterialLine(name="", quantity=D("2"), unit="", stock=tubes)
    done = services.ticket_mark_done(ticket=in_progress, by=repairer, labour_hours=D("1"), material=line)
    assert done.status == Status.DONE
    assert list(done.materials.values_list("name", "quantity", "unit_cost", "stock_item")) == [("LED灯管", D("2"), D("18.00"), tubes.item_id)]
    assert on_hand(tubes)[0] == D("8")


def test_done_refused_by_a_store_shortage_leaves_the_ticket_and_the_store_alone(in_progress, repairer, tubes):
    line = services.work.MaterialLine(name="", quantity=D("12"), unit="", stock=tubes)
    with pytest.raises(WorkflowError):
        services.ticket_mark_done(ticket=in_progress, by=repairer, labour_hours=D("1"), material=line)
    assert Ticket.objects.get(pk=in_progress.pk).status == Status.IN_PROGRESS
    assert on_hand(tubes)[0] == D("10") and not StockIssue.objects.exists()


def test_the_terms_material_costs_equal_the_stock_issued_for_repairs(school, term, teacher, room, category, logistics_admin, repairer):
    """The figure the report prints (消耗维修材料) and the store's issues for repair tickets in the term
    are the same money, to the fen: lines added, a line removed (back in the store), an average that
    does not divide, a fractional quantity, done with a pending store line."""
    tubes = receive(school, logistics_admin)
    receive(school, logistics_admin, quantity="1", price="19.00")  # 11 支 for 199.00: 18.09… each
    wire = receive(school, logistics_admin, name="电线", unit="米", spec="BV2.5", quantity="100", price="2.60")
    tickets = []
    for description in ("灯不亮", "插座没电", "走廊灯闪"):
        t = services.ticket_dispatch(ticket=submit(school, teacher, room, category, description=description), by=logistics_admin,
                                     repairer=repairer)
        tickets.append(services.ticket_start(ticket=t, by=repairer))
    a, b, c = tickets
    services.ticket_add_stock_material(ticket=a, by=repairer, stock=tubes, quantity=D("3"))
    gone = services.ticket_add_stock_material(ticket=a, by=repairer, stock=wire, quantity=D("4"))
    services.ticket_remove_material(material=gone, by=repairer)
    services.ticket_add_stock_material(ticket=b, by=repairer, stock=wire, quantity=D("12.5"))
    services.ticket_add_stock_material(ticket=b, by=repairer, stock=tubes, quantity=D("1"))
    services.ticket_mark_done(ticket=c, by=repairer, labour_hours=D("0.5"),
                              material=services.work.MaterialLine(name="", quantity=D("7"), unit="", stock=tubes))

    facts = {f.key: f.value for f in repairs_section(school, term).facts}
    start, end = term.start, term.end
    issued = -(StockMove.objects.filter(school=school, on__gte=start, on__lte=end, issue__source_type__app_label="repairs",
                                        issue__source_type__model="ticket").aggregate(v=Sum("amount"))["v"])
    assert issued == store.repair_issue_value(school, start=start, end=end)
    lines = sum((m.total for m in Material.objects.filter(ticket__school=school)), D("0"))
    assert Decimal(facts["repairs.material_cost"]) == lines == issued
    assert issued == D("3") * D("18.09") + D("12.5") * D("2.60") + D("1") * D("18.09") + D("7") * D("18.09")
    assert on_hand(tubes) == (D("0"), D("199.00") - D("11") * D("18.09"))


# --- Forms and the ticket page -------------------------------------------------------------------

def test_the_material_form_needs_a_name_and_unit_only_when_not_from_the_store(school, tubes):
    typed = MaterialForm({"quantity": "1"}, school=school)
    assert not typed.is_valid() and set(typed.errors) == {"name", "unit"}
    picked = MaterialForm({"stock": str(tubes.pk), "quantity": "2"}, school=school)
    assert picked.is_valid(), picked.errors
    assert picked.cleaned_data["stock"] == tubes


def test_the_material_form_offers_only_this_schools_rows_in_stock(school, other_school, outsider, logistics_admin, tubes):
    theirs = receive(other_school, outsider)
    empty = receive(school, logistics_admin, name="开关", unit="个", spec="", quantity="1", price="6")
    store.count(item=empty.item, by=logistics_admin, counted=D("0"))
    rows = MaterialForm(school=school).stock_rows()
    assert [r.pk for r in rows] == [tubes.pk]
    assert "在库 10 支" in rows[0].label and "18.00" in rows[0].label
    assert not MaterialForm({"stock": str(theirs.pk), "quantity": "1"}, school=school).is_valid()


def test_the_ticket_page_offers_the_store_with_quantity_unit_and_cost(client_for, in_progress, repairer, tubes):
    page = client_for(repairer).get(reverse("repairs:ticket-detail", args=[in_progress.pk])).content.decode()
    assert 'name="stock"' in page and "LED灯管 T8 1.2米" in page and "在库 10 支" in page and 'data-price="18.00"' in page


def test_picking_from_the_store_on_the_page_records_the_line_and_issues_it(client_for, in_progress, repairer, tubes):
    client = client_for(repairer)
    url = reverse("repairs:ticket-material-add", args=[in_progress.pk])
    response = client.post(url, {"stock": tubes.pk, "quantity": "2", "name": "随便写", "unit": "x", "unit_cost": "999"}, follow=True)
    assert response.status_code == 200
    m = Material.objects.get()
    assert (m.name, m.unit, m.unit_cost, m.stock_item_id) == ("LED灯管", "支", D("18.00"), tubes.item_id)
    page = response.content.decode()
    assert "已从库房领用，单价 ¥18.00" in page
    assert on_hand(tubes)[0] == D("8")


def test_asking_the_page_for_more_than_the_store_holds_says_so_and_records_nothing(client_for, in_progress, repairer, tubes):
    response = client_for(repairer).post(reverse("repairs:ticket-material-add", args=[in_progress.pk]),
                                         {"stock": tubes.pk, "quantity": "30"}, follow=True)
    assert "10" in response.content.decode() and "30" in response.content.decode()
    assert not Material.objects.exists() and on_hand(tubes)[0] == D("10")


def test_removing_a_store_line_on_the_page_says_it_is_back(client_for, in_progress, repairer, tubes):
    m = services.ticket_add_stock_material(ticket=in_progress, by=repairer, stock=tubes, quantity=D("2"))
    response = client_for(repairer).post(reverse("repairs:ticket-material-delete", args=[in_progress.pk, m.pk]), follow=True)
    assert response.status_code == 200 and on_hand(tubes)[0] == D("10")


def test_the_stock_ledger_shows_the_issue_with_the_ticket_number(client_for, in_progress, repairer, logistics_admin, tubes):
    services.ticket_add_stock_material(ticket=in_progress, by=repairer, stock=tubes, quantity=D("2"))
    page = client_for(logistics_admin).get(reverse("assets:stock-item", args=[tubes.item_id])).content.decode()
    assert in_progress.number in page


def test_done_form_carries_a_store_line(school, tubes):
    form = DoneForm({"labour_hours": "1", "pending-stock": str(tubes.pk), "pending-quantity": "2"}, school=school)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["material"]["stock"] == tubes


def test_a_row_emptied_since_the_page_was_drawn_is_refused_with_what_is_left(client_for, in_progress, repairer, logistics_admin, tubes):
    store.count(item=tubes.item, by=logistics_admin, counted=D("0"))
    response = client_for(repairer).post(reverse("repairs:ticket-material-add", args=[in_progress.pk]),
                                         {"stock": tubes.pk, "quantity": "1"}, follow=True)
    page = response.content.decode()
    assert "LED灯管仅剩 0 支，不能出库 1" in page
    assert not Material.objects.exists()


def test_the_admin_cannot_delete_a_line_that_would_not_go_back_to_the_store(client_for, in_progress, repairer, tubes, logistics_admin):
    services.ticket_add_stock_material(ticket=in_progress, by=repairer, stock=tubes, quantity=D("3"))
    logistics_admin.is_superuser = True  # may delete anything the admin offers
    logistics_admin.save(update_fields=["is_superuser"])
    page = client_for(logistics_admin).get(reverse("admin:repairs_ticket_change", args=[in_progress.pk]))
    assert page.status_code == 200
    assert "materials-0-DELETE" not in page.content.decode() and "LED灯管" in page.content.decode()
