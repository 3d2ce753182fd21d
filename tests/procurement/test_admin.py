"""The admin: the office sees its own school's tiers and budget lines, requests are read-only."""

from __future__ import annotations

from django.urls import reverse

from procurement.models import ApprovalTier
from tests.procurement.factories import BudgetLineFactory, line, submitted


def test_the_office_configures_its_own_school_only(client_for, school, other_school, logistics_admin, teacher):
    ApprovalTier.ensure_defaults(school)
    ApprovalTier.ensure_defaults(other_school)
    BudgetLineFactory(school=other_school, name="外校经费")
    client = client_for(logistics_admin)
    page = client.get(reverse("admin:procurement_approvaltier_changelist")).content.decode()
    assert page.count("1万元以下") == 1
    assert "外校经费" not in client.get(reverse("admin:procurement_budgetline_changelist")).content.decode()
    req = submitted(school, teacher, [line()])
    assert client.get(reverse("admin:procurement_requisition_change", args=[req.pk])).status_code == 200
    assert client.get(reverse("admin:procurement_requisition_add")).status_code == 403


def test_a_budget_line_added_in_the_admin_belongs_to_the_current_school(client_for, school, logistics_admin):
    client_for(logistics_admin).post(reverse("admin:procurement_budgetline_add"), {"year": "2026", "code": "B1", "name": "办公经费", "amount": "5000"})
    from procurement.models import BudgetLine

    assert BudgetLine.objects.get().school == school
