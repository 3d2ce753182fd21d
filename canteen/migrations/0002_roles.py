"""What each role may do in the canteen. The canteen manager keeps every record and the set-up; the
principal, the vice principal and the logistics office read everything, export it and record the
meal they eat with the students (陪餐). The district viewer sees only the roll-up columns."""

from django.db import migrations

from logistics.roles import grant, revoke

MODELS = ["canteen", "meal", "fridge", "staff", "supplier", "menudish", "checklistitem", "sample", "morningcheck", "delivery",
          "deliveryitem", "deliveryphoto", "rapidtest", "disinfection", "accompaniedmeal", "dailycheck", "event"]
VIEW = [f"canteen.view_{m}" for m in MODELS] + ["canteen.export_canteen", "canteen.accompany_meal"]
FULL = VIEW + [f"canteen.add_{m}" for m in MODELS] + [f"canteen.change_{m}" for m in MODELS] + ["canteen.record_canteen"]
PERMISSIONS = {
    "canteen_manager": FULL,
    "logistics_admin": VIEW,
    "vice_principal": VIEW,
    "principal": VIEW,
}


def forwards(apps, schema_editor):
    grant(apps, PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("canteen", "0001_initial"), ("logistics", "0002_roles")]
    operations = [migrations.RunPython(forwards, backwards)]
