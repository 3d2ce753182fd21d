from __future__ import annotations

from typing import Any

import pytest

from tests.playwright_fixtures import log_in
from tests.factories import PASSWORD

# serialized_rollback: the flush after a transactional test would drop the role groups the migrations made.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_teacher_logs_in_on_a_phone_and_sees_the_home_page(phone: Any, teacher: Any) -> None:
    log_in(phone, "teacher", PASSWORD)
    assert phone.locator("[data-home-title]").inner_text() == "我的工作台"
    # The navigation folds into the menu at phone width, and opens on a tap.
    assert not phone.locator("#mainNav").is_visible()
    phone.click("button.navbar-toggler")
    phone.locator("#mainNav").wait_for(state="visible")
    assert "东城实验中学" in phone.locator("#mainNav .offcanvas-title").inner_text()
    # Nothing is wider than the screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_wrong_password_keeps_the_username_and_says_why(phone: Any, teacher: Any) -> None:
    log_in(phone, "teacher", "wrong-password")
    assert phone.input_value("input[name=username]") == "teacher"
    assert "请输入一个正确的" in phone.locator("form").inner_text()
