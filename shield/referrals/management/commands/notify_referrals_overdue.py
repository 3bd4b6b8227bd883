"""`manage.py notify_referrals_overdue`: escalate referrals past a deadline (cron, hourly)."""

from typing import Any

from django.core.management.base import BaseCommand

from shield.referrals.lifecycle.notices import referrals_overdue_notify


class Command(BaseCommand):
    help = (
        "Notify the referring agency's supervisors (referrals.supervise) and the referring worker of "
        "each referral not answered by its deadline, and of each accepted referral without an outcome "
        "by its due date, once per breach. Safe to run as often as you like; run it hourly (an "
        "immediate referral is due within the hour)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        created = referrals_overdue_notify()
        self.stdout.write(f"{created} overdue-referral notifications created.")
