"""Issue 12's "Done when" at phone size (390 px) in Debian's chromium: the class teacher opens a class
asset from its label, reports it damaged in the monthly class check and a repair ticket appears for
that asset; the logistics head runs a small stocktake where one item is missing and one is found in
the wrong room, closes it, and the page lists both."""

from __future__ import annotations


import pytest

from assets.models import Stocktake
from assets.qr import card_path
from repairs.models import Ticket
from tests.assets.conftest import register
from tests.assets.test_browser import _classes  # noqa: F401 (an autouse fixture: the asset classes)
from tests.playwright_fixtures import fits, shoot
from tests.factories import RoomFactory, SchoolClassFactory
from tests.repairs.factories import CategoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_class_teacher_reports_a_damaged_class_asset_from_its_label(open_as, school, logistics_admin, class_teacher, room):
    CategoryFactory(school=school, name="网络/多媒体")
    school_class = SchoolClassFactory(school=school, name="初一(3)班", head_teacher=class_teacher, room=room)
    board = register(school, logistics_admin, custodian_class=school_class, name="触控一体机")
    page = open_as("headteacher")
    page.goto(card_path(board.number))  # what the phone's camera opens from the label
    page.wait_for_selector("[data-card-name]")
    assert page.inner_text("[data-card-name]") == "触控一体机" and fits(page)
    page.goto("/assets/class-check/")
    page.check(f"#r{board.pk}-damaged")
    page.fill(f"[name=n{board.pk}]", "屏幕花屏")
    page.click("[data-action=class-check] button[type=submit]")
    page.wait_for_selector("[data-checked]")
    ticket = Ticket.objects.get()
    assert ticket.asset_id == board.pk and page.inner_text(f"[data-check-line='{board.number}'] [data-ticket]") == ticket.number
    assert fits(page)
    shoot(page, "assets-class-check")


def test_the_office_runs_a_small_stocktake_with_a_missing_and_a_moved_item(open_as, school, logistics_admin, room, building):
    other = RoomFactory(building=building, code="B102", name="初一(2)班")
    moved = register(school, logistics_admin, room=room, name="投影机")
    register(school, logistics_admin, room=room, name="打印机")  # nobody finds it
    page = open_as("logistics")
    page.goto("/assets/stocktakes/")
    page.click("[data-open-stocktake]")
    page.fill("#id_title", "初一教室清查")
    page.select_option("#id_scope", "building")
    page.select_option("#id_building", str(building.pk))
    page.click("[data-action=open-stocktake] button[type=submit]")
    page.wait_for_selector("[data-figures]")
    assert page.inner_text("[data-expected]") == "2" and fits(page)
    page.fill("#id_number", moved.number)
    page.select_option("#id_room", str(other.pk))
    page.click("[data-action=mark] button[type=submit]")
    page.wait_for_selector("[data-counted]:text('1')")
    page.click("[data-action=close] button")
    page.wait_for_selector("[data-rate]")
    lines = page.inner_text("[data-lines]")
    assert "投影机" in lines and "打印机" in lines and "B102" in lines
    assert page.inner_text("[data-missing]") == "1" and page.inner_text("[data-moved]") == "1"
    assert Stocktake.objects.get().status == "closed" and fits(page)
    shoot(page, "assets-stocktake")
