from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "shield.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from shield.accounts import home_panels
        from shield.cases import audit_references, presenters

        audit_references.register()

        home_panels.register(
            home_panels.HomePanel(
                key="overdue_actions",
                template_name="cases/home_overdue_actions.html",
                context=presenters.overdue_actions_panel,
                permission="cases.view",
                order=10,
            )
        )
