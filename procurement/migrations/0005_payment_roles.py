"""Finance records the payment of accepted deliveries."""

from django.db import migrations

from logistics.roles import grant, revoke

PERMISSIONS = {"finance": ["procurement.record_payment"]}


def forwards(apps, schema_editor):
    grant(apps, PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("procurement", "0004_payment")]
    operations = [migrations.RunPython(forwards, backwards)]
