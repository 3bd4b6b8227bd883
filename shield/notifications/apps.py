"""What each user must look at: notifications (the bell, email opt-in) and work queues."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "shield.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # --- queues: the "Waiting for you" panel and the queues of the apps below this one ---
        from shield.notifications import queue_registrations

        queue_registrations.register()
