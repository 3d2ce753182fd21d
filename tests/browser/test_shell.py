from __future__ import annotations

import os
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


def district_of(home: Any, user: Any, n: int) -> list[Any]:
    from logistics.models import Role
    from tests.factories import SchoolFactory, member

    schools = [SchoolFactory(code=f"z{i:03d}", name=f"{name}第{i}中学") for i, name in zip(range(1, n + 1), "东南西北中" * n)]
    for school in schools:
        member(school, Role.DISTRICT_VIEWER, user=user)
    return schools


def screenshot(page: Any, name: str) -> None:
    """Kept for a look when SCREENSHOTS names a folder (they are not part of the suite's output)."""
    folder = os.environ.get("SCREENSHOTS")
    if folder:
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


def test_someone_in_many_schools_finds_one_and_switches_on_a_desktop(desktop: Any, school: Any, teacher: Any) -> None:
    schools = district_of(school, teacher, 30)
    log_in(desktop, "teacher", PASSWORD)
    desktop.click("nav.navbar a[data-school-switch]")  # the current school's name in the bar
    desktop.wait_for_url("**/school/switch/**")
    assert desktop.locator("[data-school-list] form").count() == 20
    desktop.fill("input[name=q]", "第17中")
    desktop.press("input[name=q]", "Enter")
    desktop.wait_for_load_state("networkidle")
    rows = desktop.locator("[data-school-list] form")
    assert rows.count() == 1 and schools[16].name in rows.inner_text()
    screenshot(desktop, "school-switch-desktop")
    rows.locator("button[type=submit]").click()
    desktop.wait_for_url("**/")
    assert schools[16].name in desktop.locator("nav.navbar").inner_text()
    assert desktop.evaluate("document.documentElement.scrollWidth") <= 1366


def test_the_school_switcher_fits_a_phone(phone: Any, school: Any, teacher: Any) -> None:
    district_of(school, teacher, 25)
    log_in(phone, "teacher", PASSWORD)
    phone.click("nav.navbar [data-bs-toggle=dropdown]")
    phone.click(".dropdown-menu a[data-school-switch]")
    phone.wait_for_url("**/school/switch/**")
    assert "切换学校" in phone.locator("h1").inner_text()
    assert phone.locator("[data-school-list] form").count() == 20
    screenshot(phone, "school-switch-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.click("a.page-link:has-text('下一页')")
    phone.wait_for_load_state("networkidle")
    assert phone.locator("[data-school-list] form").count() == 6
