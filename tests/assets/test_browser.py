"""The ledger at phone size (390 px) in Debian's chromium: the logistics head puts a projector on the
ledger from the phone, issues it to a teacher, lends it and gets it back; a class teacher opens the
class's assets; an import preview lists its bad lines. Every page fits the screen's width.
Screenshots go to $SHOTS_DIR (default /tmp/shots) for a person to look at."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from assets.models import AssetCard, Movement
from tests.assets.conftest import register
from tests.assets.ledger_workbook import messy_ledger
from tests.factories import SchoolClassFactory
from tests.playwright_fixtures import fits, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _classes(transactional_db: Any) -> None:
    # A transactional test's flush empties the class table its data migrations filled: fill it again.
    for name in ("0002_classes", "0004_class_fixes"):
        import_module(f"assets.migrations.{name}").forwards(apps, None)


def test_the_office_registers_issues_lends_and_gets_back_on_a_phone(open_as, school, logistics_admin, teacher, room):
    page = open_as("logistics")
    page.goto("/assets/")
    page.click("[data-add-card]")
    page.select_option("#id_asset_class", label="A02020200 投影仪")
    page.fill("#id_name", "投影仪")
    page.fill("#id_spec", "爱普生 CB-X50")
    page.fill("#id_original_value", "4980")
    page.fill("#id_acquired_on", "2026-09-01")
    page.select_option("#id_room", label=f"{room.building.name} {room.code} {room.name}")
    assert fits(page)
    shoot(page, "assets-form")
    page.click("form[data-action=create] button[type=submit]:not([name])")
    page.wait_for_selector("[data-card-number]")
    card = AssetCard.objects.get()
    assert card.number == "A02020200-2026-0001" and card.status == "in_use" and card.room == room
    assert fits(page)
    page.select_option("[data-action=transfer] #id_custodian", label=teacher.display_name)
    page.click("[data-action=transfer] button[type=submit]")
    page.wait_for_selector(f"[data-holder]:has-text('{teacher.display_name}')")
    assert AssetCard.objects.get(pk=card.pk).room == room  # the room offered as it stood: kept
    page.click("[data-lend-box] summary")
    page.fill("[data-action=lend] #id_to", "区教研室")
    page.fill("[data-action=lend] #id_due", (timezone.localdate() + dt.timedelta(days=7)).isoformat())
    page.click("[data-action=lend] button[type=submit]")
    page.wait_for_selector("[data-lent]")
    shoot(page, "assets-card-lent")
    page.click("[data-action=get_back] button[type=submit]")
    page.wait_for_selector("[data-action=transfer]")
    assert list(Movement.objects.filter(card=card).order_by("id").values_list("kind", flat=True)) == ["register", "transfer", "lend", "get_back"]
    assert page.locator("[data-movement]").count() == 4 and fits(page)
    shoot(page, "assets-card")
    page.goto("/assets/")
    assert page.locator("[data-card]").count() == 1 and fits(page)
    shoot(page, "assets-list")


def test_a_class_teacher_opens_the_class_assets(open_as, school, logistics_admin, class_teacher, room):
    school_class = SchoolClassFactory(school=school, name="初一(3)班", head_teacher=class_teacher, room=room)
    register(school, logistics_admin, custodian_class=school_class, name="触控一体机", original_value=Decimal("12800"))
    register(school, logistics_admin, name="库房电脑")
    page = open_as("headteacher")
    page.goto("/")
    page.click("[data-assets-mine] a")
    page.wait_for_selector("[data-card-list]")
    assert page.locator("[data-card]").count() == 1 and "触控一体机" in page.content() and fits(page)
    page.click("[data-card] a")
    page.wait_for_selector("[data-card-number]")
    assert page.locator("[data-action]").count() == 0 and fits(page)


def test_an_import_preview_lists_the_bad_lines_on_a_phone(open_as, school, logistics_admin, teacher, class_teacher, room, tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(messy_ledger(bad=True))
    page = open_as("logistics")
    page.goto("/assets/import/")
    page.set_input_files("#id_file", str(path))
    page.click("[data-action=upload] button[type=submit]")
    page.wait_for_selector("[data-bad-rows]")
    assert page.locator("[data-bad-row]").count() >= 9 and page.locator("[data-action=import]").count() == 0
    shoot(page, "assets-import-preview")
    assert not AssetCard.objects.exists()
