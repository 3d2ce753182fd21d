"""The export engine as an app of its own (label "exports"), so Django finds its templates and its
Celery task like any app's. `ExportJob` keeps `app_label = "logistics"` and its migration there, as
the report engine's models do (see logistics/reports/apps.py)."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "logistics.exports"
    label = "exports"
    verbose_name = _("Exports")
