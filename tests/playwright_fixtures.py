"""Playwright on Debian's chromium (never a downloaded browser): fixtures `browser`, `phone`, `desktop`
for every test folder, loaded once by tests/conftest.py (pytest_plugins), so one browser serves all.

Locally, without /usr/bin/chromium, browser tests skip with the reason; on CI (REQUIRE_BROWSER=1)
a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
SHOTS = Path(os.environ.get("SHOTS_DIR", "/tmp/shots"))  # screenshots for a person to look at
DESKTOP = {"width": 1366, "height": 900}

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test body are
# still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class CspWatchingBrowser:
    """The browser, whose every context reports Content-Security-Policy violations (from the console)."""

    def __init__(self, browser: Any) -> None:
        self._browser = browser
        self.violations: list[str] = []

    def new_context(self, **kwargs: Any) -> Any:
        context = self._browser.new_context(**kwargs)
        context.on("console", lambda message: self.violations.append(message.text) if "Content Security Policy" in message.text else None)
        return context

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


@pytest.fixture(autouse=True)
def _no_csp_violation(request: Any) -> Iterator[None]:
    """Every browser test also proves that its pages broke no rule of the Content-Security-Policy."""
    if "browser" not in request.fixturenames:
        yield
        return
    browser = request.getfixturevalue("browser")
    before = len(browser.violations)
    yield
    assert browser.violations[before:] == [], "Content-Security-Policy violations"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium to run browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield CspWatchingBrowser(browser)
        browser.close()


@pytest.fixture
def phone(browser: Any, live_server: Any) -> Iterator[Any]:
    """A page at phone size (390 px), pointed at the live server."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN",
                                  base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def desktop(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def log_in(page: Any, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.fixture
def open_as(browser: Any, live_server: Any) -> Iterator[Any]:
    """`open_as("logistics")`: a new page signed in as that person (the factories' password), at phone
    size or `open_as("logistics", "desktop")`; `open_as(None)` is not signed in. Several people may be
    open at once, each in a context (cookies) of their own."""
    from tests.factories import PASSWORD

    contexts = []

    def make(username: str | None, size: str = "phone") -> Any:
        if size == "phone":
            context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN",
                                          base_url=live_server.url)
        else:
            context = browser.new_context(viewport=DESKTOP, locale="zh-CN", base_url=live_server.url)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        if username:
            log_in(page, username, PASSWORD)
        return page

    yield make
    for context in contexts:
        context.close()


def shoot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{page.viewport_size['width']}.png"), full_page=True)


def fits(page: Any) -> bool:
    """Nothing wider than the screen: no sideways scrolling."""
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
