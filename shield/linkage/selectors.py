"""Reads of linkage: runs (system-wide), and review pairs limited to the persons the user reaches.

A reviewer (`linkage.review`) sees a pair only when they may see *both* persons through
`people.selectors` (the scope of their `people.view` membership): judging a pair shows both
records side by side. Missing and out-of-scope pairs both raise NotFound.
"""

import uuid
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from shield.core.access import AccessSubject
from shield.core.lookups import one_or_not_found
from shield.linkage.models import LinkageRun, PairStatus, PersonIndividual, PersonMerge, ReviewPair
from shield.people import selectors as people_selectors
from shield.people.models import Person

REVIEW_PERMISSION = "linkage.review"
RUN_PERMISSION = "linkage.run"
# Merging changes people's records: reviewing alone is not enough.
MERGE_PERMISSIONS = (REVIEW_PERMISSION, "people.register")


@dataclass(frozen=True)
class Band:
    key: str
    low: float
    high: float


# Probability bands a reviewer filters by: high is nearly a match, low barely worth asking.
BANDS = {
    "high": Band("high", 0.9, 1.01),
    "medium": Band("medium", 0.7, 0.9),
    "low": Band("low", 0.0, 0.7),
}


def _visible_persons(user: AccessSubject) -> QuerySet[Person, uuid.UUID]:
    return people_selectors.person_list_for(user=user).order_by().values_list("pk", flat=True)


def review_pair_list_for(
    *, user: AccessSubject, status: str | None = PairStatus.OPEN, band: str | None = None
) -> QuerySet[ReviewPair]:
    """Pairs whose two persons the user may see, most probable first."""
    visible = _visible_persons(user)
    pairs = ReviewPair.objects.filter(person_low__in=visible, person_high__in=visible)
    if status:
        pairs = pairs.filter(status=status)
    if band and band in BANDS:
        chosen = BANDS[band]
        pairs = pairs.filter(match_probability__gte=chosen.low, match_probability__lt=chosen.high)
    return pairs.select_related(
        "person_low__home_province",
        "person_high__home_province",
        "person_low__owner_agency",
        "person_high__owner_agency",
        "decided_by",
    ).order_by("-match_probability", "id")


def review_pair_get_for(*, user: AccessSubject, pair_id: uuid.UUID | str) -> ReviewPair:
    """One pair whose two persons the user may see; anything else raises NotFound."""
    return one_or_not_found(review_pair_list_for(user=user, status=None), pair_id)


def run_list() -> QuerySet[LinkageRun]:
    """Every run, newest first: runs cover the whole registry and hold no personal data."""
    return LinkageRun.objects.select_related("requested_by").order_by("-created_at", "-id")


def run_get(*, run_id: uuid.UUID | str) -> LinkageRun:
    return one_or_not_found(run_list(), run_id)


def run_latest() -> LinkageRun | None:
    return run_list().first()


def individual_code_of(person: Person) -> str:
    row = PersonIndividual.objects.filter(person=person).select_related("individual").first()
    return row.individual.code if row else ""


def merges_of_pair(pair: ReviewPair) -> QuerySet[PersonMerge]:
    """Merges between the pair's two persons, newest first (undone ones included)."""
    a, b = pair.person_low_id, pair.person_high_id
    return (
        PersonMerge.objects.filter(Q(survivor_id=a, merged_id=b) | Q(survivor_id=b, merged_id=a))
        .select_related("merged_by", "unmerged_by")
        .order_by("-created_at")
    )


def merge_get_for_pair(*, pair: ReviewPair, merge_id: uuid.UUID | str) -> PersonMerge:
    return one_or_not_found(merges_of_pair(pair), merge_id)
