"""Who may generate, edit, issue and download term reports (issue 5).

The logistics admin writes and issues the report; the principal and the vice principal may
generate a draft and download any version. Nobody else sees reports.
"""

from django.db import migrations

from logistics.roles import grant, revoke

READ = ["logistics.view_termreport", "logistics.add_termreport", "logistics.download_termreport"]
PERMISSIONS = {
    "logistics_admin": READ + ["logistics.change_termreport", "logistics.issue_termreport"],
    "vice_principal": READ,
    "principal": READ,
}


def forwards(apps, schema_editor):
    grant(apps, PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("logistics", "0003_reports")]
    operations = [migrations.RunPython(forwards, backwards)]
