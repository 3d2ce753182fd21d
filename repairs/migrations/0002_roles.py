"""What each role may do with repair tickets. Object-level limits (own tickets, own school) live in
repairs.selectors; these are the role-level permissions."""

from django.db import migrations

from logistics.roles import grant, revoke

REPORT = ["repairs.view_ticket", "repairs.add_ticket", "repairs.view_category"]
SEE_ALL = REPORT + ["repairs.view_all_tickets", "repairs.export_ticket", "repairs.view_material", "repairs.view_repairsettings"]
PERMISSIONS = {
    # Everyone who works at the school may report a repair and follow their own tickets.
    "staff": REPORT,
    "class_teacher": REPORT,
    "canteen_manager": REPORT,
    "safety_officer": REPORT,
    "finance": REPORT + ["repairs.view_material"],
    "repairer": REPORT + ["repairs.work_ticket", "repairs.view_material"],
    "logistics_admin": SEE_ALL + [
        "repairs.dispatch_ticket",
        # Outside contractors' jobs are recorded by the office.
        "repairs.work_ticket",
        "repairs.add_category", "repairs.change_category",
        "repairs.change_repairsettings",
        "repairs.change_ticket",
    ],
    "vice_principal": SEE_ALL,
    "principal": SEE_ALL,
}


def forwards(apps, schema_editor):
    grant(apps, PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("repairs", "0001_initial"), ("logistics", "0002_roles")]
    operations = [migrations.RunPython(forwards, backwards)]
