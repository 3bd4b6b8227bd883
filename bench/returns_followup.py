"""The follow-up worklist at national scale (issue 18): a busy worker's home-page queue count and
follow-up list page, each side by side with the bare SQL of the same statements.

    bash scripts/with_postgres.sh .venv/bin/python bench/returns_followup.py --persons 1000000 --explain
    bash scripts/with_postgres.sh .venv/bin/python bench/returns_followup.py --persons 200000 --requests 50

Loads synthetic data with COPY (the referrals bench's `Writer`; no services, no per-row saves): persons,
one received return per returnee, one active plan per return, and 4 follow-ups per plan (1, 3, 6 and 12
months after the start; the past ones done, the rest scheduled), over AGENCIES agencies of
WORKERS_PER_AGENCY case workers each. The busy worker (worker 0) carries BUSY_SHARE of the plans.
Then measures, REQUESTS times each, after a warm-up:

- `queue_count`: the home page's "follow-ups due" count (`worklists.capped_count` of the Worklist's
  `items` queryset);
- `list_first_page`: the follow-up list's first page through the selector, as the view pages it
  (`CappedPaginator`, 25 rows with the capped count);
- `list_page_client`: the whole page `/returns/followups/?mine=on&due=soon` through Django's test Client.

The baseline of each is the SELECTs the app path ran (captured once), replayed bare with
`cursor.execute` on the same connection. Prints the plans (EXPLAIN ANALYZE of the bare SELECTs) with
--explain, then JSON and a table: p50/p95 in ms and the ratio of the p95s. Target: p95 < 150 ms and
at most 3x bare SQL.
"""

import argparse
import datetime
import json
import os
import random
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# bench/statistics.py shadows the standard library's `statistics`: take bench/ off the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

AGENCIES = 60
WORKERS_PER_AGENCY = 10
BUSY_SHARE = 0.002  # of the plans: ~400 plans, ~1,600 follow-ups at 200,000 returns
MONTHS = (1, 3, 6, 12)
BATCH = 50_000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, 28))


def populate(*, persons: int, returns: int, seed: int) -> dict[str, Any]:
    from django.db import connection
    from django.utils import timezone

    from shield.accounts.models import Membership, User
    from shield.accounts.roles import Role, Scope
    from shield.accounts.tests.factories import AgencyFactory, member
    from shield.people.models import Person
    from shield.people.names import fold_name
    from shield.referrals.bench_data import Writer
    from shield.returns.models import FollowUp, ReintegrationPlan, Return

    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    agencies = [AgencyFactory.create(code=f"bench-fu-{n}") for n in range(AGENCIES)]
    busy = member(Role.CASE_WORKER, agency=agencies[0], username="bench.busy")
    users: list[dict[str, Any]] = []
    memberships: list[dict[str, Any]] = []
    workers: list[tuple[uuid.UUID, uuid.UUID]] = [(busy.pk, agencies[0].pk)]
    for a_no, agency in enumerate(agencies):
        for w_no in range(WORKERS_PER_AGENCY):
            if a_no == 0 and w_no == 0:
                continue
            uid = uuid.uuid4()
            users.append({"id": uid, "username": f"bench.fu.{a_no}.{w_no}", "password": "!",
                          "updated_at": now, "date_joined": now, "first_name": "Bench",
                          "last_name": f"{a_no}.{w_no}",
                          "is_active": True, "is_staff": False, "is_superuser": False})  # fmt: skip
            memberships.append({"id": uuid.uuid4(), "created_at": now, "updated_at": now, "user_id": uid,
                                "agency_id": agency.pk, "role": Role.CASE_WORKER, "scope": Scope.AGENCY,
                                "is_active": True})  # fmt: skip
            workers.append((uid, agency.pk))
    Writer(User).write(users)
    Writer(Membership).write(memberships)
    seconds["accounts"] = round(time.perf_counter() - started, 1)

    started = time.perf_counter()
    names = ["Nguyễn Thị Hoa", "Lò Thị Mai", "Trần Văn Hùng", "Lê Thị Lan", "Phạm Thị Thu", "Giàng Thị Dung"]
    person_ids: list[uuid.UUID] = []
    person_writer = Writer(Person)
    for start in range(0, persons, BATCH):
        rows = []
        for n in range(start, min(persons, start + BATCH)):
            pid = uuid.UUID(int=rng.getrandbits(128), version=4)
            if n < returns:
                person_ids.append(pid)
            name = f"{names[n % len(names)]} {n}"
            agency = agencies[n % AGENCIES]
            rows.append({"id": pid, "created_at": now, "updated_at": now, "full_name": name,
                         "name_folded": fold_name(name), "sex": "female", "birth_year": 1980 + n % 25,
                         "birth_date": datetime.date(1980 + n % 25, 1, 1), "birth_date_precision": "year",
                         "owner_agency_id": agency.pk, "registered_by_id": busy.pk})  # fmt: skip
        person_writer.write(rows)
    seconds["persons"] = round(time.perf_counter() - started, 1)

    started = time.perf_counter()
    return_writer, plan_writer, fu_writer = Writer(Return), Writer(ReintegrationPlan), Writer(FollowUp)
    counts = {"returns": 0, "plans": 0, "followups": 0, "busy_plans": 0}
    for start in range(0, returns, BATCH):
        r_rows, p_rows, f_rows = [], [], []
        for n in range(start, min(returns, start + BATCH)):
            if rng.random() < BUSY_SHARE:
                worker, agency_id = workers[0]
                counts["busy_plans"] += 1
            else:
                worker, agency_id = workers[1 + rng.randrange(len(workers) - 1)]
            starts_on = today - datetime.timedelta(days=rng.randint(0, 730))
            rid, plan_id = uuid.uuid4(), uuid.uuid4()
            r_rows.append({"id": rid, "created_at": now, "updated_at": now, "reference": f"BENCH-RET-{n:07d}",
                           "person_id": person_ids[n], "agency_id": agency_id, "country": "CN",
                           "how": "handed_over", "channel": "bilateral", "status": "received",
                           "returned_on": starts_on, "created_by_id": worker})  # fmt: skip
            p_rows.append({"id": plan_id, "created_at": now, "updated_at": now, "person_id": person_ids[n],
                           "return_record_id": rid, "agency_id": agency_id, "worker_id": worker,
                           "schedule_code": "default-2025", "starts_on": starts_on, "status": "active",
                           "created_by_id": worker})  # fmt: skip
            for seq, months in enumerate(MONTHS, start=1):
                due = add_months(starts_on, months)
                done = due < today - datetime.timedelta(days=14) and rng.random() < 0.9
                f_rows.append({"id": uuid.uuid4(), "created_at": now, "updated_at": now, "plan_id": plan_id,
                               "sequence": seq, "months_after": months, "due_on": due,
                               "status": "done" if done else "scheduled", "worker_id": worker,
                               "agency_id": agency_id, "done_on": due if done else None,
                               "contact_made": True if done else None,
                               "recorded_by_id": worker if done else None})  # fmt: skip
        counts["returns"] += return_writer.write(r_rows)
        counts["plans"] += plan_writer.write(p_rows)
        counts["followups"] += fu_writer.write(f_rows)
    seconds["returns_plans_followups"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    seconds["analyze"] = round(time.perf_counter() - started, 1)
    return {"persons": persons, **counts, "seconds": seconds}


def timed(fn: Any, requests: int) -> list[float]:
    fn()
    fn()
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def selects_of(fn: Any) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]


def bare(sqls: list[str]) -> Any:
    from django.db import connection

    def run() -> None:
        with connection.cursor() as cursor:
            for sql in sqls:
                cursor.execute(sql)
                cursor.fetchall()

    return run


def explain(sqls: list[str]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in sqls:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            print("--", sql[:300], file=sys.stderr)
            print("\n".join(r[0] for r in cursor.fetchall()), file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--returns", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--no-populate", action="store_true")
    parser.add_argument("--no-client", action="store_true", help="Skip the page through the test Client.")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the bare SELECTs (stderr).")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Run on PostgreSQL: see the module's docstring (scripts/with_postgres.sh).")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    migrate = [sys.executable, "manage.py", "migrate", "--noinput", "-v0"]
    subprocess.run(migrate, cwd=ROOT, env=env, check=True)  # noqa: S603 - our own manage.py
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from shield.accounts.models import User
    from shield.core.pagination import CappedPaginator
    from shield.notifications import worklists
    from shield.returns.followup import registrations, selectors, views

    results: dict[str, Any] = {}
    if not args.no_populate:
        started = time.perf_counter()
        results["data"] = populate(persons=args.persons, returns=args.returns, seed=args.seed)
        results["data"]["total_seconds"] = round(time.perf_counter() - started, 1)
        print(json.dumps(results["data"]), file=sys.stderr)
    user = User.objects.get(username="bench.busy")
    filters = selectors.FollowUpFilters(mine=True, due="soon")

    def queue_count() -> int:
        return worklists.capped_count(registrations.followups_due(user))

    def first_page() -> list[Any]:
        rows = selectors.followup_list_for(user=user, filters=filters)
        page = CappedPaginator(rows, views.PAGE_SIZE, count_in_order=False).get_page(1)
        return list(page.object_list)

    client = Client()
    client.force_login(user)
    url = reverse("returns:followup_list") + "?mine=on&due=soon"
    if "testserver" not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

    def page() -> None:
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    results["busy_worker"] = {"queue_count": queue_count(), "first_page_rows": len(first_page())}
    cases: list[tuple[str, Any]] = [("queue_count", queue_count), ("list_first_page", first_page)]
    if not args.no_client:
        cases.append(("list_page_client", page))
    table = []
    for name, fn in cases:
        sqls = selects_of(fn)
        if args.explain:
            explain(sqls)
        ours = timed(fn, args.requests)
        base = timed(bare(sqls), args.requests)
        p95, bare_p95 = round(percentile(ours, 0.95), 2), round(percentile(base, 0.95), 2)
        row: dict[str, float | None] = {
            "selects": len(sqls),
            "p50_ms": round(percentile(ours, 0.5), 2),
            "p95_ms": p95,
            "bare_p50_ms": round(percentile(base, 0.5), 2),
            "bare_p95_ms": bare_p95,
            "ratio_p95": round(p95 / bare_p95, 2) if bare_p95 else None,
        }
        results[name] = row
        table.append((name, row))
    results["requests"] = args.requests
    print(json.dumps(results, indent=1))
    print("| measure | p50 | p95 | bare SQL p50 | bare SQL p95 | ratio p95 |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, r in table:
        cells = [r["p50_ms"], r["p95_ms"], r["bare_p50_ms"], r["bare_p95_ms"], r["ratio_p95"]]
        print(f"| {name} | " + " | ".join(str(c) for c in cells) + " |")


if __name__ == "__main__":
    main()
