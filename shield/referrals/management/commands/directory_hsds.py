"""Import an HSDS 3.1 data package into the service directory, or export the directory as one.

    manage.py directory_hsds import package.zip --user admin [--dry-run]
    manage.py directory_hsds export directory.zip --user admin

The import checks everything first and writes all or nothing; `--dry-run` only checks. Both run
as the named user (a system administrator) and are audited like the pages.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shield.accounts.models import User
from shield.referrals.directory import access, hsds_import
from shield.referrals.directory.hsds_views import directory_export


class Command(BaseCommand):
    help = "Import or export the service directory as an HSDS 3.1 data package (zip of CSVs)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["import", "export"])
        parser.add_argument("path")
        parser.add_argument("--user", required=True, help="Username of a system administrator.")
        parser.add_argument("--dry-run", action="store_true", help="Import: check only, write nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None or not access.manages_everything(user):
            raise CommandError("The user must be an active system administrator.")
        path = Path(options["path"])
        if options["action"] == "export":
            data = directory_export(user=user)
            path.write_bytes(data)
            self.stdout.write(f"Wrote {path} ({len(data):,} bytes).")
            return
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        report = hsds_import.hsds_import(actor=user, data=path.read_bytes(), dry_run=options["dry_run"])
        for error in report.errors:
            self.stderr.write(f"{error.file or '-'}:{error.line or '-'}: {error.message}")
        for skipped in report.skipped:
            self.stdout.write(f"{skipped.file}:{skipped.line}: {skipped.message}")
        if report.errors:
            raise CommandError(f"{len(report.errors)} problem(s): nothing was imported.")
        verb = "Imported" if report.imported else "Check passed, would import"
        self.stdout.write(f"{verb} {report.organizations} providers and {report.services} services.")
