from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "shield.statistics"
    label = "statistics"
    verbose_name = _("National statistics")

    def ready(self) -> None:
        from shield.accounts import home_panels
        from shield.statistics import panels

        # The statistician's (and supervisor's) way in: the dashboard, the pivot, the PDF report.
        home_panels.register(
            home_panels.HomePanel(
                key="statistics",
                template_name="statistics/home_panel.html",
                context=panels.home_panel,
                permission="statistics.view",
                order=8,
            )
        )
