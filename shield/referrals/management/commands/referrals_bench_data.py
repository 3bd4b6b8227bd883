"""`manage.py referrals_bench_data`: referrals at national scale on top of `demo_data --persons N`.

    DATABASE_URL=postgres://... .venv/bin/python manage.py referrals_bench_data
    DATABASE_URL=postgres://... .venv/bin/python manage.py referrals_bench_data --replace

Synthetic data for `bench/referrals.py` (see `shield/referrals/bench_data.py`). Refuses to run with
DEBUG off: it creates accounts with a known password, like `demo_data`.
"""

import json
import time
from argparse import ArgumentParser
from typing import Any, TextIO, cast

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from shield.referrals import bench_data


class Command(BaseCommand):
    help = "Add bench referrals, a directory and shelter stays to a demo database (never real data)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--referrals", type=int, default=500_000)
        parser.add_argument("--stays", type=int, default=50_000)
        parser.add_argument("--external-providers", type=int, default=1_000)
        parser.add_argument("--seed", type=int, default=16)
        parser.add_argument("--replace", action="store_true", help="Remove an earlier run's data first.")
        parser.add_argument("--password", default="shield-demo-2026")
        parser.add_argument(
            "--stays-only", action="store_true", help="Make the shelter stays again over the referrals there."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("referrals_bench_data refuses to run with DEBUG off (see demo_data).")
        started = time.perf_counter()
        figures = bench_data.generate(
            referrals=options["referrals"],
            stays=options["stays"],
            external_providers=options["external_providers"],
            seed=options["seed"],
            replace=options["replace"],
            password=options["password"],
            out=cast(TextIO, self.stdout),
            stays_only=options["stays_only"],
        )
        result = {**vars(figures), "total_seconds": round(time.perf_counter() - started, 1)}
        self.stdout.write(json.dumps(result, indent=2))
