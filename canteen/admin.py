"""The canteen set-up in the admin (canteens with their meals and fridges, staff, suppliers, the daily
checklist) and the records read-only: records are never deleted, a correction is made on the day
view as a new version."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from logistics.admin import SchoolScopedAdmin

from canteen.forms import StaffAdminForm
from canteen.models import (
    AccompaniedMeal,
    Additive,
    Canteen,
    ChecklistItem,
    DailyCheck,
    Delivery,
    Disinfection,
    Event,
    Fridge,
    Meal,
    MenuDish,
    MorningCheck,
    RapidTest,
    Sample,
    Staff,
    Supplier,
)


class SchoolOwnedAdmin(SchoolScopedAdmin):
    """A model with its own `school`: set from the request for everyone but a superuser."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not obj.school_id and not request.user.is_superuser:
            obj.school = request.school
        super().save_model(request, obj, form, change)

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        return [] if request.user.is_superuser else ["school"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser  # retire it (in use = off) instead


class MealInline(admin.TabularInline):
    model = Meal
    extra = 0
    fields = ["kind", "serves_at", "accompanied", "is_active"]


class FridgeInline(admin.TabularInline):
    model = Fridge
    extra = 0
    fields = ["name", "is_active"]


@admin.register(Canteen)
class CanteenAdmin(SchoolOwnedAdmin):
    list_display = ["name", "operator", "licence_no", "licence_expires", "sample_min_grams", "is_active"]
    search_fields = ["name", "operator", "licence_no"]
    inlines = [MealInline, FridgeInline]


@admin.register(Staff)
class StaffAdmin(SchoolScopedAdmin):
    form = StaffAdminForm  # the photo refused with a clear message when too large or not a picture, kept without EXIF
    list_display = ["name", "canteen", "post", "certificate_no", "certificate_expires", "on_duty", "is_active"]
    list_filter = ["canteen", "on_duty", "is_active"]
    search_fields = ["name", "certificate_no"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser  # their checks stay: mark them as no longer employed


@admin.register(Supplier)
class SupplierAdmin(SchoolOwnedAdmin):
    list_display = ["name", "licence_no", "licence_expires", "contact", "phone", "is_active", "dropped_on"]
    list_filter = ["is_active"]
    search_fields = ["name", "licence_no", "products"]
    readonly_fields = ["dropped_on", "dropped_reason"]


@admin.register(ChecklistItem)
class ChecklistItemAdmin(SchoolOwnedAdmin):
    list_display = ["text", "group", "for_kindergarten", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["group", "for_kindergarten", "is_active"]


@admin.register(MenuDish)
class MenuDishAdmin(SchoolScopedAdmin):
    list_display = ["day", "canteen", "meal", "name", "group", "grams", "order"]
    list_filter = ["canteen", "meal", "group"]
    date_hierarchy = "day"


class RecordAdmin(SchoolScopedAdmin):
    """Records are read here; they are made and corrected on the canteen pages, never deleted."""

    list_display = ["__str__", "canteen", "day", "created_by", "recorded_at", "is_current"]
    list_filter = ["canteen", "is_current"]
    date_hierarchy = "day"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


for model in (Sample, MorningCheck, Delivery, RapidTest, Disinfection, AccompaniedMeal, DailyCheck, Additive):
    admin.site.register(model, RecordAdmin)


@admin.register(Event)
class EventAdmin(SchoolOwnedAdmin):
    list_display = ["day", "kind", "title", "canteen"]
    list_filter = ["kind"]
    readonly_fields = ["created_by"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not obj.created_by_id:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
