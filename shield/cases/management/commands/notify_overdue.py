"""`manage.py notify_overdue`: tell people of care-plan actions past their due date (cron, daily)."""

from typing import Any

from django.core.management.base import BaseCommand

from shield.cases.services.notices import actions_overdue_notify


class Command(BaseCommand):
    help = (
        "Notify the person responsible (else the case worker) of each open action of an approved care "
        "plan that is past its due date, once per action. Safe to run as often as you like; production "
        "runs it from cron once a day."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        created = actions_overdue_notify()
        self.stdout.write(f"{created} overdue-action notifications created.")
