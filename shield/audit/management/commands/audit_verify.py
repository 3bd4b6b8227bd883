"""`manage.py audit_verify`: prove the audit chain is whole, or name the first event that is not."""

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from shield.audit import anchoring
from shield.audit.models import AuditEvent
from shield.audit.verification import verify_chain


class Command(BaseCommand):
    help = (
        "Recompute every audit event's hash and link in sequence order. Exits 0 when the chain is "
        "intact; otherwise names the first broken event on stderr and exits 1. With --anchor, also "
        "checks that every anchored head (audit_anchor) is still in the chain with its hash."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--progress",
            action="store_true",
            help="Show a progress bar on stderr even when it is not a terminal.",
        )
        parser.add_argument(
            "--anchor",
            action="store_true",
            help="Also check the chain against the signed anchors in SHIELD_AUDIT_ANCHOR_DIR.",
        )
        parser.add_argument("--anchor-dir", help="Read the anchors from here instead.")

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
        anchors = None
        if options["anchor"] or options["anchor_dir"]:
            directory = Path(options["anchor_dir"]) if options["anchor_dir"] else None
            anchors = anchoring.check_anchors(directory=directory)
            if not anchors.sound:
                raise CommandError("\n".join(anchors.problems), returncode=1)
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
        if anchors is not None:
            self.stdout.write(
                self.style.SUCCESS(
                    ngettext(
                        "Anchors hold: %(count)d anchor checked.",
                        "Anchors hold: %(count)d anchors checked.",
                        anchors.checked,
                    )
                    % {"count": anchors.checked}
                )
            )
