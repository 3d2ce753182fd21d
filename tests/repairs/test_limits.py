"""Figures a school repair cannot have are refused with the limit named (issue 10, security 6):
99,999,999.99 × 99,999,999.99 元 and 99,999 labour hours once reached the term report."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from repairs import services
from repairs.forms import DoneForm, MaterialForm
from repairs.models import RepairSettings, Status
from repairs.services import WorkflowError

ABSURD = Decimal("99999999.99")


def add(ticket, by, quantity="1", unit_cost="0"):
    return services.ticket_add_material(ticket=ticket, by=by, name="LED灯管", quantity=Decimal(quantity), unit="支",
                                        unit_cost=Decimal(unit_cost))


def test_new_schools_get_the_documented_defaults(school):
    limits = RepairSettings.for_school(school)
    assert (limits.max_quantity, limits.max_unit_cost, limits.max_line_cost, limits.max_labour_hours, limits.max_contractor_cost) == (
        Decimal("10000"), Decimal("50000"), Decimal("200000"), Decimal("200"), Decimal("1000000"))


@pytest.mark.parametrize(
    ("quantity", "unit_cost", "named"),
    [
        (ABSURD, ABSURD, "99,999,999.99 超过单行材料 10,000 的上限"),
        ("10000.01", "1", "10,000.01 超过单行材料 10,000 的上限"),
        ("1", "50000.01", "单价 50,000.01 元超过上限 50,000 元"),
        ("5000", "40.01", "本行合计 200,050 元，超过单行材料 200,000 元的上限"),
    ],
)
def test_a_material_past_the_schools_limits_is_refused_with_the_limit_named(in_progress, repairer, quantity, unit_cost, named):
    with pytest.raises(WorkflowError, match=named):
        add(in_progress, repairer, quantity, unit_cost)
    assert not in_progress.materials.exists()


def test_a_material_at_the_limits_is_accepted(in_progress, repairer):
    add(in_progress, repairer, "10000", "20")
    add(in_progress, repairer, "4", "50000")
    assert in_progress.materials.count() == 2


def test_absurd_hours_and_contractor_charges_are_refused_and_the_ticket_stays_in_progress(in_progress, repairer):
    with pytest.raises(WorkflowError, match="99,999 个工时超过每张报修单 200 小时的上限"):
        services.ticket_mark_done(ticket=in_progress, by=repairer, labour_hours=Decimal("99999"))
    with pytest.raises(WorkflowError, match="外包费用 99,999,999.99 元超过报修单 1,000,000 元的上限"):
        services.ticket_mark_done(ticket=in_progress, by=repairer, contractor_cost=ABSURD)
    in_progress.refresh_from_db()
    assert in_progress.status == Status.IN_PROGRESS and in_progress.labour_hours == 0 and in_progress.contractor_cost is None


def test_the_limits_are_the_schools_own(in_progress, repairer, school):
    limits = RepairSettings.for_school(school)
    limits.max_labour_hours, limits.max_unit_cost = Decimal("8"), Decimal("100")
    limits.save()
    with pytest.raises(WorkflowError, match="上限 100 元"):
        add(in_progress, repairer, "1", "100.5")
    with pytest.raises(WorkflowError, match="8 小时"):
        services.ticket_mark_done(ticket=in_progress, by=repairer, labour_hours=Decimal("8.5"))
    done = services.ticket_mark_done(ticket=in_progress, by=repairer, labour_hours=Decimal("8"))
    assert done.status == Status.DONE and done.labour_hours == Decimal("8")


def test_the_work_screens_show_the_refusal(in_progress, client_for, repairer):
    client = client_for(repairer)
    response = client.post(reverse("repairs:ticket-material-add", args=[in_progress.pk]),
                           {"name": "灯管", "quantity": "99999999.99", "unit": "支", "unit_cost": "99999999.99"}, follow=True)
    assert "10,000 的上限" in response.content.decode()
    response = client.post(reverse("repairs:ticket-done", args=[in_progress.pk]), {"labour_hours": "99999", "work_summary": "修好"}, follow=True)
    assert "200 小时的上限" in response.content.decode()
    in_progress.refresh_from_db()
    assert in_progress.status == Status.IN_PROGRESS and not in_progress.materials.exists()


def test_the_forms_given_a_school_say_the_limit_next_to_the_field(school):
    material = MaterialForm({"name": "灯管", "quantity": "10001", "unit": "支", "unit_cost": "60000"}, school=school)
    assert not material.is_valid()
    # The same sentences as the services' refusals, the limit written as people read it.
    assert "10,000" in material.errors["quantity"][0] and "50,000" in material.errors["unit_cost"][0]
    done = DoneForm({"labour_hours": "201", "contractor_cost": "1000000.01"}, school=school)
    assert not done.is_valid()
    assert "200" in done.errors["labour_hours"][0] and "1,000,000" in done.errors["contractor_cost"][0]
    assert DoneForm({"labour_hours": "200", "contractor_cost": "1000000"}, school=school).is_valid()


def test_the_office_sees_and_changes_the_limits_in_the_admin(client_for, logistics_admin, school):
    limits = RepairSettings.for_school(school)
    client = client_for(logistics_admin)
    url = reverse("admin:repairs_repairsettings_change", args=[limits.pk])
    page = client.get(url).content.decode()
    assert "单次维修的上限" in page and "材料最高单价（元）" in page and "请购" in page  # the help text says why
    response = client.post(url, {"school": school.pk, "urgent_hours": 4, "normal_hours": 48, "low_hours": 168, "auto_accept_days": 3,
                                 "max_quantity": 500, "max_unit_cost": 8000, "max_line_cost": 20000, "max_labour_hours": 40,
                                 "max_contractor_cost": 300000})
    assert response.status_code == 302
    limits.refresh_from_db()
    assert (limits.max_unit_cost, limits.max_labour_hours) == (Decimal("8000"), Decimal("40"))
