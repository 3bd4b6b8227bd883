"""`manage.py link_persons`: a linkage run over every person, here with a progress bar, or
queued for the task worker with `--enqueue`."""

import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from shield.core.errors import ApplicationError
from shield.linkage import services
from shield.linkage.engine import LinkageSettings


class Command(BaseCommand):
    help = "Find the same person recorded more than once: run record linkage over every person."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the run for `manage.py db_worker` instead of running it here.",
        )
        parser.add_argument("--threads", type=int, default=None, help="DuckDB threads (default: all cores).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["enqueue"]:
                run = services.run_start(actor=None)
                self.stdout.write(f"Linkage run {run.pk} queued ({run.get_status_display()}).")
                return
            run = services.run_create(actor=None)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        settings = LinkageSettings(threads=options["threads"])
        with tqdm(
            total=100, desc="linkage", unit="%", file=sys.stderr, disable=options["verbosity"] == 0
        ) as bar:

            def progress(percent: int, stage: str) -> None:
                bar.set_postfix_str(stage, refresh=False)
                bar.update(max(0, percent - bar.n))

            try:
                run = services.run_execute(run=run, settings=settings, on_progress=progress)
            except Exception as exc:
                raise CommandError(f"Linkage run {run.pk} failed: {type(exc).__name__}: {exc}") from exc
        self.stdout.write(
            f"Linkage run {run.pk} finished: {run.person_count} persons, {run.individual_count} individuals "
            f"({run.new_individual_count} new, {run.reassigned_count} reassigned), "
            f"{run.review_pair_count} pairs for review."
        )
        if run.model_note:
            self.stdout.write(run.model_note)
