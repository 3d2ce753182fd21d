from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assets"
    verbose_name = _("Fixed assets")

    def ready(self) -> None:
        from assets.selectors import watch_ledger

        watch_ledger()
