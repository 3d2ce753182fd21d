"""Stocktake: the office opens, closes and settles; the office and class teachers count (a class
teacher their class's check); those who see the whole ledger see the stocktakes."""

from django.db import migrations

from logistics.roles import grant, revoke

SEE = ["assets.view_stocktake", "assets.view_stocktakeline"]
PERMISSIONS = {
    "finance": SEE,
    "district_viewer": SEE,
    "vice_principal": SEE,
    "principal": SEE,
    "class_teacher": ["assets.count_stocktake"],
    "logistics_admin": SEE + ["assets.run_stocktake", "assets.count_stocktake"],
}


def forwards(apps, schema_editor):
    grant(apps, PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("assets", "0012_stocktake")]
    operations = [migrations.RunPython(forwards, backwards)]
