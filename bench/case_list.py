"""Case list and person search under load: the page through Django against the bare SQL it needs.

    bash scripts/with_postgres.sh .venv/bin/python bench/case_list.py --persons 1000000

Populates the database with the project's own generator (`manage.py demo_data --persons N`,
about 30% of persons get a case) unless --no-populate, then times REQUESTS requests of each page
through Django's test client, signed in as the province-scope supervisor `sup.hanoi`, and the same
page's SQL executed bare on one connection. Prints JSON: p50/p95 of both and their ratio.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def populate(persons: int) -> float:
    started = time.perf_counter()
    env = {**os.environ, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    for command in (["migrate", "--noinput", "-v0"], ["demo_data", "--persons", str(persons)]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)  # noqa: S603
    return time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(client: Any, url: str, requests: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm caches, and check the page works
    assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    # Read the capture now: Django clears the query log when the next request starts.
    all_queries = len(captured.captured_queries)
    # The reads the page needs; its writes (session refresh, audit event) cannot be replayed as is.
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
                cursor.execute(sql)  # captured SQL has its parameters inlined
                if cursor.description is not None:
                    cursor.fetchall()
            sql_ms.append((time.perf_counter() - started) * 1000)

    page_p95, sql_p95 = percentile(page_ms, 0.95), percentile(sql_ms, 0.95)
    return {
        "url": url,
        "select_queries": len(statements),
        "all_queries": all_queries,
        "page_p50_ms": round(statistics.median(page_ms), 2),
        "page_p95_ms": round(page_p95, 2),
        "sql_p50_ms": round(statistics.median(sql_ms), 2),
        "sql_p95_ms": round(sql_p95, 2),
        "ratio_p95": round(page_p95 / sql_p95, 2) if sql_p95 else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--no-populate", action="store_true")
    parser.add_argument("--user", default="sup.hanoi")
    args = parser.parse_args()

    populate_s = None if args.no_populate else populate(args.persons)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DEBUG"] = "false"  # no query log, no debug toolbar: measure what production runs
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.test import Client

    from shield.accounts.models import User
    from shield.cases.models import Case
    from shield.people.models import Person

    client = Client()
    client.force_login(User.objects.get(username=args.user))
    result = {
        "persons": Person.objects.count(),
        "cases": Case.objects.count(),
        "populate_seconds": round(populate_s, 1) if populate_s is not None else None,
        "requests": args.requests,
        "user": args.user,
        "case_list_filtered": measure(client, "/cases/?stage=assessment", args.requests),
        "case_list_search": measure(client, "/cases/?q=nguyen+thi+hoa", args.requests),
        "person_search": measure(client, "/people/?q=nguyen+thi+hoa", args.requests),
        "person_search_with_year": measure(client, "/people/?q=hoa+1995", args.requests),
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
