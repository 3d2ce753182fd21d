"""The office configures procurement here: tiers and their steps, the catalogue, budget lines,
delegations and the school's limits. Requests themselves change only through the workflow screens."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from logistics.admin import SchoolScopedAdmin

from procurement.models import ApprovalTier, BudgetLine, CatalogueItem, Delegation, ProcurementSettings, Requisition, TierStep


class OwnSchoolAdmin(SchoolScopedAdmin):
    """A school's own configuration: the school is the current one for everyone but a superuser."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not obj.school_id and not request.user.is_superuser:
            obj.school = request.school
        super().save_model(request, obj, form, change)

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        return [] if request.user.is_superuser else ["school"]


@admin.register(ProcurementSettings)
class ProcurementSettingsAdmin(OwnSchoolAdmin):
    list_display = ["school", "gov_procurement_limit", "quotes_threshold", "max_total"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


class TierStepInline(admin.TabularInline):
    model = TierStep
    extra = 1
    fields = ["order", "kind", "role", "person"]


@admin.register(ApprovalTier)
class ApprovalTierAdmin(OwnSchoolAdmin):
    """Tiers by total: a request in [from, below) needs the tier's steps in order. A change applies to
    requests submitted (or restarted) afterwards; running rounds keep the steps they were given."""

    list_display = ["name", "min_amount", "max_amount"]
    # Defaults (ApprovalTier.ensure_defaults, common school rules): below 10,000 yuan the logistics head
    # and the vice principal in charge; 10,000–50,000 adds the principal; from 50,000 a collective decision.
    inlines = [TierStepInline]


@admin.register(CatalogueItem)
class CatalogueItemAdmin(OwnSchoolAdmin):
    list_display = ["name", "centralized", "is_active"]
    list_editable = ["centralized", "is_active"]
    search_fields = ["name"]


@admin.register(BudgetLine)
class BudgetLineAdmin(OwnSchoolAdmin):
    list_display = ["year", "code", "name", "amount"]
    list_filter = ["year"]
    search_fields = ["code", "name"]


@admin.register(Delegation)
class DelegationAdmin(OwnSchoolAdmin):
    list_display = ["delegator", "delegate", "starts_on", "ends_on", "note"]


@admin.register(Requisition)
class RequisitionAdmin(SchoolScopedAdmin):
    """Read-only: every change goes through the workflow screens."""

    list_display = ["number", "created_at", "requester", "total", "status"]
    list_filter = ["status"]
    search_fields = ["number", "purpose", "supplier"]
    list_select_related = ["requester"]
    readonly_fields = [f.name for f in Requisition._meta.fields if f.name != "id"]
    exclude = ["buyers"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

