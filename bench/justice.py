"""Justice proceedings at national scale: the officer's worklist and the proceeding list through
Django, against the bare SQL they need, side by side in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:54315/shield17 \
        .venv/bin/python bench/justice.py --proceedings 400000

Runs `migrate`, then (unless the database already holds that many bench proceedings, or with
--no-populate) generates five years of national flow by COPY: a police investigation body, a
procuracy and a court per province (34), PROCEEDINGS proceedings spread over the provinces (Hà Nội
and Hồ Chí Minh City a tenth each), each with 1-2 offences (two in five trafficking), the
agencies that held it in turn, its steps (report received, then one per stage reached; a quarter
have a hearing scheduled somewhere from two years ago to a year ahead), two or three parties drawn
from the registry's persons (victims, accused, witnesses; some children) and one assigned officer.

Then, signed in as `bench.justice` (a justice officer of the Hà Nội police with province scope,
also assigned to one proceeding in a hundred elsewhere), times REQUESTS requests of each page
through Django's test client and the same page's SELECTs replayed bare on one connection. Prints
JSON: p50/p95 of both and their ratio. The target: p95 < 150 ms and <= 3x bare SQL.
"""

import sys
from pathlib import Path

# bench/ holds a module named like the standard library's `statistics`: keep it off the path.
BENCH = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH]

import argparse  # noqa: E402
import datetime  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from typing import Any  # noqa: E402

ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

PREFIX = "BENCH-J-"
USERNAME = "bench.justice"
ASSIGNEE = "bench.assignee"
ROLES = ["investigation", "procuracy", "court", "enforcement"]
STEPS_BY_STAGE = {
    0: ["case_instituted"],
    1: ["accused_charged", "investigation_concluded"],
    2: ["indictment"],
    3: ["judgment_in_force", "execution"],
}
TRAFFICKING = ["BLHS-150", "BLHS-151"]
OTHERS = ["BLHS-142", "BLHS-146", "BLHS-153", "BLHS-173", "BLHS-327", "BLHS-348", "BLHS-157"]

COLUMNS = {
    "justice_proceeding": ", ".join(
        [
            "id",
            "created_at",
            "updated_at",
            "version",
            "reference",
            "kind",
            "status",
            "holding_agency_id",
            "holding_role",
            "reported_at",
            "closed_at",
            "summary",
            "created_by_id",
        ]
    ),
    "justice_proceedingoffence": ", ".join(
        [
            "id",
            "created_at",
            "updated_at",
            "proceeding_id",
            "code",
        ]
    ),
    "justice_proceedingholding": ", ".join(
        [
            "id",
            "created_at",
            "updated_at",
            "proceeding_id",
            "agency_id",
            "role",
            "started_at",
            "ended_at",
        ]
    ),
    "justice_proceedingstep": ", ".join(
        [
            "id",
            "created_at",
            "updated_at",
            "proceeding_id",
            "kind",
            "occurred_on",
            "scheduled_for",
            "agency_id",
            "recorded_by_id",
            "note",
        ]
    ),
    "justice_party": ", ".join(
        [
            "id",
            "created_at",
            "updated_at",
            "version",
            "proceeding_id",
            "person_id",
            "role",
            "family_matter",
            "event_on",
            "is_child",
            "protection_case_id",
            "outcome",
            "outcome_on",
            "sentence_custodial",
            "sentence_months",
        ]
    ),
    "justice_justiceassignment": ", ".join(
        [
            "id",
            "created_at",
            "updated_at",
            "proceeding_id",
            "officer_id",
            "agency_id",
            "assigned_by_id",
            "ended_at",
        ]
    ),
}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(client: Any, url: str, requests: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    rows = response.content.decode().count('data-testid="proceeding-row"') + response.content.decode().count(
        'data-testid="worklist-row"'
    )
    all_queries = len(captured.captured_queries)
    statements = [
        q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")
    ]
    page_ms: list[float] = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(url)
        page_ms.append((time.perf_counter() - started) * 1000)
    sql_ms: list[float] = []
    with connection.cursor() as cursor:
        for _ in range(requests):
            started = time.perf_counter()
            for sql in statements:
                cursor.execute(sql)
                if cursor.description is not None:
                    cursor.fetchall()
            sql_ms.append((time.perf_counter() - started) * 1000)
    page_p95, sql_p95 = percentile(page_ms, 0.95), percentile(sql_ms, 0.95)
    return {
        "url": url,
        "rows_shown": rows,
        "select_queries": len(statements),
        "all_queries": all_queries,
        "page_p50_ms": round(statistics.median(page_ms), 2),
        "page_p95_ms": round(page_p95, 2),
        "sql_p50_ms": round(statistics.median(sql_ms), 2),
        "sql_p95_ms": round(sql_p95, 2),
        "ratio_p95": round(page_p95 / sql_p95, 2) if sql_p95 else None,
    }


def agencies() -> dict[str, list[Any]]:
    """Per province code: [police, procuracy, court] (created once)."""
    from shield.accounts.models import Agency
    from shield.accounts.roles import AgencyKind
    from shield.geo.models import Province

    kinds = [
        ("police", AgencyKind.POLICE_PROVINCIAL, "Công an", "Police"),
        ("procuracy", AgencyKind.PROCURACY, "Viện kiểm sát", "Procuracy"),
        ("court", AgencyKind.COURT, "Tòa án", "Court"),
    ]
    found: dict[str, list[Any]] = {}
    for province in Province.objects.order_by("code"):
        row = []
        for slug, kind, vi, en in kinds:
            code = f"bench-{slug}-{province.code}"
            agency = Agency.objects.filter(code=code).first() or Agency.objects.create(
                kind=kind,
                code=code,
                name_vi=f"{vi} {province.name}",
                name_en=f"{en} {province.name}",
                province=province,
            )
            row.append(agency)
        found[province.code] = row
    return found


def users(hanoi_police: Any, elsewhere: Any) -> tuple[Any, Any]:
    from shield.accounts.models import Membership, User
    from shield.accounts.roles import Role, Scope

    made = []
    for username, agency, scope in (
        (USERNAME, hanoi_police, Scope.PROVINCE),
        (ASSIGNEE, elsewhere, Scope.AGENCY),
    ):
        user = User.objects.filter(username=username).first() or User.objects.create(
            username=username, first_name="Bench", last_name="Justice"
        )
        if not Membership.objects.filter(user=user, is_active=True).exists():
            Membership.objects.create(user=user, agency=agency, role=Role.JUSTICE_OFFICER, scope=scope)
        made.append(user)
    return made[0], made[1]


def populate(target: int, seed: int) -> dict[str, Any]:
    from django.db import connection
    from django.utils import timezone

    from shield.justice.models import Proceeding
    from shield.people.models import Person

    started = time.perf_counter()
    rng = random.Random(seed)
    by_province = agencies()
    codes = sorted(by_province)
    hanoi = next(c for c in codes if by_province[c][0].province.codename == "ha_noi")
    hcm = next((c for c in codes if by_province[c][0].province.codename == "ho_chi_minh"), codes[-1])
    bench_user, assignee = users(by_province[hanoi][0], by_province[hcm][0])
    have = Proceeding.objects.filter(reference__startswith=PREFIX).count()
    if have >= target:
        return {"generated": 0, "existing": have, "seconds": round(time.perf_counter() - started, 1)}
    persons = list(Person.objects.order_by().values_list("id", flat=True)[:300_000])
    weights = [0.1 if c in (hanoi, hcm) else 0.8 / (len(codes) - 2) for c in codes]
    now = timezone.now()
    five_years = 5 * 365 * 86400
    counts = dict.fromkeys(("proceedings", "offences", "holdings", "steps", "parties", "assignments"), 0)
    n = target - have
    batches: list[list[tuple[Any, ...]]] = [[] for _ in counts]
    proceedings, offences, holdings, steps, parties, assignments = batches
    for i in range(have, target):
        pid = uuid.uuid4()
        code = rng.choices(codes, weights)[0]
        police, procuracy, court = by_province[code]
        holders = [police, procuracy, court, police]
        reported = now - datetime.timedelta(seconds=rng.randrange(five_years))
        age_days = (now - reported).days
        stage = min(3, int(age_days / 180 * rng.random() * 2))
        status = "closed" if rng.random() < 0.1 else "suspended" if rng.random() < 0.08 else "open"
        closed_at = reported + datetime.timedelta(days=age_days * 0.9) if status == "closed" else None
        proceedings.append(
            (
                pid,
                now,
                now,
                1,
                f"{PREFIX}{code}-{i:07d}",
                "criminal",
                status,
                holders[stage].pk,
                ROLES[stage],
                reported,
                closed_at,
                "",
                bench_user.pk,
            )
        )
        chosen = [rng.choice(TRAFFICKING)] if rng.random() < 0.4 else []
        chosen += rng.sample(OTHERS, 1 if chosen else rng.choice((1, 2)))
        offences.extend((uuid.uuid4(), now, now, pid, c) for c in chosen)
        span = max(age_days, 4)
        starts = (
            sorted(reported + datetime.timedelta(days=rng.randrange(span)) for _ in range(stage))
            if stage
            else []
        )
        starts = [reported, *starts]
        for r, start in enumerate(starts):
            last = r == len(starts) - 1
            end = None if last and status != "closed" else (closed_at if last else starts[r + 1])
            holdings.append((uuid.uuid4(), now, now, pid, holders[r].pk, ROLES[r], start, end))
            day = start.date()
            kinds = ["report_received"] if r == 0 else []
            kinds += STEPS_BY_STAGE[r]
            for kind in kinds:
                steps.append((uuid.uuid4(), now, now, pid, kind, day, None, holders[r].pk, bench_user.pk, ""))
        if (stage >= 2 and rng.random() < 0.5) or rng.random() < 0.1:
            when = now + datetime.timedelta(seconds=rng.randrange(-2 * 365 * 86400, 365 * 86400))
            steps.append(
                (uuid.uuid4(), now, now, pid, "first_instance_trial", None, when, court.pk, bench_user.pk, "")
            )
        event_on = (reported - datetime.timedelta(days=rng.randrange(1, 60))).date()
        picked = rng.sample(persons, 3)
        roles = ["victim", "accused"] + (["witness"] if rng.random() < 0.4 else [])
        for person, role in zip(picked, roles, strict=False):
            child = rng.random() < (0.3 if role != "accused" else 0.08)
            parties.append(
                (
                    uuid.uuid4(),
                    now,
                    now,
                    1,
                    pid,
                    person,
                    role,
                    "",
                    event_on,
                    child,
                    None,
                    "",
                    None,
                    None,
                    None,
                )
            )
        officer = bench_user if code != hanoi and rng.random() < 0.01 else assignee
        assignments.append((uuid.uuid4(), now, now, pid, officer.pk, holders[stage].pk, bench_user.pk, None))
        if len(proceedings) >= 20_000 or i == target - 1:
            with connection.cursor() as cursor:
                _copy(
                    cursor,
                    "justice_proceeding",
                    COLUMNS["justice_proceeding"],
                    proceedings,
                )
                _copy(
                    cursor,
                    "justice_proceedingoffence",
                    COLUMNS["justice_proceedingoffence"],
                    offences,
                )
                _copy(
                    cursor,
                    "justice_proceedingholding",
                    COLUMNS["justice_proceedingholding"],
                    holdings,
                )
                _copy(
                    cursor,
                    "justice_proceedingstep",
                    COLUMNS["justice_proceedingstep"],
                    steps,
                )
                _copy(
                    cursor,
                    "justice_party",
                    COLUMNS["justice_party"],
                    parties,
                )
                _copy(
                    cursor,
                    "justice_justiceassignment",
                    COLUMNS["justice_justiceassignment"],
                    assignments,
                )
            for name, rows in zip(
                counts, (proceedings, offences, holdings, steps, parties, assignments), strict=True
            ):
                counts[name] += len(rows)
                rows.clear()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(COLUMNS))
    return {"generated": n, **counts, "seconds": round(time.perf_counter() - started, 1)}


def _copy(cursor: Any, table: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
    with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--proceedings", type=int, default=400_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--no-populate", action="store_true")
    args = parser.parse_args()

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DEBUG"] = "false"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.db import transaction
    from django.test import Client

    from shield.accounts.models import User
    from shield.justice.models import Party, Proceeding, ProceedingStep

    generated = None
    if not args.no_populate:
        with transaction.atomic():
            generated = populate(args.proceedings, args.seed)
    client = Client()
    client.force_login(User.objects.get(username=USERNAME))
    result = {
        "proceedings": Proceeding.objects.count(),
        "parties": Party.objects.count(),
        "steps": ProceedingStep.objects.count(),
        "populate": generated,
        "requests": args.requests,
        "user": USERNAME,
        "worklist": measure(client, "/justice/worklist/", args.requests),
        "proceeding_list": measure(client, "/justice/", args.requests),
        "proceeding_list_trafficking_children": measure(
            client, "/justice/?trafficking=on&children=on", args.requests
        ),
        "proceeding_list_page_5": measure(client, "/justice/?page=5", args.requests),
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
