from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "shield.referrals"
    label = "referrals"
    verbose_name = _("Referrals and services")

    def ready(self) -> None:
        from shield.referrals.directory import registrations as directory
        from shield.referrals.lifecycle import registrations as lifecycle
        from shield.referrals.shelters import registrations as shelters
        from shield.referrals.support import registrations as support

        for part in (directory, lifecycle, shelters, support):
            part.register()
