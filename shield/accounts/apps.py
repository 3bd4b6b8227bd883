from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "shield.accounts"
    label = "accounts"
    verbose_name = _("Accounts and agencies")

    def ready(self) -> None:
        from shield.accounts import auth_events

        auth_events.connect()
