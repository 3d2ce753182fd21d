"""The issue's journey at phone size (390 px) in Debian's chromium: the teacher asks for 8 projectors
at 4,300 yuan; logistics, the vice principal and the principal approve in order (the tier for 3.44
万); logistics records the purchase; logistics and the teacher accept a first delivery of five; five
asset cards exist with the supplier and the invoice, and the report section names the purchase.
Every page fits the screen's width and breaks no rule of the Content-Security-Policy."""

from __future__ import annotations

import datetime as dt
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from assets.models import AssetCard
from logistics.models import Role
from procurement.models import Requisition, Status
from procurement.report import procurement_section
from tests.factories import TermFactory, member
from tests.playwright_fixtures import fits, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

@pytest.fixture(autouse=True)
def _classes(transactional_db: Any) -> None:
    # A transactional test's flush empties the class table its data migrations filled: fill it again.
    for name in ("0002_classes", "0004_class_fixes"):
        import_module(f"assets.migrations.{name}").forwards(apps, None)


def test_eight_projectors_requested_approved_bought_accepted_and_on_the_ledger(open_as, school, teacher, logistics_admin, principal):
    vice = member(school, Role.STAFF, Role.VICE_PRINCIPAL, username="vice", full_name="吴副校长")
    today = timezone.localdate()
    term = TermFactory(school=school, year=today.year, start=today - dt.timedelta(days=60), end=today + dt.timedelta(days=60))

    page = open_as("teacher")
    page.goto("/procurement/")
    page.click("[data-new-request]")
    page.fill("#id_purpose", "初二多媒体教室更换投影机")
    page.fill("#id_lines-0-name", "投影机")
    page.fill("#id_lines-0-spec", "5000流明")
    page.fill("#id_lines-0-quantity", "8")
    page.fill("#id_lines-0-unit_price", "4300")
    page.check("#id_lines-0-fixed_asset")
    page.select_option("#id_lines-0-asset_class", label="A02020200 投影仪")
    assert fits(page)
    shoot(page, "procurement-form")
    page.click("[data-submit-request]")
    page.wait_for_selector("[data-requisition-number]")
    req = Requisition.objects.get()
    assert req.status == Status.PENDING and str(req.total) == "34400.00"
    assert fits(page)

    for username in ("logistics", "vice", "principal"):
        approver = open_as(username)
        approver.goto("/")
        approver.click(f"[data-approvals-waiting] a[href='{req.get_absolute_url()}']")
        approver.fill("[data-approve-form] textarea", "同意")
        assert fits(approver)
        shoot(approver, f"procurement-approve-{username}")
        with approver.expect_navigation():
            approver.click("[data-approve]")
    req.refresh_from_db()
    assert req.status == Status.APPROVED
    assert [s.decided_by.username for s in req.steps.order_by("order")] == ["logistics", "vice", "principal"]

    office = open_as("logistics")
    office.goto(req.get_absolute_url())
    office.click("[data-order]")
    office.select_option("#id_method", "quotes")
    office.fill("#id_supplier", "华信科技有限公司")
    office.fill("#id_contract_number", "HT-2026-0801")
    office.check(f"input[name=buyers][value='{vice.pk}']")
    for i, (supplier, amount) in enumerate([("华信科技有限公司", "34400"), ("明达电子", "35600"), ("恒通教学", "36200")], 1):
        office.fill(f"#id_quote_supplier_{i}", supplier)
        office.fill(f"#id_quote_amount_{i}", amount)
    assert fits(office)
    shoot(office, "procurement-order")
    with office.expect_navigation():
        office.click("form[novalidate] button.btn-primary")
    office.wait_for_selector("[data-accept]")
    office.click("[data-accept]")
    line = req.lines.get()
    office.fill(f"#id_received_{line.pk}", "5")
    office.fill("#id_invoice_number", "FP20261125")
    assert fits(office)
    shoot(office, "procurement-acceptance")
    with office.expect_navigation():
        office.click("form[novalidate] button.btn-primary")
    office.wait_for_selector("[data-acceptance]")

    page.goto(req.get_absolute_url())
    page.click("[data-confirm-acceptance]")
    page.wait_for_selector("[data-booked]")
    assert page.locator("[data-card]").count() == 5
    assert fits(page)
    shoot(page, "procurement-booked")

    cards = AssetCard.objects.filter(school=school, name="投影机")
    assert cards.count() == 5
    assert set(cards.values_list("supplier", "invoice_number")) == {("华信科技有限公司", "FP20261125")}
    assert "购置投影机8台，计3.44万元" in procurement_section(school, term).parts[1].note
