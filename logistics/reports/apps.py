"""The term-report engine as an app of its own (label "reports"), so Django finds its templates,
catalogue and Celery tasks like any app's, without paths added by hand in settings.

Its tables stay where they were created: the models keep `app_label = "logistics"` (and with it
their permissions, "logistics.issue_termreport", and their migrations in logistics/migrations).
Moving them to this label would need SeparateDatabaseAndState migrations, new content types and
every role migration's permission names rewritten, for no change a user could see.
"""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "logistics.reports"
    label = "reports"
    verbose_name = _("Term reports")
