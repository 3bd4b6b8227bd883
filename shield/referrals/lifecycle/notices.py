"""Who hears of a referral, through the one `notify()`: the receiving agency when one arrives, the
referring worker when it is answered, the referring agency's supervisors when a deadline passes.

Parameters carry the referral's reference and agency codes only, never a name or a reason.
"""

import datetime

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from shield.accounts.models import User
from shield.notifications.models import Kind
from shield.notifications.selectors import targets_notified
from shield.notifications.services import members_with, notify
from shield.referrals.lifecycle import selectors
from shield.referrals.models import Referral, ReferralStatus, ReferralUrgency


def _url(referral: Referral) -> str:
    return reverse("referrals:referral_detail", args=[referral.pk])


def _receivers(referral: Referral) -> list[User]:
    if referral.to_agency is None:
        return []
    people: dict[object, User] = {}
    for permission in selectors.ANSWER_PERMISSIONS:
        people.update((u.pk, u) for u in members_with(agency=referral.to_agency, permission=permission))
    return list(people.values())


def referral_sent(*, actor: User, referral: Referral) -> None:
    """The receiving agency's members who answer referrals (none for an external provider)."""
    notify(
        kind=Kind.REFERRAL_RECEIVED,
        recipients=_receivers(referral),
        url=_url(referral),
        target=referral,
        actor=actor,
        params={
            "reference": referral.reference,
            "agency": referral.from_agency.code,
            "urgent": referral.urgency != ReferralUrgency.ROUTINE,
        },
    )


def referral_moved(*, actor: User, referral: Referral, from_status: str) -> None:
    """The referring worker hears of every answer the receiving side gives."""
    if referral.status in (ReferralStatus.CANCELLED, ReferralStatus.REVOKED):
        recipients = _receivers(referral)
    else:
        recipients = [referral.referred_by]
    notify(
        kind=Kind.REFERRAL_ANSWERED,
        recipients=recipients,
        url=_url(referral),
        target=referral,
        actor=actor,
        params={"reference": referral.reference, "outcome": referral.status},
    )


def _breaches(kind: Kind, referrals: QuerySet[Referral], due_field: str) -> int:
    rows = list(referrals.select_related("from_agency"))
    done = targets_notified(
        kind=kind, target_type=Referral._meta.label_lower, target_ids=[str(r.pk) for r in rows]
    )
    created = 0
    for referral in rows:
        if str(referral.pk) in done:
            continue
        due: datetime.datetime = getattr(referral, due_field)
        supervisors = members_with(agency=referral.from_agency, permission=selectors.SUPERVISE)
        created += len(
            notify(
                kind=kind,
                recipients=[*supervisors, referral.referred_by],
                url=_url(referral),
                target=referral,
                params={"reference": referral.reference, "due": timezone.localdate(due).isoformat()},
            )
        )
    return created


def referrals_overdue_notify(*, now: datetime.datetime | None = None) -> int:
    """Escalate each breach once: a referral not answered by its deadline, and an accepted one
    without an outcome by its due date, to the referring agency's supervisors
    (`referrals.supervise`) and the referring worker. However often it runs (cron:
    `manage.py notify_referrals_overdue`), each breach notifies each person once."""
    moment = now or timezone.now()
    no_answer = Referral.objects.filter(status__in=selectors.ANSWER_WAITING, respond_by__lt=moment)
    no_outcome = Referral.objects.filter(status__in=selectors.OUTCOME_WAITING, outcome_due_by__lt=moment)
    return _breaches(Kind.REFERRAL_NO_ANSWER, no_answer, "respond_by") + _breaches(
        Kind.REFERRAL_NO_OUTCOME, no_outcome, "outcome_due_by"
    )
