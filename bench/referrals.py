"""The referral network at national scale: Shield's selectors against bare SQL for the same page.

    DATABASE_URL=postgres://... .venv/bin/python bench/referrals.py                # populate, measure
    DATABASE_URL=postgres://... .venv/bin/python bench/referrals.py --no-populate  # reuse the data

Populates unless --no-populate: `migrate`, then `manage.py referrals_bench_data` (about 500,000
referrals with their steps, a directory of ~2,900 services, 50,000 shelter stays) on top of a
database that `manage.py demo_data --persons 1000000` filled (`--persons N` runs that first).

Then, REPEATS times each after one warm-up (p50/p95 in ms), side by side in one run:

- **inbox** "referrals to us": `lifecycle.selectors.referral_inbox_for(user=..., filters=...)`, its
  first page of 25 (and the page's capped count, as the list page pages it) as the service-provider
  staff of the receiving agency with the most referrals sees it; against hand-written SQL returning
  the same rows and the columns the page shows, read as the page reads them (`for_list`). Every
  state, and open only (the page's default).
- **directory search**: `directory.selectors.service_search_for(user=..., filters=ServiceFilters(
  q=..., province=...))` first page of 25, as a case worker; against the same search in bare SQL.
- **vacancy board**: `shelters.selectors.vacancy_board_for(user=...)` (every active shelter and
  category: beds in force, open stays, live holds); against one bare SQL statement.
- **HSDS export** of the whole directory: the directory part's export function, timed, its output
  checked (every service once, the HSDS required fields present, shelter addresses redacted).
- **pages** through Django's test client (render included) against the SELECTs the page ran, replayed
  bare (as `bench/case_list.py` does).

A selector not on this branch yet is reported as `missing` (its baseline is still measured).
Every "ours" result is compared with its baseline (same ids in the same order) or the bench exits
with an error. Prints JSON.
"""

import sys
from pathlib import Path

# bench/statistics.py shadows the standard library's `statistics` (splink imports it): take bench/
# off the path before importing anything else.
BENCH = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH]

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

PAGE = 25  # the inbox page (lifecycle views.PAGE_SIZE)
SEARCH_PAGE = 20  # the directory page (directory views.PAGE_SIZE)
CAP = 1000  # CappedPaginator's: counts stop at the cap (reads cap + 1 rows to know "more")
OPEN = ("sent", "waitlisted", "accepted", "in_service")


def populate(persons: int | None) -> float:
    started = time.perf_counter()
    env = {**os.environ, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    commands = [["migrate", "--noinput", "-v0"]]
    if persons:
        commands.append(["demo_data", "--persons", str(persons)])
    commands.append(["referrals_bench_data"])
    for command in commands:
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)  # noqa: S603
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
        "p50_ms": round(percentile(times, 0.5), 2),
        "p95_ms": round(percentile(times, 0.95), 2),
        "min_ms": round(min(times), 2),
    }


def side_by_side(
    name: str,
    ours: Callable[[], Any] | None,
    bare: Callable[[], Any],
    repeats: int,
    *,
    same: Callable[[Any, Any], bool] | None = None,
    missing: str = "",
) -> dict[str, Any]:
    """Time `ours` and `bare` alternately (the same noise for both) and check they agree."""
    bare_result, bare_t = timed(bare, repeats)
    entry: dict[str, Any] = {"bare_sql": bare_t, "bare_rows": _size(bare_result)}
    if ours is None:
        entry["ours"] = f"missing: {missing}"
        return entry
    ours_result, ours_t = timed(ours, repeats)
    # Once more, the other way round, so that neither always runs on the warmer cache.
    bare_result, bare_t2 = timed(bare, repeats)
    bare_t = {k: min(bare_t[k], bare_t2[k]) for k in bare_t}
    if same is not None and not same(ours_result, bare_result):
        sys.exit(f"MISMATCH in {name}: {_difference(ours_result, bare_result)}")
    entry.update(
        ours=ours_t,
        bare_sql=bare_t,
        ours_rows=_size(ours_result),
        ratio_p50=round(ours_t["p50_ms"] / bare_t["p50_ms"], 2) if bare_t["p50_ms"] else None,
        ratio_p95=round(ours_t["p95_ms"] / bare_t["p95_ms"], 2) if bare_t["p95_ms"] else None,
    )
    return entry


def _size(result: Any) -> Any:
    if isinstance(result, tuple) and len(result) == 2 and isinstance(result[0], list):
        return {"rows": len(result[0]), "count": result[1]}
    return len(result) if hasattr(result, "__len__") else None


def _difference(ours: Any, bare: Any) -> str:
    if isinstance(ours, tuple) and isinstance(bare, tuple) and len(ours) == len(bare) == 2:
        rows = [i for i, (a, b) in enumerate(zip(ours[0], bare[0], strict=False)) if a != b]
        return (
            f"rows {len(ours[0])} / {len(bare[0])}, first differing position {rows[:1]}, "
            f"count {ours[1]} / {bare[1]} (ours / bare SQL)"
        )
    return f"ours {repr(ours)[:300]} against bare SQL {repr(bare)[:300]}"


def fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# --- "Referrals to us" ----------------------------------------------------------------------------

# The rows the inbox page shows (presenters.rows): the referral, the person (name, masked for a
# child unless the role sees children's names: the same columns are needed either way), who sent it,
# to which provider and service. Ordered as the selector orders: the oldest deadline first.
INBOX_SQL = """
SELECT r.id, r.reference, r.status, r.urgency, r.service_type, r.sent_at, r.respond_by, r.accepted_at,
       r.closed_at, r.outcome, p.id, p.family_name, p.middle_name, p.given_name, p.sex, p.birth_date,
       fa.name_vi, fa.name_en, pr.name, s.name, c.reference, u.first_name, u.last_name
FROM referrals_referral r
JOIN people_person p ON p.id = r.person_id
JOIN cases_case c ON c.id = r.case_id
JOIN accounts_agency fa ON fa.id = r.from_agency_id
JOIN accounts_user u ON u.id = r.referred_by_id
JOIN referrals_provider pr ON pr.id = r.provider_id
LEFT JOIN referrals_service s ON s.id = r.service_id
WHERE r.to_agency_id IN ({agencies}) {status}
ORDER BY r.respond_by, r.id
LIMIT {limit}
"""
# The page's capped count (CappedPaginator, cap 1,000, in any order).
INBOX_COUNT_SQL = """
SELECT count(*) FROM (
    SELECT 1 FROM referrals_referral r WHERE r.to_agency_id IN ({agencies}) {status} LIMIT 1001
) t
"""


def inbox_bare(agency_ids: list[Any], open_only: bool) -> Callable[[], tuple[list[Any], int]]:
    # Placeholders one by one, as the ORM writes `IN (...)`: the planner sees the values.
    status = f"AND r.status IN ({', '.join(['%s'] * len(OPEN))})" if open_only else ""
    agencies = ", ".join(["%s"] * len(agency_ids))
    params: list[Any] = [*agency_ids, *(OPEN if open_only else ())]
    rows_sql = INBOX_SQL.format(agencies=agencies, status=status, limit=PAGE)
    count_sql = INBOX_COUNT_SQL.format(agencies=agencies, status=status)

    def run() -> tuple[list[Any], int]:
        rows = fetch(rows_sql, params)
        return [r[0] for r in rows], min(fetch(count_sql, params)[0][0], CAP)

    return run


def inbox_ours(user: Any, open_only: bool) -> Callable[[], tuple[list[Any], int]] | None:
    try:
        from shield.referrals.lifecycle.selectors import ReferralFilters, for_list, referral_inbox_for
    except ImportError:
        return None
    from shield.core.pagination import CappedPaginator

    def run() -> tuple[list[Any], int]:
        # As the page: the columns a row shows (`for_list`), not the referral's encrypted reason.
        referrals = for_list(referral_inbox_for(user=user, filters=ReferralFilters(open_only=open_only)))
        page = CappedPaginator(referrals, PAGE, count_in_order=False).get_page(1)
        rows = list(page.object_list)
        for r in rows:  # what the page reads of each row
            _ = (r.person.given_name, r.from_agency.name_vi, r.provider.name, r.service, r.case.reference)
        return [r.pk for r in rows], page.paginator.count

    return run


# --- The directory search -------------------------------------------------------------------------

SEARCH_SQL = """
SELECT s.id, s.name, s.service_type, s.status, s.capacity_available, s.capacity_maximum,
       s.capacity_updated_at, s.child_friendly, s.languages, pr.id, pr.name, pr.agency_id, pv.name
FROM referrals_service s
JOIN referrals_provider pr ON pr.id = s.provider_id
JOIN geo_province pv ON pv.id = s.province_id
WHERE pr.is_active AND s.status <> 'closed' {words}
  AND (s.province_id = %s
       OR EXISTS (SELECT 1 FROM referrals_servicearea a WHERE a.service_id = s.id AND a.province_id = %s))
ORDER BY s.name, s.id
LIMIT {limit}
"""


def search_bare(words: list[str], province_id: Any) -> Callable[[], tuple[list[Any], int]]:
    clause = "".join(" AND s.search_text LIKE %s" for _ in words)
    params: list[Any] = [f"% {w}%" for w in words] + [province_id, province_id]
    sql = SEARCH_SQL.format(words=clause, limit=SEARCH_PAGE)
    count_sql = f"SELECT count(*) FROM ({SEARCH_SQL.format(words=clause, limit=1001)}) t"  # noqa: S608

    def run() -> tuple[list[Any], int]:
        return [r[0] for r in fetch(sql, params)], min(fetch(count_sql, params)[0][0], CAP)

    return run


def search_ours(user: Any, q: str, province_id: Any) -> Callable[[], tuple[list[Any], int]] | None:
    try:
        from shield.referrals.directory.selectors import ServiceFilters, service_search_for
    except ImportError:
        return None
    from shield.core.pagination import CappedPaginator

    def run() -> tuple[list[Any], int]:
        services = service_search_for(user=user, filters=ServiceFilters(q=q, province=province_id))
        page = CappedPaginator(services, SEARCH_PAGE).get_page(1)
        rows = list(page.object_list)
        for s in rows:
            _ = (s.provider.name, s.province.name)
        return [s.pk for s in rows], page.paginator.count

    return run


# --- The vacancy board ----------------------------------------------------------------------------

# Per active shelter and category: beds of the latest inventory in force, open stays, live holds.
VACANCY_SQL = """
WITH shelters AS (
    SELECT s.id, s.name, pv.name AS province FROM referrals_service s
    JOIN geo_province pv ON pv.id = s.province_id
    WHERE s.service_type = 'shelter' AND s.status = 'active'
), inventory AS (
    SELECT DISTINCT ON (i.service_id) i.* FROM referrals_bedinventory i
    WHERE i.service_id IN (SELECT id FROM shelters) AND i.effective_from <= CURRENT_DATE
    ORDER BY i.service_id, i.effective_from DESC, i.created_at DESC
), stays AS (
    SELECT service_id, category, count(*) AS n FROM referrals_shelterstay
    WHERE discharged_on IS NULL AND service_id IN (SELECT id FROM shelters) GROUP BY 1, 2
), holds AS (
    SELECT service_id, category, count(*) AS n FROM referrals_bedhold
    WHERE status = 'active' AND held_until > now() AND service_id IN (SELECT id FROM shelters) GROUP BY 1, 2
), cells AS (
    SELECT sh.id, sh.name, sh.province, c.category,
           CASE c.category WHEN 'girls' THEN i.girls WHEN 'boys' THEN i.boys WHEN 'women' THEN i.women
                           WHEN 'men' THEN i.men ELSE i.families END AS beds
    FROM shelters sh LEFT JOIN inventory i ON i.service_id = sh.id
    CROSS JOIN (VALUES ('girls'), ('boys'), ('women'), ('men'), ('families')) AS c(category)
)
SELECT cells.id, cells.category, coalesce(cells.beds, 0), coalesce(st.n, 0), coalesce(h.n, 0)
FROM cells
LEFT JOIN stays st ON st.service_id = cells.id AND st.category = cells.category
LEFT JOIN holds h ON h.service_id = cells.id AND h.category = cells.category
WHERE coalesce(cells.beds, 0) + coalesce(st.n, 0) + coalesce(h.n, 0) > 0
ORDER BY cells.province, cells.name, cells.id
"""


def vacancy_bare() -> Callable[[], list[Any]]:
    def run() -> list[Any]:
        return [(r[0], r[1], r[2], r[3], r[4]) for r in fetch(VACANCY_SQL, [])]

    return run


def vacancy_ours(user: Any) -> Callable[[], list[Any]] | None:
    try:
        from shield.referrals.shelters.selectors import vacancy_board_for
    except ImportError:
        return None

    def run() -> list[Any]:
        cells = []
        for row in vacancy_board_for(user=user):
            for c in row.categories:
                cells.append((row.service.pk, c.category, c.beds, c.occupied, c.held))
        return cells

    return run


def same_cells(ours: list[Any], bare: list[Any]) -> bool:
    # The board orders shelters by province and name, categories in their fixed order: compare sets
    # per shelter (the category order within a shelter is presentation).
    return sorted(map(repr, ours)) == sorted(map(repr, bare))


# --- HSDS export ----------------------------------------------------------------------------------


def hsds_export(keeper: Any, repeats: int) -> dict[str, Any]:
    """The whole directory as the HSDS 3.1 tabular package the export page serves (audited as an
    export), timed; then checked: every table's row count as the datapackage says, every service
    and organisation once, each service and organisation valid against the HSDS 3.1 schema
    (`hsds.schema_errors`, timed apart), no redacted address in any file."""
    import csv
    import importlib
    import io
    import zipfile

    try:
        hsds = importlib.import_module("shield.referrals.directory.hsds")
        pages = importlib.import_module("shield.referrals.directory.hsds_views")
        selectors = importlib.import_module("shield.referrals.directory.selectors")
    except ImportError as exc:
        return {"missing": f"the directory part's HSDS export ({exc.name})"}

    def export() -> bytes:
        data: bytes = pages.directory_export(user=keeper)
        return data

    data, times = timed(export, repeats)
    archive = zipfile.ZipFile(io.BytesIO(data))
    package = json.loads(archive.read("datapackage.json"))
    tables = {
        name[: -len(".csv")]: list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8"))))
        for name in archive.namelist()
        if name.endswith(".csv")
    }
    counts_agree = all(tables[r["name"]].__len__() == r["rows"] for r in package["resources"])
    services = list(
        selectors.service_search_for(user=keeper, filters=selectors.ServiceFilters(include_closed=True))
    )
    providers = list(selectors.provider_list_for(user=keeper))
    service_ids = [row["id"] for row in tables["services"]]
    organization_ids = [row["id"] for row in tables["organizations"]]
    redacted = {hsds.child_id(s.pk, "location") for s in services if s.address_redacted}

    started = time.perf_counter()
    errors = [e for s in services for e in hsds.schema_errors("service", hsds.service(s))]
    errors += [e for p in providers for e in hsds.schema_errors("organization", hsds.organization(p))]
    validation_s = time.perf_counter() - started
    check = {
        "datapackage_row_counts_agree": counts_agree,
        "every_service_once": sorted(service_ids) == sorted(str(s.pk) for s in services),
        "every_organization_once": sorted(organization_ids) == sorted(str(p.pk) for p in providers),
        "schema_errors": len(errors),
        "redacted_addresses_absent": not any(row["location_id"] in redacted for row in tables["addresses"]),
    }
    return {
        "seconds": {k: round(v / 1000, 2) for k, v in times.items()},
        "bytes": len(data),
        "services": len(service_ids),
        "organizations": len(organization_ids),
        "redacted_services": len(redacted),
        "schema_validation_seconds": round(validation_s, 2),
        "first_schema_errors": errors[:3],
        "check": check,
        "valid": all(v is True for k, v in check.items() if k != "schema_errors") and not errors,
    }


# --- Pages, render included -----------------------------------------------------------------------


def page(client: Any, url: str, repeats: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)
    if response.status_code != 200:
        return {"url": url, "status": response.status_code}
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    # Read the capture now: Django clears the query log when the next request starts.
    all_queries = len(captured.captured_queries)
    statements = [
        q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")
    ]

    def get() -> Any:
        return client.get(url)

    def replay() -> list[Any]:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                if cursor.description is not None:
                    cursor.fetchall()
        return statements

    entry = side_by_side(url, get, replay, repeats)
    entry.update(url=url, select_queries=len(statements), all_queries=all_queries)
    return entry


# Indexes the bench proposes (the owning part adds them to its model): created for one run with
# --candidate-indexes, dropped at the end.
CANDIDATE_INDEXES = {
    # The inbox's default order (every state, the oldest deadline first): without it, every
    # referral the agency ever received is read and sorted for 25 rows.
    "bench_referral_inbox_order": "referrals_referral (to_agency_id, respond_by, id)",
    # The open inbox: one ordered range instead of four status ranges merged by a sort.
    "bench_referral_inbox_open": "referrals_referral (to_agency_id, respond_by, id) "
    "WHERE status IN ('sent', 'waitlisted', 'accepted', 'in_service')",
}


def candidate_indexes(create: bool) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for name, definition in CANDIDATE_INDEXES.items():
            if create:
                cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")
            else:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
        if create:
            cursor.execute("ANALYZE referrals_referral")


def guarded(measure: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """A measurement whose bare SQL needs another part's tables or columns: `missing` without them."""
    from django.db import DatabaseError

    try:
        return measure()
    except DatabaseError as exc:
        return {"missing": f"{type(exc).__name__}: {str(exc).splitlines()[0]}"}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--persons", type=int, default=None, help="Run demo_data --persons N first.")
    parser.add_argument("--no-populate", action="store_true")
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--worker", default="cw.hanoi", help="The case worker who searches the directory.")
    parser.add_argument("--keeper", default="admin", help="Who exports the directory (keeps it).")
    parser.add_argument("--inbox-user", default="", help="Default: staff of the busiest receiving agency.")
    parser.add_argument("--q", default="tam ly", help="The directory search's words.")
    parser.add_argument("--province", default="ha_noi", help="The directory search's province (code name).")
    parser.add_argument("--no-pages", action="store_true", help="Skip the pages through the test client.")
    parser.add_argument(
        "--candidate-indexes", action="store_true", help="Measure with the indexes the bench proposes."
    )
    args = parser.parse_args()

    populate_s = None if args.no_populate else populate(args.persons)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DEBUG"] = "false"  # no query log, no debug toolbar: measure what production runs
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()

    from shield.accounts.models import User

    worker = User.objects.get(username=args.worker)
    if args.candidate_indexes:
        candidate_indexes(create=True)
    try:
        measure_all(args, worker, populate_s)
    finally:
        if args.candidate_indexes:
            candidate_indexes(create=False)


def measure_all(args: argparse.Namespace, worker: Any, populate_s: float | None) -> None:
    from django.db.models import Count
    from django.test import Client

    from shield.accounts.models import Membership, User
    from shield.geo.models import Province
    from shield.referrals.models import Referral, Service

    if args.inbox_user:
        receiver = User.objects.get(username=args.inbox_user)
        agency_ids = list(
            Membership.objects.filter(user=receiver, is_active=True).values_list("agency_id", flat=True)
        )
    else:
        busiest = (
            Referral.objects.filter(to_agency__isnull=False)
            .values("to_agency_id")
            .annotate(n=Count("pk"))
            .order_by("-n")
            .first()
        )
        if busiest is None:
            sys.exit("No referrals to a Shield agency: run manage.py referrals_bench_data first.")
        membership = (
            Membership.objects.filter(
                agency_id=busiest["to_agency_id"], is_active=True, role="service_provider"
            )
            .select_related("user")
            .order_by("user__username")
            .first()
        )
        if membership is None:
            sys.exit("No service-provider staff at the busiest receiving agency.")
        receiver = membership.user
        agency_ids = [busiest["to_agency_id"]]
    # The inbox covers the agencies the receiver answers for (bare SQL: the same list).
    try:
        from shield.referrals.lifecycle.selectors import receiving_agency_ids

        agency_ids = sorted(receiving_agency_ids(receiver), key=str) or agency_ids
    except ImportError:
        pass
    province = Province.objects.get(codename=args.province)
    words_fold: list[str]
    try:
        from shield.referrals.directory.selectors import search_words

        words_fold = search_words(args.q)
    except ImportError:
        words_fold = args.q.lower().split()

    def same_page(ours: Any, bare: Any) -> bool:
        return bool(ours == bare)

    result: dict[str, Any] = {
        "populate_seconds": round(populate_s, 1) if populate_s is not None else None,
        "referrals": Referral.objects.count(),
        "open_referrals": Referral.objects.filter(status__in=OPEN).count(),
        "to_the_receiver": Referral.objects.filter(to_agency_id__in=agency_ids).count(),
        "services": Service.objects.count(),
        "repeats": args.repeats,
        "receiver": receiver.username,
        "worker": worker.username,
        "candidate_indexes": sorted(CANDIDATE_INDEXES) if args.candidate_indexes else [],
    }
    from django.apps import apps

    try:
        result["stays"] = apps.get_model("referrals", "ShelterStay")._default_manager.count()
    except LookupError:
        result["stays"] = "missing: ShelterStay"
    missing_inbox = "shield.referrals.lifecycle.selectors.referral_inbox_for"
    result["inbox_default"] = side_by_side(
        "inbox_default",
        inbox_ours(receiver, False),
        inbox_bare(agency_ids, False),
        args.repeats,
        same=same_page,
        missing=missing_inbox,
    )
    result["inbox_open"] = side_by_side(
        "inbox_open",
        inbox_ours(receiver, True),
        inbox_bare(agency_ids, True),
        args.repeats,
        same=same_page,
        missing=missing_inbox,
    )
    result["directory_search"] = guarded(
        lambda: {
            "q": args.q,
            "province": args.province,
            **side_by_side(
                "directory_search",
                search_ours(worker, args.q, province.pk),
                search_bare(words_fold, province.pk),
                args.repeats,
                same=same_page,
                missing="shield.referrals.directory.selectors.service_search_for",
            ),
        }
    )
    result["vacancy_board"] = guarded(
        lambda: side_by_side(
            "vacancy_board",
            vacancy_ours(worker),
            vacancy_bare(),
            args.repeats,
            same=same_cells,
            missing="shield.referrals.shelters.selectors.vacancy_board_for",
        )
    )
    result["hsds_export"] = hsds_export(User.objects.get(username=args.keeper), max(3, args.repeats // 10))

    if not args.no_pages:
        from django.urls import NoReverseMatch, reverse

        pages: dict[str, Any] = {}
        for name, user, url_name, query in (
            ("inbox", receiver, "referrals:referral_inbox", ""),
            ("directory", worker, "referrals:directory", f"?q={args.q}&province={province.pk}"),
            ("vacancy_board", worker, "referrals:vacancy_board", ""),
        ):
            try:
                url = reverse(url_name) + query
            except NoReverseMatch:
                pages[name] = f"missing: no URL named {url_name}"
                continue
            client = Client()
            client.force_login(user)
            pages[name] = page(client, url, args.repeats)
        result["pages"] = pages
    print(json.dumps(result, indent=2, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
