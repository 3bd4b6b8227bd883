from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "shield.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from shield.cases import audit_references, queues

        audit_references.register()

        # Approvals, incoming transfers, my overdue actions and my open cases are queues of the
        # "Waiting for you" panel (the overdue-actions panel of issue 9 became one of them).
        queues.register()
