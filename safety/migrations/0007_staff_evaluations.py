"""Contractor score sheets may also be filled by staff (optional, one each per contractor and month)."""

from django.db import migrations

from logistics.roles import grant, revoke

PERMISSIONS = {"staff": ["safety.add_evaluation", "safety.view_contractor"]}


def forwards(apps, schema_editor):
    grant(apps, PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("safety", "0006_labels")]
    operations = [migrations.RunPython(forwards, backwards)]
