from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "shield.statistics"
    label = "statistics"
    verbose_name = _("National statistics")
