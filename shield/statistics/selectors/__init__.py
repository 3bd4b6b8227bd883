"""Reads of statistics, with access applied: counted tables and series.

Who sees what: a user holding `statistics.view` sees aggregates over the records their memberships
granting it reach (`accounts.policy.scope_q`): a statistician (national scope) the whole country,
a supervisor their agency or province. Nobody sees a person through these selectors: they return
counts only.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils.translation import gettext as _

from shield.accounts.models import User
from shield.accounts.policy import has_permission, scope_q
from shield.statistics import tables
from shield.statistics.counting import SOURCES, TableJob, count_tables
from shield.statistics.dimensions import dimension_get
from shield.statistics.facts import facts_ensure_fresh
from shield.statistics.indicators import Indicator, indicator_get
from shield.statistics.periods import Period

VIEW = "statistics.view"


class StatisticsRequestError(ValueError):
    """A table was asked for that cannot be counted (unknown dimension, bad period, ...). The
    message says what; views and the API answer 400 with it. (An unknown indicator is a KeyError.)"""


def can_view_statistics(user: User | AnonymousUser | None) -> bool:
    return has_permission(user, VIEW)


def reach_of(user: User | AnonymousUser | None, indicator: Indicator) -> Q:
    """The rows of the indicator's source that the user's statistics scope reaches."""
    source = SOURCES[indicator.counts]
    reach = scope_q(user, VIEW, agency_path=source.agency_path, province_path=source.province_path)
    if source.fallback_agency_path is None or not reach.children:
        return reach  # no fallback, or everything (`Q()`, which an OR would drop)
    fallback = scope_q(user, VIEW, agency_path=source.fallback_agency_path)
    return reach | (Q(**{f"{source.agency_path}__isnull": True}) & fallback)


def _check(indicator: Indicator, dimensions: Sequence[str], filters: Mapping[str, str]) -> None:
    for code in dimensions:
        if code not in indicator.dimensions:
            raise StatisticsRequestError(
                _("%(indicator)s cannot be cut by “%(dimension)s”.")
                % {"indicator": indicator.code, "dimension": code}
            )
    if len(set(dimensions)) != len(dimensions):
        raise StatisticsRequestError(_("A dimension is named twice."))
    for code, category in filters.items():
        if code not in indicator.dimensions:
            raise StatisticsRequestError(
                _("%(indicator)s cannot be filtered by “%(dimension)s”.")
                % {"indicator": indicator.code, "dimension": code}
            )
        if code in dimensions:
            raise StatisticsRequestError(
                _("“%(dimension)s” is both a dimension and a filter.") % {"dimension": code}
            )
        if category not in dimension_get(code).codes:
            raise StatisticsRequestError(
                _("%(dimension)s has no category “%(category)s”.") % {"dimension": code, "category": category}
            )


@dataclass(frozen=True)
class TableRequest:
    """One table asked for: an indicator for a period, cut by dimensions, with extra filters."""

    indicator: str
    period: str
    dimensions: tuple[str, ...] = ()
    filters: Mapping[str, str] = field(default_factory=dict)


def tables_for(*, user: User | AnonymousUser | None, requests: Sequence[TableRequest]) -> list[tables.Table]:
    """The tables asked for, in order, over the user's scope, counted together: each source is
    read once for all the tables asked of it (`counting.count_tables`), so a report or a
    dashboard costs one query per source, however many tables, periods and margins it shows.

    KeyError for an unknown indicator; StatisticsRequestError (a ValueError) for a bad period,
    dimension or filter; PermissionError when the user may not see statistics at all.
    """
    chosen = [indicator_get(request.indicator) for request in requests]
    if not can_view_statistics(user):
        raise PermissionError("statistics.view is required")
    jobs = []
    reaches: dict[str, Q] = {}
    for request, indicator in zip(requests, chosen, strict=True):
        try:
            parsed = Period.parse(request.period)
        except ValueError as error:
            raise StatisticsRequestError(str(error)) from error
        asked = dict(request.filters)
        _check(indicator, request.dimensions, asked)
        if indicator.counts not in reaches:
            reaches[indicator.counts] = reach_of(user, indicator)
        jobs.append(
            TableJob(
                indicator=indicator.code,
                source=SOURCES[indicator.counts],
                period=parsed,
                dimensions=tuple(request.dimensions),
                filters={**indicator.filters, **asked},
                reach=reaches[indicator.counts],
            )
        )
    if not jobs:
        return []
    facts_ensure_fresh()
    return count_tables(jobs)


def table_for(
    *,
    user: User | AnonymousUser | None,
    indicator: str,
    period: str,
    dimensions: Sequence[str] = (),
    filters: Mapping[str, str] | None = None,
) -> tables.Table:
    """One indicator for one period cut by `dimensions`, over the user's scope (see `tables_for`)."""
    request = TableRequest(indicator, period, tuple(dimensions), dict(filters or {}))
    return tables_for(user=user, requests=[request])[0]


def series_for(
    *,
    user: User | AnonymousUser | None,
    indicator: str,
    periods: Sequence[str],
    dimension: str | None = None,
    filters: Mapping[str, str] | None = None,
) -> list[tables.Table]:
    """One table per period (in the order given), each cut by `dimension` when one is named."""
    dimensions = (dimension,) if dimension else ()
    requests = [TableRequest(indicator, period, dimensions, dict(filters or {})) for period in periods]
    return tables_for(user=user, requests=requests)
