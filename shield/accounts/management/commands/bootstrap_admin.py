"""`manage.py bootstrap_admin`: the first agency and system administrator of a new installation,
created through the audited services (never `createsuperuser`, which bypasses roles and audit)."""

import os
from argparse import ArgumentParser
from getpass import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from shield.accounts import services
from shield.accounts.models import Agency
from shield.accounts.roles import AgencyKind, Role, Scope
from shield.core.errors import ValidationFailed
from shield.geo.models import Province


class Command(BaseCommand):
    help = "Create the first agency and a system administrator with national scope."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--agency-code", default="national-office")
        parser.add_argument("--agency-name-vi", default="Văn phòng Thường trực phòng, chống mua bán người")
        parser.add_argument("--agency-name-en", default="National Anti-Trafficking Office")
        parser.add_argument(
            "--province", default="01", help="Province code of the agency (default 01, Hà Nội)."
        )
        parser.add_argument(
            "--password-env",
            default="",
            help="Read the password from this environment variable instead of prompting.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["password_env"]:
            password = os.environ.get(options["password_env"], "")
        else:
            password = getpass("Password (12 or more characters): ")
        province = Province.objects.filter(code=options["province"]).first()
        if province is None:
            raise CommandError(f"No province with code {options['province']!r}: run migrate first.")
        try:
            with transaction.atomic():
                agency = Agency.objects.filter(code=options["agency_code"]).first() or services.agency_create(
                    actor=None,
                    kind=AgencyKind.MINISTRY,
                    code=options["agency_code"],
                    name_vi=options["agency_name_vi"],
                    name_en=options["agency_name_en"],
                    province_id=province.pk,
                )
                user = services.user_create(actor=None, username=options["username"], password=password)
                services.membership_grant(
                    actor=None, user=user, agency=agency, role=Role.SYSTEM_ADMIN, scope=Scope.NATIONAL
                )
        except ValidationFailed as exc:
            problems = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.field_errors.items())
            raise CommandError(f"Nothing was created. {problems or exc.message}") from exc
        self.stdout.write(f"Created system administrator {user.username} in {agency.name_en}.")
