"""Whole-chain verification asked for from the audit pages: queued, run by the worker, kept.

The engine is `verification.verify_chain` (the same as `manage.py audit_verify`); this module
stores its progress on a `ChainVerification` row the page polls, and its outcome.
"""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shield.audit.models import AuditAction, AuditEvent, ChainVerification, VerificationStatus
from shield.audit.services import record
from shield.audit.verification import verify_chain
from shield.core.errors import InvalidTransition
from shield.core.workers import not_picked_up


def _active() -> ChainVerification | None:
    # A queued verification no worker picked up does not block the next one: asking again while
    # the worker is down only queues a second one, which the worker runs when it starts.
    for verification in ChainVerification.objects.filter(
        status__in=[VerificationStatus.QUEUED, VerificationStatus.RUNNING]
    ).order_by("-created_at")[:5]:
        if verification.status == VerificationStatus.RUNNING or not not_picked_up(
            queued_at=verification.created_at
        ):
            return verification
    return None


@transaction.atomic
def verification_start(*, actor: Any) -> ChainVerification:
    """Queue a verification of the whole chain (`manage.py db_worker` runs it)."""
    from shield.audit.tasks import verify_audit_chain

    if _active() is not None:
        raise InvalidTransition(_("A verification is already queued or running: wait for it to finish."))
    verification = ChainVerification.objects.create(requested_by=actor)
    record(action=AuditAction.CREATE, actor=actor, obj=verification, changed_fields=["status"])
    result = verify_audit_chain.enqueue(str(verification.pk))
    # The immediate backend (tests) has finished it by now: keep its outcome.
    ChainVerification.objects.filter(pk=verification.pk).update(task_id=str(result.id)[:64])
    verification.refresh_from_db()
    return verification


def verification_execute(*, verification: ChainVerification) -> ChainVerification:
    """Run a queued verification here and now, writing its progress as it goes."""
    now = timezone.now()
    claimed = ChainVerification.objects.filter(pk=verification.pk, status=VerificationStatus.QUEUED).update(
        status=VerificationStatus.RUNNING,
        started_at=now,
        total=AuditEvent.objects.count(),
        updated_at=now,
    )
    if not claimed:
        raise InvalidTransition(_("This verification has already started."))
    checked = 0

    def progress(count: int) -> None:
        nonlocal checked
        checked += count
        ChainVerification.objects.filter(pk=verification.pk).update(
            checked=checked, updated_at=timezone.now()
        )

    try:
        report = verify_chain(progress=progress)
    except Exception as exc:
        ChainVerification.objects.filter(pk=verification.pk).update(
            status=VerificationStatus.FAILED,
            error=type(exc).__name__[:500],
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
        raise
    broken = report.first_break
    fields: dict[str, object] = {
        "status": VerificationStatus.FINISHED,
        "checked": report.verified,
        "intact": broken is None,
        "finished_at": timezone.now(),
        "updated_at": timezone.now(),
    }
    if broken is not None:
        fields.update(
            break_sequence=broken.sequence,
            break_event_id=broken.event_id,
            break_kind=broken.kind.value,
            break_detail=broken.detail[:500],
        )
    with transaction.atomic():
        ChainVerification.objects.filter(pk=verification.pk).update(**fields)
        verification.refresh_from_db()
        record(
            action=AuditAction.UPDATE,
            actor=verification.requested_by,
            obj=verification,
            changed_fields=sorted(fields),
            details={"intact": broken is None, "verified": report.verified},
        )
    return verification
