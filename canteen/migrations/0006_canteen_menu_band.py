"""Each canteen chooses the WS/T 554-2017 age band its weekly menu is checked against. Canteens made
before keep the 12–14 岁 column they were checked against; kindergarten canteens get none (the
standard covers 6–17 years)."""

from django.db import migrations, models


def kindergartens_without_band(apps, schema_editor):
    apps.get_model("canteen", "Canteen").objects.filter(is_kindergarten=True).update(menu_band="")


class Migration(migrations.Migration):

    dependencies = [
        ("canteen", "0005_additive_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="canteen",
            name="menu_band",
            field=models.CharField(blank=True, choices=[("", "No WS/T 554 band (kindergarten)"), ("6-8", "6–8 years"), ("9-11", "9–11 years"), ("12-14", "12–14 years"), ("15-17", "15–17 years")], default="12-14", help_text="The WS/T 554-2017 column the weekly menu is checked against; none for a kindergarten (WS/T 554 covers 6–17 years).", max_length=5, verbose_name="menu age band"),
        ),
        migrations.RunPython(kindergartens_without_band, migrations.RunPython.noop),
    ]
