"""The admin: a school's asset settings and cards scoped to the current school; the national class
table readable by the office, changed only by a superuser; cards never edited or deleted there."""

from __future__ import annotations

from django.urls import reverse

from assets.models import AssetClass, AssetSettings
from tests.assets.conftest import register


def test_the_office_edits_its_schools_settings_only(client_for, school, other_school, logistics_admin):
    mine, theirs = AssetSettings.for_school(school), AssetSettings.for_school(other_school)
    client = client_for(logistics_admin)
    page = client.get(reverse("admin:assets_assetsettings_changelist")).content.decode()
    assert reverse("admin:assets_assetsettings_change", args=[mine.pk]) in page
    assert reverse("admin:assets_assetsettings_change", args=[theirs.pk]) not in page
    form = client.get(reverse("admin:assets_assetsettings_change", args=[mine.pk])).content.decode()
    assert "108" in form and "1500" in form.replace(",", "")  # the help texts name their source
    response = client.post(reverse("admin:assets_assetsettings_change", args=[mine.pk]), {
        "fixed_asset_threshold": "1000", "specialist_threshold": "2000", "max_original_value": "200000000",
        "depreciate_acquisition_month": "on", "disposal_office_limit": "10000", "disposal_principal_limit": "100000"})
    assert response.status_code == 302
    assert AssetSettings.objects.get(pk=mine.pk).specialist_threshold == 2000
    assert client.get(reverse("admin:assets_assetsettings_change", args=[theirs.pk])).status_code in (302, 404)


def test_cards_are_read_only_in_the_admin_and_scoped(client_for, school, other_school, logistics_admin, outsider):
    card = register(school, logistics_admin)
    register(other_school, outsider, name="外校电脑")
    client = client_for(logistics_admin)
    page = client.get(reverse("admin:assets_assetcard_changelist")).content.decode()
    assert card.number in page and "外校电脑" not in page
    assert client.post(reverse("admin:assets_assetcard_delete", args=[card.pk]), {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:assets_assetclass_changelist")).status_code == 200
    desktop = AssetClass.objects.get(code="A02010105")
    client.post(reverse("admin:assets_assetclass_change", args=[desktop.pk]), {"code": "A02010105", "name": "改名", "useful_life_years": 1})
    assert AssetClass.objects.get(pk=desktop.pk).name == "台式计算机"


def test_the_new_records_are_read_only_in_the_admin_and_scoped(client_for, school, other_school, logistics_admin, outsider):
    import datetime as dt

    from assets.models import StockItem
    from assets.services import stock

    for where, who, name in ((school, logistics_admin, "粉笔"), (other_school, outsider, "外校粉笔")):
        stock.receive(school=where, by=who, name=name, spec="", unit="盒", quantity=1, unit_price=1, supplier="", invoice_number="",
                      received_on=dt.date(2026, 11, 1))
    client = client_for(logistics_admin)
    page = client.get(reverse("admin:assets_stockitem_changelist")).content.decode()
    assert "粉笔" in page and "外校粉笔" not in page
    item = StockItem.objects.get(school=school)
    assert client.post(reverse("admin:assets_stockitem_delete", args=[item.pk]), {"post": "yes"}).status_code == 403
