from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "shield.intake"
    label = "intake"
    verbose_name = _("Frontline intake")

    def ready(self) -> None:
        from shield.accounts import home_panels
        from shield.cases import case_panels
        from shield.intake import panels, queues

        case_panels.register(
            case_panels.CasePanel(
                key="intake_origin", template_name="intake/case_origin.html", context=panels.case_origin_panel
            )
        )

        # Tips waiting for triage (the overdue-tips panel became a queue of "Waiting for you").
        queues.register()
        home_panels.register(
            home_panels.HomePanel(
                key="intake_referrals",
                template_name="intake/home_referrals.html",
                context=panels.referral_notices_panel,
                permission="cases.view",
                order=6,
            )
        )
        home_panels.register(
            home_panels.HomePanel(
                key="intake_gate",
                template_name="intake/home_gate.html",
                context=panels.gate_panel,
                permission="intake.screen",
                order=4,
            )
        )
