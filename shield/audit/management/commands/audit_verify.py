"""`manage.py audit_verify`: prove the audit chain is whole, or name the first event that is not."""

import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from shield.audit.models import AuditEvent
from shield.audit.verification import verify_chain


class Command(BaseCommand):
    help = (
        "Recompute every audit event's hash and link in sequence order. Exits 0 when the chain is "
        "intact; otherwise names the first broken event on stderr and exits 1."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--progress",
            action="store_true",
            help="Show a progress bar on stderr even when it is not a terminal.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        show_progress = bool(options["progress"]) or sys.stderr.isatty()
        # Counting costs a full scan, so only when someone will see the bar.
        total = AuditEvent.objects.count() if show_progress else None
        with tqdm(
            total=total,
            disable=not show_progress,
            file=sys.stderr,
            unit=" events",
            desc=_("Verifying audit chain"),
        ) as bar:
            report = verify_chain(progress=bar.update)
        if report.first_break is not None:
            raise CommandError(report.first_break.describe(), returncode=1)
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "Audit chain intact: %(count)d event verified.",
                    "Audit chain intact: %(count)d events verified.",
                    report.verified,
                )
                % {"count": report.verified}
            )
        )
