"""Admin for the core models, scoped like every other screen: a staff member sees and edits the
records of their current school only, and foreign-key choices offer nothing from another school.
Superusers see every school."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.admin.utils import get_fields_from_path
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from logistics.audit import AuditEntry
from logistics.models import Building, Campus, Department, Membership, Role, Room, School, SchoolClass, Term, User
from logistics.notifications import Notification


def visible_choices(related: type[models.Model], request: HttpRequest) -> QuerySet:
    """The records of `related` a non-superuser may see named in the admin: their current school's."""
    manager = related._default_manager
    if request.user.is_superuser:
        return manager.all()
    if hasattr(related, "SCHOOL_FIELD"):
        return manager.for_school(request.school)
    if related is User:
        return manager.filter(memberships__school=request.school).distinct()
    return manager.all()  # not owned by a school (roles, content types)


class SchoolRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """The "by campus / building / category…" filter offering only the current school's records."""

    def field_choices(self, field: Any, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[Any, str]]:
        related = field.related_model
        ordering = self.field_admin_ordering(field, request, model_admin) or related._meta.ordering or ()
        return [(obj.pk, str(obj)) for obj in visible_choices(related, request).order_by(*ordering)]


class SchoolScopedAdmin(admin.ModelAdmin):
    """Base for every school-owned model's admin, in every app."""

    def get_list_filter(self, request: HttpRequest) -> Any:
        """Every filter on a relation lists the current school's records only (names of another
        school's rooms or terms are theirs to see)."""
        scoped = []
        for entry in super().get_list_filter(request):
            if isinstance(entry, str):
                field = get_fields_from_path(self.model, entry)[-1]
                if field.is_relation:
                    entry = (entry, SchoolRelatedFieldListFilter)
            scoped.append(entry)
        return scoped

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.for_school(request.school) if hasattr(qs, "for_school") else qs.none()

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        related = db_field.remote_field.model
        if not request.user.is_superuser and hasattr(related, "SCHOOL_FIELD"):
            kwargs["queryset"] = related._default_manager.for_school(request.school)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(School)
class SchoolAdmin(SchoolScopedAdmin):
    list_display = ["name", "code", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


@admin.register(Campus)
class CampusAdmin(SchoolScopedAdmin):
    list_display = ["name", "school", "address"]
    list_filter = ["school"]
    search_fields = ["name"]


@admin.register(Building)
class BuildingAdmin(SchoolScopedAdmin):
    list_display = ["code", "name", "campus", "floors", "built_year"]
    list_filter = ["campus"]
    search_fields = ["code", "name"]


@admin.register(Room)
class RoomAdmin(SchoolScopedAdmin):
    list_display = ["code", "name", "building", "floor", "kind", "is_active"]
    list_filter = ["kind", "is_active", "building"]
    search_fields = ["code", "name", "building__name"]
    list_select_related = ["building"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "building" and not request.user.is_superuser:
            kwargs["queryset"] = Building.objects.for_school(request.school).select_related("campus")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Department)
class DepartmentAdmin(SchoolScopedAdmin):
    list_display = ["name", "school"]
    list_filter = ["school"]
    search_fields = ["name"]


@admin.register(SchoolClass)
class SchoolClassAdmin(SchoolScopedAdmin):
    list_display = ["name", "grade", "head_teacher", "room"]
    list_filter = ["grade"]
    search_fields = ["name", "head_teacher__full_name"]
    list_select_related = ["head_teacher", "room__building"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "head_teacher" and not request.user.is_superuser:
            kwargs["queryset"] = User.objects.filter(memberships__school=request.school)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Term)
class TermAdmin(SchoolScopedAdmin):
    list_display = ["label", "code", "start", "end"]
    list_filter = ["school", "semester"]

    @admin.display(description=_("term"))
    def label(self, obj: Term) -> str:
        return obj.label

    @admin.display(description=_("code"))
    def code(self, obj: Term) -> str:
        return obj.code


class RoleLabels:
    """Show roles by their translated names (校长, 维修工) instead of the group codes."""

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "roles":
            field.label_from_instance = lambda group: Role(group.name).label if group.name in Role.values else group.name
        return field


class MembershipInline(RoleLabels, admin.TabularInline):
    model = Membership
    extra = 0
    fk_name = "user"
    filter_horizontal = ["roles"]


@admin.register(Membership)
class MembershipAdmin(RoleLabels, SchoolScopedAdmin):
    list_display = ["user", "school", "department", "title", "started_on", "is_active"]
    list_filter = ["is_active", "roles", "department"]
    search_fields = ["user__username", "user__full_name", "user__phone"]
    filter_horizontal = ["roles"]
    list_select_related = ["user", "school", "department"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """People of the current school; a person belongs to a school through a membership."""

    list_display = ["username", "full_name", "phone", "employee_no", "is_active"]
    search_fields = ["username", "full_name", "phone", "employee_no"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("full_name", "phone", "employee_no", "email", "language")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    inlines = [MembershipInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(memberships__school=request.school).distinct()

    def get_inline_instances(self, request: HttpRequest, obj: Any = None) -> list:
        # Only a superuser edits memberships on the user page: they may span schools.
        return super().get_inline_instances(request, obj) if request.user.is_superuser else []

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        # Nobody but a superuser hands out superuser or staff rights.
        return [(name, {**opts, "fields": [f for f in opts["fields"] if f not in ("is_staff", "is_superuser")]}) for name, opts in fieldsets]


@admin.register(AuditEntry)
class AuditEntryAdmin(SchoolScopedAdmin):
    list_display = ["at", "action", "from_state", "to_state", "actor", "note"]
    list_filter = ["action"]
    search_fields = ["note", "actor__full_name"]
    list_select_related = ["actor"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(SchoolScopedAdmin):
    list_display = ["created_at", "recipient", "subject", "read_at", "email_status"]
    list_filter = ["email_status"]
    search_fields = ["subject", "recipient__full_name"]
    list_select_related = ["recipient"]


admin.site.site_header = _("Campus Logistics administration")
admin.site.site_title = _("Campus Logistics")
admin.site.index_title = _("Records of the current school")
