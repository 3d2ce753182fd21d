# The home page's weekly "done" figures read a range of (school, done_at) instead of every ticket.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("repairs", "0007_common_material_roles"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(fields=["school", "done_at"], name="repair_t_school_done"),
        ),
    ]
