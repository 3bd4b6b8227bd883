from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReturnsConfig(AppConfig):
    name = "shield.returns"
    label = "returns"
    verbose_name = _("Returns and reintegration")

    def ready(self) -> None:
        from shield.returns.alerts import registrations as alerts
        from shield.returns.followup import registrations as followup
        from shield.returns.reception import registrations as reception

        for part in (reception, followup, alerts):
            part.register()
