"""What the statistics dashboard shows for a user and a year: indicator tiles, a time series,
breakdown bars, a province table and Viet Nam's published GLOTIP series beside Shield's years.

The tables not in the cache are counted together by `selectors.tables_for` (the user's scope
applied there; one read per source, however many tables), and each is kept in
Django's cache for SHIELD_STATISTICS_CACHE_SECONDS (default 60) under a key naming the user and
their statistics memberships, so the page drawn again (another year and back, another chart) asks
the database nothing, and a victim identified now counts within a minute or so. The page says
"figures as of" the oldest count it shows.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from shield.accounts.models import User
from shield.accounts.policy import memberships_with
from shield.accounts.roles import Scope
from shield.statistics import published_series, selectors
from shield.statistics.indicators import Indicator, indicator_get, indicator_list
from shield.statistics.periods import Period
from shield.statistics.tables import Count, Table

DEFAULT_CACHE_SECONDS = 60
BREAKDOWNS = ("sex", "age_unodc", "exploitation", "citizenship")
PROVINCE = "province"
YEARS_IN_SERIES = 5
PUBLISHED_INDICATOR = "victims_detected"


TableRequest = selectors.TableRequest


def _scope_signature(user: User) -> str:
    """The memberships that give the user statistics, so a changed scope never reads old figures."""
    parts = sorted(f"{m.agency_id}:{m.scope}" for m in memberships_with(user, selectors.VIEW))
    return ",".join(parts)


def _key(user: User, request: TableRequest) -> str:
    return ":".join(
        (
            "statistics:table",
            str(user.pk),
            _scope_signature(user),
            request.indicator,
            request.period,
            ",".join(request.dimensions),
        )
    )


def tables_for(*, user: User, requests: Sequence[TableRequest]) -> tuple[list[Table], datetime.datetime]:
    """The tables asked for (from the cache when counted lately) and when the oldest was counted."""
    keys = [_key(user, r) for r in requests]
    found: dict[str, Any] = cache.get_many(keys)
    fresh: dict[str, tuple[Table, datetime.datetime]] = {}
    now = timezone.now()
    missing: dict[str, TableRequest] = {}
    for key, request in zip(keys, requests, strict=True):
        if key not in found:
            missing.setdefault(key, request)
    if missing:
        # Every table not in the cache counted together: one read per source.
        counted = selectors.tables_for(user=user, requests=list(missing.values()))
        fresh = {key: (table, now) for key, table in zip(missing, counted, strict=True)}
    if fresh:
        cache.set_many(fresh, getattr(settings, "SHIELD_STATISTICS_CACHE_SECONDS", DEFAULT_CACHE_SECONDS))
    every = {**found, **fresh}
    chosen = [every[key] for key in keys]
    oldest = min((at for _table, at in chosen), default=now)
    return [table for table, _at in chosen], oldest


def scope_label(user: User) -> str:
    """Which records the figures cover, in the reader's words."""
    memberships = memberships_with(user, selectors.VIEW)
    if any(m.scope == Scope.NATIONAL for m in memberships):
        return _("National: every agency in Viet Nam")
    parts = []
    for m in memberships:
        if m.scope == Scope.PROVINCE:
            parts.append(_("Province: %(province)s") % {"province": m.agency.province.name})
        elif m.scope == Scope.AGENCY:
            parts.append(_("Agency: %(agency)s and the agencies under it") % {"agency": m.agency.name})
        else:
            parts.append(_("Your own records at %(agency)s") % {"agency": m.agency.name})
    return "; ".join(parts)


@dataclass(frozen=True)
class Tile:
    indicator: Indicator
    count: Count
    table: Table  # the year's total (what the tile shows), for protecting the page's tables together


@dataclass(frozen=True)
class Dashboard:
    year: int
    indicator: Indicator
    series_kind: str
    tiles: list[Tile]
    series_periods: list[Period]
    series: list[Table]
    breakdowns: list[Table]
    provinces: Table | None
    shield_years: list[Table]  # victims_detected by year, for the chart beside the published series
    counted_at: datetime.datetime

    @property
    def empty(self) -> bool:
        return all(tile.count.records == 0 for tile in self.tiles)

    @property
    def uncertain(self) -> bool:
        return any(tile.count.uncertain for tile in self.tiles)


def series_periods(year: int, kind: str) -> list[Period]:
    whole = Period(year)
    if kind == "month":
        return whole.months()
    if kind == "quarter":
        return whole.quarters()
    return [Period(y) for y in range(year - YEARS_IN_SERIES + 1, year + 1)]


def dashboard_for(*, user: User, year: int, indicator: str, series_kind: str) -> Dashboard:
    chosen = indicator_get(indicator)
    shown = indicator_list()
    periods = series_periods(year, series_kind)
    years = [Period(y) for y in range(year - YEARS_IN_SERIES + 1, year + 1)]
    breakdowns = [d for d in BREAKDOWNS if d in chosen.dimensions]
    requests = (
        [TableRequest(i.code, str(year)) for i in shown]
        + [TableRequest(chosen.code, p.code) for p in periods]
        + [TableRequest(chosen.code, str(year), (d,)) for d in breakdowns]
        + ([TableRequest(chosen.code, str(year), (PROVINCE,))] if PROVINCE in chosen.dimensions else [])
        + [TableRequest(PUBLISHED_INDICATOR, p.code) for p in years]
    )
    counted, counted_at = tables_for(user=user, requests=requests)
    at = 0

    def take(n: int) -> list[Table]:
        nonlocal at
        part = counted[at : at + n]
        at += n
        return part

    tiles = [Tile(indicator=i, count=t.total, table=t) for i, t in zip(shown, take(len(shown)), strict=True)]
    series = take(len(periods))
    breakdown_tables = take(len(breakdowns))
    provinces = take(1)[0] if PROVINCE in chosen.dimensions else None
    shield_years = take(len(years))
    return Dashboard(
        year=year,
        indicator=chosen,
        series_kind=series_kind,
        tiles=tiles,
        series_periods=periods,
        series=series,
        breakdowns=breakdown_tables,
        provinces=provinces,
        shield_years=shield_years,
        counted_at=counted_at,
    )


def published_points() -> list[published_series.PublishedPoint]:
    return published_series.totals(published_series.DETECTED_VICTIMS)
