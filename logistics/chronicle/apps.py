"""工作纪事 — the office's log of notable work, as a core app (label "chronicle").

Apps add entries by rule through `services.record_by_rule`; the term report reads them with
`selectors.entries_for(school, term, domain=None)`.
"""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChronicleConfig(AppConfig):
    name = "logistics.chronicle"
    label = "chronicle"
    verbose_name = _("Work chronicle")
    default_auto_field = "django.db.models.BigAutoField"
