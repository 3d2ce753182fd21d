"""Class table corrections: air conditioners are A02061804 空调机 (A020618 生活用电器; A020615 is
电源设备), sports equipment A02460000 体育设备设施, and 触控一体机 is not a class of its own (an
interactive panel is booked as A02020600 电子白板). Rows with cards are renamed in place, so cards
keep their class."""

from django.db import migrations

RENAMED = [
    # old code, new code, name, years, specialist, batch
    ("A02061504", "A02061804", "空调机", 10, False, False),
    ("A02320000", "A02460000", "体育设备设施", 5, True, False),
]
RETIRED = ["A02020700"]


def forwards(apps, schema_editor):
    AssetClass = apps.get_model("assets", "AssetClass")
    for old, new, name, years, specialist, batch in RENAMED:
        if AssetClass.objects.filter(code=new).exists():
            continue
        updated = AssetClass.objects.filter(code=old).update(code=new, name=name)
        if not updated:
            AssetClass.objects.create(code=new, name=name, useful_life_years=years, depreciable=True, specialist=specialist,
                                      batch_counts=batch)
    for code in RETIRED:
        AssetClass.objects.filter(code=code, cards__isnull=True).delete()
        AssetClass.objects.filter(code=code).update(is_active=False)


def backwards(apps, schema_editor):
    AssetClass = apps.get_model("assets", "AssetClass")
    for old, new, name, _years, _specialist, _batch in RENAMED:
        if not AssetClass.objects.filter(code=old).exists():
            AssetClass.objects.filter(code=new).update(code=old)


class Migration(migrations.Migration):
    dependencies = [("assets", "0003_roles")]
    operations = [migrations.RunPython(forwards, backwards)]
