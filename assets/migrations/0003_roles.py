"""What each role may do with the asset ledger. Object-level limits (a class teacher's class, the
cards a person holds, the current school) live in assets.selectors; these are the role-level
permissions."""

from django.db import migrations

from logistics.roles import grant, revoke

# Everyone sees the cards they hold (a class teacher also their class's): assets.selectors narrows.
HOLDER = ["assets.view_assetcard", "assets.view_movement", "assets.view_assetclass"]
SEE_ALL = HOLDER + ["assets.view_all_cards", "assets.export_card", "assets.view_assetsettings"]
PERMISSIONS = {
    "staff": HOLDER,
    "class_teacher": HOLDER,
    "finance": SEE_ALL,
    "vice_principal": SEE_ALL,
    "principal": SEE_ALL,
    "district_viewer": SEE_ALL,
    "logistics_admin": SEE_ALL + [
        "assets.add_assetcard", "assets.change_assetcard",
        "assets.move_card", "assets.import_cards",
        "assets.change_assetsettings",
    ],
}


def forwards(apps, schema_editor):
    grant(apps, PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("assets", "0002_classes"), ("logistics", "0002_roles")]
    operations = [migrations.RunPython(forwards, backwards)]
