"""Repairs meet the ledger: a ticket links the asset card it concerns instead of holding a typed
number. Existing numbers are resolved to the school's card of that number; a number that matches
no card is kept in the ticket's description, so nothing typed is lost."""

import django.db.models.deletion
from django.db import migrations, models


def link_cards(apps, schema_editor):
    Ticket = apps.get_model("repairs", "Ticket")
    AssetCard = apps.get_model("assets", "AssetCard")
    for ticket in Ticket.objects.exclude(asset_number="").only("pk", "school_id", "asset_number", "description").iterator():
        number = ticket.asset_number.strip()
        card_id = AssetCard.objects.filter(school_id=ticket.school_id, number=number).values_list("pk", flat=True).first()
        if card_id:
            Ticket.objects.filter(pk=ticket.pk).update(asset_id=card_id)
        elif number:
            Ticket.objects.filter(pk=ticket.pk).update(description=f"{ticket.description}\n资产编号：{number}"[:2000])


def unlink_cards(apps, schema_editor):
    Ticket = apps.get_model("repairs", "Ticket")
    for ticket in Ticket.objects.filter(asset__isnull=False).select_related("asset").iterator():
        Ticket.objects.filter(pk=ticket.pk).update(asset_number=ticket.asset.number)


class Migration(migrations.Migration):
    dependencies = [
        ("repairs", "0009_dashboard_month_index"),
        ("assets", "0013_stocktake_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="ticket",
            name="asset",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="repair_tickets",
                                    to="assets.assetcard", verbose_name="asset"),
        ),
        migrations.RunPython(link_cards, unlink_cards),
        migrations.RemoveField(model_name="ticket", name="asset_number"),
    ]
