"""`manage.py notify_child_deadlines`: tell the assigned officers of child deadlines breached (cron)."""

from typing import Any

from django.core.management.base import BaseCommand

from shield.justice.children.services import child_deadlines_breached_notify
from shield.justice.detention.services import detention_limits_breached_notify


class Command(BaseCommand):
    help = (
        "Find the deadlines of the children's rules (notify the guardian and a social worker, first "
        "interview, decide on diversion) and the custody and detention limits of children held now, "
        "breached in open proceedings, and notify the officers assigned, once per child and deadline "
        "(once per detention episode). Safe to run as often as you like; run it hourly from cron."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        created = child_deadlines_breached_notify() + detention_limits_breached_notify()
        self.stdout.write(f"{created} child-deadline notifications created.")
