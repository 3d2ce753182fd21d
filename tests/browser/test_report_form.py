"""The phone report form: finding a room by its class, and the tap after choosing it."""

from __future__ import annotations

from typing import Any

import pytest

from logistics.models import SchoolClass
from repairs.models import Category
from tests.factories import PASSWORD, RoomFactory
from tests.playwright_fixtures import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def classroom(school: Any, building: Any, room: Any, class_teacher: Any) -> Any:
    seventh = RoomFactory(building=building, code="A307", name="三楼东教室", floor=3)
    SchoolClass.objects.create(school=school, grade=7, name="初一(7)班", room=seventh)
    SchoolClass.objects.create(school=school, grade=7, name="初一(3)班", room=room, head_teacher=class_teacher)
    Category.ensure_defaults(school)
    return seventh


def _choose_room(page: Any, typed: str) -> None:
    page.locator(".ts-control input").click()
    page.keyboard.type(typed)
    page.locator(".ts-dropdown .option", has_text="A307").first.click()


def test_a_classroom_is_found_by_the_class_name_as_people_type_it(phone: Any, classroom: Any, teacher: Any) -> None:
    log_in(phone, "teacher", PASSWORD)
    for typed in ("初一7班", "7班"):
        phone.goto("/repairs/report/")
        _choose_room(phone, typed)
        assert phone.locator("select[name=room]").input_value() == str(classroom.pk)


def test_a_class_teacher_finds_their_own_classroom_first(phone: Any, classroom: Any, room: Any, class_teacher: Any) -> None:
    log_in(phone, "headteacher", PASSWORD)
    phone.goto("/repairs/report/")
    phone.locator(".ts-control input").click()
    first = phone.locator(".ts-dropdown .option").first
    assert first.get_attribute("data-value") == str(room.pk)


def test_the_first_tap_on_a_category_after_choosing_a_room_counts(phone: Any, classroom: Any, teacher: Any) -> None:
    log_in(phone, "teacher", PASSWORD)
    phone.goto("/repairs/report/")
    _choose_room(phone, "7班")
    # The list must close by itself (a person's next tap comes a moment later); if it stayed open,
    # it would swallow that tap: this wait fails then.
    phone.locator(".ts-dropdown").wait_for(state="hidden", timeout=3_000)
    label = phone.locator("label", has_text="门窗/木工").first
    label.tap()
    assert phone.locator("input[name=category]:checked").evaluate("el => el.labels[0].textContent.trim()") == "门窗/木工"
