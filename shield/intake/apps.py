from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "shield.intake"
    label = "intake"
    verbose_name = _("Frontline intake")

    def ready(self) -> None:
        from shield.accounts import home_panels
        from shield.cases import case_panels
        from shield.intake import panels

        case_panels.register(
            case_panels.CasePanel(
                key="intake_origin", template_name="intake/case_origin.html", context=panels.case_origin_panel
            )
        )

        home_panels.register(
            home_panels.HomePanel(
                key="intake_overdue_tips",
                template_name="intake/home_overdue_tips.html",
                context=panels.overdue_tips_panel,
                permission="intake.triage_tips",
                order=5,
            )
        )
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
