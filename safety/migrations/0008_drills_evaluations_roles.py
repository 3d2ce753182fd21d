"""The permissions of 0005_roles_drills and 0007_staff_evaluations again, in a file named *roles.py:
tests/conftest.py restores the roles after a transactional flush from the `*roles.py` migrations
only. Granting is idempotent; on a database already migrated this changes nothing."""

from django.db import migrations

from logistics.roles import grant

VIEW = ["safety.view_drill", "safety.view_training", "safety.view_contractor", "safety.view_evaluation", "safety.view_criterion",
        "safety.view_safetysettings"]
MANAGE = VIEW + [
    "safety.manage_drill",
    "safety.add_drill", "safety.change_drill",
    "safety.add_training", "safety.change_training",
    "safety.add_contractor", "safety.change_contractor",
    "safety.add_criterion", "safety.change_criterion",
    "safety.add_evaluation",
    "safety.change_safetysettings",
]
PERMISSIONS = {
    "safety_officer": MANAGE,
    "logistics_admin": MANAGE,
    "vice_principal": VIEW,
    "principal": VIEW,
    "district_viewer": VIEW,
    "staff": ["safety.add_evaluation", "safety.view_contractor"],
}


def forwards(apps, schema_editor):
    grant(apps, PERMISSIONS)


def backwards(apps, schema_editor):
    pass  # 0005 and 0007 revoke what they granted


class Migration(migrations.Migration):
    dependencies = [("safety", "0007_staff_evaluations")]
    operations = [migrations.RunPython(forwards, backwards)]
