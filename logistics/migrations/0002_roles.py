"""The ten roles of DESIGN.md as groups, with the core permissions each needs."""

from django.db import migrations

from logistics.roles import grant, revoke

ROLES = [
    "staff", "class_teacher", "repairer", "logistics_admin", "canteen_manager",
    "safety_officer", "finance", "vice_principal", "principal", "district_viewer",
]
SEE_THE_SCHOOL = [
    "logistics.view_school", "logistics.view_campus", "logistics.view_building", "logistics.view_room",
    "logistics.view_department", "logistics.view_schoolclass", "logistics.view_term",
]
SEE_PEOPLE = ["logistics.view_membership", "logistics.view_user", "logistics.view_auditentry"]
KEEP_THE_SCHOOL = [
    f"logistics.{verb}_{model}"
    for model in ("campus", "building", "room", "department", "schoolclass", "term")
    for verb in ("add", "change")
] + ["logistics.change_school"]

PERMISSIONS = {role: list(SEE_THE_SCHOOL) for role in ROLES}
for role in ("logistics_admin", "vice_principal", "principal", "finance", "district_viewer"):
    PERMISSIONS[role] += SEE_PEOPLE
PERMISSIONS["logistics_admin"] += KEEP_THE_SCHOOL


def forwards(apps, schema_editor):
    grant(apps, PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, PERMISSIONS)
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES, permissions=None).delete()


class Migration(migrations.Migration):
    dependencies = [("logistics", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(forwards, backwards)]
