"""A reviewer's decision on a pair: the same person or different people; audited, version-checked.

The caller has read the pair through `selectors.review_pair_get_for` (both persons in reach) and
checked `linkage.review`. A decision is kept in `PairDecision`, which every later run obeys.
"""

import uuid
from collections import deque

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shield import audit
from shield.accounts.models import User
from shield.audit.models import AuditAction
from shield.core.concurrency import save_versioned
from shield.core.errors import InvalidTransition, ValidationFailed, VersionRequired
from shield.linkage.models import Decision, Individual, PairDecision, PairStatus, PersonIndividual, ReviewPair

STATUS_FOR = {Decision.SAME: PairStatus.CONFIRMED, Decision.DIFFERENT: PairStatus.REJECTED}


def _same_as(person_id: str) -> set[str]:
    """Everyone confirmed (directly or through others) to be the same person as `person_id`."""
    seen, queue = {person_id}, deque([person_id])
    while queue:
        current = queue.popleft()
        rows = PairDecision.objects.filter(
            Q(person_low_id=current) | Q(person_high_id=current), decision=Decision.SAME
        ).values_list("person_low_id", "person_high_id")
        for low, high in rows:
            for other in (str(low), str(high)):
                if other not in seen:
                    seen.add(other)
                    queue.append(other)
    return seen


def _check_consistent(low: str, high: str, decision: str) -> None:
    """Refuse a decision that contradicts earlier ones, which no run could obey."""
    left, right = _same_as(low), _same_as(high)
    if decision == Decision.DIFFERENT and high in left:
        raise ValidationFailed(
            _("These two were confirmed as the same person through other decisions."),
            field_errors={"decision": [_("Earlier decisions make them the same person.")]},
        )
    if decision == Decision.SAME:
        apart = PairDecision.objects.filter(
            decision=Decision.DIFFERENT,
        ).filter(
            Q(person_low_id__in=left, person_high_id__in=right)
            | Q(person_low_id__in=right, person_high_id__in=left)
        )
        if apart.exists():
            raise ValidationFailed(
                _("Someone confirmed as this person was decided to be a different person from the other."),
                field_errors={"decision": [_("Earlier decisions keep them apart.")]},
            )


def _join_individuals(*, actor: User, low: str, high: str) -> None:
    """A confirmed pair is one individual from now on, not from the next run: the persons of one
    individual take the other's, the one a run would keep (held by more persons, else the oldest
    number), so the next run changes nothing. Persons a run has not seen yet wait for it, and so
    do two individuals holding a pair decided different (the run splits them properly)."""
    held = dict(
        PersonIndividual.objects.filter(person_id__in=[low, high]).values_list("person_id", "individual_id")
    )
    if len(held) < 2 or len(set(held.values())) < 2:
        return
    rows = list(PersonIndividual.objects.select_for_update().filter(individual_id__in=held.values()))
    members = [str(row.person_id) for row in rows]
    if PairDecision.objects.filter(
        decision=Decision.DIFFERENT, person_low_id__in=members, person_high_id__in=members
    ).exists():
        return
    sizes = Individual.objects.filter(pk__in=held.values()).annotate(size=Count("persons"))
    kept = max(sizes, key=lambda individual: (individual.size, -individual.number))
    for row in rows:
        if row.individual_id == kept.pk:
            continue
        row.individual, row.run = kept, None
        row.save(update_fields=["individual", "run", "updated_at"])
        audit.record(action=AuditAction.UPDATE, actor=actor, obj=row, changed_fields=["individual"])


@transaction.atomic
def pair_decide(
    *, actor: User, pair: ReviewPair, decision: str, reason: str, expected_version: int | None
) -> ReviewPair:
    """Confirm (`same`) or reject (`different`) an open pair, with a reason.

    `expected_version` is the version the reviewer saw: None raises VersionRequired, a stale one
    StaleVersion (another reviewer decided first), and nothing is written.
    """
    if expected_version is None:
        raise VersionRequired()
    errors: dict[str, list[str]] = {}
    if decision not in Decision.values:
        errors["decision"] = [str(_("Choose: the same person, or different people."))]
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [str(_("Say why: what convinced you."))]
    if errors:
        raise ValidationFailed(field_errors=errors)
    if pair.status != PairStatus.OPEN:
        raise InvalidTransition(_("This pair is no longer waiting for review."))
    low, high = str(pair.person_low_id), str(pair.person_high_id)
    _check_consistent(low, high, decision)
    now = timezone.now()
    pair.status, pair.decided_by, pair.decided_at, pair.reason = (
        STATUS_FOR[Decision(decision)],
        actor,
        now,
        reason,
    )
    save_versioned(
        pair, expected_version=expected_version, fields=["status", "decided_by", "decided_at", "reason"]
    )
    existing = (
        PairDecision.objects.select_for_update()
        .filter(person_low_id=uuid.UUID(low), person_high_id=uuid.UUID(high))
        .first()
    )
    if existing is None:
        record = PairDecision.objects.create(
            person_low_id=low,
            person_high_id=high,
            decision=decision,
            decided_by=actor,
            decided_at=now,
            reason=reason,
        )
        action = AuditAction.CREATE
    else:
        record = existing
        record.decision, record.decided_by, record.decided_at, record.reason = decision, actor, now, reason
        save_versioned(
            record,
            expected_version=existing.version,
            fields=["decision", "decided_by", "decided_at", "reason"],
        )
        action = AuditAction.UPDATE
    if decision == Decision.SAME:
        _join_individuals(actor=actor, low=low, high=high)
    fields = ["status", "decided_by", "decided_at", "reason"]
    audit.record(action=AuditAction.UPDATE, actor=actor, obj=pair, changed_fields=fields)
    audit.record(action=action, actor=actor, obj=record, changed_fields=["decision", "decided_by", "reason"])
    return pair
