"""Who keeps the 工作纪事: the logistics office records, edits and withdraws entries; the school's
leaders and the district read them."""

from django.db import migrations

from logistics.roles import grant, revoke

VIEW = ["chronicle.view_chronicleentry"]
FULL = VIEW + ["chronicle.add_chronicleentry", "chronicle.change_chronicleentry", "chronicle.withdraw_chronicleentry"]
PERMISSIONS = {
    "logistics_admin": FULL,
    "vice_principal": VIEW,
    "principal": VIEW,
    "district_viewer": VIEW,
}


def forwards(apps, schema_editor):
    grant(apps, PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("chronicle", "0001_initial"), ("logistics", "0002_roles")]
    operations = [migrations.RunPython(forwards, backwards)]
