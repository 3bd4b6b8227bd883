"""A child's custody and temporary-detention limits applied to detention episodes.

The figures are the children part's dated rules (`custody_limit`, `temporary_detention_limit` in
`data/child_rules.json`, *unverified*; an administrator's value overrides them from its date): an
episode follows the rule in force on its first day. The clock runs from the episode's start (the
time when recorded, else the start of its first day) to its end (the time when recorded, else the
end of its last day: the same "both days count" as durations). So without times, 72 hours allow
three days held (first and last counted) and 1,440 hours sixty days.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from shield.justice.children import rules
from shield.justice.models import DetentionEpisode


def _local(day: datetime.date, time: datetime.time | None) -> datetime.datetime:
    return datetime.datetime.combine(day, time or datetime.time.min, tzinfo=timezone.get_default_timezone())


def start_instant(started_on: datetime.date, started_time: datetime.time | None) -> datetime.datetime:
    return _local(started_on, started_time)


def end_instant(ended_on: datetime.date | None, ended_time: datetime.time | None) -> datetime.datetime | None:
    """The release: its time when recorded, else the end of the day (midnight after it)."""
    if ended_on is None:
        return None
    if ended_time is None:
        return _local(ended_on + datetime.timedelta(days=1), None)
    return _local(ended_on, ended_time)


def limit_of(
    *,
    kind: str,
    started_on: datetime.date,
    started_time: datetime.time | None,
    is_child: bool,
    child_rules: rules.ChildRules,
) -> rules.DetentionLimit | None:
    return rules.detention_limit(
        child_rules, kind=kind, started_at=start_instant(started_on, started_time), is_child=is_child
    )


@dataclass(frozen=True)
class LimitView:
    """An episode's limit as pages and the API show it."""

    limit: rules.DetentionLimit
    state: str  # within, near, breached, exceeded
    justified: bool

    @property
    def ends_at(self) -> datetime.datetime:
        return self.limit.ends_at

    @property
    def alert(self) -> bool:
        return self.state in ("near", "breached") or (self.state == "exceeded" and not self.justified)


def view_of(
    episode: DetentionEpisode, *, child_rules: rules.ChildRules, now: datetime.datetime | None = None
) -> LimitView | None:
    """The episode's limit and where it stands (no query: the party must be loaded)."""
    limit = limit_of(
        kind=episode.kind,
        started_on=episode.started_on,
        started_time=episode.started_time,
        is_child=episode.party.is_child,
        child_rules=child_rules,
    )
    if limit is None:
        return None
    state = limit.state(ended_at=end_instant(episode.ended_on, episode.ended_time), now=now or timezone.now())
    return LimitView(limit=limit, state=state, justified=bool(episode.limit_justification))


def _started_by(latest: datetime.datetime) -> Q:
    """Episodes whose start (time unknown: the day's start) is at or before `latest`."""
    local = timezone.localtime(latest)
    day, time = local.date(), local.time()
    return Q(started_on__lt=day) | (
        Q(started_on=day) & (Q(started_time__isnull=True) | Q(started_time__lte=time))
    )


def open_limit_q(child_rules: rules.ChildRules, *, now: datetime.datetime, breached_only: bool = False) -> Q:
    """A filter on DetentionEpisode: child episodes held now whose limit is near (within its
    `warn_hours`) or passed — or only passed. Exact to the minute, one condition per rule span."""
    found = Q(pk__in=[])
    for kind, key in rules.DETENTION_LIMIT_KEYS.items():
        for first, until, rule in rules.limit_periods(child_rules, key):
            hours = int(rule["hours"])
            margin = 0 if breached_only else int(rule.get("warn_hours", 24))
            # breached: start + hours < now; near: start + hours - warn <= now
            latest = now - datetime.timedelta(hours=hours - margin)
            if breached_only:
                latest -= datetime.timedelta(microseconds=1)
            span = Q(kind=kind, started_on__gte=first)
            if until is not None:
                span &= Q(started_on__lt=until)
            found |= span & _started_by(latest)
    return Q(ended_on__isnull=True, party__is_child=True) & found
