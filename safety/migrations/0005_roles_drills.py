"""Drills, trainings and contractor evaluations: the safety office and the logistics office plan,
record and score; the school's leaders and the district viewer read."""

from django.db import migrations

from logistics.roles import grant, revoke

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
}


def forwards(apps, schema_editor):
    grant(apps, PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("safety", "0004_drills_training_contractors")]
    operations = [migrations.RunPython(forwards, backwards)]
