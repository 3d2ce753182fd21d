"""The logistics office keeps the school's list of common materials; repairers and the people who
see the costs may read it."""

from django.db import migrations

from logistics.roles import grant, revoke

PERMISSIONS = {
    "logistics_admin": ["repairs.view_commonmaterial", "repairs.add_commonmaterial", "repairs.change_commonmaterial"],
    "repairer": ["repairs.view_commonmaterial"],
    "finance": ["repairs.view_commonmaterial"],
}


def forwards(apps, schema_editor):
    grant(apps, PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("repairs", "0006_common_materials_pending_photos")]
    operations = [migrations.RunPython(forwards, backwards)]
