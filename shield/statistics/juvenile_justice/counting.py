"""The UNODC/UNICEF juvenile-justice indicators 1-11 (Manual for the Measurement of Juvenile
Justice Indicators, 2006), counted from the justice app's parties and detention episodes.

The indicators are data (`data/juvenile_justice_indicators.json`: code, the manual's number, unit,
vi/en name, definition, numerator and denominator); this module counts them for a year, for the
whole reach of the user and per province, and protects what it shows:

- **Who is counted.** Children are parties recorded as a child at the event (`Party.is_child`),
  counted once per person in each cell (a child in two proceedings is one child). The rows a user
  reaches are those of proceedings whose holding agency `accounts.policy.scope_q` reaches for
  `statistics.view`, the same rule as every other statistic; the province is that agency's.
- **Census date.** Stock indicators (2, 3, 4, 5, 7, 8) are read on 31 December of the year, or
  today for the current year. Flow indicators (1, 6, 9, 10, 11) count the calendar year.
- **Rates.** Per-100,000 rates divide by the uploaded child population (`PopulationFigure`, age
  `Y0T17`, both sexes) in force for the year: with none uploaded for that year (or that province)
  the rate is not computed and only the count is shown. No figure is invented.
- **Disclosure.** Counts go through the statistics app's primary suppression
  (`disclosure.primary.primary_keys`, threshold from the data file): a count from 1 to 4 prints
  as `<5`, and a rate, share or median computed from a suppressed count is not printed either.
- **Diversion (10)** counts children who entered a diversion measure (the children part's
  `Diversion`, by its decision date) decided before any sentence, not `Party.outcome == diverted`.
"""

import datetime
import json
import statistics as pystats
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from shield.accounts.models import User
from shield.accounts.policy import has_permission, scope_q
from shield.geo.models import Province
from shield.justice.models import (
    PRE_SENTENCE_KINDS,
    DetentionEpisode,
    DetentionKind,
    Diversion,
    FamilyVisit,
    Party,
    PartyOutcome,
    PartyRole,
)
from shield.statistics.disclosure.primary import primary_keys
from shield.statistics.models import PopulationAge
from shield.statistics.shapes.population import figures_for
from shield.statistics.tables import TOTAL, Count, Table, Unit

VIEW = "statistics.view"
DATA_FILE = Path(__file__).parent.parent / "data" / "juvenile_justice_indicators.json"
UNITS = ("per_100000", "per_1000", "percent", "days")
CONFLICT_ROLES = (PartyRole.SUSPECT, PartyRole.ACCUSED, PartyRole.DEFENDANT)
NATIONAL = ""  # the row key of the whole reach
FIRST_YEAR = 2000
FAMILY_CONTACT_MONTHS = 3
NOTHING_SHOWN = "\u2013"  # an en dash: no figure to show


@dataclass(frozen=True)
class JJIndicator:
    code: str
    manual_number: int
    unit: str
    name: dict[str, str]
    definition: dict[str, str]
    numerator: dict[str, str]
    denominator: dict[str, str]

    def text(self, part: str, lang: str | None = None) -> str:
        texts: dict[str, str] = getattr(self, part)
        return texts["vi"] if (lang or get_language() or "vi").startswith("vi") else texts["en"]


@cache
def _load() -> tuple[int, tuple[JJIndicator, ...]]:
    raw: dict[str, Any] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    found = []
    for entry in raw["indicators"]:
        indicator = JJIndicator(**entry)
        if indicator.unit not in UNITS:
            raise ValueError(f"{indicator.code}: unknown unit {indicator.unit!r}")
        for part in ("name", "definition", "numerator", "denominator"):
            if not all(getattr(indicator, part).get(lang) for lang in ("vi", "en")):
                raise ValueError(f"{indicator.code}: {part} needs vi and en")
        found.append(indicator)
    numbers = sorted(i.manual_number for i in found)
    if numbers != list(range(1, 12)):
        raise ValueError(f"the manual's indicators 1-11 each once, got {numbers}")
    return int(raw["threshold"]), tuple(sorted(found, key=lambda i: i.manual_number))


def indicators() -> tuple[JJIndicator, ...]:
    return _load()[1]


def threshold() -> int:
    return _load()[0]


@dataclass(frozen=True)
class Cell:
    """One row of one indicator: the figures and what is printed of them."""

    province: str  # NATIONAL or a province code
    label: str
    numerator: int | None  # None: not a count (a median's row has no numerator count)
    denominator: int | None  # None: no population figure uploaded
    value: float | None  # the rate, share or median; None when it cannot be computed
    shown_numerator: str
    shown_denominator: str
    shown_value: str
    suppressed: bool


@dataclass
class IndicatorResult:
    indicator: JJIndicator
    rows: list[Cell] = field(default_factory=list)

    # In the language of the request (the page reads these).
    @property
    def name(self) -> str:
        return self.indicator.text("name")

    @property
    def definition(self) -> str:
        return self.indicator.text("definition")

    @property
    def numerator_label(self) -> str:
        return self.indicator.text("numerator")

    @property
    def denominator_label(self) -> str:
        return self.indicator.text("denominator")

    @property
    def unit(self) -> str:
        return unit_label(self.indicator.unit)

    @property
    def is_median(self) -> bool:
        return self.indicator.unit == "days"


@dataclass
class Report:
    year: int
    census_on: datetime.date
    population_version: int | None
    threshold: int
    results: list[IndicatorResult]

    def csv_rows(self) -> tuple[list[str], list[list[str]]]:
        """Only what the page prints: suppressed figures stay `<5` or empty."""
        header = [
            _("Indicator"),
            _("Manual number"),
            _("Year"),
            _("Province"),
            _("Numerator"),
            _("Denominator"),
            _("Value"),
            _("Unit"),
        ]
        rows = [
            [
                result.indicator.text("name"),
                str(result.indicator.manual_number),
                str(self.year),
                cell.label,
                cell.shown_numerator,
                cell.shown_denominator,
                cell.shown_value,
                unit_label(result.indicator.unit),
            ]
            for result in self.results
            for cell in result.rows
        ]
        return header, rows


def unit_label(unit: str) -> str:
    return {
        "per_100000": _("per 100,000 children"),
        "per_1000": _("per 1,000 children detained"),
        "percent": _("%"),
        "days": _("days (median)"),
    }[unit]


class JuvenileJusticeRequestError(ValueError):
    pass


def census_date(year: int, *, today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    if year < FIRST_YEAR or year > today.year:
        raise JuvenileJusticeRequestError(
            _("Choose a year from %(first)d to %(last)d.") % {"first": FIRST_YEAR, "last": today.year}
        )
    return min(datetime.date(year, 12, 31), today)


def _months_before(day: datetime.date, months: int) -> datetime.date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


# Per row key (NATIONAL or a province code): the distinct persons counted.
Persons = dict[str, set[object]]


def _add(bucket: Persons, province: str | None, person: object) -> None:
    bucket[NATIONAL].add(person)
    bucket[province or "unknown"].add(person)


def _empty() -> Persons:
    return defaultdict(set)


def _scope(user: User | AnonymousUser, prefix: str) -> Q:
    return scope_q(user, VIEW, agency_path=f"{prefix}proceeding__holding_agency")


@dataclass
class _Counted:
    """Everything the eleven indicators need, per row key."""

    in_conflict: Persons = field(default_factory=_empty)
    detained_census: Persons = field(default_factory=_empty)
    pre_sentence_census: Persons = field(default_factory=_empty)
    sentenced_census: Persons = field(default_factory=_empty)
    pre_sentence_days: dict[str, dict[object, int]] = field(default_factory=lambda: defaultdict(dict))
    sentenced_days: dict[str, dict[object, int]] = field(default_factory=lambda: defaultdict(dict))
    detained_in_year: Persons = field(default_factory=_empty)
    died_in_year: Persons = field(default_factory=_empty)
    not_separated: Persons = field(default_factory=_empty)
    family_contact: Persons = field(default_factory=_empty)
    sentenced: Persons = field(default_factory=_empty)
    custodial: Persons = field(default_factory=_empty)
    diverted: Persons = field(default_factory=_empty)
    released: Persons = field(default_factory=_empty)
    aftercare: Persons = field(default_factory=_empty)


PROVINCE = "proceeding__holding_agency__province__code"


def _count(user: User | AnonymousUser, year: int, census_on: datetime.date) -> _Counted:
    counted = _Counted()
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    children = Party.objects.filter(_scope(user, ""), is_child=True)

    # 1: children in conflict with the law, the offence dated in the year.
    for person, province in children.filter(
        role__in=CONFLICT_ROLES, event_on__range=(start, end)
    ).values_list("person_id", PROVINCE):
        _add(counted.in_conflict, province, person)

    # 9: children sentenced in the year.
    sentenced = children.filter(outcome=PartyOutcome.CONVICTED, outcome_on__range=(start, end))
    for person, province, custodial in sentenced.values_list("person_id", PROVINCE, "sentence_custodial"):
        _add(counted.sentenced, province, person)
        if custodial:
            _add(counted.custodial, province, person)

    # 10: children who entered a diversion measure in the year (the children part's `Diversion`),
    # decided before any sentence: a diversion recorded after the child's conviction is not counted.
    diversions = (
        Diversion.objects.filter(
            _scope(user, "party__"), party__is_child=True, decided_on__range=(start, end)
        )
        .exclude(party__outcome=PartyOutcome.CONVICTED, party__outcome_on__lte=F("decided_on"))
        .values_list("party__person_id", "party__" + PROVINCE)
    )
    for person, province in diversions:
        _add(counted.diverted, province, person)

    # Detention: every episode of a child in reach that touched the year (one query).
    episodes = (
        DetentionEpisode.objects.filter(_scope(user, "party__"), party__is_child=True, started_on__lte=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        .values_list(
            "pk",
            "party__person_id",
            f"party__{PROVINCE}",
            "kind",
            "started_on",
            "ended_on",
            "separated_from_adults",
            "died_on",
            "aftercare_received",
        )
    )
    at_census: list[tuple[object, object, str | None]] = []
    for pk, person, province, kind, started, ended, separated, died, aftercare in episodes:
        _add(counted.detained_in_year, province, person)
        if died is not None and start <= died <= end:
            _add(counted.died_in_year, province, person)
        if ended is not None and died is None and start <= ended <= end:
            _add(counted.released, province, person)
            if aftercare:
                _add(counted.aftercare, province, person)
        if started <= census_on and (ended is None or ended >= census_on):
            at_census.append((pk, person, province))
            _add(counted.detained_census, province, person)
            if not separated:
                _add(counted.not_separated, province, person)
            days = (census_on - started).days + 1
            if kind in PRE_SENTENCE_KINDS:
                _add(counted.pre_sentence_census, province, person)
                _keep_longest(counted.pre_sentence_days, province, person, days)
            elif kind == DetentionKind.SENTENCE:
                _add(counted.sentenced_census, province, person)
                _keep_longest(counted.sentenced_days, province, person, days)

    # 8: a family visit in the 3 months up to the census date, during an episode open then.
    if at_census:
        since = _months_before(census_on, FAMILY_CONTACT_MONTHS)
        visited = set(
            FamilyVisit.objects.filter(
                episode_id__in=[pk for pk, _p, _pr in at_census],
                visited_on__gt=since,
                visited_on__lte=census_on,
            ).values_list("episode_id", flat=True)
        )
        for pk, person, province in at_census:
            if pk in visited:
                _add(counted.family_contact, province, person)
    return counted


def _keep_longest(
    bucket: dict[str, dict[object, int]], province: str | None, person: object, days: int
) -> None:
    for key in (NATIONAL, province or "unknown"):
        bucket[key][person] = max(days, bucket[key].get(person, 0))


def _protected(name: str, counts: dict[str, int], keys: list[str], limit: int) -> set[str]:
    """The row keys whose count the statistics app's primary suppression withholds."""
    provinces = tuple(k for k in keys if k != NATIONAL)
    cells: dict[tuple[str, ...], Count] = {(k,): Count.events(counts.get(k, 0)) for k in provinces}
    cells[(TOTAL,)] = Count.events(counts.get(NATIONAL, 0))
    table = Table(
        indicator=name,
        unit=Unit.PERSONS,
        period="",
        dimensions=("province",),
        categories=(provinces,),
        additive=(False,),  # a child held in two provinces counts once in the total
        cells=cells,
    )
    return {NATIONAL if key[0] == TOTAL else key[0] for key in primary_keys(table, limit)}


def _number(value: float, places: int = 1) -> str:
    rounded = Decimal(str(value)).quantize(Decimal(10) ** -places, rounding=ROUND_HALF_UP)
    text = f"{rounded:,}"
    if (get_language() or "vi").startswith("vi"):
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def _median_text(value: float | None, *, withheld: bool) -> str:
    if withheld:
        return _("withheld")
    return NOTHING_SHOWN if value is None else _number(value)


def _count_text(n: int) -> str:
    return _number(n, 0)


def juvenile_justice_for(
    *, user: User | AnonymousUser, year: int, today: datetime.date | None = None
) -> Report:
    """The eleven indicators of `year` over the user's reach: a row for the whole reach, then one
    per province. Raises PermissionError without `statistics.view`, JuvenileJusticeRequestError
    for a year outside 2000..this year."""
    if not has_permission(user, VIEW):
        raise PermissionError("statistics.view is required")
    census_on = census_date(year, today=today)
    limit = threshold()
    counted = _count(user, year, census_on)
    upload, figures = figures_for(year)
    population = {
        (code or NATIONAL): count
        for (code, sex, age), count in figures.items()
        if sex == TOTAL and age == PopulationAge.CHILDREN
    }
    keys = _row_keys(counted)
    names = dict(Province.objects.filter(code__in=keys).values_list("code", "name"))
    labels = {key: names.get(key, _("Province not known")) for key in keys}
    labels[NATIONAL] = _("All in your reach")

    def rate(
        indicator: JJIndicator, numerator: Persons, denominator: Persons | None, per: int
    ) -> IndicatorResult:
        num = {k: len(numerator.get(k, ())) for k in keys}
        den = {k: len(denominator.get(k, ())) for k in keys} if denominator is not None else {}
        hidden = _protected(indicator.code, num, keys, limit)
        hidden_den = _protected(indicator.code, den, keys, limit) if denominator is not None else set()
        result = IndicatorResult(indicator)
        for key in keys:
            d: int | None = den[key] if denominator is not None else population.get(key)
            value = (num[key] * per / d) if d else None
            withheld = key in hidden or key in hidden_den
            if denominator is None and d is None:
                shown_value = _("no population figure")
            elif withheld:
                shown_value = _("withheld")
            elif value is None:
                shown_value = NOTHING_SHOWN
            else:
                shown_value = _number(value)
            result.rows.append(
                Cell(
                    province=key,
                    label=labels[key],
                    numerator=num[key],
                    denominator=d,
                    value=None if withheld else value,
                    shown_numerator=f"<{limit}" if key in hidden else _count_text(num[key]),
                    shown_denominator=(
                        f"<{limit}" if key in hidden_den else (NOTHING_SHOWN if d is None else _count_text(d))
                    ),
                    shown_value=shown_value,
                    suppressed=withheld,
                )
            )
        return result

    def median(indicator: JJIndicator, days: dict[str, dict[object, int]]) -> IndicatorResult:
        den = {k: len(days.get(k, {})) for k in keys}
        hidden = _protected(indicator.code, den, keys, limit)
        result = IndicatorResult(indicator)
        for key in keys:
            values = list(days.get(key, {}).values())
            value = float(pystats.median(values)) if values else None
            withheld = key in hidden
            result.rows.append(
                Cell(
                    province=key,
                    label=labels[key],
                    numerator=None,
                    denominator=den[key],
                    value=None if withheld else value,
                    shown_numerator="",
                    shown_denominator=f"<{limit}" if withheld else _count_text(den[key]),
                    shown_value=_median_text(value, withheld=withheld),
                    suppressed=withheld,
                )
            )
        return result

    c = counted
    by_number = {
        1: lambda i: rate(i, c.in_conflict, None, 100_000),
        2: lambda i: rate(i, c.detained_census, None, 100_000),
        3: lambda i: rate(i, c.pre_sentence_census, None, 100_000),
        4: lambda i: median(i, c.pre_sentence_days),
        5: lambda i: median(i, c.sentenced_days),
        6: lambda i: rate(i, c.died_in_year, c.detained_in_year, 1_000),
        7: lambda i: rate(i, c.not_separated, c.detained_census, 100),
        8: lambda i: rate(i, c.family_contact, c.detained_census, 100),
        9: lambda i: rate(i, c.custodial, c.sentenced, 100),
        10: lambda i: rate(i, c.diverted, _union(c.diverted, c.sentenced), 100),
        11: lambda i: rate(i, c.aftercare, c.released, 100),
    }
    results = [by_number[i.manual_number](i) for i in indicators()]
    return Report(
        year=year,
        census_on=census_on,
        population_version=upload.number if upload else None,
        threshold=limit,
        results=results,
    )


def _union(a: Persons, b: Persons) -> Persons:
    joined = _empty()
    for key in set(a) | set(b):
        joined[key] = a.get(key, set()) | b.get(key, set())
    return joined


def _row_keys(counted: _Counted) -> list[str]:
    found: set[str] = set()
    for bucket in vars(counted).values():
        found.update(bucket)
    return [NATIONAL, *sorted(k for k in found if k != NATIONAL)]


def report_as_dict(report: Report) -> dict[str, Any]:
    """The API's answer: printed values only (suppressed figures are null with `suppressed`)."""
    return {
        "year": report.year,
        "census_date": report.census_on.isoformat(),
        "population_version": report.population_version,
        "threshold": report.threshold,
        "indicators": [
            {
                "code": r.indicator.code,
                "manual_number": r.indicator.manual_number,
                "unit": r.indicator.unit,
                "name": r.indicator.text("name"),
                "rows": [_cell_dict(cell, report.threshold) for cell in r.rows],
            }
            for r in report.results
        ],
    }


def _cell_dict(cell: Cell, limit: int) -> dict[str, Any]:
    def printed(n: int | None, shown: str) -> int | None:
        return None if n is None or shown.startswith("<") else n

    return {
        "province": cell.province or None,
        "label": cell.label,
        "numerator": printed(cell.numerator, cell.shown_numerator),
        "denominator": printed(cell.denominator, cell.shown_denominator),
        "value": None if cell.value is None else round(cell.value, 2),
        "suppressed": cell.suppressed,
        "numerator_shown": cell.shown_numerator,
        "denominator_shown": cell.shown_denominator,
        "value_shown": cell.shown_value,
    }


def years_choice(today: datetime.date | None = None) -> Iterable[int]:
    today = today or timezone.localdate()
    return range(today.year, today.year - 10, -1)
