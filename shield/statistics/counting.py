"""Counting: from the source tables to a `tables.Table`, aggregated in the database.

Each *source* (`SOURCES`) is a queryset of counted rows for a period, with one SQL expression per
dimension (`d_<dimension>`) for the additive dimensions and one condition per category for the
non-additive ones (a person can suffer several forms of exploitation). A table is then one
GROUP BY per combination of its dimensions (margins included), each cell counting

- `value`: distinct unique individuals: the linkage's individual of each person record, or the
  record itself for a person no run has seen yet (`COALESCE(individual_id, person_id)`);
- `records`: distinct person records;

for events, distinct events (value = records = low). The range's lower end (`low`) is worked out
from the pending review pairs only: for each cell, the pairs whose two persons are both in the
cell join their individuals (union-find), and every join that merges two distinct individuals
lowers the count by one. Only the rows of persons named in pending pairs are read for that.

Case-based sources read `CaseFact` (what takes subqueries to derive: latest identification status,
first decision dates, channel, forms of exploitation), kept up to date incrementally by
`shield.statistics.facts`; the person, their individual and the owning agency are joined live.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import product
from typing import Any

from django.db import connections, transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear, Mod, TruncDate
from django.db.models.lookups import Exact

from shield.cases.models import IdentificationStatus
from shield.intake.models import Screening, ScreeningStatus, Tip
from shield.intake.risk import REFERRAL_OUTCOMES
from shield.intake.risk import RiskLevel as ScreeningRisk
from shield.linkage.models import PairStatus, ReviewPair
from shield.people import birth_dates
from shield.statistics import dimensions as dims
from shield.statistics import tables
from shield.statistics.dimensions import Dimension, dimension_get
from shield.statistics.models import CaseFact
from shield.statistics.periods import Period

UNIT = "_unit"
RECORD = "_record"
PERSON = "_person"
REF_DATE = "_ref_date"

DETECTED = (IdentificationStatus.POSSIBLE, IdentificationStatus.IDENTIFIED)


def column(dimension: str) -> str:
    return f"d_{dimension}"


def flag(dimension: str, category: str) -> str:
    return f"f_{dimension}_{category.replace('-', '_').replace('+', 'plus')}"


# --- Dimension expressions ----------------------------------------------------------------------


def _sex(path: str) -> Case:
    known = [c for c in dimension_get(dims.SEX).codes if c != dims.UNKNOWN]
    return Case(
        When(**{f"{path}__in": known}, then=F(path)), default=Value(dims.UNKNOWN), output_field=CharField()
    )


def _known_or_unknown(path: str, dimension: str) -> Case:
    known = [c for c in dimension_get(dimension).codes if c != dims.UNKNOWN]
    return Case(
        When(**{f"{path}__in": known}, then=F(path)), default=Value(dims.UNKNOWN), output_field=CharField()
    )


def _leap(year: Any) -> Q:
    """A condition: `year` (an expression) is a leap year."""
    return Q(
        Exact(Mod(year, 4), 0) & (~Exact(Mod(year, 100), 0) | Exact(Mod(year, 400), 0)),
    )


def _age_annotations(qs: QuerySet[Any], person: str, needed: set[str]) -> QuerySet[Any]:
    """Age in whole years on the reference date, from the latest birth date the record allows
    (as `birth_dates.is_child` does: an uncertain age counts as the registry says)."""
    if not needed & {dims.AGE_UNODC, dims.AGE_CTDC}:
        return qs
    precision = f"{person}__birth_date_precision"
    born = f"{person}__birth_date"
    estimated_on = f"{person}__age_estimated_on"
    qs = qs.annotate(
        _birth_y=Case(
            When(
                **{precision: birth_dates.ESTIMATED_AGE},
                then=ExtractYear(estimated_on) - F(f"{person}__estimated_age"),
            ),
            When(
                **{f"{precision}__in": [birth_dates.DAY, birth_dates.MONTH, birth_dates.YEAR]},
                then=ExtractYear(born),
            ),
            default=None,
            output_field=IntegerField(),
        ),
        _birth_m=Case(
            When(**{precision: birth_dates.ESTIMATED_AGE}, then=ExtractMonth(estimated_on)),
            When(**{f"{precision}__in": [birth_dates.DAY, birth_dates.MONTH]}, then=ExtractMonth(born)),
            When(**{precision: birth_dates.YEAR}, then=Value(12)),
            default=None,
            output_field=IntegerField(),
        ),
        _birth_d=Case(
            When(**{precision: birth_dates.ESTIMATED_AGE}, then=ExtractDay(estimated_on)),
            When(**{precision: birth_dates.DAY}, then=ExtractDay(born)),
            When(**{precision: birth_dates.YEAR}, then=Value(31)),
            default=None,
            output_field=IntegerField(),
        ),
        _ref_y=ExtractYear(REF_DATE),
        _ref_md=ExtractMonth(REF_DATE) * 100 + ExtractDay(REF_DATE),
    )
    # A month-precision birth is the month's last day.
    qs = qs.annotate(
        _birth_d2=Case(
            When(_birth_d__isnull=False, then=F("_birth_d")),
            When(_birth_m__in=[4, 6, 9, 11], then=Value(30)),
            When(~Q(_birth_m=2), then=Value(31)),
            When(_leap(F("_birth_y")), then=Value(29)),
            default=Value(28),
            output_field=IntegerField(),
        )
    )
    # As `birth_dates.add_years`: a birthday on 29 February falls on 28 February in other years.
    qs = qs.annotate(
        _birth_md=Case(
            When(Q(_birth_m=2, _birth_d2=29) & ~_leap(F("_ref_y")), then=Value(228)),
            default=F("_birth_m") * 100 + F("_birth_d2"),
            output_field=IntegerField(),
        )
    ).annotate(
        _age=Case(
            When(_birth_y__isnull=True, then=None),
            When(_ref_md__lt=F("_birth_md"), then=F("_ref_y") - F("_birth_y") - 1),
            default=F("_ref_y") - F("_birth_y"),
            output_field=IntegerField(),
        )
    )
    if dims.AGE_UNODC in needed:
        qs = qs.annotate(
            **{
                column(dims.AGE_UNODC): Case(
                    When(_age__isnull=True, then=Value(dims.UNKNOWN)),
                    When(_age__lt=birth_dates.AGE_OF_MAJORITY, then=Value(dims.CHILD)),
                    default=Value(dims.ADULT),
                    output_field=CharField(),
                )
            }
        )
    if dims.AGE_CTDC in needed:
        bands = [
            When(_age__lte=high, then=Value(code))
            if high is not None
            else When(_age__gte=low, then=Value(code))
            for code, low, high in dims.CTDC_BANDS
        ]
        qs = qs.annotate(
            **{
                column(dims.AGE_CTDC): Case(
                    When(_age__isnull=True, then=Value(dims.UNKNOWN)),
                    *bands,
                    default=Value(dims.UNKNOWN),
                    output_field=CharField(),
                )
            }
        )
    return qs


def _exploitation_flags(qs: QuerySet[Any]) -> QuerySet[Any]:
    """One boolean per category of exploitation, as the case facts hold them."""
    return qs.annotate(
        **{
            flag(dims.EXPLOITATION, category): F(field)
            for category, field in (
                ("sexual", "sexual"),
                ("forced_labour", "forced_labour"),
                ("other", "other_forms"),
                (dims.UNKNOWN, "forms_unknown"),
            )
        }
    )


def _person_dimensions(
    qs: QuerySet[Any], *, person: str, needed: set[str], province: str, agency: str
) -> QuerySet[Any]:
    annotations: dict[str, Any] = {}
    if dims.SEX in needed:
        annotations[column(dims.SEX)] = _sex(f"{person}__sex")
    if dims.CITIZENSHIP in needed:
        annotations[column(dims.CITIZENSHIP)] = _known_or_unknown(f"{person}__nationality", dims.CITIZENSHIP)
    if dims.PROVINCE in needed:
        annotations[column(dims.PROVINCE)] = Coalesce(
            F(province), Value(dims.UNKNOWN), output_field=CharField()
        )
    if dims.AGENCY_KIND in needed:
        annotations[column(dims.AGENCY_KIND)] = _known_or_unknown(agency, dims.AGENCY_KIND)
    if annotations:
        qs = qs.annotate(**annotations)
    return _age_annotations(qs, person, needed)


# --- Sources ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """What an indicator counts: rows for a period, annotated with the dimensions asked for."""

    key: str
    unit: str
    dimensions: frozenset[str]
    # (period, dimensions needed) -> rows with UNIT, RECORD (and PERSON for persons) annotated.
    rows: Callable[[Period, set[str]], QuerySet[Any]]
    # From a row to its owning agency, for the access scope (`accounts.policy.scope_q`).
    agency_path: str
    province_path: str | None = None

    @property
    def counts_persons(self) -> bool:
        return self.unit == tables.Unit.PERSONS


_CASE_PERSON_DIMENSIONS = frozenset(
    {dims.SEX, dims.AGE_UNODC, dims.AGE_CTDC, dims.CITIZENSHIP, dims.PROVINCE, dims.AGENCY_KIND, dims.CHANNEL}
)


def _case_rows(qs: QuerySet[Any], needed: set[str]) -> QuerySet[Any]:
    """Rows of `CaseFact` with the person, their individual and the owning agency joined live."""
    qs = _person_dimensions(
        qs,
        person="case__person",
        needed=needed,
        province="case__person__home_province__code",
        agency="case__owner_agency__kind",
    )
    if dims.CHANNEL in needed:
        qs = qs.annotate(**{column(dims.CHANNEL): F("channel")})
    if dims.IDENTIFICATION in needed:
        qs = qs.annotate(**{column(dims.IDENTIFICATION): F("status")})
    if dims.EXPLOITATION in needed:
        qs = _exploitation_flags(qs)
    return qs


def _age_columns(qs: QuerySet[Any], age: str, needed: set[str]) -> QuerySet[Any]:
    """The age dimensions from an age in whole years already worked out (`CaseFact`)."""
    annotations: dict[str, Any] = {}
    if dims.AGE_UNODC in needed:
        annotations[column(dims.AGE_UNODC)] = Case(
            When(**{f"{age}__isnull": True}, then=Value(dims.UNKNOWN)),
            When(**{f"{age}__lt": birth_dates.AGE_OF_MAJORITY}, then=Value(dims.CHILD)),
            default=Value(dims.ADULT),
            output_field=CharField(),
        )
    if dims.AGE_CTDC in needed:
        annotations[column(dims.AGE_CTDC)] = Case(
            *[
                When(**{f"{age}__lte": high}, then=Value(code))
                if high is not None
                else When(**{f"{age}__gte": low}, then=Value(code))
                for code, low, high in dims.CTDC_BANDS
            ],
            default=Value(dims.UNKNOWN),
            output_field=CharField(),
        )
    return qs.annotate(**annotations) if annotations else qs


def _victim_rows(statuses: Sequence[str], dated_by: str) -> Callable[[Period, set[str]], QuerySet[Any]]:
    """Cases whose latest identification decision is one of `statuses`, dated by the first
    decision saying so (`dated_by`), one row per case (so per person record)."""

    def rows(period: Period, needed: set[str]) -> QuerySet[Any]:
        qs = CaseFact.objects.filter(
            **{"status__in": list(statuses), f"{dated_by}__gte": period.start, f"{dated_by}__lte": period.end}
        ).annotate(
            **{
                REF_DATE: F(dated_by),
                PERSON: F("case__person_id"),
                RECORD: F("case__person_id"),
                UNIT: Coalesce(F("case__person__linkage_individual__individual_id"), F("case__person_id")),
            }
        )
        age = "age_detected" if dated_by == "detected_on" else "age_identified"
        qs = _age_columns(qs, age, needed)
        return _case_rows(qs, needed - {dims.AGE_UNODC, dims.AGE_CTDC})

    return rows


def _case_event_rows(field: str) -> Callable[[Period, set[str]], QuerySet[Any]]:
    def rows(period: Period, needed: set[str]) -> QuerySet[Any]:
        path = f"case__{field}"
        qs = CaseFact.objects.filter(
            **{f"{path}__gte": period.start_at, f"{path}__lt": period.end_before}
        ).annotate(**{REF_DATE: TruncDate(path), UNIT: F("case_id"), RECORD: F("case_id")})
        return _case_rows(qs, needed)

    return rows


def _screening_flagged() -> Q:
    return Q(status=ScreeningStatus.COMPLETED) & (
        Q(risk_level__in=[ScreeningRisk.HIGH, ScreeningRisk.CRITICAL])
        | Q(outcome__in=list(REFERRAL_OUTCOMES))
    )


def _screening_dimensions(qs: QuerySet[Any], needed: set[str]) -> QuerySet[Any]:
    """A screening's traveller: the registered person where linked, else what the officer wrote."""
    annotations: dict[str, Any] = {}
    if dims.SEX in needed:
        annotations["_sex"] = Coalesce(F("person__sex"), F("traveller_sex"), output_field=CharField())
    if dims.CITIZENSHIP in needed:
        annotations["_nationality"] = Coalesce(
            F("person__nationality"), F("nationality"), output_field=CharField()
        )
    qs = qs.annotate(**annotations) if annotations else qs
    final: dict[str, Any] = {}
    if dims.SEX in needed:
        final[column(dims.SEX)] = _sex("_sex")
    if dims.CITIZENSHIP in needed:
        final[column(dims.CITIZENSHIP)] = _known_or_unknown("_nationality", dims.CITIZENSHIP)
    if dims.PROVINCE in needed:
        final[column(dims.PROVINCE)] = F("border_gate__province__code")
    if dims.AGENCY_KIND in needed:
        final[column(dims.AGENCY_KIND)] = _known_or_unknown("agency__kind", dims.AGENCY_KIND)
    qs = qs.annotate(**final) if final else qs
    if dims.AGE_UNODC in needed:
        qs = _screening_age(qs)
    return qs


def _screening_age(qs: QuerySet[Any]) -> QuerySet[Any]:
    """Child or adult on the day of screening, from the registered person where linked (the latest
    birth date the record allows), else from the traveller's written birth date or age."""
    linked = _age_annotations(qs, "person", {dims.AGE_UNODC})
    return linked.annotate(
        **{
            column(dims.AGE_UNODC): Case(
                When(person__isnull=False, then=F(column(dims.AGE_UNODC))),
                When(traveller_age__isnull=False, traveller_age__lt=18, then=Value(dims.CHILD)),
                When(traveller_age__isnull=False, then=Value(dims.ADULT)),
                default=Value(dims.UNKNOWN),
                output_field=CharField(),
            )
        }
    )


def _screening_rows(*, flagged_only: bool) -> Callable[[Period, set[str]], QuerySet[Any]]:
    def rows(period: Period, needed: set[str]) -> QuerySet[Any]:
        qs = Screening.objects.filter(
            status=ScreeningStatus.COMPLETED,
            started_at__gte=period.start_at,
            started_at__lt=period.end_before,
        )
        if flagged_only:
            qs = qs.filter(_screening_flagged())
            unit = Coalesce(F("person__linkage_individual__individual_id"), F("person_id"), F("pk"))
            record = Coalesce(F("person_id"), F("pk"))
            qs = qs.annotate(**{UNIT: unit, RECORD: record, PERSON: F("person_id")})
        else:
            qs = qs.annotate(**{UNIT: F("pk"), RECORD: F("pk")})
        qs = qs.annotate(**{REF_DATE: TruncDate("started_at")})
        return _screening_dimensions(qs, needed)

    return rows


def _tip_rows(period: Period, needed: set[str]) -> QuerySet[Any]:
    qs = Tip.objects.filter(received_at__gte=period.start_at, received_at__lt=period.end_before).annotate(
        **{UNIT: F("pk"), RECORD: F("pk")}
    )
    annotations: dict[str, Any] = {}
    if dims.CHANNEL in needed:
        annotations[column(dims.CHANNEL)] = F("channel")
    if dims.PROVINCE in needed:
        annotations[column(dims.PROVINCE)] = Coalesce(
            F("province__code"), Value(dims.UNKNOWN), output_field=CharField()
        )
    if dims.AGENCY_KIND in needed:
        annotations[column(dims.AGENCY_KIND)] = _known_or_unknown("agency__kind", dims.AGENCY_KIND)
    return qs.annotate(**annotations) if annotations else qs


SOURCES: dict[str, Source] = {
    source.key: source
    for source in (
        Source(
            "cases.detected",
            tables.Unit.PERSONS,
            _CASE_PERSON_DIMENSIONS | {dims.EXPLOITATION, dims.IDENTIFICATION},
            _victim_rows(DETECTED, "detected_on"),
            agency_path="case__owner_agency",
        ),
        Source(
            "cases.identified",
            tables.Unit.PERSONS,
            _CASE_PERSON_DIMENSIONS | {dims.EXPLOITATION},
            _victim_rows((IdentificationStatus.IDENTIFIED,), "identified_on"),
            agency_path="case__owner_agency",
        ),
        Source(
            "cases.opened",
            tables.Unit.EVENTS,
            _CASE_PERSON_DIMENSIONS | {dims.EXPLOITATION},
            _case_event_rows("opened_at"),
            agency_path="case__owner_agency",
        ),
        Source(
            "cases.closed",
            tables.Unit.EVENTS,
            _CASE_PERSON_DIMENSIONS | {dims.EXPLOITATION},
            _case_event_rows("closed_at"),
            agency_path="case__owner_agency",
        ),
        Source(
            "intake.screened_flagged",
            tables.Unit.PERSONS,
            frozenset({dims.SEX, dims.AGE_UNODC, dims.CITIZENSHIP, dims.PROVINCE, dims.AGENCY_KIND}),
            _screening_rows(flagged_only=True),
            agency_path="agency",
        ),
        Source(
            "intake.screenings",
            tables.Unit.EVENTS,
            frozenset({dims.SEX, dims.AGE_UNODC, dims.CITIZENSHIP, dims.PROVINCE, dims.AGENCY_KIND}),
            _screening_rows(flagged_only=False),
            agency_path="agency",
        ),
        Source(
            "intake.tips",
            tables.Unit.EVENTS,
            frozenset({dims.CHANNEL, dims.PROVINCE, dims.AGENCY_KIND}),
            _tip_rows,
            agency_path="agency",
        ),
    )
}


# --- Tables -------------------------------------------------------------------------------------


def _cut(qs: QuerySet[Any], dimension: Dimension, category: str) -> QuerySet[Any]:
    if dimension.additive:
        return qs.filter(**{column(dimension.code): category})
    return qs.filter(**{flag(dimension.code, category): True})


@dataclass
class _UnionFind:
    parent: dict[Any, Any]

    def find(self, item: Any) -> Any:
        root = item
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while item != root:
            self.parent[item], item = root, self.parent.get(item, item)
        return root

    def union(self, a: Any, b: Any) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        self.parent[ra] = rb
        return True


def _pending_pairs() -> list[tuple[Any, Any]]:
    return list(
        ReviewPair.objects.filter(status=PairStatus.OPEN).values_list("person_low_id", "person_high_id")
    )


def _keys_of_row(row: Mapping[str, Any], dimensions: Sequence[Dimension]) -> Iterable[tables.Key]:
    choices: list[list[str]] = []
    for dimension in dimensions:
        if dimension.additive:
            choices.append([row[column(dimension.code)], tables.TOTAL])
        else:
            choices.append([c for c in dimension.codes if row[flag(dimension.code, c)]] + [tables.TOTAL])
    return product(*choices)


def _reductions(
    base: QuerySet[Any], dimensions: Sequence[Dimension], pairs: Sequence[tuple[Any, Any]]
) -> dict[tables.Key, int]:
    """For each cell, how many distinct individuals the pending pairs within it would join."""
    if not pairs:
        return {}
    fields = [PERSON, UNIT]
    for dimension in dimensions:
        if dimension.additive:
            fields.append(column(dimension.code))
        else:
            fields.extend(flag(dimension.code, c) for c in dimension.codes)
    keys_of: dict[Any, set[tables.Key]] = defaultdict(set)
    unit_of: dict[Any, Any] = {}
    pending = ReviewPair.objects.filter(status=PairStatus.OPEN)
    in_pairs = Q(**{f"{PERSON}__in": pending.values("person_low_id")}) | Q(
        **{f"{PERSON}__in": pending.values("person_high_id")}
    )
    for row in base.filter(in_pairs).values(*fields).distinct():
        unit_of[row[PERSON]] = row[UNIT]
        keys_of[row[PERSON]].update(_keys_of_row(row, dimensions))
    joins: dict[tables.Key, _UnionFind] = defaultdict(lambda: _UnionFind({}))
    reductions: dict[tables.Key, int] = defaultdict(int)
    for low, high in pairs:
        if low not in unit_of or high not in unit_of:
            continue
        for key in keys_of[low] & keys_of[high]:
            if joins[key].union(unit_of[low], unit_of[high]):
                reductions[key] += 1
    return reductions


def _counted_per_grouping(
    base: QuerySet[Any], cut_by: Sequence[Dimension]
) -> dict[tables.Key, tuple[int, int]]:
    """value and records of every non-zero cell: one GROUP BY per combination of the kept
    dimensions (and per category of a non-additive one). Any database."""
    counted: dict[tables.Key, tuple[int, int]] = {}
    n = len(cut_by)
    for kept in product((True, False), repeat=n):
        grouped = [i for i in range(n) if kept[i] and cut_by[i].additive]
        split = [i for i in range(n) if kept[i] and not cut_by[i].additive]
        for chosen in product(*[cut_by[i].codes for i in split]):
            qs = base
            for i, category in zip(split, chosen, strict=True):
                qs = _cut(qs, cut_by[i], category)
            aggregates = {
                "value": Count(UNIT, distinct=True),
                "records": Count(RECORD, distinct=True),
            }
            fixed = dict(zip(split, chosen, strict=True))
            if grouped:
                rows: Iterable[Mapping[str, Any]] = (
                    qs.values(*[column(cut_by[i].code) for i in grouped]).annotate(**aggregates).order_by()
                )
            else:
                rows = [qs.aggregate(**aggregates)]
            for row in rows:
                key = tuple(
                    row[column(cut_by[i].code)] if i in grouped else fixed.get(i, tables.TOTAL)
                    for i in range(n)
                )
                counted[key] = (row["value"] or 0, row["records"] or 0)

    return counted


def _counted_in_one_query(
    base: QuerySet[Any], cut_by: Sequence[Dimension]
) -> dict[tables.Key, tuple[int, int]]:
    """The same as `_counted_per_grouping` in one statement (PostgreSQL): `GROUP BY CUBE` over the
    table's dimensions gives every cell and every margin from one scan of the counted rows.

    A non-additive dimension is turned into one row per category the row falls in (a lateral
    `VALUES` of (category, flag) pairs, kept where the flag holds). A unit then appears in several
    rows, which a margin over that dimension counts once: every count is `COUNT(DISTINCT ...)`.
    Every row falls in at least one category (`unknown` when none of the others), so no unit is
    lost from the margins.
    """
    fields = [UNIT, RECORD]
    for dimension in cut_by:
        if dimension.additive:
            fields.append(column(dimension.code))
        else:
            fields.extend(flag(dimension.code, c) for c in dimension.codes)
    inner, inner_params = base.values(*fields).order_by().query.sql_with_params()
    params = list(inner_params)
    joins: list[str] = []
    conditions: list[str] = []
    grouped: list[str] = []
    for i, dimension in enumerate(cut_by):
        if dimension.additive:
            grouped.append(f'b."{column(dimension.code)}"')
            continue
        pairs = ", ".join(f'(%s, b."{flag(dimension.code, c)}")' for c in dimension.codes)
        params.extend(dimension.codes)
        joins.append(f"CROSS JOIN LATERAL (VALUES {pairs}) AS x{i}(category, hit)")
        conditions.append(f"x{i}.hit")
        grouped.append(f"x{i}.category::text")
    measures = f'COUNT(DISTINCT b."{UNIT}"), COUNT(DISTINCT b."{RECORD}")'
    # Column names and categories are the code's own (categories go as parameters); the rows are
    # the queryset's own SQL with its parameters.
    selected = ", ".join([*grouped, *(f"GROUPING({g})" for g in grouped), measures])
    sql = f"SELECT {selected} FROM ({inner}) b"  # noqa: S608
    if joins:
        sql += " " + " ".join(joins)
    if conditions:
        sql += " WHERE " + " AND ".join(conditions)
    if grouped:
        sql += f" GROUP BY CUBE ({', '.join(grouped)})"
    n = len(cut_by)
    counted: dict[tables.Key, tuple[int, int]] = {}
    with connections[base.db].cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            key = tuple(tables.TOTAL if row[n + i] else row[i] for i in range(n))
            counted[key] = (row[2 * n] or 0, row[2 * n + 1] or 0)
    return counted


def count_table(
    *,
    indicator: str,
    source: Source,
    period: Period,
    dimensions: Sequence[str],
    filters: Mapping[str, str],
    reach: Q,
) -> tables.Table:
    """One table: every combination of the dimensions' categories and every margin, zeros included."""
    cut_by = [dimension_get(code) for code in dimensions]
    needed = set(dimensions) | set(filters)
    base = source.rows(period, needed).filter(reach)
    for code, category in filters.items():
        base = _cut(base, dimension_get(code), category)

    with transaction.atomic(using=base.db):
        if connections[base.db].vendor == "postgresql":
            with connections[base.db].cursor() as cursor:
                # The age and flag expressions make a large plan that PostgreSQL's JIT spends
                # 2 to 4 s compiling (at a million persons) for a query that runs in less without.
                cursor.execute("SET LOCAL jit = off")
            counted = _counted_in_one_query(base, cut_by)
        else:
            counted = _counted_per_grouping(base, cut_by)
        reductions = _reductions(base, cut_by, _pending_pairs()) if source.counts_persons else {}
    cells: dict[tables.Key, tables.Count] = {}
    categories = tuple(d.codes for d in cut_by)
    for key in product(*[(*cats, tables.TOTAL) for cats in categories]):
        value, records = counted.get(key, (0, 0))
        if source.counts_persons:
            cells[key] = tables.Count(
                value=value, records=records, low=max(0, value - reductions.get(key, 0))
            )
        else:
            cells[key] = tables.Count.events(value)
    return tables.Table(
        indicator=indicator,
        unit=source.unit,
        period=period.code,
        dimensions=tuple(dimensions),
        categories=categories,
        additive=tuple(d.additive for d in cut_by),
        cells=cells,
    )
