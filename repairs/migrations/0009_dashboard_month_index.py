# The home page's month averages read their columns from an index, not from the ticket rows.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("repairs", "0008_dashboard_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(fields=["school", "submitted_at", "dispatched_at", "done_at", "rating"], name="repair_t_school_month"),
        ),
    ]
