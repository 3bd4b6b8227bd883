"""Reads of statistics, with access applied: counted tables and series.

Who sees what: a user holding `statistics.view` sees aggregates over the records their memberships
granting it reach (`accounts.policy.scope_q`): a statistician (national scope) the whole country,
a supervisor their agency or province. Nobody sees a person through these selectors: they return
counts only.
"""

from collections.abc import Mapping, Sequence

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils.translation import gettext as _

from shield.accounts.models import User
from shield.accounts.policy import has_permission, scope_q
from shield.statistics import tables
from shield.statistics.counting import SOURCES, count_table
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
    return scope_q(user, VIEW, agency_path=source.agency_path, province_path=source.province_path)


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


def table_for(
    *,
    user: User | AnonymousUser | None,
    indicator: str,
    period: str,
    dimensions: Sequence[str] = (),
    filters: Mapping[str, str] | None = None,
) -> tables.Table:
    """One indicator for one period cut by `dimensions`, over the user's scope.

    KeyError for an unknown indicator; StatisticsRequestError (a ValueError) for a bad period,
    dimension or filter; PermissionError when the user may not see statistics at all.
    """
    chosen = indicator_get(indicator)
    if not can_view_statistics(user):
        raise PermissionError("statistics.view is required")
    try:
        parsed = Period.parse(period)
    except ValueError as error:
        raise StatisticsRequestError(str(error)) from error
    asked = dict(filters or {})
    _check(chosen, dimensions, asked)
    facts_ensure_fresh()
    return count_table(
        indicator=chosen.code,
        source=SOURCES[chosen.counts],
        period=parsed,
        dimensions=tuple(dimensions),
        filters={**chosen.filters, **asked},
        reach=reach_of(user, chosen),
    )


def series_for(
    *,
    user: User | AnonymousUser | None,
    indicator: str,
    periods: Sequence[str],
    dimension: str | None = None,
    filters: Mapping[str, str] | None = None,
) -> list[tables.Table]:
    """One table per period (in the order given), each cut by `dimension` when one is named."""
    return [
        table_for(
            user=user,
            indicator=indicator,
            period=period,
            dimensions=(dimension,) if dimension else (),
            filters=filters,
        )
        for period in periods
    ]
