from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from logistics.admin import SchoolScopedAdmin

from assets.models import AssetCard, AssetClass, AssetSettings, Disposal, Movement, StockItem, Stocktake, Warehouse


@admin.register(AssetSettings)
class AssetSettingsAdmin(SchoolScopedAdmin):
    list_display = ["school", "fixed_asset_threshold", "specialist_threshold", "depreciate_acquisition_month"]
    fieldsets = [
        (None, {"fields": ["school"]}),
        (_("What is a fixed asset"), {"fields": ["fixed_asset_threshold", "specialist_threshold", "max_original_value"]}),
        (_("Depreciation"), {"fields": ["depreciate_acquisition_month"]}),
    ]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [] if request.user.is_superuser else ["school"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # One row per school, made the first time the school's ledger is used.
        return request.user.is_superuser


@admin.register(AssetClass)
class AssetClassAdmin(admin.ModelAdmin):
    """The national class table, shared by every school: only a superuser changes it."""

    list_display = ["code", "name", "useful_life_years", "depreciable", "specialist", "batch_counts", "is_active"]
    list_filter = ["depreciable", "specialist", "is_active"]
    search_fields = ["code", "name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


@admin.register(AssetCard)
class AssetCardAdmin(SchoolScopedAdmin):
    """Read-only here: cards are registered, edited and moved on the ledger's own screens, which
    number them, check the threshold and record every step."""

    list_display = ["number", "name", "asset_class", "quantity", "original_value", "status", "room", "custodian", "custodian_class"]
    list_filter = ["status", "asset_class", "department"]
    search_fields = ["number", "name", "spec", "serial_number"]
    list_select_related = ["asset_class", "room__building", "custodian", "custodian_class"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Movement)
class MovementAdmin(SchoolScopedAdmin):
    list_display = ["card", "kind", "at", "by"]
    list_filter = ["kind"]
    list_select_related = ["card", "by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Warehouse)
class WarehouseAdmin(SchoolScopedAdmin):
    """Warehouses are set up here (the default one is made on first use)."""

    list_display = ["name", "school", "is_default", "is_active"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class _ReadOnly(SchoolScopedAdmin):
    """Records written by the services (receipts, issues, disposals, stocktakes): seen here, changed
    only on their own screens, never deleted."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(StockItem)
class StockItemAdmin(_ReadOnly):
    list_display = ["name", "spec", "unit", "min_stock", "approval_over", "is_active"]
    search_fields = ["name", "spec"]


@admin.register(Disposal)
class DisposalAdmin(_ReadOnly):
    list_display = ["number", "way", "total_value", "tier", "status", "requested_at", "executed_on"]
    list_filter = ["status", "way"]


@admin.register(Stocktake)
class StocktakeAdmin(_ReadOnly):
    list_display = ["title", "scope", "status", "opened_at", "closed_at"]
    list_filter = ["status"]
