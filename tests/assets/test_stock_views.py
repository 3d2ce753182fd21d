"""The consumables screens: who may open what, receiving and issuing from a form, bad input kept and
explained, approval, the month's ledger and the low-stock card."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from assets.models import Stock, StockIssue, StockItem
from assets.services import stock
from tests.factories import member
from logistics.models import Role

D = Decimal
LIST = reverse("assets:stock-list")
RECEIVE = reverse("assets:stock-receive")


def receive(school, by, name="白板笔", quantity="20", price="2.50"):
    return stock.receive(school=school, by=by, name=name, spec="黑色", unit="支", quantity=D(quantity), unit_price=D(price),
                         supplier="", invoice_number="", received_on=timezone.localdate())


def test_the_stock_screens_answer_by_role_and_school(access, client_for, school, logistics_admin, teacher, principal, outsider):
    item = receive(school, logistics_admin).item
    page = reverse("assets:stock-item", args=[item.pk])
    access(client_for, LIST, {None: 302, teacher: 403, logistics_admin: 200, principal: 200})
    access(client_for, page, {teacher: 403, logistics_admin: 200, principal: 200, outsider: 404})
    access(client_for, RECEIVE, {teacher: 403, principal: 403, logistics_admin: 200})
    access(client_for, reverse("assets:stock-issue", args=[item.pk]), {teacher: 403, principal: 403, outsider: 404}, method="post")
    access(client_for, reverse("assets:stock-item", args=[10**22]), {logistics_admin: 404})


def test_receiving_from_the_form_and_bad_input_kept(client_for, school, logistics_admin):
    client = client_for(logistics_admin)
    today = timezone.localdate().isoformat()
    bad = client.post(RECEIVE, {"name": "=HYPERLINK(\"x\")", "unit": "盒", "quantity": "-1", "unit_price": "abc", "received_on": "9999-01-01"})
    assert bad.status_code == 400
    form = bad.context["form"]
    assert set(form.errors) >= {"quantity", "unit_price", "received_on"} and form["name"].value() == "=HYPERLINK(\"x\")"
    ok = client.post(RECEIVE, {"name": "粉笔", "spec": "白色无尘", "unit": "盒", "quantity": "30", "unit_price": "4.5", "received_on": today})
    item = StockItem.objects.get(school=school, name="粉笔")
    assert ok.status_code == 302 and ok.url == item.get_absolute_url()
    assert Stock.objects.get(item=item).quantity == D("30")
    listing = client.get(LIST, {"q": "粉笔"})
    assert [i.name for i in listing.context["page"]] == ["粉笔"]


def test_issuing_from_the_item_page_and_more_than_there_is(client_for, school, logistics_admin, teacher):
    item = receive(school, logistics_admin).item
    client = client_for(logistics_admin)
    url = reverse("assets:stock-issue", args=[item.pk])
    too_many = client.post(url, {"quantity": "21", "to_person": teacher.pk})
    assert too_many.status_code == 400 and "20" in str(too_many.context["issue_form"].non_field_errors())
    nobody = client.post(url, {"quantity": "1"})
    assert nobody.status_code == 400
    assert client.post(url, {"quantity": "5", "to_person": teacher.pk, "purpose": "公开课"}).status_code == 302
    page = client.get(reverse("assets:stock-item", args=[item.pk]))
    ledger = page.context["ledger"]
    assert (ledger["in"], ledger["out"], ledger["closing"]) == (D("20"), D("5"), D("15"))
    last_month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    earlier = client.get(reverse("assets:stock-item", args=[item.pk]), {"month": last_month}).context["ledger"]
    assert earlier["lines"] == [] and earlier["closing"] == 0
    assert client.get(reverse("assets:stock-item", args=[item.pk]), {"month": "0000-99"}).status_code == 200


def test_an_issue_over_the_limit_is_approved_from_the_pending_list(client_for, school, logistics_admin, teacher, principal, outsider):
    item = receive(school, logistics_admin).item
    StockItem.objects.filter(pk=item.pk).update(approval_over=D("5"))
    client_for(logistics_admin).post(reverse("assets:stock-issue", args=[item.pk]), {"quantity": "8", "to_person": teacher.pk})
    row = StockIssue.objects.get()
    assert row.status == StockIssue.Status.PENDING
    decide = reverse("assets:stock-decide", args=[row.pk])
    assert client_for(outsider).post(decide, {"decision": "approve"}).status_code in (403, 404)
    assert client_for(logistics_admin).post(decide, {"decision": "approve"}).status_code == 403
    pending = client_for(principal).get(reverse("assets:stock-pending"))
    assert [r.pk for r in pending.context["rows"]] == [row.pk]
    client_for(principal).post(decide, {"decision": "approve"})
    assert StockIssue.objects.get().status == StockIssue.Status.ISSUED and Stock.objects.get().quantity == D("12")


def test_low_stock_shows_on_the_offices_home_page(client_for, school, logistics_admin):
    item = receive(school, logistics_admin, quantity="3").item
    receive(school, logistics_admin, name="订书钉", quantity="50")
    StockItem.objects.filter(school=school).update(min_stock=D("10"))
    home = client_for(logistics_admin).get("/")
    assert b"data-low-stock" in home.content and "白板笔" in home.content.decode() and "订书钉" not in home.content.decode()
    low = client_for(logistics_admin).get(LIST, {"low": "1"})
    assert [i.pk for i in low.context["page"]] == [item.pk]


def test_the_stock_list_exports_to_excel_with_its_search(client_for, school, logistics_admin, teacher):
    from io import BytesIO

    import openpyxl

    receive(school, logistics_admin, name="白板笔")
    receive(school, logistics_admin, name="=SUM(A1)")
    response = client_for(logistics_admin).get(reverse("assets:stock-export"), {"q": "白板"})
    sheet = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content))).active
    values = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "白板笔" in values and "=SUM(A1)" not in values
    assert client_for(teacher).get(reverse("assets:stock-export")).status_code == 403
