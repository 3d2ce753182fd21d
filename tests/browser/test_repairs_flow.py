"""A repair from the teacher's phone to the teacher's acceptance, through every hand it passes.

The teacher scans the room's QR code (signed out: login, then back on the form with the room
chosen), reports with a photo; the logistics admin dispatches to the repairer; the repairer starts,
records a material and marks it done; the teacher accepts with a rating. Everyone works at phone
size. Screenshots of the report form, the queue and the ticket at 390 and 1366 px go to
$SHOTS_DIR (default /tmp/shots) for a person to look at.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from repairs.models import Category, Material, Ticket
from repairs.qr import report_path
from tests.playwright_fixtures import SHOTS, fits, shoot
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def submit(page: Any, action: str) -> None:
    with page.expect_navigation():
        page.locator(f"form[data-action={action}] button[type=submit]").click()


def test_a_repair_goes_from_the_teachers_phone_to_acceptance_with_every_step_on_the_timeline(
    phone: Any, open_as: Any, school: Any, room: Any, teacher: Any, repairer: Any, logistics_admin: Any, tmp_path: Path
) -> None:
    Category.ensure_defaults(school)
    photo = tmp_path / "lamp.jpg"
    Image.new("RGB", (800, 600), (214, 190, 120)).save(photo, "JPEG", quality=80)

    # 1. The teacher scans the QR code on the door while signed out: login, then the form for that room.
    phone.goto(report_path(room))
    assert "/accounts/login/" in phone.url
    phone.fill("input[name=username]", "teacher")
    phone.fill("input[name=password]", PASSWORD)
    with phone.expect_navigation():
        phone.click("button[type=submit]")
    phone.wait_for_load_state("networkidle")
    assert phone.url.endswith(report_path(room))
    assert phone.locator("select[name=room]").input_value() == str(room.pk)
    phone.get_by_label("电", exact=True).check()
    phone.fill("textarea[name=description]", "讲台上方第二根灯管不亮，一直闪烁")
    phone.set_input_files("input[name=photos]", str(photo))
    shoot(phone, "report-form")
    assert fits(phone)
    submit(phone, "report")
    assert re.search(r"/repairs/\d+/$", phone.url)
    number = phone.locator("[data-ticket-number]").inner_text().strip()
    assert re.fullmatch(r"BX\d{4}-\d{6}", number)
    assert phone.locator("[data-photos] img").count() == 1
    ticket_url = phone.url

    # 2. The logistics admin finds it first in the queue and dispatches it to the repairer.
    office = open_as("logistics")
    office.goto("/repairs/queue/")
    assert office.locator("[data-queue]").get_by_text(number).is_visible()
    shoot(office, "queue")
    assert fits(office)
    office_desk = open_as("logistics", "desktop")
    office_desk.goto("/repairs/queue/")
    shoot(office_desk, "queue")
    office.locator("[data-queue]").get_by_text(number).click()
    office.wait_for_load_state("networkidle")
    shoot(office, "ticket-detail-dispatch")
    assert fits(office)
    office.select_option("form[data-action=dispatch] select[name=repairer]", str(repairer.pk))
    submit(office, "dispatch")
    assert office.locator("[data-handler]").inner_text().strip() == repairer.display_name

    # 3. The repairer starts, records a material and marks the job done, on the phone.
    worker = open_as("repairer")
    worker.goto("/repairs/jobs/")
    worker.get_by_text(number).first.click()
    worker.wait_for_load_state("networkidle")
    submit(worker, "start")
    worker.fill("form[data-action=material] input[name=name]", "LED灯管1.2米")
    worker.fill("form[data-action=material] input[name=quantity]", "2")
    worker.fill("form[data-action=material] input[name=unit]", "支")
    worker.fill("form[data-action=material] input[name=unit_cost]", "35")
    submit(worker, "material")
    assert "LED灯管1.2米" in worker.locator("[data-materials]").inner_text()
    shoot(worker, "ticket-detail-work")
    assert fits(worker)
    worker.fill("form[data-action=done] input[name=labour_hours]", "1.5")
    worker.fill("form[data-action=done] textarea[name=work_summary]", "更换灯管两支，检查镇流器正常")
    submit(worker, "done")

    # 4. The teacher accepts with four stars.
    phone.goto(ticket_url)
    phone.locator("form[data-action=accept] input[name=rating][value='4']").check()
    phone.fill("form[data-action=accept] textarea[name=comment]", "修得很快，谢谢王师傅")
    submit(phone, "accept")
    assert phone.locator("[data-rating]").get_attribute("data-rating") == "4"
    shoot(phone, "ticket-detail")
    assert fits(phone)
    desk = open_as("teacher", "desktop")
    desk.goto(ticket_url)
    shoot(desk, "ticket-detail")
    desk.goto(report_path(room))
    shoot(desk, "report-form")

    # The timeline names each step and who took it.
    steps = phone.locator("[data-timeline] li[data-step]")
    timeline = [(steps.nth(i).get_attribute("data-step"), steps.nth(i).locator("[data-actor]").inner_text().strip()) for i in range(steps.count())]
    expected = [
        ("repairs.ticket.submitted", teacher.display_name),
        ("repairs.ticket.dispatched", logistics_admin.display_name),
        ("repairs.ticket.material_added", repairer.display_name),
        ("repairs.ticket.done", repairer.display_name),
        ("repairs.ticket.accepted", teacher.display_name),
    ]
    assert [step for step in timeline if step[0] in {s for s, _ in expected}] == expected
    ticket = Ticket.objects.get(number=number, school=school)
    assert (ticket.status, ticket.rating, ticket.assignee, ticket.reporter) == (Ticket.Status.ACCEPTED, 4, repairer, teacher)
    assert list(Material.objects.filter(ticket=ticket).values_list("name", "unit")) == [("LED灯管1.2米", "支")]
    assert ticket.photos.count() == 1


def test_the_label_sheet_prints_as_a4_pages_whose_codes_scan_to_the_rooms_report_form(
    open_as: Any, school: Any, building: Any, logistics_admin: Any
) -> None:
    import zxingcpp

    from repairs.qr import report_url
    from tests.factories import RoomFactory

    rooms = [RoomFactory(building=building, code=f"A{100 + n}", name=f"初二({n})班教室", floor=1 + n // 10) for n in range(1, 31)]
    office = open_as("logistics", "desktop")
    office.goto("/repairs/labels/")
    office.get_by_text(building.name).click()
    office.wait_for_load_state("networkidle")
    assert office.locator(".label").count() == 30
    shoot(office, "label-sheet")

    # Every code on the screen decodes to the URL of the room written under it.
    shot = SHOTS / "label-sheet-page1.png"
    office.locator(".sheet").first.screenshot(path=str(shot))
    decoded = {r.text for r in zxingcpp.read_barcodes(Image.open(shot))}
    assert decoded == {report_url(r) for r in rooms[:24]}  # the first A4 page holds 24

    # Printed: two A4 pages (595 × 842 pt), the toolbar left out.
    pdf = office.pdf(prefer_css_page_size=True)
    (SHOTS / "label-sheet.pdf").write_bytes(pdf)
    pages = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert len(pages) == 2 and all(abs(float(w) - 595.3) < 1 and abs(float(h) - 841.9) < 1 for w, h in pages), pages

    small = open_as("logistics")
    small.goto(f"/repairs/labels/buildings/{building.pk}/")
    shoot(small, "label-sheet")
    assert fits(small)
