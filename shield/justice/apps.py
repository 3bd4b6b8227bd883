from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JusticeConfig(AppConfig):
    name = "shield.justice"
    label = "justice"
    verbose_name = _("Justice")

    def ready(self) -> None:
        from shield.justice.children import registrations as children
        from shield.justice.detention import registrations as detention
        from shield.justice.proceedings import registrations as proceedings

        for part in (proceedings, children, detention):
            part.register()
