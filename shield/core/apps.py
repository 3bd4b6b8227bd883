from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "shield.core"
    label = "core"
    verbose_name = "Core"
