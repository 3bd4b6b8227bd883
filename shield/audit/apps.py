from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "shield.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from shield.audit import references

        references.register_own()
