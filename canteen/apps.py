from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CanteenConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "canteen"
    verbose_name = _("Canteen and food safety")

    def ready(self) -> None:
        from canteen.selectors import watch_day_pages

        watch_day_pages()
