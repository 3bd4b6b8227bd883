"""Reading detention episodes with access applied: missing and out of reach both answer 404.

A user reaches the episodes of the parties of the proceedings they reach
(`shield.justice.proceedings.access.proceedings_in_reach`); children's names are masked by the
pages and the API unless the reader is assigned to the proceeding
(`shield.justice.proceedings.selectors.party_name_in_list`).
"""

import datetime
import uuid
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone

from shield.accounts.models import User
from shield.core.lookups import one_or_not_found
from shield.justice.children import rules
from shield.justice.detention import limits
from shield.justice.models import DetentionEpisode, DetentionKind, FamilyVisit, Party
from shield.justice.proceedings.access import VIEW, proceedings_in_reach

OPEN = "open"
ENDED = "ended"
LIMITS = "limits"  # held now, the custody or detention limit near or passed


@dataclass(frozen=True)
class EpisodeFilters:
    kind: str = ""
    state: str = ""  # OPEN, ENDED, LIMITS or "" (all)
    started_from: datetime.date | None = None
    started_to: datetime.date | None = None


def party_get_for(*, user: User | AnonymousUser, party_id: uuid.UUID | str, permission: str = VIEW) -> Party:
    """A party of a proceeding in the user's reach (stand-in for the proceedings part's selector)."""
    parties = Party.objects.select_related("person", "proceeding").filter(
        proceeding__in=proceedings_in_reach(user, permission)
    )
    return one_or_not_found(parties, party_id)


def episode_list_for(
    *,
    user: User | AnonymousUser,
    filters: EpisodeFilters | None = None,
    child_rules: rules.ChildRules | None = None,
) -> QuerySet[DetentionEpisode]:
    """Episodes of the parties in reach, newest start first, with party, person and proceeding
    joined (one query for a page)."""
    filters = filters or EpisodeFilters()
    episodes = DetentionEpisode.objects.select_related("party", "party__person", "party__proceeding").filter(
        party__proceeding__in=proceedings_in_reach(user, VIEW)
    )
    if filters.kind in DetentionKind.values:
        episodes = episodes.filter(kind=filters.kind)
    if filters.state == OPEN:
        episodes = episodes.filter(ended_on__isnull=True)
    elif filters.state == ENDED:
        episodes = episodes.filter(ended_on__isnull=False)
    elif filters.state == LIMITS:
        child_rules = child_rules or rules.ChildRules.current()
        episodes = episodes.filter(limits.open_limit_q(child_rules, now=timezone.now()))
    if filters.started_from:
        episodes = episodes.filter(started_on__gte=filters.started_from)
    if filters.started_to:
        episodes = episodes.filter(started_on__lte=filters.started_to)
    return episodes.order_by("-started_on", "-created_at")


def episode_get_for(
    *, user: User | AnonymousUser, episode_id: uuid.UUID | str, permission: str = VIEW
) -> DetentionEpisode:
    episodes = DetentionEpisode.objects.select_related(
        "party", "party__person", "party__proceeding", "limit_justified_by"
    ).filter(party__proceeding__in=proceedings_in_reach(user, permission))
    return one_or_not_found(episodes, episode_id)


def limits_near_or_breached_for(
    *, user: User | AnonymousUser, child_rules: rules.ChildRules | None = None
) -> QuerySet[DetentionEpisode]:
    """Children in reach held now whose custody or detention limit is near or passed, the earliest
    start first (the list's `?state=limits`)."""
    filters = EpisodeFilters(state=LIMITS)
    return episode_list_for(user=user, filters=filters, child_rules=child_rules).order_by(
        "started_on", "started_time", "pk"
    )


def episodes_of_party(*, party: Party) -> list[DetentionEpisode]:
    """A party (obtained through `party_get_for`) and its episodes, newest first, visits joined."""
    episodes = list(
        DetentionEpisode.objects.filter(party=party)
        .prefetch_related("family_visits")
        .order_by("-started_on", "-created_at")
    )
    for episode in episodes:
        episode.party = party  # no query per episode for its (limit's) party
    return episodes


def visits_of(*, episode: DetentionEpisode) -> QuerySet[FamilyVisit]:
    return FamilyVisit.objects.filter(episode=episode).order_by("-visited_on", "-created_at")


def days_held(episode: DetentionEpisode, *, today: datetime.date | None = None) -> int:
    """Days deprived of liberty, the first and last days both counted (an open episode: to today)."""
    end = episode.ended_on or today or timezone.localdate()
    return (end - episode.started_on).days + 1
