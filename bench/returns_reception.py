"""A group reception of 40 people saved end to end through the services.

    bash scripts/with_postgres.sh .venv/bin/python bench/returns_reception.py --runs 5

Each run opens a reception at Móng Cái, adds 40 returnees (registered now), screens each with the
intake instrument as one group, hands each on, and completes the event, in one transaction, by the
Border Guard officer. Side by side: the same 40 members added only (no screening, no disposition).
Prints JSON: p50/p95 seconds of both. Target: the full sitting < 2 s.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def sitting(officer: Any, size: int, *, full: bool) -> float:
    from django.db import transaction
    from django.utils import timezone

    from shield.geo.models import Commune
    from shield.returns.reception import services

    commune = Commune.objects.order_by("code").first()
    started = time.perf_counter()
    with transaction.atomic():
        event = services.reception_open(
            actor=officer, border_gate=officer.primary_agency.border_gate, country="CN",
            channel="bilateral", received_at=timezone.now(),
        )  # fmt: skip
        for n in range(size):
            member = services.member_add(
                actor=officer,
                event=event,
                full_name=f"Lò Thị Bench {n}",
                sex="female",
                birth_year=1990 + n % 20,
            )
            if full:
                member = services.member_screen(
                    actor=officer, member=member, version=member.version, outcome="no_concern"
                )
                services.member_dispose(
                    actor=officer,
                    member=member,
                    version=member.version,
                    disposition="commune",
                    commune=commune,
                )
        if full:
            event.refresh_from_db()
            services.reception_complete(actor=officer, event=event, version=event.version, receipt_number="B")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size", type=int, default=40)
    args = parser.parse_args()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from shield.intake.tests.factories import gate_post

    officer = gate_post("mong-cai").officer
    results: dict[str, Any] = {"size": args.size, "runs": args.runs}
    for name, full in (("members_only", False), ("full_sitting", True)):
        times = [sitting(officer, args.size, full=full) for _ in range(args.runs)]
        results[name] = {
            "p50_s": round(percentile(times, 0.5), 3),
            "p95_s": round(percentile(times, 0.95), 3),
        }
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
