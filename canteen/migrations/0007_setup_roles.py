"""The logistics office (后勤主任/总务) keeps the canteen set-up with the canteen manager: it adds and
changes canteens, meals, sample fridges, staff, suppliers and the daily checklist's items on the
set-up screens (canteen/views_setup.py). It still only reads the daily records."""

from django.db import migrations

from logistics.roles import grant, revoke

SETUP = ["canteen", "meal", "fridge", "staff", "supplier", "checklistitem"]
PERMISSIONS = {
    "logistics_admin": [f"canteen.{action}_{model}" for model in SETUP for action in ("add", "change")],
}


def forwards(apps, schema_editor):
    grant(apps, PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("canteen", "0006_canteen_menu_band"), ("logistics", "0002_roles")]
    operations = [migrations.RunPython(forwards, backwards)]
