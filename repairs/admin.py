from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from logistics.admin import SchoolScopedAdmin

from repairs.models import Category, CommonMaterial, Material, RepairSettings, Ticket, TicketPhoto


@admin.register(RepairSettings)
class RepairSettingsAdmin(SchoolScopedAdmin):
    list_display = ["school", "urgent_hours", "normal_hours", "low_hours", "auto_accept_days"]
    fieldsets = [
        (None, {"fields": ["school"]}),
        (_("Deadlines"), {"fields": ["urgent_hours", "normal_hours", "low_hours", "auto_accept_days"]}),
        (_("What one repair can be"), {
            "fields": ["max_quantity", "max_unit_cost", "max_line_cost", "max_labour_hours", "max_contractor_cost"],
            "description": _("Figures above these are refused when a repairer records them, with the limit named."),
        }),
    ]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


@admin.register(Category)
class CategoryAdmin(SchoolScopedAdmin):
    list_display = ["name", "order", "is_active", "school"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Tickets keep their category: retire it (in use = off) instead of deleting.
        return request.user.is_superuser

    def save_model(self, request: HttpRequest, obj: Category, form: Any, change: bool) -> None:
        if not obj.school_id and not request.user.is_superuser:
            obj.school = request.school
        super().save_model(request, obj, form, change)

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        return [] if request.user.is_superuser else ["school"]


@admin.register(CommonMaterial)
class CommonMaterialAdmin(SchoolScopedAdmin):
    """The pick list of materials offered to repairers on the ticket page."""

    list_display = ["name", "unit", "unit_price", "order", "is_active"]
    list_editable = ["unit_price", "order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Recorded lines copy the name, unit and price, so nothing breaks; still, retire (in use =
        # off) rather than delete, as for categories.
        return request.user.is_superuser

    def save_model(self, request: HttpRequest, obj: CommonMaterial, form: Any, change: bool) -> None:
        if not obj.school_id and not request.user.is_superuser:
            obj.school = request.school
        super().save_model(request, obj, form, change)

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        return [] if request.user.is_superuser else ["school"]


class MaterialInline(admin.TabularInline):
    model = Material
    extra = 0
    fields = ["name", "quantity", "unit", "unit_cost", "added_by", "added_at"]
    readonly_fields = fields
    # Lines change only through the ticket page's services: a line taken from stock goes back to the
    # store when removed there, which a delete here would skip.
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PhotoInline(admin.TabularInline):
    model = TicketPhoto
    extra = 0
    fields = ["kind", "uploaded_by", "uploaded_at", "width", "height"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Ticket)
class TicketAdmin(SchoolScopedAdmin):
    """Read-only view of tickets for the office: every change goes through the workflow screens."""

    list_display = ["number", "submitted_at", "room", "category", "urgency", "status", "assignee", "reporter", "due_at"]
    list_filter = ["status", "urgency", "category"]
    search_fields = ["number", "description"]
    list_select_related = ["room__building", "category", "assignee", "reporter"]
    inlines = [MaterialInline, PhotoInline]
    readonly_fields = [f.name for f in Ticket._meta.fields if f.name != "id"]
    exclude = ["watchers"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
