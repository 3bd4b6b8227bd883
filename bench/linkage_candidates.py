"""“Possibly the same person” candidates: the selector and the person page against the bare SQL.

    source /tmp/pg1m/env && .venv/bin/python bench/linkage_candidates.py --persons 200

Runs against an already populated database (`manage.py demo_data --persons 1000000`; migrate
first so the linkage tables exist). Picks PERSONS random persons, then for each times
`people.candidates.candidates_for_person` (the selector), the same selector's SQL executed bare
on one connection, and optionally (`--page`) the whole person page through Django's test client,
signed in as USERNAME. Everything runs in one transaction that is rolled back (the page writes
audit events and a session), so the database is left as it was. Prints JSON: p50/p95 of each.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(percentile(values, 0.5), 2),
        "p95_ms": round(percentile(values, 0.95), 2),
        "mean_ms": round(statistics.fmean(values), 2),
    }


class _Rollback(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--persons", type=int, default=200)
    parser.add_argument(
        "--username", default="sup.hanoi", help="A user with people.view (default: sup.hanoi)."
    )
    parser.add_argument(
        "--national", action="store_true", help="Use a national-scope reader instead (no scope filter)."
    )
    parser.add_argument(
        "--page", action="store_true", help="Also time the person page through the test client."
    )
    parser.add_argument("--seed", type=float, default=0.42)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from shield.accounts.models import User
    from shield.people.candidates import candidates_for_person
    from shield.people.models import Person

    settings.ALLOWED_HOSTS = ["*"]
    result: dict[str, Any] = {"database": connection.vendor}
    try:
        with transaction.atomic():
            user = User.objects.get(username=args.username)
            reader: Any = user
            if args.national:
                # A reader whose scope is everything: the candidates are not narrowed by agency.
                from django.db.models import Q

                class National:
                    def has_perm(self, perm: str, obj: Any = None) -> bool:
                        return True

                    def scope_q(self, *a: Any, **k: Any) -> Q:
                        return Q()

                reader = National()
            with connection.cursor() as cursor:
                cursor.execute("SELECT setseed(%s)", [args.seed])
                cursor.execute(
                    "SELECT id FROM people_person TABLESAMPLE SYSTEM (1) ORDER BY random() LIMIT %s",
                    [args.persons],
                )
                ids = [row[0] for row in cursor.fetchall()]
            persons = list(Person.objects.filter(pk__in=ids))
            result["persons"] = len(persons)
            result["total_persons"] = Person.objects.count()
            selector_ms, sql_ms, found, queries = [], [], [], []
            for person in persons:
                candidates_for_person(user=reader, person=person)  # warm
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    found.append(len(candidates_for_person(user=reader, person=person)))
                    selector_ms.append((time.perf_counter() - started) * 1000)
                statements = [q["sql"] for q in captured.captured_queries]
                queries.append(len(statements))
                with connection.cursor() as cursor:
                    started = time.perf_counter()
                    for sql in statements:
                        cursor.execute(sql)
                        cursor.fetchall()
                    sql_ms.append((time.perf_counter() - started) * 1000)
            result["selector"] = summary(selector_ms)
            result["bare_sql"] = summary(sql_ms)
            result["p95_ratio_selector_to_sql"] = round(
                result["selector"]["p95_ms"] / max(result["bare_sql"]["p95_ms"], 0.001), 2
            )
            result["queries_per_lookup"] = max(queries)
            result["candidates_found_mean"] = round(statistics.fmean(found), 2)
            if args.page:
                client = Client()
                client.force_login(user)
                page_ms = []
                for person in persons:
                    url = f"/people/{person.pk}/"
                    client.get(url)
                    started = time.perf_counter()
                    response = client.get(url)
                    page_ms.append((time.perf_counter() - started) * 1000)
                    assert response.status_code in (200, 404), response.status_code
                result["person_page"] = summary(page_ms)
            raise _Rollback
    except _Rollback:
        pass
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
