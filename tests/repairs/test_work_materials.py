"""A repairer's typed material is never lost, and done states the hours (issue 10, walking 2)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from logistics.workflow import WorkflowError
from repairs import services
from repairs.forms import DoneForm, MaterialForm
from repairs.models import CommonMaterial, RepairSettings, Status, Ticket
from repairs.services.work import MaterialLine

LINE = MaterialLine(name="镇流器", quantity=Decimal("1"), unit="个", unit_cost=Decimal("25"))


# --- Services ------------------------------------------------------------------------------------

def test_done_with_a_pending_material_records_it_in_the_same_step(in_progress, repairer):
    done = services.ticket_mark_done(ticket=in_progress, by=repairer, labour_hours=Decimal("1"), material=LINE)
    assert done.status == Status.DONE
    assert list(done.materials.values_list("name", "quantity", "unit", "unit_cost")) == [("镇流器", Decimal("1"), "个", Decimal("25"))]


def test_a_refused_pending_material_refuses_done_and_nothing_is_half_saved(in_progress, repairer, school):
    limits = RepairSettings.for_school(school)
    limits.max_unit_cost = Decimal("20")
    limits.save()
    with pytest.raises(WorkflowError, match="20"):
        services.ticket_mark_done(ticket=in_progress, by=repairer, labour_hours=Decimal("1"), material=LINE)
    ticket = Ticket.objects.get(pk=in_progress.pk)
    assert ticket.status == Status.IN_PROGRESS and not ticket.materials.exists()


def test_done_on_a_repairers_job_needs_the_hours(in_progress, repairer):
    with pytest.raises(WorkflowError, match="工时"):
        services.ticket_mark_done(ticket=in_progress, by=repairer, work_summary="修好了")
    assert Ticket.objects.get(pk=in_progress.pk).status == Status.IN_PROGRESS


def test_zero_hours_is_an_answer(in_progress, repairer):
    done = services.ticket_mark_done(ticket=in_progress, by=repairer, labour_hours=Decimal("0"))
    assert (done.status, done.labour_hours) == (Status.DONE, Decimal("0"))


def test_after_a_rejection_the_hours_already_recorded_stand(done, teacher, repairer):
    ticket = services.ticket_reject(ticket=done, by=teacher, reason="还在闪")
    ticket = services.ticket_start(ticket=ticket, by=repairer)
    ticket = services.ticket_mark_done(ticket=ticket, by=repairer)
    assert (ticket.status, ticket.labour_hours) == (Status.DONE, Decimal("1.5"))


def test_an_outside_contractors_job_needs_no_school_hours(ticket, logistics_admin):
    services.ticket_dispatch(ticket=ticket, by=logistics_admin, contractor="格力特约维修站")
    services.ticket_start(ticket=ticket, by=logistics_admin)
    done = services.ticket_mark_done(ticket=ticket, by=logistics_admin, contractor_cost=Decimal("450"))
    assert done.status == Status.DONE


# --- Forms ---------------------------------------------------------------------------------------

def test_the_done_form_asks_for_the_hours_by_name_and_says_zero_is_allowed(school):
    form = DoneForm({"work_summary": "修好了"}, school=school)
    assert not form.is_valid()
    assert form.errors["labour_hours"] == ["请填写：工时"]
    assert "0" in str(form.fields["labour_hours"].help_text)
    assert DoneForm({"labour_hours": "0"}, school=school).is_valid()


def test_the_material_form_names_the_missing_field(school):
    form = MaterialForm({"name": "镇流器", "quantity": "1"}, school=school)
    assert not form.is_valid() and form.errors["unit"] == [f"请填写：{form.fields['unit'].label}"]


# --- The ticket page -----------------------------------------------------------------------------

def done_url(ticket):
    return reverse("repairs:ticket-done", args=[ticket.pk])


def test_done_from_the_page_saves_the_material_typed_but_not_added(in_progress, client_for, repairer):
    response = client_for(repairer).post(done_url(in_progress), {
        "labour_hours": "1.5", "work_summary": "更换镇流器",
        "pending-name": "镇流器", "pending-quantity": "1", "pending-unit": "个", "pending-unit_cost": "25"})
    assert response.status_code == 302
    ticket = Ticket.objects.get(pk=in_progress.pk)
    assert ticket.status == Status.DONE and ticket.labour_hours == Decimal("1.5")
    assert list(ticket.materials.values_list("name", "quantity")) == [("镇流器", Decimal("1"))]


def test_done_without_hours_is_refused_and_the_typed_material_is_kept_on_the_page(in_progress, client_for, repairer):
    response = client_for(repairer).post(done_url(in_progress), {
        "work_summary": "更换镇流器", "pending-name": "镇流器", "pending-quantity": "1", "pending-unit": "个", "pending-unit_cost": "25"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "请填写：工时" in page and "更换镇流器" in page
    material_form = response.context["material_form"]
    assert (material_form["name"].value(), material_form["quantity"].value()) == ("镇流器", "1")
    ticket = Ticket.objects.get(pk=in_progress.pk)
    assert ticket.status == Status.IN_PROGRESS and not ticket.materials.exists()


def test_an_untouched_material_form_does_not_hold_up_done(in_progress, client_for, repairer):
    """The empty material form shows 0 as the price; work.js copies it, and that is no line."""
    response = client_for(repairer).post(done_url(in_progress), {"labour_hours": "1", "pending-name": "", "pending-quantity": "",
                                                                 "pending-unit": "", "pending-unit_cost": "0"})
    assert response.status_code == 302 and Ticket.objects.get(pk=in_progress.pk).status == Status.DONE


def test_an_incomplete_pending_material_refuses_done_with_the_line_kept(in_progress, client_for, repairer):
    response = client_for(repairer).post(done_url(in_progress), {"labour_hours": "1", "pending-name": "镇流器", "pending-quantity": ""})
    assert response.status_code == 400
    assert "材料还不完整" in response.content.decode()
    assert response.context["material_form"]["name"].value() == "镇流器"
    assert "请填写：数量" in response.context["material_form"].errors["quantity"]
    assert Ticket.objects.get(pk=in_progress.pk).status == Status.IN_PROGRESS


def test_the_schools_limits_show_next_to_the_fields_of_the_page(in_progress, client_for, repairer, school):
    limits = RepairSettings.for_school(school)
    limits.max_labour_hours = Decimal("8")
    limits.save()
    response = client_for(repairer).post(done_url(in_progress), {"labour_hours": "9"})
    assert response.status_code == 400
    assert "每张报修单 8 小时的上限" in response.context["done_form"].errors["labour_hours"][0]
    response = client_for(repairer).post(reverse("repairs:ticket-material-add", args=[in_progress.pk]),
                                         {"name": "灯管", "quantity": "20000", "unit": "支"})
    assert response.status_code == 400 and "10,000" in response.context["material_form"].errors["quantity"][0]


def test_the_page_offers_the_schools_common_materials_with_unit_and_price(in_progress, client_for, repairer, school, other_school):
    CommonMaterial.objects.create(school=school, name="LED灯管1.2米", unit="支", unit_price=Decimal("18"))
    CommonMaterial.objects.create(school=school, name="旧款灯管", unit="支", unit_price=Decimal("9"), is_active=False)
    CommonMaterial.objects.create(school=other_school, name="别校的材料", unit="个", unit_price=Decimal("1"))
    page = client_for(repairer).get(reverse("repairs:ticket-detail", args=[in_progress.pk])).content.decode()
    assert '<option value="LED灯管1.2米" data-unit="支" data-price="18.00">' in page
    assert "旧款灯管" not in page and "别校的材料" not in page
    assert 'list="common-materials"' in page
