"""Admin for the 工作纪事: scoped to the school like every other screen. Entries are never deleted
(withdrawn with a reason on the site); kinds are retired (in use = off) rather than deleted."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from logistics.admin import SchoolScopedAdmin
from logistics.chronicle.models import ChronicleEntry, ChronicleKind, ChronicleLink, ChroniclePhoto, ChronicleSettings


class _SchoolSetOnSave(SchoolScopedAdmin):
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not obj.school_id and not request.user.is_superuser:
            obj.school = request.school
        super().save_model(request, obj, form, change)

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        return [] if request.user.is_superuser else ["school"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


@admin.register(ChronicleSettings)
class ChronicleSettingsAdmin(_SchoolSetOnSave):
    list_display = ["school", "notable_amount"]


@admin.register(ChronicleKind)
class ChronicleKindAdmin(_SchoolSetOnSave):
    list_display = ["name", "key", "order", "is_active", "school"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "key"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["key"] if obj is not None else []  # apps add entries by key: it never changes

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # entries keep their kind: retire it instead


class LinkInline(admin.TabularInline):
    model = ChronicleLink
    extra = 0
    fields = ["label", "target_type", "target_id"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PhotoInline(admin.TabularInline):
    model = ChroniclePhoto
    extra = 0
    fields = ["image", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ChronicleEntry)
class ChronicleEntryAdmin(SchoolScopedAdmin):
    """Read-only here: entries are written through the site's form (its checks: the term, the photos,
    frozen once issued) or by an app's rule."""

    list_display = ["date", "title", "kind", "domain", "amount", "rule", "edited", "withdrawn_at", "school"]
    list_filter = ["domain", "kind", "edited"]
    search_fields = ["title", "summary"]
    date_hierarchy = "date"
    list_select_related = ["kind", "school"]
    inlines = [LinkInline, PhotoInline]
    exclude = ["people"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [f.name for f in self.model._meta.concrete_fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
