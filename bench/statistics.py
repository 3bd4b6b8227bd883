"""A year's national report at a million persons: PostgreSQL (Shield's own code) against DuckDB.

    nice -n 10 .venv/bin/python bench/statistics.py --persons 1000000     # populate, then measure
    .venv/bin/python bench/statistics.py --no-populate --year 2025        # against DATABASE_URL

Populates the database with the project's own generator (`manage.py demo_data --persons N`, then
`bench/statistics_topup.py` for what the report needs and the generator does not make, then
`manage.py statistics_refresh --full` for the case facts) unless --no-populate. Then, as the
national statistician `stats`:

- **shield**: `reports.report_build(period=YEAR, table_set="glotip")`, REPEATS times (p50/p95):
  every GLOTIP table of victims detected (total; sex x age; form of exploitation; citizenship),
  counted together from one read of the year's case facts (`selectors.tables_for`: unique
  individuals, records and the range), protected together (`disclosure.protect`: primary and
  secondary suppression with the interval audit). The phases are also timed on their own:
  counting, suppression with its audit, and the audit alone (`disclosure.audit.intervals` over
  the final pattern once more).
- **duckdb**: the rows the counting reads (one row per identification decision, joined with its
  case, person, linkage individual and forms of exploitation) are exported once from PostgreSQL
  (`COPY ... TO STDOUT`, timed apart) into an in-memory DuckDB table; then the same aggregates
  (latest decision, first detecting decision in the year, age at identification, unique
  individuals and records by the same groupings, margins included) are computed by DuckDB, timed
  the same way. The range's lower end (pending review pairs) is Shield's alone: not in the
  baseline.

Every cell's `value` and `records` must be equal in both, or the bench exits with an error.
`--freshness` also measures how long after an identification decision is recorded the victim
counts in `table_for`, reading again every second (the decision is rolled back afterwards).
Prints JSON.
"""

import sys
from pathlib import Path

# This file is named like the standard library's `statistics`: take bench/ off the path first, so
# that a library's `import statistics` finds the standard module.
BENCH = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH]

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))


def populate(persons: int) -> float:
    started = time.perf_counter()
    env = {**os.environ, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    for command in (["migrate", "--noinput", "-v0"], ["demo_data", "--persons", str(persons)]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)  # noqa: S603
    subprocess.run([sys.executable, "bench/statistics_topup.py"], cwd=ROOT, env=env, check=True)
    # The case facts of every case once (then each read refreshes them incrementally).
    subprocess.run(
        [sys.executable, "manage.py", "statistics_refresh", "--full", "-v0"], cwd=ROOT, env=env, check=True
    )
    return time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(function: Callable[[], Any], repeats: int) -> tuple[Any, dict[str, float]]:
    """Run `function` once to warm caches, then `repeats` times; its last result and p50/p95 in ms."""
    result = function()
    times: list[float] = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    return result, {
        "p50_ms": round(percentile(times, 0.5), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "min_ms": round(min(times), 1),
    }


# --- The baseline: the rows the counting reads, exported once, aggregated by DuckDB ---------------

# One row per identification decision of a case, with what counting needs to know about the case.
EXPORT_SQL = """
SELECT d.case_id::text AS case_id, d.status, d.decided_on, d.created_at,
       c.person_id::text AS person_id,
       COALESCE(pi.individual_id::text, c.person_id::text) AS unit_id,
       p.sex, p.birth_date, p.birth_date_precision, p.estimated_age, p.age_estimated_on,
       p.nationality, td.forms_of_exploitation::text AS forms
FROM cases_identificationdecision d
JOIN cases_case c ON c.id = d.case_id
JOIN people_person p ON p.id = c.person_id
LEFT JOIN linkage_personindividual pi ON pi.person_id = c.person_id
LEFT JOIN cases_traffickingdetails td ON td.case_id = c.id
"""

DUCKDB_COLUMNS = {
    "case_id": "VARCHAR",
    "status": "VARCHAR",
    "decided_on": "DATE",
    "created_at": "TIMESTAMPTZ",
    "person_id": "VARCHAR",
    "unit_id": "VARCHAR",
    "sex": "VARCHAR",
    "birth_date": "DATE",
    "birth_date_precision": "VARCHAR",
    "estimated_age": "INTEGER",
    "age_estimated_on": "DATE",
    "nationality": "VARCHAR",
    "forms": "VARCHAR",
}


def export_rows(path: Path) -> dict[str, Any]:
    """COPY the rows out of PostgreSQL into a CSV file (the export the baseline reads)."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor, path.open("wb") as out:
        raw = cursor.cursor  # psycopg 3
        with raw.copy(f"COPY ({EXPORT_SQL}) TO STDOUT WITH (FORMAT csv, HEADER true)") as copy:
            for block in copy:
                out.write(block)
    copied = time.perf_counter() - started
    return {"export_seconds": round(copied, 2), "export_bytes": path.stat().st_size}


def duckdb_load(path: Path) -> tuple[Any, float, int]:
    import duckdb

    started = time.perf_counter()
    db = duckdb.connect()
    db.execute("SET threads TO 2")
    columns = ", ".join(f"'{name}': '{kind}'" for name, kind in DUCKDB_COLUMNS.items())
    db.execute(
        f"CREATE TABLE decisions AS SELECT * FROM read_csv('{path}', header = true, columns = {{{columns}}})"  # noqa: S608
    )
    counted = db.execute("SELECT count(*) FROM decisions").fetchone()
    assert counted is not None
    return db, time.perf_counter() - started, int(counted[0])


def _case_sql(
    *, year: int, detected: tuple[str, ...], sexes: tuple[str, ...], countries: tuple[str, ...]
) -> str:
    """The detected victims of the year, one row per case, with their dimensions (as counting.py:
    latest decision detecting, dated by the first detecting decision; age on that day from the
    latest birth date the record allows)."""

    def quoted(values: tuple[str, ...]) -> str:
        return ", ".join("'" + v.replace("'", "''") + "'" for v in values)

    from shield.statistics import dimensions as dims

    groups = []
    for group, values in dims.EXPLOITATION_GROUPS.items():
        condition = " OR ".join(f"contains(forms, '\"{value}\"')" for value in values)
        groups.append((group, f"COALESCE({condition}, false)"))
    known = " OR ".join(condition for _, condition in groups)
    forms_list = " || ".join(
        f"CASE WHEN {condition} THEN ['{group}'] ELSE [] END" for group, condition in groups
    )
    # The SQL is made of the code's own constants only.
    return f"""
    WITH per_case AS (
        SELECT case_id,
               arg_max(status, (decided_on, created_at)) AS latest,
               min(decided_on) FILTER (WHERE status IN ({quoted(detected)})) AS ref_date,
               any_value(person_id) AS person_id, any_value(unit_id) AS unit_id,
               any_value(sex) AS sex, any_value(birth_date) AS born,
               any_value(birth_date_precision) AS precision, any_value(estimated_age) AS estimated_age,
               any_value(age_estimated_on) AS estimated_on, any_value(nationality) AS nationality,
               any_value(forms) AS forms
        FROM decisions GROUP BY case_id
    ), victims AS (
        SELECT *,
            CASE WHEN precision = 'estimated_age' THEN year(estimated_on) - estimated_age
                 WHEN precision IN ('day', 'month', 'year') THEN year(born) END AS b_y,
            CASE WHEN precision = 'estimated_age' THEN month(estimated_on)
                 WHEN precision IN ('day', 'month') THEN month(born)
                 WHEN precision = 'year' THEN 12 END AS b_m,
            CASE WHEN precision = 'estimated_age' THEN day(estimated_on)
                 WHEN precision = 'day' THEN day(born)
                 WHEN precision = 'year' THEN 31 END AS b_d
        FROM per_case
        WHERE latest IN ({quoted(detected)})
          AND ref_date BETWEEN DATE '{year}-01-01' AND DATE '{year}-12-31'
    ), days AS (
        SELECT *,
            coalesce(b_d, CASE WHEN b_m IN (4, 6, 9, 11) THEN 30 WHEN b_m <> 2 THEN 31
                               WHEN b_y % 4 = 0 AND (b_y % 100 <> 0 OR b_y % 400 = 0) THEN 29
                               ELSE 28 END) AS b_d2,
            year(ref_date) AS r_y, month(ref_date) * 100 + day(ref_date) AS r_md
        FROM victims
    ), aged AS (
        SELECT *,
            CASE WHEN b_y IS NULL THEN NULL
                 WHEN r_md < (CASE WHEN b_m = 2 AND b_d2 = 29
                                        AND NOT (r_y % 4 = 0 AND (r_y % 100 <> 0 OR r_y % 400 = 0))
                                   THEN 228 ELSE b_m * 100 + b_d2 END)
                 THEN r_y - b_y - 1
                 ELSE r_y - b_y END AS age
        FROM days
    )
    SELECT unit_id, person_id,
           CASE WHEN sex IN ({quoted(sexes)}) THEN sex ELSE '{dims.UNKNOWN}' END AS d_sex,
           CASE WHEN age IS NULL THEN '{dims.UNKNOWN}' WHEN age < 18 THEN '{dims.CHILD}'
                ELSE '{dims.ADULT}' END AS d_age_unodc,
           CASE WHEN nationality IN ({quoted(countries)}) THEN nationality ELSE '{dims.UNKNOWN}' END
               AS d_citizenship,
           CASE WHEN forms IS NULL OR NOT ({known}) THEN ['{dims.UNKNOWN}'] ELSE {forms_list} END AS forms_of
    FROM aged
    """  # noqa: S608


Cells = dict[tuple[int, tuple[str, ...]], tuple[int, int]]


def duckdb_tables(db: Any, *, year: int, specs: list[Any]) -> Cells:
    """value and records of every non-zero cell of every table, keyed (table position, key)."""
    from shield.statistics import dimensions as dims
    from shield.statistics.counting import DETECTED
    from shield.statistics.tables import TOTAL

    sexes = tuple(c for c in dims.dimension_get(dims.SEX).codes if c != dims.UNKNOWN)
    countries = tuple(c for c in dims.dimension_get(dims.CITIZENSHIP).codes if c != dims.UNKNOWN)
    db.execute(
        "CREATE OR REPLACE TEMP TABLE victims AS "
        + _case_sql(year=year, detected=tuple(str(s) for s in DETECTED), sexes=sexes, countries=countries)
    )
    out: Cells = {}
    for position, spec in enumerate(specs):
        cut = list(spec.dimensions)
        measures = "count(DISTINCT unit_id), count(DISTINCT person_id)"
        if not cut:
            value, records = db.execute(f"SELECT {measures} FROM victims").fetchone()  # noqa: S608
            out[(position, ())] = (value, records)
        elif cut == [dims.EXPLOITATION]:
            for category, value, records in db.execute(
                f"SELECT form, {measures} FROM (SELECT unit_id, person_id, unnest(forms_of) AS form "  # noqa: S608
                "FROM victims) GROUP BY form"
            ).fetchall():
                out[(position, (category,))] = (value, records)
            value, records = db.execute(f"SELECT {measures} FROM victims").fetchone()  # noqa: S608
            out[(position, (TOTAL,))] = (value, records)
        else:
            columns = [f"d_{d}" for d in cut]
            grouping = ", ".join(columns)
            selected = ", ".join(f"coalesce({c}, '{TOTAL}')" for c in columns)
            for row in db.execute(
                f"SELECT {selected}, {measures} FROM victims GROUP BY CUBE ({grouping})"  # noqa: S608
            ).fetchall():
                out[(position, tuple(row[: len(cut)]))] = (row[-2], row[-1])
    return out


def compare(report_tables: list[Any], baseline: Cells) -> int:
    """The number of cells compared; exits with an error at the first cell that differs."""
    compared = 0
    for position, table in enumerate(report_tables):
        for key, count in table.cells.items():
            expected = baseline.get((position, key), (0, 0))
            if (count.value, count.records) != expected:
                sys.exit(
                    f"MISMATCH in table {position} ({table.indicator} by {table.dimensions}) at {key}: "
                    f"PostgreSQL value/records {count.value}/{count.records}, "
                    f"DuckDB {expected[0]}/{expected[1]}"
                )
            compared += 1
        extra = [k for (p, k) in baseline if p == position and k not in table.cells]
        if extra:
            sys.exit(f"MISMATCH in table {position}: DuckDB has cells the table lacks, e.g. {extra[0]}")
    return compared


# --- Freshness ---------------------------------------------------------------------------------


class _Rollback(Exception):
    pass


def freshness(user: Any, period: str) -> dict[str, Any]:
    """Record an identification decision on a registered case, then count until the victim shows."""
    from django.db import transaction
    from django.utils import timezone

    from shield.accounts.models import Membership
    from shield.cases.models import Case, IdentificationDecision
    from shield.cases.services.lifecycle import identification_decide
    from shield.statistics.facts import refresh_seconds
    from shield.statistics.selectors import table_for

    today = timezone.localdate()
    case = (
        Case.objects.filter(stage="registered")
        .exclude(pk__in=IdentificationDecision.objects.values("case_id"))
        .order_by("opened_at")
        .first()
    )
    if case is None:
        return {"skipped": "no registered case without a decision"}
    worker = (
        Membership.objects.filter(agency_id=case.owner_agency_id, is_active=True, role="case_worker")
        .select_related("user")
        .first()
    )
    if worker is None:
        return {"skipped": "no case worker at the case's agency"}
    result: dict[str, Any] = {}
    try:
        with transaction.atomic():
            before = table_for(user=user, indicator="victims_detected", period=period).total
            started = time.perf_counter()
            identification_decide(
                actor=worker.user,
                case=case,
                status="identified",
                body_name="Bench",
                body_type="police_provincial",
                decided_on=today,
                basis="Bench: freshness (rolled back)",
            )
            recorded = time.perf_counter()
            # Count again (as a dashboard would be reloaded) until the victim counts, or 6 minutes.
            reads = 0
            while True:
                after = table_for(user=user, indicator="victims_detected", period=period).total
                reads += 1
                if after.records > before.records or time.perf_counter() - recorded > 360:
                    break
                time.sleep(1)
            counted = time.perf_counter()
            result = {
                "period": period,
                "records_before": before.records,
                "records_after": after.records,
                "counted": after.records == before.records + 1,
                "decision_ms": round((recorded - started) * 1000, 1),
                "delay_until_counted_s": round(counted - recorded, 1),
                "reads": reads,
                "mechanism": (
                    "case facts refreshed incrementally at read time, at most every "
                    f"{refresh_seconds():g} s (shield.statistics.facts)"
                ),
            }
            raise _Rollback
    except _Rollback:
        pass
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--no-populate", action="store_true")
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--user", default="stats")
    parser.add_argument("--table-set", default="glotip")
    parser.add_argument("--freshness", action="store_true")
    args = parser.parse_args()

    populate_s = None if args.no_populate else populate(args.persons)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DEBUG"] = "false"  # no query log: measure what production runs
    import django

    django.setup()
    from django.utils import timezone

    from shield.accounts.models import User
    from shield.cases.models import Case, IdentificationDecision
    from shield.linkage.models import PairStatus, PersonIndividual, ReviewPair
    from shield.people.models import Person
    from shield.statistics import disclosure, indicators, reports, selectors
    from shield.statistics.disclosure.audit import intervals
    from shield.statistics.disclosure.relations import build

    user = User.objects.get(username=args.user)
    period = str(args.year)
    specs = reports.specs_of_set(args.table_set)

    def count() -> list[Any]:
        return [
            selectors.table_for(user=user, indicator=s.indicator, period=period, dimensions=s.dimensions)
            for s in specs
        ]

    counted, counting_t = timed(count, args.repeats)
    per_table = []
    for spec in specs:

        def one(spec: Any = spec) -> Any:
            return selectors.table_for(
                user=user, indicator=spec.indicator, period=period, dimensions=spec.dimensions
            )

        _, t = timed(one, max(3, args.repeats // 3))
        per_table.append({"table": f"{spec.indicator} by {','.join(spec.dimensions) or 'total'}", **t})
    threshold = min(indicators.indicator_get(s.indicator).threshold for s in specs)
    protection, protect_t = timed(lambda: disclosure.protect(counted, threshold=threshold), args.repeats)

    def audit_only() -> Any:
        system = build(counted, ())
        suppressed = {
            system.table_index[t][key]
            for t, pt in enumerate(protection.tables)
            for key, status in pt.status.items()
            if status is not disclosure.CellStatus.PUBLISHED
        }
        return intervals(system, suppressed)

    _, audit_t = timed(audit_only, args.repeats)
    report, report_t = timed(
        lambda: reports.report_build(user=user, period=period, table_set=args.table_set), args.repeats
    )
    if not report.audit_ok:
        sys.exit("the report's disclosure audit failed")

    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "decisions.csv"
        exported = export_rows(path)
        db, load_s, exported_rows = duckdb_load(path)
    baseline, duck_t = timed(lambda: duckdb_tables(db, year=args.year, specs=specs), args.repeats)
    compared = compare(report.tables, baseline)

    suppressed = sum(pt.suppressed for pt in report.protection.tables)
    result = {
        "persons": Person.objects.count(),
        "cases": Case.objects.count(),
        "identification_decisions": IdentificationDecision.objects.count(),
        "linked_persons": PersonIndividual.objects.count(),
        "pending_review_pairs": ReviewPair.objects.filter(status=PairStatus.OPEN).count(),
        "populate_seconds": round(populate_s, 1) if populate_s is not None else None,
        "period": period,
        "table_set": args.table_set,
        "tables": len(specs),
        "cells": sum(len(t.cells) for t in report.tables),
        "cells_suppressed": suppressed,
        "victims_detected": {
            "value": report.tables[0].total.value,
            "records": report.tables[0].total.records,
            "low": report.tables[0].total.low,
        },
        "repeats": args.repeats,
        "shield_report_build": report_t,
        "shield_counting": counting_t,
        "shield_counting_per_table": per_table,
        "shield_suppression_with_audit": protect_t,
        "shield_audit_alone": audit_t,
        "duckdb_export": {**exported, "load_seconds": round(load_s, 2), "rows": exported_rows},
        "duckdb_aggregates": duck_t,
        "ratio_p50": round(report_t["p50_ms"] / duck_t["p50_ms"], 2),
        "ratio_p95": round(report_t["p95_ms"] / duck_t["p95_ms"], 2),
        "identical_cells": compared,
    }
    if args.freshness:
        result["freshness"] = freshness(user, period=str(timezone.localdate().year))
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
