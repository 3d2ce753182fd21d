from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "safety"
    verbose_name = _("Campus safety")

    def ready(self) -> None:
        from repairs.signals import ticket_accepted
        from safety.receivers import on_ticket_accepted

        ticket_accepted.connect(on_ticket_accepted, dispatch_uid="safety.hazard_repair_accepted")
