"""The additive register: the canteen manager keeps it; the principal, the vice principal and the
logistics office read it (as the other records, canteen/migrations/0002_roles.py)."""

from django.db import migrations

from logistics.roles import grant, revoke

VIEW = ["canteen.view_additive"]
PERMISSIONS = {
    "canteen_manager": VIEW + ["canteen.add_additive", "canteen.change_additive"],
    "logistics_admin": VIEW,
    "vice_principal": VIEW,
    "principal": VIEW,
}


def forwards(apps, schema_editor):
    grant(apps, PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("canteen", "0004_additive"), ("logistics", "0002_roles")]
    operations = [migrations.RunPython(forwards, backwards)]
