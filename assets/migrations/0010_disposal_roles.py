"""Disposal: the office requests and carries out; the logistics head's tier is approved by the office,
the vice principal or the principal; the principal's tier (and recording the higher approvals) by the
principal. Those who see the whole ledger see disposals."""

from django.db import migrations

from logistics.roles import grant, revoke

SEE = ["assets.view_disposal", "assets.view_disposalline"]
PERMISSIONS = {
    "finance": SEE,
    "district_viewer": SEE,
    "vice_principal": SEE + ["assets.approve_disposal_small"],
    "principal": SEE + ["assets.approve_disposal_small", "assets.approve_disposal"],
    "logistics_admin": SEE + ["assets.request_disposal", "assets.approve_disposal_small"],
}


def forwards(apps, schema_editor):
    grant(apps, PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("assets", "0009_disposal")]
    operations = [migrations.RunPython(forwards, backwards)]
