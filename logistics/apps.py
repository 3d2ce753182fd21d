from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class LogisticsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "logistics"
    verbose_name = _("School and people")

    def ready(self) -> None:
        from logistics.options import connect_role_changes
        from logistics.permissions import watch_access

        connect_role_changes()
        watch_access()
        # Each app's widgets.py (home cards, navigation) and demo.py (seed_demo) register themselves.
        autodiscover_modules("widgets")
        autodiscover_modules("demo")
        autodiscover_modules("report")  # each app's term-report section (logistics.reports.registry)
