"""`manage.py detect_revictimisation`: raise the alerts that bulk writes bypassed (cron, daily)."""

import datetime
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from shield.returns.alerts.sweep import sweep

DEFAULT_DAYS = 2


class Command(BaseCommand):
    help = (
        "Look again at every screening, tip and person record of a returnee's individual changed in "
        "the window (default: the last 2 days; --since DATE or --all), and at every record of a person "
        "whose individual changed in it, and raise the alerts the live receivers missed (linkage runs "
        "write in bulk, without signals). Idempotent: an alert is raised once per individual and "
        "record, so overlapping windows are safe. Run it daily, after the linkage run."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        window = parser.add_mutually_exclusive_group()
        window.add_argument("--since", help="Records changed on or after this day (YYYY-MM-DD).")
        window.add_argument(
            "--days", type=int, help=f"Records changed in the last N days (default {DEFAULT_DAYS})."
        )
        window.add_argument("--all", action="store_true", help="Every record, whenever it changed.")

    def handle(self, *args: Any, **options: Any) -> None:
        since: datetime.datetime | None
        if options["all"]:
            since = None
        elif options["since"]:
            try:
                day = datetime.date.fromisoformat(options["since"])
            except ValueError as exc:
                raise CommandError("--since takes a day as YYYY-MM-DD.") from exc
            since = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        else:
            days = options["days"] if options["days"] is not None else DEFAULT_DAYS
            if days < 0:
                raise CommandError("--days takes a number of days, 0 or more.")
            since = timezone.now() - datetime.timedelta(days=days)
        looked, raised = sweep(since=since)
        self.stdout.write(
            f"{looked} records of returnees looked at, {raised} re-victimisation alerts raised."
        )
