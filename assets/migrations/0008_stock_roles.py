"""Consumables: the office keeps the stock; the vice principal and principal approve an issue over an
item's limit; those who see the whole ledger see the stock."""

from django.db import migrations

from logistics.roles import grant, revoke

SEE = ["assets.view_stockitem", "assets.view_stock", "assets.view_stockmove", "assets.view_stockissue", "assets.view_stockreceipt",
       "assets.view_warehouse"]
PERMISSIONS = {
    "finance": SEE,
    "vice_principal": SEE + ["assets.approve_stock_issue"],
    "principal": SEE + ["assets.approve_stock_issue"],
    "district_viewer": SEE,
    "logistics_admin": SEE + ["assets.manage_stock", "assets.change_stockitem", "assets.add_warehouse", "assets.change_warehouse"],
}


def forwards(apps, schema_editor):
    grant(apps, PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("assets", "0007_stock")]
    operations = [migrations.RunPython(forwards, backwards)]
