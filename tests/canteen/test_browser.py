"""The canteen day on a phone at 390 px: the issue's "done when", and a form filled in with the
network cut.

`canteen` records the morning checks (one cook with fever is moved off duty), the lunch samples from
the menu, disinfection, one delivery with a certificate photo and the daily checklist; the day view
shows the day complete except the accompanied meal; `vice` records the accompanied meal; the month
grid turns the day green. Offline: a check tapped with no network is kept in the browser and sent
once when the connection returns, with the time it was tapped. Screenshots go to $SHOTS_DIR.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image

from canteen.models import AccompaniedMeal, Delivery, MealKind, MenuDish, MorningCheck, Sample
from tests.canteen.factories import CanteenFactory, FridgeFactory, MealFactory, StaffFactory, SupplierFactory
from tests.factories import PASSWORD
from tests.playwright_fixtures import fits, log_in, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def kitchen(school: Any) -> Any:
    canteen = CanteenFactory(school=school, name="学生食堂")
    MealFactory(canteen=canteen, kind=MealKind.LUNCH, serves_at=dt.time(11, 40), accompanied=True)
    FridgeFactory(canteen=canteen)
    StaffFactory(canteen=canteen, name="王师傅")
    StaffFactory(canteen=canteen, name="李阿姨")
    SupplierFactory(school=school, name="城西鲜蛋批发部")
    today = timezone.localdate()
    for i, dish in enumerate(("番茄炒蛋", "清炒时蔬")):
        MenuDish.objects.create(canteen=canteen, day=today, meal=MealKind.LUNCH, name=dish, order=i)
    return canteen


def submit(page: Any, button: Any) -> None:
    """Press a day-view button: the form goes by fetch and the page reloads with the new state."""
    with page.expect_navigation():
        button.click()


def test_a_canteen_day_recorded_on_a_phone_turns_the_month_green(open_as: Any, kitchen: Any, manager: Any, vice: Any,
                                                                 tmp_path: Path) -> None:
    page = open_as("canteen")
    page.goto("/canteen/")
    assert "/day/" in page.url and fits(page)

    # Morning checks: one tap for 李阿姨; 王师傅 has a fever and is moved off duty.
    submit(page, page.locator('[data-staff] [data-check-ok]').first)
    page.locator('[data-form="check"] summary').click()
    staff = page.locator('[data-form="check"] select[name="staff"]')
    staff.select_option(label="王师傅")
    page.locator('[data-form="check"] input[name="temperature"]').fill("38.3")
    submit(page, page.locator('[data-form="check"] button[type=submit]'))
    assert page.locator('[data-check-done="off_duty"]').count() == 1
    assert MorningCheck.objects.get(staff__name="王师傅").decision == "off_duty"

    # The lunch samples from today's menu: one tap each.
    for dish in ("番茄炒蛋", "清炒时蔬"):
        submit(page, page.locator(f'[data-sample-dish="{dish}"]'))
    assert Sample.objects.filter(canteen=kitchen).count() == 2

    # Disinfection: the usual method and figures are filled in already.
    page.locator('[data-form="disinfection"] summary').click()
    submit(page, page.locator('[data-form="disinfection"] button[type=submit]'))

    # A delivery of eggs with a photo of the quarantine certificate.
    photo = tmp_path / "certificate.jpg"
    Image.new("RGB", (800, 600), "white").save(photo, "JPEG")
    page.locator('[data-form="delivery"] summary').click()
    form = page.locator('[data-form="delivery"]')
    form.locator('select[name="supplier"]').select_option(label="城西鲜蛋批发部")
    form.locator('input[name="name"]').fill("鸡蛋")
    form.locator('input[name="quantity"]').fill("30")
    form.locator('input[name="photo"]').set_input_files(str(photo))
    submit(page, form.locator("button[type=submit]"))
    assert Delivery.objects.get().photos.count() == 1
    assert page.locator("[data-certificate-photo]").count() == 1

    # The daily checklist, "no problem found": one tap.
    submit(page, page.locator("[data-checklist-submit]"))

    states = {k: page.locator(f'[data-summary] [data-kind="{k}"]').get_attribute("data-state")
              for k in ("checks", "samples", "disinfection", "accompanied", "checklist")}
    assert states.pop("accompanied") != "done" and set(states.values()) == {"done"}
    assert "陪餐" in page.locator("[data-day-missing]").inner_text()
    assert fits(page)
    shoot(page, "canteen-day-before-accompanied")

    # The vice principal eats with the students and records it.
    vice_page = open_as("vice")
    vice_page.goto("/canteen/")
    form = vice_page.locator('[data-form="accompanied"]')
    assert form.locator('input[name="person"]').input_value() == "吴副校长"
    form.locator('textarea[name="opinion"]').fill("饭菜温度适宜，分量足")
    submit(vice_page, form.locator("button[type=submit]"))
    assert AccompaniedMeal.objects.get().created_by == vice
    assert vice_page.locator("[data-day-complete]").count() == 1

    vice_page.locator("[data-month-link]").click()
    vice_page.wait_for_load_state()
    today = timezone.localdate().isoformat()
    assert vice_page.locator(f'[data-grid-day="{today}"]').get_attribute("data-colour") == "green"
    assert fits(vice_page)
    shoot(vice_page, "canteen-month")


def test_a_check_tapped_with_no_network_is_sent_once_when_it_returns(open_as: Any, kitchen: Any, manager: Any) -> None:
    page = open_as("canteen")
    page.goto("/canteen/")
    page.context.set_offline(True)
    page.locator('[data-staff] [data-check-ok]').first.click()
    page.wait_for_selector("[data-offline-banner]:not(.d-none)")
    page.wait_for_selector('[data-offline-banner][data-queued="1"]', state="attached")
    assert not MorningCheck.objects.exists()
    tapped = timezone.now()
    shoot(page, "canteen-offline-queued")

    with page.expect_navigation():  # back online: the queue is sent and the page shows it
        page.context.set_offline(False)
    page.wait_for_load_state()
    check = MorningCheck.objects.get()
    assert abs((check.recorded_at - tapped).total_seconds()) < 10
    assert page.locator('[data-check-done="on_duty"]').count() == 1

    # A second flush (another page opening) sends nothing again: the queue is empty, the uid stored once.
    page.reload()
    page.wait_for_load_state("networkidle")
    assert MorningCheck.objects.count() == 1
    assert page.locator("[data-offline-banner]").get_attribute("data-queued") == "0"


def test_a_check_tapped_after_the_session_ended_is_kept_and_sent_after_signing_in_again(open_as: Any, kitchen: Any, manager: Any) -> None:
    page = open_as("canteen")
    page.goto("/canteen/")
    page.context.clear_cookies()  # the session ended (signed out elsewhere, expired)
    page.locator('[data-staff] [data-check-ok]').first.click()
    page.wait_for_selector('[data-offline-banner][data-queued="1"]', state="attached")
    assert not MorningCheck.objects.exists()
    log_in(page, "canteen", PASSWORD)
    page.goto("/canteen/")  # opening a canteen page sends the queue, with this page's token
    page.wait_for_selector('[data-offline-banner][data-queued="0"]', state="attached")
    assert MorningCheck.objects.count() == 1


def test_a_full_form_opened_then_filled_in_with_no_network_is_sent_when_it_returns(open_as: Any, kitchen: Any, manager: Any) -> None:
    from canteen.models import Disinfection

    page = open_as("canteen")
    page.goto("/canteen/")
    assert page.locator("[data-form] select").count() == 0  # no full form is drawn with the day page
    page.locator('[data-form="disinfection"] summary').click()
    form = page.locator('[data-form="disinfection"] form')
    form.locator('input[name="minutes"]').wait_for()
    page.context.set_offline(True)
    form.locator('input[name="checker"]').fill("李阿姨")
    form.locator("button[type=submit]").click()
    page.wait_for_selector('[data-offline-banner][data-queued="1"]', state="attached")
    assert not Disinfection.objects.exists()
    # Another form cannot be fetched without network: the page says so and the one-tap buttons stay.
    page.locator('[data-form="delivery"] summary').click()
    page.wait_for_selector('[data-form="delivery"] [data-form-unavailable]')
    assert page.locator("[data-check-ok]").count() == 2

    with page.expect_navigation():
        page.context.set_offline(False)
    page.wait_for_load_state()
    assert Disinfection.objects.get().checker == "李阿姨"
    assert page.locator('[data-disinfection-meal="lunch"]').get_attribute("data-state") == "done"
