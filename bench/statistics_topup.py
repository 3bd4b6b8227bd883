"""Top up a demo database with what a year's national report reads and the generator does not make.

    DATABASE_URL=... .venv/bin/python bench/statistics_topup.py

`manage.py demo_data --persons N` makes persons, cases and identification decisions, but (as of
issue 15) no forms of exploitation and only Vietnamese citizens, so the GLOTIP tables "by form of
exploitation" and "by citizenship" would have one category each. This adds, in SQL (seconds at a
million persons, where the ORM would take minutes), deterministically from each row's id:

- trafficking details (forms of exploitation, HTCDS values, a few cases with two forms) for 85%
  of the cases that have an identification decision and no details yet;
- another citizenship (or none recorded) for 9% of the persons who have a case;
- where no linkage run has assigned individuals yet (the generator runs linkage only up to 50,000
  persons), what a run would leave: one finished `LinkageRun`, an individual for every person,
  4% of the persons with a case sharing the individual of another person with a case (records of
  one person at two agencies), and open review pairs for 0.5% of them (so counts have records
  and ranges). This simulates a run's result; it is not the linkage engine's output (a real run
  at a million persons: `manage.py link_persons`, see bench/README.md, linkage.py).

Idempotent: a second run changes nothing. Synthetic data only, like the generator's.
"""

import os
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# md5 of the id as two independent numbers 0..99 ("random" but the same on every run).
H1 = "(('x' || substr(md5({col}::text), 1, 8))::bit(32)::bigint % 100)"
H2 = "(('x' || substr(md5({col}::text), 9, 8))::bit(32)::bigint % 100)"

FORMS = [  # (cumulative share in %, forms)
    (35, '["SexualExploitation"]'),
    (65, '["ForcedLabour"]'),
    (72, '["SexualExploitation", "ForcedLabour"]'),
    (82, '["ForcedMarriage"]'),
    (87, '["ChildLabour"]'),
    (91, '["ForcedBegging"]'),
    (94, '["Servitude"]'),
    (96, '["OrganRemoval"]'),
    (98, '["Surrogacy"]'),
    (100, '["Other"]'),
]
CITIZENSHIPS = [  # (cumulative share in %, ISO code; "" is none recorded)
    (30, "KH"),
    (50, "LA"),
    (65, "CN"),
    (75, "MM"),
    (82, "TH"),
    (87, ""),
    (90, "KR"),
    (93, "MY"),
    (95, "ID"),
    (97, "PH"),
    (99, "JP"),
    (100, "US"),
]


def _case_when(hash_sql: str, choices: list[tuple[int, str]], cast: str = "") -> str:
    whens = " ".join(f"WHEN {hash_sql} < {upto} THEN '{value}'{cast}" for upto, value in choices)
    return f"CASE {whens} END"


# Persons with a case in a fixed pseudo-random order; each takes the individual of the person
# before it in that order when its first number is below 4 (4%).
LINKAGE_SQL = [
    """
    CREATE TEMP TABLE bench_keys ON COMMIT DROP AS
    WITH ordered AS (
        SELECT p.id, {h1} AS h1, {h2} AS h2,
               lag(p.id) OVER (ORDER BY md5(p.id::text)) AS previous
        FROM people_person p
        WHERE EXISTS (SELECT 1 FROM cases_case c WHERE c.person_id = p.id)
    )
    SELECT id AS person_id,
           CASE WHEN h1 < 4 AND previous IS NOT NULL THEN previous ELSE id END AS key,
           CASE WHEN h2 < 1 AND h1 >= 4 AND previous IS NOT NULL THEN previous END AS pair_with
    FROM ordered
    """,
    """
    INSERT INTO linkage_linkagerun
        (id, created_at, updated_at, status, progress, stage, task_id, person_count, individual_count,
         new_individual_count, reassigned_count, linked_pair_count, review_pair_count, started_at,
         finished_at, error, model, requested_by_id)
    VALUES (%(run)s, now(), now(), 'finished', 100, 'bench top-up', '', 0, 0, 0, 0, 0, 0, now(), now(),
            '', '{{}}', NULL)
    """,
    """
    CREATE TEMP TABLE bench_individuals ON COMMIT DROP AS
    SELECT key, md5('individual:' || key::text)::uuid AS individual_id,
           row_number() OVER (ORDER BY key) AS number
    FROM (SELECT DISTINCT coalesce(k.key, p.id) AS key
          FROM people_person p LEFT JOIN bench_keys k ON k.person_id = p.id) keys
    """,
    """
    INSERT INTO linkage_individual (id, created_at, updated_at, number, code, first_run_id)
    SELECT individual_id, now(), now(), number, 'I' || lpad(number::text, 6, '0'), %(run)s
    FROM bench_individuals
    """,
    """
    INSERT INTO linkage_personindividual (person_id, updated_at, individual_id, run_id)
    SELECT p.id, now(), i.individual_id, %(run)s
    FROM people_person p
    LEFT JOIN bench_keys k ON k.person_id = p.id
    JOIN bench_individuals i ON i.key = coalesce(k.key, p.id)
    """,
    """
    INSERT INTO linkage_reviewpair
        (id, created_at, updated_at, version, match_probability, match_weight, evidence, status,
         decided_at, reason, decided_by_id, person_low_id, person_high_id, run_id)
    SELECT gen_random_uuid(), now(), now(), 1, 0.7, 3.0, '[]', 'open', NULL, '', NULL,
           least(person_id, pair_with), greatest(person_id, pair_with), %(run)s
    FROM bench_keys WHERE pair_with IS NOT NULL
    """,
]


def _linkage(cursor: Any) -> tuple[int, int, int]:
    """Individuals, persons sharing one and open pairs, as a linkage run would leave them."""
    cursor.execute("SELECT EXISTS (SELECT 1 FROM linkage_personindividual)")
    if cursor.fetchone()[0]:
        return 0, 0, 0
    run = uuid.uuid4()
    for statement in LINKAGE_SQL:
        cursor.execute(
            # With parameters, a literal % is written %%.
            statement.format(
                h1=H1.format(col="p.id").replace("%", "%%"), h2=H2.format(col="p.id").replace("%", "%%")
            ),
            {"run": run},
        )
    cursor.execute("SELECT count(*) FROM bench_individuals")
    individuals = cursor.fetchone()[0]
    cursor.execute("SELECT count(*) FROM bench_keys WHERE key <> person_id")
    shared = cursor.fetchone()[0]
    cursor.execute("SELECT count(*) FROM linkage_reviewpair WHERE run_id = %s", [run])
    pairs = cursor.fetchone()[0]
    cursor.execute(
        "UPDATE linkage_linkagerun SET person_count = (SELECT count(*) FROM people_person), "
        "individual_count = %s, new_individual_count = %s, review_pair_count = %s WHERE id = %s",
        [individuals, individuals, pairs, run],
    )
    return individuals, shared, pairs


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.db import connection, transaction

    started = time.perf_counter()
    forms = _case_when(H2.format(col="c.id"), FORMS, "::jsonb")
    details_sql = f"""
        INSERT INTO cases_traffickingdetails
            (id, created_at, updated_at, version, forms_of_exploitation, methods_of_control,
             recruitment_methods, recruitment_websites_and_apps, exploitation_websites_and_apps,
             relationship_to_trafficker, duration_days, case_id, updated_by_id)
        SELECT gen_random_uuid(), c.opened_at, c.opened_at, 1, {forms}, '[]', '[]', '[]', '[]', '',
               NULL, c.id, c.created_by_id
        FROM cases_case c
        WHERE EXISTS (SELECT 1 FROM cases_identificationdecision d WHERE d.case_id = c.id)
          AND NOT EXISTS (SELECT 1 FROM cases_traffickingdetails t WHERE t.case_id = c.id)
          AND {H1.format(col="c.id")} < 85
    """  # noqa: S608 (constants only)
    citizenship = _case_when(H2.format(col="p.id"), CITIZENSHIPS)
    nationality_sql = f"""
        UPDATE people_person p SET nationality = {citizenship}
        WHERE p.nationality = 'VN'
          AND {H1.format(col="p.id")} < 9
          AND EXISTS (SELECT 1 FROM cases_case c WHERE c.person_id = p.id)
    """  # noqa: S608 (constants only)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(details_sql)
        details = cursor.rowcount
        cursor.execute(nationality_sql)
        persons = cursor.rowcount
        individuals, shared, pairs = _linkage(cursor)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_traffickingdetails")
        cursor.execute("ANALYZE people_person")
        for table in ("linkage_individual", "linkage_personindividual", "linkage_reviewpair"):
            cursor.execute(f"ANALYZE {table}")
    print(
        f"statistics top-up: {details} cases given forms of exploitation, {persons} persons another "
        f"citizenship; linkage: {individuals} individuals, {shared} persons sharing one, {pairs} open "
        f"review pairs; in {time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
