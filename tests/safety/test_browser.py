"""The daily fire patrol on a phone, to a hazard closed: the issue's "done when", at 390 px.

`safety` walks the daily fire patrol for one building and fails "疏散通道畅通" with a photo (first
without one: refused, the note kept); the hazard goes to `logistics`, who names the person and
deadline and opens a repair ticket from it; the repairer fixes it and `logistics` (the ticket's
reporter) accepts, which moves the hazard to 待验收 by itself; `safety` verifies and it is 已销号; the
timeline shows every step. Screenshots go to $SHOTS_DIR (default /tmp/shots).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from PIL import Image

from repairs import services as repair_services
from repairs.selectors import tickets_visible_to
from safety.models import Hazard, HazardStatus, InspectionTemplate, Round
from tests.factories import PASSWORD
from tests.playwright_fixtures import fits, log_in, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_failed_patrol_item_becomes_a_hazard_fixed_through_a_repair_and_closed(
    open_as, school, building, room, safety_officer, logistics_admin, repairer, tmp_path
):
    InspectionTemplate.ensure_defaults(school)
    photo = tmp_path / "exit.jpg"
    Image.new("RGB", (320, 240), "orange").save(photo, "JPEG")

    officer = open_as("safety")
    officer.goto("/safety/")
    shoot(officer, "safety-today")
    assert fits(officer)
    # The patrol of one building: "start another round", the checklist and the building chosen.
    officer.locator("[data-due-today] details summary").click()
    start = officer.locator("[data-start-other]")
    start.locator("select[name=template]").select_option(label="防火巡查")
    start.locator("select[name=building]").select_option(str(building.pk))
    start.locator("button[type=submit]").click()
    officer.wait_for_url("**/safety/rounds/*/")
    round = Round.objects.get(school=school)
    assert round.building == building
    exit_item = officer.locator("[data-item]", has_text="疏散通道畅通")
    exit_item.locator("details summary").click()
    exit_item.locator("input[name=note]").fill("一楼东侧通道堆放桌椅")
    exit_item.locator("[data-answer-fail]").click()  # a note is enough; first try without anything is below
    officer.wait_for_load_state("networkidle")
    light = officer.locator("[data-item]", has_text="应急照明完好")
    light.locator("[data-answer-fail]").click()
    officer.wait_for_load_state("networkidle")
    refused = officer.locator("[data-item]", has_text="应急照明完好")
    assert "请拍照或写明问题" in refused.locator("[data-refused]").inner_text()
    shoot(officer, "safety-refused-fail")
    refused.locator("input[type=file]").set_input_files(str(photo))
    refused.locator("[data-answer-fail]").click()
    officer.wait_for_load_state("networkidle")
    while officer.locator("[data-item]:not([data-answer]) [data-answer-pass]").count():
        officer.locator("[data-item]:not([data-answer]) [data-answer-pass]").first.click()
        officer.wait_for_load_state("networkidle")
    shoot(officer, "safety-walked")
    assert fits(officer)
    officer.locator("[data-finish] button[type=submit]").click()
    officer.wait_for_load_state("networkidle")
    assert officer.locator("[data-signed]").count() == 1
    hazards = Hazard.objects.filter(source_answer__round=round).order_by("number")
    assert hazards.count() == 2
    hazard = hazards.get(description__startswith="疏散通道畅通")
    assert Hazard.objects.get(description__startswith="应急照明完好").photos.count() == 1

    office = open_as("logistics")
    office.goto(f"/safety/hazards/{hazard.pk}/")
    form = office.locator("[data-action=assign]")
    form.locator("select[name=responsible]").select_option(str(logistics_admin.pk))
    form.locator("input[name=deadline]").fill((timezone.localdate() + dt.timedelta(days=2)).isoformat())
    form.locator("select[name=room]").select_option(str(room.pk))
    form.locator("button[type=submit]").click()
    office.wait_for_load_state("networkidle")
    office.locator("[data-action=start] button").click()
    office.wait_for_load_state("networkidle")
    office.locator("[data-repair-box] summary").click()
    office.locator("[data-action=repair] button[type=submit]").click()
    office.wait_for_load_state("networkidle")
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.FIXING and hazard.repair_ticket_id
    ticket = tickets_visible_to(user=logistics_admin, school=school).get(pk=hazard.repair_ticket_id)
    repair_services.ticket_dispatch(ticket=ticket, by=logistics_admin, repairer=repairer)
    repair_services.ticket_start(ticket=ticket, by=repairer)
    repair_services.ticket_mark_done(ticket=ticket, by=repairer, labour_hours=Decimal("1"), work_summary="清理通道杂物")
    repair_services.ticket_accept(ticket=ticket, by=logistics_admin, rating=5)
    office.reload()
    assert "已验收" in office.locator("[data-repair-ticket]").inner_text() or ticket.number in office.locator("[data-repair-ticket]").inner_text()
    # Accepting the repair moved the hazard to 待验收 by itself (repairs.signals.ticket_accepted), the
    # repairer recorded as the fixer and the accepted work as the rectification.
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.TO_VERIFY and hazard.fixed_by == repairer and "清理通道杂物" in hazard.measures
    assert office.locator("[data-action=rectify]").count() == 0

    officer.goto(f"/safety/hazards/{hazard.pk}/")
    officer.locator("[data-action=close] textarea[name=verification]").fill("现场复查，通道畅通")
    officer.locator("[data-action=close] button[type=submit]").click()
    officer.wait_for_load_state("networkidle")
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.CLOSED and hazard.verified_by == safety_officer
    steps = officer.locator("[data-timeline] [data-step]").evaluate_all("els => els.map(e => e.dataset.step)")
    assert steps == ["safety.hazard.reported", "safety.hazard.assigned", "safety.hazard.started", "safety.hazard.repair_opened",
                     "safety.hazard.rectified", "safety.hazard.closed"]
    shoot(officer, "safety-hazard-closed")
    assert fits(officer)
    officer.goto("/safety/hazards/")
    shoot(officer, "safety-ledger")
    assert fits(officer)


def test_a_drill_is_planned_and_recorded_on_a_phone_and_the_cadence_warning_clears(open_as, school, safety_officer, tmp_path):
    from safety.models import Drill, DrillStatus

    photo = tmp_path / "drill.jpg"
    Image.new("RGB", (320, 240), "green").save(photo, "JPEG")
    officer = open_as("safety")
    officer.goto("/safety/drills/")
    assert officer.locator("[data-drill-cadence=due]").count() == 1
    assert fits(officer)
    officer.locator("[data-plan-drill]").click()
    officer.locator("select[name=kind]").select_option("fire")
    officer.locator("input[name=day]").fill(timezone.localdate().isoformat())
    officer.locator("input[name=title]").fill("消防疏散演练")
    officer.locator("[data-form-page] button[type=submit]").click()
    officer.wait_for_url("**/safety/drills/*/")
    form = officer.locator("[data-record-form]")
    form.locator("input[name=participants]").fill("860")
    form.locator("input[name=evacuation_seconds]").fill("118")
    form.locator("textarea[name=summary]").fill("师生按预定路线有序撤离")
    form.locator("input[type=file]").set_input_files(str(photo))
    form.locator("button[type=submit]").click()
    officer.wait_for_load_state("networkidle")
    drill = Drill.objects.get(school=school)
    assert drill.status == DrillStatus.HELD and drill.participants == 860 and drill.photos.count() == 1
    shoot(officer, "safety-drill-held")
    assert fits(officer)
    officer.goto("/safety/drills/")
    assert officer.locator("[data-drill-cadence=ok]").count() == 1
    shoot(officer, "safety-drills")
    assert fits(officer)


def test_contractor_scores_are_a_chart_on_a_desk_and_a_table_on_a_phone(browser, live_server, open_as, school, safety_officer):
    from safety.catalogue import ensure_criteria
    from safety.models import Contractor, Evaluation

    ensure_criteria(school)
    guards = Contractor.objects.create(school=school, name="平安保安", service="security")
    month = timezone.localdate().replace(day=1)
    for n, score in enumerate((88, 62, 80)):
        day = month
        for _ in range(2 - n):
            day = (day - dt.timedelta(days=1)).replace(day=1)
        Evaluation.objects.create(contractor=guards, school=school, month=day, score=score, evaluated_by=safety_officer)
    phone = open_as("safety")
    phone.goto("/safety/contractors/")
    assert phone.locator("[data-score-table]").is_visible() and not phone.locator("[data-score-chart]").is_visible()
    assert fits(phone)
    shoot(phone, "safety-contractor-scores")
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", base_url=live_server.url)
    try:
        page = desk.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        log_in(page, "safety", PASSWORD)
        page.goto("/safety/contractors/")
        page.wait_for_function("() => window.Chart && Object.keys(window.Chart.instances).length === 1")
        assert page.locator("[data-score-chart] canvas").is_visible() and not page.locator("[data-score-table]").is_visible()
        labels = page.evaluate("() => Object.values(window.Chart.instances)[0].data.datasets.map(d => d.label)")
        assert labels == ["保安", "低于70分需整改跟进"] and not errors
        assert page.evaluate("() => Object.values(window.Chart.instances)[0].data.datasets[0].data.slice(-3)") == [88, 62, 80]
        shoot(page, "safety-contractor-scores")
    finally:
        desk.close()
