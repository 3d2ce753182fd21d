"""What each role may do in campus safety. Object-level limits (own hazards, own school) live in
safety.selectors; these are the role-level permissions."""

from django.db import migrations

from logistics.roles import grant, revoke

# Anyone who works at the school may report a hazard and follow the ones they reported or answer for.
REPORT = ["safety.view_hazard", "safety.add_hazard"]
VIEW = ["safety.view_hazard", "safety.view_all_hazards", "safety.export_hazard", "safety.view_round",
        "safety.view_inspectiontemplate", "safety.view_templatesection", "safety.view_templateitem"]
FULL = REPORT + VIEW + [
    "safety.walk_round", "safety.add_round",
    "safety.manage_hazard", "safety.verify_hazard",
    "safety.add_inspectiontemplate", "safety.change_inspectiontemplate",
    "safety.add_templatesection", "safety.change_templatesection", "safety.delete_templatesection",
    "safety.add_templateitem", "safety.change_templateitem",
]
PERMISSIONS = {
    "staff": REPORT,
    "class_teacher": REPORT,
    "repairer": REPORT,
    "canteen_manager": REPORT,
    "finance": REPORT,
    "safety_officer": FULL,
    "logistics_admin": FULL,
    "vice_principal": REPORT + VIEW,
    "principal": REPORT + VIEW,
    "district_viewer": VIEW,
}


def forwards(apps, schema_editor):
    grant(apps, PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("safety", "0001_initial"), ("logistics", "0002_roles")]
    operations = [migrations.RunPython(forwards, backwards)]
