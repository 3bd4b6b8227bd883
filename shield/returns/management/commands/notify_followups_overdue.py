"""`manage.py notify_followups_overdue`: tell the supervisors of each overdue follow-up (cron, daily)."""

from typing import Any

from django.core.management.base import BaseCommand

from shield.returns.followup.services import followups_escalate_overdue


class Command(BaseCommand):
    help = (
        "Notify the supervisors (returns.supervise, members of the follow-up's agency) of every "
        "scheduled reintegration follow-up past its due day, once per follow-up: escalated_at is set "
        "and the notification kind is raised once per target. Idempotent; run it daily."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = followups_escalate_overdue()
        self.stdout.write(f"{count} overdue follow-up(s) escalated.")
