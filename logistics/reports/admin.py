"""Admin for the stored reports, scoped to the school like every other screen. Versions are read
here, never rewritten: a draft is edited and issued on the site (its checks, its audit); an issued
version is frozen for good. Settings (the guiding idea) can be changed."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from logistics.admin import SchoolScopedAdmin
from logistics.reports.models import ReportJob, ReportParagraph, ReportSettings, TermReport


class _ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ReportSettings)
class ReportSettingsAdmin(SchoolScopedAdmin):
    list_display = ["school", "guiding_idea"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


class ParagraphInline(_ReadOnly, admin.TabularInline):
    model = ReportParagraph
    fields = ["position", "key", "kind", "text", "edited", "edited_by", "edited_at"]
    readonly_fields = fields
    extra = 0


class JobInline(_ReadOnly, admin.TabularInline):
    model = ReportJob
    fk_name = "report"
    fields = ["kind", "status", "step", "file", "created_by", "created_at", "finished_at"]
    readonly_fields = fields
    extra = 0


@admin.register(TermReport)
class TermReportAdmin(_ReadOnly, SchoolScopedAdmin):
    list_display = ["title", "school", "term", "version", "status", "generated_at", "issued_at", "issued_by"]
    list_filter = ["status", "term"]
    search_fields = ["title"]
    list_select_related = ["school", "term", "issued_by"]
    inlines = [ParagraphInline, JobInline]


@admin.register(ReportJob)
class ReportJobAdmin(_ReadOnly, SchoolScopedAdmin):
    list_display = ["kind", "school", "term", "report", "status", "progress", "created_by", "created_at", "finished_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["school", "term", "report", "created_by"]
