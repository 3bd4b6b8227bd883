"""Top up a demo database with what a year's national report reads and the generator does not make.

    DATABASE_URL=... .venv/bin/python bench/statistics_topup.py

`manage.py demo_data --persons N` makes persons, cases and identification decisions, but (as of
issue 15) no forms of exploitation and only Vietnamese citizens, so the GLOTIP tables "by form of
exploitation" and "by citizenship" would have one category each. This adds, in SQL (seconds at a
million persons, where the ORM would take minutes), deterministically from each row's id:

- trafficking details (forms of exploitation, HTCDS values, a few cases with two forms) for 85%
  of the cases that have an identification decision and no details yet;
- another citizenship (or none recorded) for 9% of the persons who have a case.

Idempotent: a second run changes nothing. Synthetic data only, like the generator's.
"""

import os
import sys
import time
from pathlib import Path

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
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_traffickingdetails")
        cursor.execute("ANALYZE people_person")
    print(
        f"statistics top-up: {details} cases given forms of exploitation, {persons} persons another "
        f"citizenship, in {time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
