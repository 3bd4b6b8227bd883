"""What the notification bell costs a page: the same page with and without it, side by side.

    bash scripts/with_postgres.sh .venv/bin/python bench/notification_bell.py --persons 1000000

Populates the database (unless --no-populate) with PERSONS minimal Person rows by bulk insert (the
bell never reads persons; generating a million through `demo_data --persons` takes far longer and
changes nothing the bell touches), USERS users and NOTIFICATIONS notifications spread over them,
the measured user holding `--mine` of them, half unread. Then requests each page REQUESTS times
as that user, alternating bell on and off (`SHIELD_NOTIFICATION_BELL`) so both see the same machine
load, and prints JSON: queries per request and wall / CPU milliseconds (p50, p95) with and
without the bell, and the differences. Without DATABASE_URL it uses a new SQLite file in /tmp.
"""

import argparse
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BATCH = 10_000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def populate(persons: int, users: int, notifications: int, mine: int) -> dict[str, Any]:
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.utils import timezone

    from shield.accounts.models import Agency, Membership, User
    from shield.accounts.roles import AgencyKind, Role, Scope
    from shield.geo.models import Province
    from shield.notifications.models import Kind, Notification
    from shield.people.models import Person

    started = time.perf_counter()
    call_command("migrate", "--noinput", verbosity=0)
    agency, _ = Agency.objects.get_or_create(
        code="bench-bell",
        defaults={
            "kind": AgencyKind.SOCIAL_PROTECTION,
            "name_vi": "Cơ quan đo",
            "name_en": "Bench agency",
            "province": Province.objects.get(code="01"),
        },
    )
    me, created = User.objects.get_or_create(username="bench.bell")
    if created:
        me.set_password("bench-password-42")
        me.save()
        Membership.objects.create(user=me, agency=agency, role=Role.SUPERVISOR, scope=Scope.PROVINCE)
    have = Person.objects.count()
    for start in range(have, persons, BATCH):
        Person.objects.bulk_create(
            Person(
                full_name=f"Người Đo {n}",
                name_folded=f"nguoi do {n}",
                owner_agency=agency,
                registered_by=me,
            )
            for n in range(start, min(persons, start + BATCH))
        )
    others = list(User.objects.filter(username__startswith="bench.u").values_list("pk", flat=True))
    unusable = make_password(None)
    missing = users - len(others)
    if missing > 0:
        made = User.objects.bulk_create(
            User(username=f"bench.u{uuid.uuid4().hex[:12]}", password=unusable) for _ in range(missing)
        )
        others += [u.pk for u in made]
    have_n = Notification.objects.count()
    kinds = list(Kind.values)
    now = timezone.now()
    rows_needed = notifications - have_n
    for start in range(0, max(0, rows_needed), BATCH):
        size = min(BATCH, rows_needed - start)
        Notification.objects.bulk_create(
            Notification(
                recipient_id=me.pk if (start + i) < mine else others[(start + i) % len(others)],
                kind=kinds[(start + i) % len(kinds)],
                params={"reference": f"SPC-BENCH-{start + i:07d}", "agency": "bench-bell"},
                url="/cases/",
                target_type="cases.careplanaction",
                target_id=str(start + i),  # one overdue notification per action
                read_at=now if (start + i) % 2 else None,
            )
            for i in range(size)
        )
    return {
        "persons": Person.objects.count(),
        "users": User.objects.count(),
        "notifications": Notification.objects.count(),
        "mine": Notification.objects.filter(recipient=me).count(),
        "mine_unread": Notification.objects.filter(recipient=me, read_at__isnull=True).count(),
        "populate_seconds": round(time.perf_counter() - started, 1),
    }


def one(client: Any, url: str, bell: bool) -> tuple[float, float, int]:
    from django.db import connection
    from django.test import override_settings
    from django.test.utils import CaptureQueriesContext

    with override_settings(SHIELD_NOTIFICATION_BELL=bell), CaptureQueriesContext(connection) as captured:
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert response.status_code == 200, (url, response.status_code)
    assert (b'data-testid="bell"' in response.content) == bell
    return wall * 1000, cpu * 1000, len(captured.captured_queries)


def measure(client: Any, url: str, requests: int) -> dict[str, Any]:
    for bell in (True, False):
        one(client, url, bell)  # warm
    runs: dict[bool, list[tuple[float, float, int]]] = {True: [], False: []}
    for i in range(requests * 2):
        bell = i % 2 == 0
        runs[bell].append(one(client, url, bell))

    def stats(bell: bool) -> dict[str, Any]:
        walls = [r[0] for r in runs[bell]]
        cpus = [r[1] for r in runs[bell]]
        return {
            "queries": statistics.mode(r[2] for r in runs[bell]),
            "wall_p50_ms": round(statistics.median(walls), 2),
            "wall_p95_ms": round(percentile(walls, 0.95), 2),
            "cpu_p50_ms": round(statistics.median(cpus), 2),
            "cpu_p95_ms": round(percentile(cpus, 0.95), 2),
        }

    with_bell, without = stats(True), stats(False)
    return {
        "url": url,
        "with_bell": with_bell,
        "without_bell": without,
        "bell_adds_queries": with_bell["queries"] - without["queries"],
        "bell_adds_wall_p50_ms": round(with_bell["wall_p50_ms"] - without["wall_p50_ms"], 2),
        "bell_adds_cpu_p50_ms": round(with_bell["cpu_p50_ms"] - without["cpu_p50_ms"], 2),
    }


def bare_bell_query(requests: int) -> dict[str, Any]:
    """The bell's one query alone, timed: the floor of what it can cost."""
    from shield.accounts.models import User
    from shield.notifications.selectors import unread_count_for

    me = User.objects.get(username="bench.bell")
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        unread_count_for(me)
        timings.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": round(statistics.median(timings), 3), "p95_ms": round(percentile(timings, 0.95), 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=2_000)
    parser.add_argument("--notifications", type=int, default=200_000)
    parser.add_argument("--mine", type=int, default=150, help="notifications of the measured user")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--no-populate", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/shield-bench-bell.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    data = {} if args.no_populate else populate(args.persons, args.users, args.notifications, args.mine)
    from shield.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="bench.bell"))
    pages = [measure(client, url, args.requests) for url in ["/", "/cases/"]]
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "data": data,
                "requests_each": args.requests,
                "pages": pages,
                "bell_query_alone": bare_bell_query(args.requests),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
