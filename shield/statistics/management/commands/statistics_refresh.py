"""`manage.py statistics_refresh`: bring the facts counting reads up to date, with a progress bar,
or queue that for the task worker with `--enqueue`. Tables refresh them on their own as they are
read; run this after a bulk import (the first refresh of a large registry takes a while)."""

import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from tqdm import tqdm

from shield.statistics.facts import facts_refresh
from shield.statistics.tasks import facts_refresh_task


class Command(BaseCommand):
    help = "Bring the statistics' case facts up to date (every case with --full)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--full", action="store_true", help="Re-derive the facts of every case.")
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the refresh for `manage.py db_worker` instead."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = facts_refresh_task.enqueue(full=options["full"])
            self.stdout.write(f"Statistics refresh {result.id} queued.")
            return
        with tqdm(
            desc="case facts", unit=" cases", file=sys.stderr, disable=options["verbosity"] == 0
        ) as bar:

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            written = facts_refresh(full=options["full"], progress=progress)
        self.stdout.write(f"Statistics: facts of {written} cases refreshed.")
