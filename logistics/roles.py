"""Helpers for the data migrations that give each role (group) its model permissions.

Each app's migration says which permissions its models give to which roles:

    def forwards(apps, schema_editor):
        grant(apps, {Role.REPAIRER: ["repairs.view_ticket", "repairs.work_ticket"]})

Migrations may run before Django's post_migrate has created the permissions, so `grant` creates
them first.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from django.contrib.auth.management import create_permissions


def _ensure_permissions(apps: Any) -> None:
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant(apps: Any, mapping: Mapping[str, Iterable[str]]) -> None:
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in mapping.items():
        group, _ = Group.objects.get_or_create(name=str(role))
        for dotted in perms:
            app_label, codename = dotted.split(".", 1)
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def revoke(apps: Any, mapping: Mapping[str, Iterable[str]]) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in mapping.items():
        group = Group.objects.filter(name=str(role)).first()
        for dotted in perms if group else ():
            app_label, codename = dotted.split(".", 1)
            group.permissions.remove(*Permission.objects.filter(content_type__app_label=app_label, codename=codename))
