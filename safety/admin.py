from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from logistics.admin import SchoolScopedAdmin

from safety.models import Hazard, InspectionTemplate, Round, TemplateItem, TemplateSection


class SectionInline(admin.TabularInline):
    model = TemplateSection
    extra = 0
    fields = ["title", "order"]
    show_change_link = True


@admin.register(InspectionTemplate)
class InspectionTemplateAdmin(SchoolScopedAdmin):
    """The school's checklists: name, frequency, places; sections inline, items on each section."""

    list_display = ["name", "frequency", "coverage", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["frequency", "is_active"]
    search_fields = ["name"]
    inlines = [SectionInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Rounds keep their template: retire it (in use = off) instead of deleting.
        return request.user.is_superuser

    def save_model(self, request: HttpRequest, obj: InspectionTemplate, form: Any, change: bool) -> None:
        if not obj.school_id and not request.user.is_superuser:
            obj.school = request.school
        super().save_model(request, obj, form, change)

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        return [] if request.user.is_superuser else ["school"]


class ItemInline(admin.TabularInline):
    model = TemplateItem
    extra = 1
    fields = ["text", "evidence_on_fail", "hazard_category", "order", "is_active"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser  # answered items stay; switch "in use" off


@admin.register(TemplateSection)
class TemplateSectionAdmin(SchoolScopedAdmin):
    list_display = ["title", "template", "order"]
    list_filter = ["template"]
    inlines = [ItemInline]


@admin.register(Round)
class RoundAdmin(SchoolScopedAdmin):
    """Read-only: rounds are walked on the safety pages."""

    list_display = ["day", "template", "building", "inspector", "status"]
    list_filter = ["status", "template"]
    readonly_fields = [f.name for f in Round._meta.fields if f.name != "id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Hazard)
class HazardAdmin(SchoolScopedAdmin):
    """Read-only: every change goes through the hazard page (and its audit trail); never deleted."""

    list_display = ["number", "found_on", "building", "category", "grade", "status", "responsible", "deadline"]
    list_filter = ["status", "grade", "category"]
    search_fields = ["number", "description"]
    readonly_fields = [f.name for f in Hazard._meta.fields if f.name != "id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
