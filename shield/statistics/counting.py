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
first decision dates, channel, forms of exploitation; and copies of the person's record, individual,
sex, citizenship and province), kept up to date incrementally by `shield.statistics.facts`; the
owning agency is joined live (and the person for a case event's age).

`count_tables` reads each source once for all the tables asked of it (one query per source and
reach, over all the periods and dimensions asked) and counts every cell in Python from those rows.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from itertools import product
from typing import Any, Protocol

from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import (
    Case,
    CharField,
    F,
    IntegerField,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, ExtractDay, ExtractMonth, ExtractYear, Mod, TruncDate
from django.db.models.lookups import Exact

from shield.cases.models import IdentificationStatus
from shield.intake.models import Screening, ScreeningStatus, Tip
from shield.intake.risk import REFERRAL_OUTCOMES
from shield.intake.risk import RiskLevel as ScreeningRisk
from shield.linkage.models import PairStatus, ReviewPair
from shield.people import birth_dates
from shield.referrals.models import Referral, ReferralStatus, SupportDelivery
from shield.statistics import dimensions as dims
from shield.statistics import tables
from shield.statistics.dimensions import Dimension, dimension_get
from shield.statistics.models import CaseFact
from shield.statistics.periods import ZONE, Period

UNIT = "_unit"
RECORD = "_record"
REF_MONTH = "_ref_month"
REF_DATE = "_ref_date"

DETECTED = (IdentificationStatus.POSSIBLE, IdentificationStatus.IDENTIFIED)


def column(dimension: str) -> str:
    return f"d_{dimension}"


def flag(dimension: str, category: str) -> str:
    return f"f_{dimension}_{category.replace('-', '_').replace('+', 'plus')}"


class Days(Protocol):
    """The days a read covers: a `Period`, or the span of several (`count_tables`)."""

    @property
    def start(self) -> datetime.date: ...
    @property
    def end(self) -> datetime.date: ...
    @property
    def start_at(self) -> datetime.datetime: ...
    @property
    def end_before(self) -> datetime.datetime: ...


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


# --- Sources ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """What an indicator counts: rows for a period, annotated with the dimensions asked for."""

    key: str
    unit: str
    dimensions: frozenset[str]
    # (days, dimensions needed) -> rows with UNIT, RECORD and REF_DATE annotated. RECORD is the
    # person record for a person source (what review pairs name), else the event.
    rows: Callable[["Days", set[str]], QuerySet[Any]]
    # From a row to its owning agency, for the access scope (`accounts.policy.scope_q`).
    agency_path: str
    province_path: str | None = None
    # For rows whose `agency_path` is empty (immediate support given before any case): the path to
    # the agency that answers for them instead.
    fallback_agency_path: str | None = None

    @property
    def counts_persons(self) -> bool:
        return self.unit == tables.Unit.PERSONS


_CASE_PERSON_DIMENSIONS = frozenset(
    {dims.SEX, dims.AGE_UNODC, dims.AGE_CTDC, dims.CITIZENSHIP, dims.PROVINCE, dims.AGENCY_KIND, dims.CHANNEL}
)


def _case_rows(qs: QuerySet[Any], needed: set[str]) -> QuerySet[Any]:
    """Rows of `CaseFact`: the person's sex, citizenship and province as the facts copied them,
    the owning agency joined live (and the person, for the age of a case event)."""
    annotations: dict[str, Any] = {}
    if dims.SEX in needed:
        annotations[column(dims.SEX)] = _sex("sex")
    if dims.CITIZENSHIP in needed:
        annotations[column(dims.CITIZENSHIP)] = _known_or_unknown("citizenship", dims.CITIZENSHIP)
    if dims.PROVINCE in needed:
        annotations[column(dims.PROVINCE)] = Case(
            When(province="", then=Value(dims.UNKNOWN)), default=F("province"), output_field=CharField()
        )
    if dims.AGENCY_KIND in needed:
        annotations[column(dims.AGENCY_KIND)] = _known_or_unknown(
            "case__owner_agency__kind", dims.AGENCY_KIND
        )
    if dims.CHANNEL in needed:
        annotations[column(dims.CHANNEL)] = F("channel")
    if dims.IDENTIFICATION in needed:
        annotations[column(dims.IDENTIFICATION)] = F("status")
    if annotations:
        qs = qs.annotate(**annotations)
    if dims.EXPLOITATION in needed:
        qs = _exploitation_flags(qs)
    return _age_annotations(qs, "case__person", needed)


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


def _victim_rows(statuses: Sequence[str], dated_by: str) -> Callable[["Days", set[str]], QuerySet[Any]]:
    """Cases whose latest identification decision is one of `statuses`, dated by the first
    decision saying so (`dated_by`), one row per case (so per person record)."""

    def rows(period: "Days", needed: set[str]) -> QuerySet[Any]:
        qs = CaseFact.objects.filter(
            **{"status__in": list(statuses), f"{dated_by}__gte": period.start, f"{dated_by}__lte": period.end}
        ).annotate(
            **{
                REF_DATE: F(dated_by),
                RECORD: F("record"),
                UNIT: F("unit"),
            }
        )
        age = "age_detected" if dated_by == "detected_on" else "age_identified"
        qs = _age_columns(qs, age, needed)
        return _case_rows(qs, needed - {dims.AGE_UNODC, dims.AGE_CTDC})

    return rows


def _case_event_rows(field: str) -> Callable[["Days", set[str]], QuerySet[Any]]:
    def rows(period: "Days", needed: set[str]) -> QuerySet[Any]:
        path = f"case__{field}"
        qs = CaseFact.objects.filter(
            **{f"{path}__gte": period.start_at, f"{path}__lt": period.end_before}
        ).annotate(**{REF_DATE: TruncDate(path, tzinfo=ZONE), UNIT: F("case_id"), RECORD: F("case_id")})
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


def _screening_rows(*, flagged_only: bool) -> Callable[["Days", set[str]], QuerySet[Any]]:
    def rows(period: "Days", needed: set[str]) -> QuerySet[Any]:
        qs = Screening.objects.filter(
            status=ScreeningStatus.COMPLETED,
            started_at__gte=period.start_at,
            started_at__lt=period.end_before,
        )
        if flagged_only:
            qs = qs.filter(_screening_flagged())
            unit = Coalesce(F("person__linkage_individual__individual_id"), F("person_id"), F("pk"))
            record = Coalesce(F("person_id"), F("pk"))
            qs = qs.annotate(**{UNIT: unit, RECORD: record})
        else:
            qs = qs.annotate(**{UNIT: F("pk"), RECORD: F("pk")})
        qs = qs.annotate(**{REF_DATE: TruncDate("started_at", tzinfo=ZONE)})
        return _screening_dimensions(qs, needed)

    return rows


def _tip_rows(period: "Days", needed: set[str]) -> QuerySet[Any]:
    qs = Tip.objects.filter(received_at__gte=period.start_at, received_at__lt=period.end_before).annotate(
        **{UNIT: F("pk"), RECORD: F("pk"), REF_DATE: TruncDate("received_at", tzinfo=ZONE)}
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


def _referral_rows(*, completed: bool, persons: bool) -> Callable[["Days", set[str]], QuerySet[Any]]:
    """Referrals sent in the period (by `sent_at`), or completed in it (by `closed_at`), cut by
    the referring agency's province and kind; for persons, the referred person's individual."""

    def rows(period: "Days", needed: set[str]) -> QuerySet[Any]:
        dated = "closed_at" if completed else "sent_at"
        qs = Referral.objects.filter(**{f"{dated}__gte": period.start_at, f"{dated}__lt": period.end_before})
        if completed:
            qs = qs.filter(status=ReferralStatus.COMPLETED)
        qs = qs.annotate(**{REF_DATE: TruncDate(dated, tzinfo=ZONE)})
        if persons:
            unit = Coalesce(F("person__linkage_individual__individual_id"), F("person_id"))
            qs = qs.annotate(**{UNIT: unit, RECORD: F("person_id")})
        else:
            qs = qs.annotate(**{UNIT: F("pk"), RECORD: F("pk")})
        annotations: dict[str, Any] = {}
        if dims.SERVICE_TYPE in needed:
            annotations[column(dims.SERVICE_TYPE)] = _known_or_unknown("service_type", dims.SERVICE_TYPE)
        if dims.URGENCY in needed:
            annotations[column(dims.URGENCY)] = _known_or_unknown("urgency", dims.URGENCY)
        if dims.OUTCOME in needed:
            annotations[column(dims.OUTCOME)] = _known_or_unknown("outcome", dims.OUTCOME)
        if dims.SEX in needed:
            annotations[column(dims.SEX)] = _sex("person__sex")
        if dims.PROVINCE in needed:
            annotations[column(dims.PROVINCE)] = Coalesce(
                F("from_agency__province__code"), Value(dims.UNKNOWN), output_field=CharField()
            )
        if dims.AGENCY_KIND in needed:
            annotations[column(dims.AGENCY_KIND)] = _known_or_unknown("from_agency__kind", dims.AGENCY_KIND)
        return qs.annotate(**annotations) if annotations else qs

    return rows


def _delivery_rows(*, persons: bool) -> Callable[["Days", set[str]], QuerySet[Any]]:
    """Support delivered in the period (by the day delivered), voided deliveries left out, cut by
    the case's owning agency's province and kind (for immediate support given before any case, the
    giving agency's); for persons, the supported person's individual."""

    def rows(period: "Days", needed: set[str]) -> QuerySet[Any]:
        qs = SupportDelivery.objects.filter(
            voided_at__isnull=True, delivered_on__gte=period.start, delivered_on__lte=period.end
        ).annotate(**{REF_DATE: F("delivered_on")})
        if persons:
            unit = Coalesce(F("person__linkage_individual__individual_id"), F("person_id"))
            qs = qs.annotate(**{UNIT: unit, RECORD: F("person_id")})
        else:
            qs = qs.annotate(**{UNIT: F("pk"), RECORD: F("pk")})
        annotations: dict[str, Any] = {}
        if dims.SUPPORT_TYPE in needed:
            annotations[column(dims.SUPPORT_TYPE)] = _known_or_unknown("support_type", dims.SUPPORT_TYPE)
        if dims.SEX in needed:
            annotations[column(dims.SEX)] = _sex("person__sex")
        if dims.PROVINCE in needed:
            annotations[column(dims.PROVINCE)] = Coalesce(
                F("case__owner_agency__province__code"),
                F("agency__province__code"),
                Value(dims.UNKNOWN),
                output_field=CharField(),
            )
        if dims.AGENCY_KIND in needed:
            known = [c for c in dimension_get(dims.AGENCY_KIND).codes if c != dims.UNKNOWN]
            annotations[column(dims.AGENCY_KIND)] = Case(
                When(
                    case__isnull=False, case__owner_agency__kind__in=known, then=F("case__owner_agency__kind")
                ),
                When(case__isnull=True, agency__kind__in=known, then=F("agency__kind")),
                default=Value(dims.UNKNOWN),
                output_field=CharField(),
            )
        return qs.annotate(**annotations) if annotations else qs

    return rows


_REFERRAL_DIMENSIONS = frozenset({dims.SERVICE_TYPE, dims.URGENCY, dims.PROVINCE, dims.AGENCY_KIND})
_DELIVERY_DIMENSIONS = frozenset({dims.SUPPORT_TYPE, dims.PROVINCE, dims.AGENCY_KIND})

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
        Source(
            "referrals.sent",
            tables.Unit.EVENTS,
            _REFERRAL_DIMENSIONS,
            _referral_rows(completed=False, persons=False),
            agency_path="from_agency",
        ),
        Source(
            "referrals.completed",
            tables.Unit.EVENTS,
            _REFERRAL_DIMENSIONS | {dims.OUTCOME},
            _referral_rows(completed=True, persons=False),
            agency_path="from_agency",
        ),
        Source(
            "referrals.persons",
            tables.Unit.PERSONS,
            _REFERRAL_DIMENSIONS | {dims.SEX},
            _referral_rows(completed=False, persons=True),
            agency_path="from_agency",
        ),
        Source(
            "support.deliveries",
            tables.Unit.EVENTS,
            _DELIVERY_DIMENSIONS,
            _delivery_rows(persons=False),
            agency_path="case__owner_agency",
            fallback_agency_path="agency",
        ),
        Source(
            "support.persons",
            tables.Unit.PERSONS,
            _DELIVERY_DIMENSIONS | {dims.SEX},
            _delivery_rows(persons=True),
            agency_path="case__owner_agency",
            fallback_agency_path="agency",
        ),
    )
}


# --- Tables -------------------------------------------------------------------------------------


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
    """The persons of each open review pair, as text (as `_read` gives records)."""
    return list(
        ReviewPair.objects.filter(status=PairStatus.OPEN)
        .annotate(_low=Cast("person_low_id", TextField()), _high=Cast("person_high_id", TextField()))
        .values_list("_low", "_high")
    )


@dataclass(frozen=True)
class TableJob:
    """One table to count: an indicator's source for a period, cut by dimensions, over a reach."""

    indicator: str
    source: Source
    period: Period
    dimensions: tuple[str, ...]
    filters: Mapping[str, str]
    reach: Q


@dataclass(frozen=True)
class _Span:
    """The days from the first period's start to the last one's end: what one read covers."""

    start: datetime.date
    end: datetime.date

    @property
    def start_at(self) -> datetime.datetime:
        return datetime.datetime.combine(self.start, datetime.time(), tzinfo=ZONE)

    @property
    def end_before(self) -> datetime.datetime:
        return datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time(), tzinfo=ZONE)


class _Rows:
    """The rows one read brought back (unit, record, month, then the dimensions' columns), and
    the same rows grouped by everything but unit and record: the few groups tables are counted
    from, each with its distinct units and records."""

    def __init__(self, fields: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        self.at = {name: i for i, name in enumerate(fields)}
        # Where each field sits in a group's key (the row without unit and record).
        self.key_at = {name: i - 2 for name, i in self.at.items() if i >= 2}
        self.rows = rows
        self._named: tuple[frozenset[Any], list[tuple[Any, ...]]] | None = None
        self.groups: dict[tuple[Any, ...], tuple[set[Any], set[Any]]] = {}
        for row in rows:
            found = self.groups.get(row[2:])
            if found is None:
                found = self.groups[row[2:]] = (set(), set())
            found[0].add(row[0])
            found[1].add(row[1])

    def of_persons(self, named: frozenset[Any]) -> list[tuple[Any, ...]]:
        """The rows of the persons named (in review pairs), found once per read."""
        if self._named is None or self._named[0] != named:
            self._named = (named, [row for row in self.rows if row[1] in named])
        return self._named[1]


def _month(day: datetime.date) -> int:
    return day.year * 100 + day.month


_SELECTED_UNIT, _SELECTED_RECORD = "_unit_text", "_record_text"


@dataclass(frozen=True)
class _Read:
    """One source's rows for some tables: over `span` and `reach`, with the needed dimensions."""

    source: Source
    span: _Span
    needed: frozenset[str]
    reach: Q
    by_month: bool

    def fields(self) -> list[str]:
        """Unit, record, month (yyyymm, only when the tables cover different periods), then the
        needed dimensions' columns (flags for a non-additive one)."""
        fields = [UNIT, RECORD, *([REF_MONTH] if self.by_month else [])]
        for code in sorted(self.needed):
            dimension = dimension_get(code)
            if dimension.additive:
                fields.append(column(code))
            else:
                fields.extend(flag(code, c) for c in dimension.codes)
        return fields

    def statement(self) -> tuple[str, list[Any]] | None:
        """The SQL and its parameters (None when the reach reaches nothing). Units and records
        come as text: parsing a UUID costs more than the rest of the row."""
        fields = self.fields()
        month = Cast(ExtractYear(REF_DATE) * 100 + ExtractMonth(REF_DATE), IntegerField())
        qs = (
            self.source.rows(self.span, set(self.needed))
            .filter(self.reach)
            .annotate(
                **{_SELECTED_UNIT: Cast(UNIT, TextField()), _SELECTED_RECORD: Cast(RECORD, TextField())},
                **({REF_MONTH: month} if self.by_month else {}),
            )
            .values_list(_SELECTED_UNIT, _SELECTED_RECORD, *fields[2:])
            .order_by()
        )
        try:
            sql, params = qs.query.get_compiler(using=qs.db).as_sql()
        except EmptyResultSet:  # a reach that reaches nothing
            return None
        return sql, list(params)


def _sql_type(name: str) -> str:
    if name == REF_MONTH:
        return "integer"
    if name.startswith("f_"):
        return "boolean"
    return "text"


def _read_all(reads: Sequence[_Read]) -> list[_Rows]:
    """The rows of every read, from one statement: the reads' queries side by side in a
    `UNION ALL`, each branch tagged with its read and filling its own columns (NULL in the
    others'). The statement runs as it is: every column is text, a number or a flag, so the
    ORM's per-row converters (a tenth of the time at a million persons) have nothing to do."""
    layouts: list[tuple[int, list[str], str, list[Any]]] = []
    for number, read in enumerate(reads):
        statement = read.statement()
        if statement is not None:
            layouts.append((number, read.fields(), *statement))
    found: list[list[tuple[Any, ...]]] = [[] for _ in reads]
    if len(layouts) == 1:
        number, _fields, sql, only_params = layouts[0]
        with connections["default"].cursor() as cursor:
            cursor.execute(sql, only_params)
            found[number] = [tuple(row) for row in cursor.fetchall()]
    elif layouts:
        names = {n: [_SELECTED_UNIT, _SELECTED_RECORD, *fields[2:]] for n, fields, _sql, _p in layouts}
        branches: list[str] = []
        params: list[Any] = []
        for number, _fields, sql, branch_params in layouts:
            columns = [
                f'b."{name}"' if other == number else f"CAST(NULL AS {_sql_type(name)})"
                for other, _f, _s, _p in layouts
                for name in names[other]
            ]
            # Column names are the code's own; the branches are the querysets' own SQL.
            branches.append(f"SELECT {number}, {', '.join(columns)} FROM ({sql}) b")  # noqa: S608
            params.extend(branch_params)
        where: dict[int, tuple[int, int]] = {}
        at = 1
        for number, fields, _sql, _p in layouts:
            where[number] = (at, at + len(fields))
            at += len(fields)
        with connections["default"].cursor() as cursor:
            cursor.execute(" UNION ALL ".join(branches), params)
            for row in cursor.fetchall():
                start, end = where[row[0]]
                found[row[0]].append(tuple(row[start:end]))
    return [_Rows(read.fields(), rows) for read, rows in zip(reads, found, strict=True)]


Choices = Callable[[tuple[Any, ...]], list[tuple[str, ...]]]


def _choices(at: Mapping[str, int], cut_by: Sequence[Dimension]) -> Choices:
    """From a row (or a group's key, with `at` its positions) to the categories it falls in, per
    dimension, margins (TOTAL) included."""
    getters: list[Callable[[tuple[Any, ...]], tuple[str, ...]]] = []
    for dimension in cut_by:
        if dimension.additive:
            i = at[column(dimension.code)]
            getters.append(lambda row, i=i: (row[i], tables.TOTAL))  # type: ignore[misc]
        else:
            hits = [(c, at[flag(dimension.code, c)]) for c in dimension.codes]
            getters.append(lambda row, hits=hits: (*(c for c, i in hits if row[i]), tables.TOTAL))  # type: ignore[misc]
    return lambda row: [get(row) for get in getters]


def _selects(at: Mapping[str, int], job: TableJob) -> Callable[[tuple[Any, ...]], bool]:
    """Whether a row (or a group's key) is in the job's period and passes its filters."""
    month = at.get(REF_MONTH)  # None: every row read is in the period
    first, last = _month(job.period.start), _month(job.period.end)
    tests: list[tuple[int, Any]] = []
    for code, category in job.filters.items():
        if dimension_get(code).additive:
            tests.append((at[column(code)], category))
        else:
            tests.append((at[flag(code, category)], True))
    if month is None:
        return lambda row: all(bool(row[i] == v) for i, v in tests)
    return lambda row: first <= row[month] <= last and all(bool(row[i] == v) for i, v in tests)


def _count(rows: _Rows, job: TableJob, pairs: Sequence[tuple[Any, Any]]) -> tables.Table:
    """One table from rows already read: every cell and margin, zeros included; each cell the
    union of the groups of rows falling in it."""
    cut_by = [dimension_get(code) for code in job.dimensions]
    choices_of = _choices(rows.key_at, cut_by)
    selects = _selects(rows.key_at, job)
    # The groups merged by the categories this table cuts by (fewer, larger sets), then each
    # merged group added to every cell and margin it falls in.
    merged: dict[tuple[tuple[str, ...], ...], tuple[set[Any], set[Any]]] = {}
    for key_of_group, (units, records) in rows.groups.items():
        if not selects(key_of_group):
            continue
        falls_in = tuple(choices_of(key_of_group))
        into = merged.get(falls_in)
        if into is None:
            into = merged[falls_in] = (set(), set())
        into[0].update(units)
        into[1].update(records)
    cells_of: dict[tables.Key, tuple[set[Any], set[Any]]] = defaultdict(lambda: (set(), set()))
    for falls_in, (units, records) in merged.items():
        for key in product(*falls_in):
            into = cells_of[key]
            into[0].update(units)
            into[1].update(records)
    reductions = _reductions(rows, job, cut_by, pairs) if job.source.counts_persons else {}
    categories = tuple(d.codes for d in cut_by)
    cells: dict[tables.Key, tables.Count] = {}
    for key in product(*[(*cats, tables.TOTAL) for cats in categories]):
        units, records = cells_of.get(key, (set(), set()))
        if job.source.counts_persons:
            value = len(units)
            cells[key] = tables.Count(
                value=value, records=len(records), low=max(0, value - reductions.get(key, 0))
            )
        else:
            cells[key] = tables.Count.events(len(units))
    return tables.Table(
        indicator=job.indicator,
        unit=job.source.unit,
        period=job.period.code,
        dimensions=job.dimensions,
        categories=categories,
        additive=tuple(d.additive for d in cut_by),
        cells=cells,
    )


def _reductions(
    rows: _Rows, job: TableJob, cut_by: Sequence[Dimension], pairs: Sequence[tuple[Any, Any]]
) -> dict[tables.Key, int]:
    """For each cell, how many distinct individuals the pending pairs within it would join."""
    if not pairs:
        return {}
    named = frozenset(person for pair in pairs for person in pair)
    choices_of = _choices(rows.at, cut_by)
    selects = _selects(rows.at, job)
    keys_of: dict[Any, set[tables.Key]] = defaultdict(set)
    unit_of: dict[Any, Any] = {}
    for row in rows.of_persons(named):
        if not selects(row):
            continue
        person = row[1]
        unit_of[person] = row[0]
        keys_of[person].update(product(*choices_of(row)))
    joins: dict[tables.Key, _UnionFind] = defaultdict(lambda: _UnionFind({}))
    reductions: dict[tables.Key, int] = defaultdict(int)
    for low, high in pairs:
        if low not in unit_of or high not in unit_of:
            continue
        for key in keys_of[low] & keys_of[high]:
            if joins[key].union(unit_of[low], unit_of[high]):
                reductions[key] += 1
    return reductions


def count_tables(jobs: Sequence[TableJob]) -> list[tables.Table]:
    """Every table asked for, each source read once over all the periods asked of it.

    The jobs reading the same source over the same reach share one read, covering the days from
    the first period to the last and the dimensions of them all (a year's report: its four
    tables of victims from one read of the year's facts), and all the reads are one statement
    (`_read_all`): a dashboard of a dozen sources costs one query.
    Every cell is then counted from those rows in Python: `value` the distinct units (unique
    individuals; events for an event indicator), `records` the distinct person records, `low`
    from the pending review pairs joined within the cell (union-find). Pairs are read once.
    """
    reads: list[tuple[Source, Q, list[int]]] = []
    for position, job in enumerate(jobs):
        for source, reach, members in reads:
            if source.key == job.source.key and reach == job.reach:
                members.append(position)
                break
        else:
            reads.append((job.source, job.reach, [position]))
    counted: list[tables.Table | None] = [None] * len(jobs)
    pairs = _pending_pairs() if any(job.source.counts_persons for job in jobs) else []
    # The source's queries, identifying "which connection", are all the default database's.
    vendor = connections["default"].vendor
    with transaction.atomic() if vendor == "postgresql" else nullcontext():
        if vendor == "postgresql":
            with connections["default"].cursor() as cursor:
                # The age and flag expressions make a large plan that PostgreSQL's JIT spends
                # seconds compiling (at a million persons) for a query that runs in less without.
                cursor.execute("SET LOCAL jit = off")
        planned: list[_Read] = []
        for source, reach, members in reads:
            chosen = [jobs[i] for i in members]
            needed: set[str] = set()
            for job in chosen:
                needed |= set(job.dimensions) | set(job.filters)
            planned.append(
                _Read(
                    source=source,
                    span=_Span(min(j.period.start for j in chosen), max(j.period.end for j in chosen)),
                    needed=frozenset(needed),
                    reach=reach,
                    by_month=len({j.period for j in chosen}) > 1,
                )
            )
        for (_source, _reach, members), rows in zip(reads, _read_all(planned), strict=True):
            for i in members:
                counted[i] = _count(rows, jobs[i], pairs)
    return [table for table in counted if table is not None]


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
    job = TableJob(indicator, source, period, tuple(dimensions), dict(filters), reach)
    return count_tables([job])[0]
