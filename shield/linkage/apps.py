from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    name = "shield.linkage"
    label = "linkage"
    verbose_name = _("Record linkage")

    def ready(self) -> None:
        from shield.linkage import audit_references, notices, queues

        notices.register()
        queues.register()
        audit_references.register()
