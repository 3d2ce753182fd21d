"""What each role may do with requisitions. Which step a person may decide is decided per step (its
role or named person, delegations) in procurement.rules; these are the role-level permissions."""

from django.db import migrations

from logistics.roles import grant, revoke

REQUEST = ["procurement.view_requisition", "procurement.add_requisition", "procurement.view_budgetline"]
SEE_ALL = REQUEST + ["procurement.view_all_requisitions", "procurement.export_requisition"]
APPROVE = SEE_ALL + ["procurement.approve_requisition"]
CONFIGURE = [
    "procurement.view_approvaltier", "procurement.add_approvaltier", "procurement.change_approvaltier",
    "procurement.view_tierstep", "procurement.add_tierstep", "procurement.change_tierstep", "procurement.delete_tierstep",
    "procurement.view_catalogueitem", "procurement.add_catalogueitem", "procurement.change_catalogueitem",
    "procurement.view_procurementsettings", "procurement.change_procurementsettings",
    "procurement.view_delegation", "procurement.add_delegation", "procurement.change_delegation", "procurement.delete_delegation",
]
BUDGET = ["procurement.add_budgetline", "procurement.change_budgetline"]
PERMISSIONS = {
    # Everyone who works at the school may ask for something and follow their own requests.
    "staff": REQUEST,
    "class_teacher": REQUEST,
    "canteen_manager": REQUEST,
    "safety_officer": REQUEST,
    "repairer": REQUEST,
    "finance": SEE_ALL + BUDGET,
    "logistics_admin": APPROVE + CONFIGURE + BUDGET + ["procurement.purchase_requisition"],
    "vice_principal": APPROVE + ["procurement.view_delegation", "procurement.add_delegation"],
    "principal": APPROVE + CONFIGURE,
}


def forwards(apps, schema_editor):
    grant(apps, PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("procurement", "0001_initial"), ("logistics", "0002_roles")]
    operations = [migrations.RunPython(forwards, backwards)]
