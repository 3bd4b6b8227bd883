"""`manage.py audit_anchor`: write a signed digest of the chain's head outside the database (daily)."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from shield.audit import anchoring, reach


class Command(BaseCommand):
    help = (
        "Sign the audit chain's head (sequence, hash, time) and write it as a new file to "
        "SHIELD_AUDIT_ANCHOR_DIR; `audit_verify --anchor` then checks the chain against every such "
        "file. First writes the summaries of ended out-of-reach windows, so the anchor covers them."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--dir", help="Write here instead of SHIELD_AUDIT_ANCHOR_DIR.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not anchoring.key_is_configured():
            self.stderr.write(
                _(
                    "Warning: SHIELD_AUDIT_ANCHOR_KEY is not set; the anchor is signed with a key derived "
                    "from SECRET_KEY, which whoever can change the database may also hold."
                )
            )
        reach.close_ended_windows()
        anchor = anchoring.write_anchor(directory=Path(options["dir"]) if options["dir"] else None)
        self.stdout.write(
            self.style.SUCCESS(
                _("Anchored event #%(sequence)s (hash %(hash)s) in %(file)s.")
                % {"sequence": anchor.sequence, "hash": anchor.hash, "file": anchor.path}
            )
        )
