"""Reads of referrals, limited to the referrals a user may see. Missing and out of reach: NotFound.

Two sides see a referral:

- **the receiving side** ("referrals to us"): active members of the receiving agency
  (`to_agency`) holding `referrals.deliver` (service-provider staff) or `cases.edit` (the case
  workers and supervisors of a social-protection centre or Peaceful House, who are the ones that
  take people in). Only the agency named: a province's other centres do not see each other's inbox.
  They answer the referral (accept, decline, waitlist, start, complete).
- **the sending side** ("our referrals"): holders of `referrals.make` whose scope reaches the
  referring agency (`from_agency`, by `scope_q`; own scope reaches the referrals they sent) and
  holders of `referrals.supervise` whose scope reaches it. They cancel (`referrals.make`) or revoke
  (`referrals.supervise`) a referral, and, for an **external provider** (no agency, no users), they
  record the provider's answers on its behalf.

Either side may record the outcome (completed): the provider knows what it delivered, the
referring worker knows when the person never arrived. The receiving side sees the minimum dataset
(`minimum_dataset`), not the case file, unless the cases app lets them see the case.
"""

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone

from shield.accounts import policy
from shield.accounts.models import User
from shield.core.errors import NotFound
from shield.referrals.models import Referral, ReferralStatus

MAKE = "referrals.make"
DELIVER = "referrals.deliver"
SUPERVISE = "referrals.supervise"
# Either lets a member of the receiving agency answer a referral addressed to it.
ANSWER_PERMISSIONS = (DELIVER, "cases.edit")

Viewer = User | AnonymousUser

NOTHING = Q(pk__in=[])
ANSWER_WAITING = (ReferralStatus.SENT,)
OUTCOME_WAITING = (ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE)
OPEN_STATUSES = (
    ReferralStatus.SENT,
    ReferralStatus.WAITLISTED,
    ReferralStatus.ACCEPTED,
    ReferralStatus.IN_SERVICE,
)


def _active(user: Viewer | None) -> User | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    assert isinstance(user, User)
    return user


def receiving_agency_ids(user: Viewer | None) -> set[Any]:
    """The agencies whose incoming referrals this user answers."""
    ids: set[Any] = set()
    for permission in ANSWER_PERMISSIONS:
        ids |= {m.agency_id for m in policy.memberships_with(user, permission)}
    return ids


def inbox_q(user: Viewer | None) -> Q:
    ids = receiving_agency_ids(user)
    return Q(to_agency_id__in=ids) if ids else NOTHING


def sender_q(user: Viewer | None, permission: str = MAKE) -> Q:
    """Referrals whose referring agency the user's `permission` reaches (own scope: their own)."""
    u = _active(user)
    if u is None:
        return NOTHING
    return policy.scope_q(u, permission, agency_path="from_agency", owner_path="referred_by")


def outbox_q(user: Viewer | None) -> Q:
    return sender_q(user, MAKE) | sender_q(user, SUPERVISE)


def visible_q(user: Viewer | None) -> Q:
    return inbox_q(user) | outbox_q(user)


def overdue_q(now: datetime.datetime) -> Q:
    """Open referrals past a deadline: not answered by `respond_by`, or accepted without an
    outcome by `outcome_due_by`."""
    return Q(status__in=ANSWER_WAITING, respond_by__lt=now) | Q(
        status__in=OUTCOME_WAITING, outcome_due_by__lt=now
    )


def _with_related(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    return referrals.select_related(
        "from_agency", "to_agency", "provider", "service", "person", "referred_by", "case"
    )


def referral_get_for(*, user: Viewer, referral_id: uuid.UUID | str) -> Referral:
    """One referral either side may see (NotFound otherwise). The caller audits the read."""
    u = _active(user)
    if u is None:
        raise NotFound()
    try:
        return _with_related(Referral.objects.filter(visible_q(u))).get(pk=referral_id)
    except (Referral.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


# --- Who may do what ------------------------------------------------------------------------------


def _reaches(user: Viewer, referral: Referral, q: Q) -> bool:
    if q == NOTHING:
        return False
    return Referral.objects.filter(q, pk=referral.pk).exists()


def is_receiver(user: Viewer, referral: Referral) -> bool:
    return referral.to_agency_id is not None and referral.to_agency_id in receiving_agency_ids(user)


def is_sender(user: Viewer, referral: Referral) -> bool:
    return _reaches(user, referral, sender_q(user, MAKE))


def may_answer(user: Viewer, referral: Referral) -> bool:
    """Accept, decline, waitlist, start: the receiving agency, or for an external provider the
    sending side on the provider's behalf."""
    if referral.to_agency_id is None:
        return is_sender(user, referral)
    return is_receiver(user, referral)


def supervises_receiver(user: Viewer, referral: Referral) -> bool:
    """A supervisor (`referrals.supervise`) whose scope reaches the receiving agency; for an external
    provider (no agency), one whose scope reaches the referring agency, which answers for it. This is
    who admits to a shelter beyond its capacity (shield/referrals/shelters/services.py)."""
    if _active(user) is None:
        return False
    if referral.to_agency_id is None:
        return _reaches(user, referral, sender_q(user, SUPERVISE))
    return _reaches(user, referral, policy.scope_q(user, SUPERVISE, agency_path="to_agency"))


def may_start_service(user: Viewer, referral: Referral) -> bool:
    """The person arrived: whoever answers the referral, or a supervisor over the receiving side
    (a shelter admission beyond capacity is theirs)."""
    return may_answer(user, referral) or supervises_receiver(user, referral)


def may_complete(user: Viewer, referral: Referral) -> bool:
    return is_receiver(user, referral) or is_sender(user, referral)


def may_cancel(user: Viewer, referral: Referral) -> bool:
    return is_sender(user, referral)


def may_revoke(user: Viewer, referral: Referral) -> bool:
    return _reaches(user, referral, sender_q(user, SUPERVISE))


# --- Lists ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferralFilters:
    """What a referral list is narrowed by; empty values do not filter. `q` matches the referral's
    reference or its case's (as typed, any case). `now` is when "overdue" is measured."""

    statuses: tuple[str, ...] = ()
    overdue: bool = False
    urgency: str = ""
    service_type: str = ""
    q: str = ""
    open_only: bool = False
    now: datetime.datetime | None = None


def _filtered(referrals: QuerySet[Referral], filters: ReferralFilters) -> QuerySet[Referral]:
    if filters.statuses:
        referrals = referrals.filter(status__in=filters.statuses)
    if filters.open_only:
        referrals = referrals.filter(status__in=OPEN_STATUSES)
    if filters.overdue:
        referrals = referrals.filter(overdue_q(filters.now or timezone.now()))
    if filters.urgency:
        referrals = referrals.filter(urgency=filters.urgency)
    if filters.service_type:
        referrals = referrals.filter(service_type=filters.service_type)
    if text := filters.q.strip():
        referrals = referrals.filter(Q(reference__icontains=text) | Q(case__reference__icontains=text))
    return referrals


def referral_inbox_for(*, user: Viewer, filters: ReferralFilters | None = None) -> QuerySet[Referral]:
    """ "Referrals to us": addressed to an agency whose referrals the user answers; the oldest
    deadline first (what must be answered soonest on top)."""
    referrals = Referral.objects.filter(inbox_q(user))
    return _with_related(_filtered(referrals, filters or ReferralFilters())).order_by("respond_by", "pk")


def referral_outbox_for(*, user: Viewer, filters: ReferralFilters | None = None) -> QuerySet[Referral]:
    """ "Our referrals": sent from an agency the user's referrals.make or referrals.supervise
    scope reaches; newest first."""
    referrals = Referral.objects.filter(outbox_q(user))
    return _with_related(_filtered(referrals, filters or ReferralFilters())).order_by("-sent_at", "-pk")


# What a list row shows (presenters.rows and referral_list.html): never the encrypted `reason`, nor
# the other columns of the seven relations, which the detail page reads.
LIST_COLUMNS = (
    "id",
    "reference",
    "status",
    "urgency",
    "service_type",
    "sent_at",
    "respond_by",
    "outcome_due_by",
    "from_agency__id",
    "from_agency__name_vi",
    "from_agency__name_en",
    "provider__id",
    "provider__name",
    "service__id",
    "service__name",
    "person__id",
    "person__full_name",
    "person__family_name",
    "person__middle_name",
    "person__given_name",
    "person__birth_year",
    "person__birth_date",
    "person__birth_date_precision",
    "person__estimated_age",
    "person__age_estimated_on",
)


def for_list(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """A referral list as the list pages read it: the few columns a row shows, in one query."""
    return (
        referrals.select_related(None)
        .select_related("from_agency", "provider", "service", "person")
        .only(*LIST_COLUMNS)
    )


def referrals_of_case(*, user: Viewer, case_id: Any) -> QuerySet[Referral]:
    """The referrals of one case that the user may see (for the case page's panel), newest first."""
    return _with_related(Referral.objects.filter(visible_q(user), case_id=case_id)).order_by(
        "-sent_at", "-pk"
    )


def steps_of(referral: Referral) -> Iterable[Any]:
    return referral.steps.select_related("actor").order_by("created_at", "pk")
