"""On a phone (390 px): the logistics office records a 纪事 entry with a photo, regenerates the
draft, and the entry's sentence is in the report."""

from __future__ import annotations

from typing import Any

import pytest
from PIL import Image

from logistics.chronicle.models import ChronicleEntry
from tests.factories import PASSWORD
from tests.playwright_fixtures import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _generation_runs_at_once() -> Any:
    """The draft is generated in the live server's thread, as in the embedded setup, even where the
    suite runs with Redis (make test-services starts no worker for browser tests)."""
    from logistics.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def test_the_office_records_an_entry_with_a_photo_and_the_draft_tells_it(phone: Any, school: Any, term: Any, logistics_admin: Any,
                                                                          tmp_path: Any) -> None:
    photo = tmp_path / "roof.jpg"
    Image.new("RGB", (800, 600), "steelblue").save(photo, "JPEG")
    log_in(phone, "logistics", PASSWORD)
    phone.goto("/chronicle/")
    phone.click("[data-action=add-entry]")
    phone.fill("input[name=title]", "完成实验楼屋面防水工程")
    phone.select_option("select[name=domain]", "repairs")
    phone.fill("input[name=amount]", "52000")
    phone.set_input_files("input[name=photos]", str(photo))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.click("[data-action=save-entry]")
    phone.wait_for_selector("[data-entry-title]")
    assert phone.locator("[data-entry-title]").inner_text() == "完成实验楼屋面防水工程"
    assert phone.locator("[data-photos] img").count() == 1
    entry = ChronicleEntry.objects.get()
    assert entry.photos.count() == 1 and entry.created_by == logistics_admin

    phone.goto(f"/reports/terms/{term.code}/")
    phone.click("[data-action=generate] button")
    phone.wait_for_url("**/reports/versions/*/", timeout=20000)
    events = phone.locator("#p-s\\.repairs\\.events\\.events")
    assert events.inner_text().startswith(f"{entry.date.month}月，完成实验楼屋面防水工程，")
    assert "5.2万元" in events.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
