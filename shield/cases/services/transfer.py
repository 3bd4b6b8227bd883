"""Handing a case to another agency, and sharing read access with agencies that do not own it.

Both share the person's data, so both rest on a basis (DOMAIN.md §6): the person's active consent
to share with that agency, or a recorded legal basis with an override by a supervisor whose scope
reaches the case. On an accepted transfer the receiving agency owns the case; the former owner keeps
read access through a `CaseAccess` for follow-up (it knows the person and often still supports
them), which the new owner may revoke with a reason.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shield import audit
from shield.accounts.models import Agency, User
from shield.audit import reasons
from shield.audit.models import AuditAction
from shield.cases import selectors
from shield.cases.models import (
    FORMER_OWNER_FOLLOW_UP,
    Case,
    CaseAccess,
    CaseTransfer,
    Consent,
    TransferStatus,
)
from shield.cases.services import notices
from shield.cases.services.access import case_for_edit, lock_case, required_text
from shield.cases.services.sharing import sharing_basis
from shield.core.concurrency import save_versioned
from shield.core.errors import InvalidTransition, NotFound, PermissionRefused, ValidationFailed


def _check_other_agency(case: Case, agency: Agency, field: str) -> None:
    if agency.pk == case.owner_agency_id:
        raise ValidationFailed(field_errors={field: [_("This agency already owns the case.")]})
    if not agency.is_active:
        raise ValidationFailed(field_errors={field: [_("This agency is no longer active.")]})


@transaction.atomic
def transfer_request(
    *,
    actor: User,
    case: Case,
    to_agency: Agency,
    reason: str,
    legal_basis: str = "",
    override: bool = False,
) -> CaseTransfer:
    """Ask `to_agency` to take over the case. Needs the person's active consent to share with that
    agency, or `legal_basis` and `override=True` by a supervisor (the override is recorded and
    audited with the legal basis). One transfer may wait at a time."""
    locked = case_for_edit(actor=actor, case=case)
    text = required_text(reason, field="reason", message=_("Say why the case is transferred."))
    _check_other_agency(locked, to_agency, "to_agency")
    if CaseTransfer.objects.filter(case=locked, status=TransferStatus.REQUESTED).exists():
        raise ValidationFailed(_("A transfer of this case is already waiting for an answer."))
    consent, override_by = sharing_basis(
        actor=actor, case=locked, agency=to_agency, legal_basis=legal_basis, override=override
    )
    transfer = CaseTransfer.objects.create(
        case=locked,
        from_agency=locked.owner_agency,
        to_agency=to_agency,
        requested_by=actor,
        reason=text,
        legal_basis=legal_basis.strip(),
        consent=consent,
        override_by=override_by,
    )
    audit_reason = reasons.reference(transfer)
    if override_by is not None:
        audit_reason = reasons.join(
            audit_reason,
            _("Consent overridden on the legal basis: %(basis)s")
            % {"basis": reasons.reference(transfer, "legal_basis")},
        )
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        agency=locked.owner_agency,
        obj=transfer,
        changed_fields=[
            "case",
            "from_agency",
            "to_agency",
            "reason",
            "legal_basis",
            "consent",
            "override_by",
        ],
        reason=audit_reason,
    )
    notices.transfer_requested(actor=actor, transfer=transfer, case=locked)
    return transfer


def _pending_for_receiver(actor: User, transfer: CaseTransfer) -> tuple[CaseTransfer, Case]:
    """Members holding cases.edit in the receiving agency answer a transfer."""
    if transfer.to_agency_id not in selectors.agency_ids_with(actor, selectors.EDIT):
        if selectors.can_view(user=actor, case=transfer.case):
            raise PermissionRefused(_("Only case workers of the receiving agency can answer this transfer."))
        raise NotFound()
    case = lock_case(transfer.case_id)
    locked = CaseTransfer.objects.select_for_update().get(pk=transfer.pk)
    if locked.status != TransferStatus.REQUESTED:
        raise InvalidTransition(_("This transfer has already been answered or cancelled."))
    return locked, case


def _answer(transfer: CaseTransfer, actor: User, status: str, note: str, case: Case) -> None:
    transfer.status, transfer.decided_by, transfer.decided_at = status, actor, timezone.now()
    transfer.decision_note = note.strip()
    transfer.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        agency=case.owner_agency,
        obj=transfer,
        changed_fields=["status", "decided_by", "decided_at", "decision_note"],
        reason=reasons.reference(transfer, "decision_note"),
    )
    notices.transfer_answered(actor=actor, transfer=transfer, case=case)


@transaction.atomic
def transfer_accept(*, actor: User, transfer: CaseTransfer, note: str = "") -> Case:
    """The receiving agency takes the case: it becomes the owner, the case is unassigned (the old
    worker belongs to the old agency) and the former owner keeps read access for follow-up.
    Returns the case."""
    locked, case = _pending_for_receiver(actor, transfer)
    if case.is_closed:
        raise InvalidTransition(_("This case is closed: reopen it first."))
    if (
        locked.consent_id is not None
        and Consent.objects.filter(pk=locked.consent_id, withdrawn_on__isnull=False).exists()
    ):
        raise InvalidTransition(_("The consent this transfer relied on has been withdrawn."))
    _answer(locked, actor, TransferStatus.ACCEPTED, note, case)
    former = case.owner_agency
    case.owner_agency, case.assigned_worker = locked.to_agency, None
    save_versioned(case, expected_version=case.version, fields=["owner_agency", "assigned_worker"])
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        agency=case.owner_agency,
        obj=case,
        changed_fields=["owner_agency", "assigned_worker"],
        reason=_("Transfer accepted."),
    )
    now = timezone.now()
    for existing in CaseAccess.objects.select_for_update().filter(
        case=case, agency=case.owner_agency, revoked_at__isnull=True
    ):
        _revoke(existing, actor, str(_("The agency now owns the case.")), case, at=now)
    if not CaseAccess.objects.filter(case=case, agency=former, revoked_at__isnull=True).exists():
        access = CaseAccess.objects.create(
            case=case,
            agency=former,
            reason=FORMER_OWNER_FOLLOW_UP,
            transfer=locked,
            granted_by=actor,
            granted_at=now,
        )
        audit.record(
            action=AuditAction.CREATE,
            actor=actor,
            agency=case.owner_agency,
            obj=access,
            changed_fields=["case", "agency", "reason", "transfer"],
            reason=access.reason,
        )
    return case


@transaction.atomic
def transfer_decline(*, actor: User, transfer: CaseTransfer, note: str = "") -> CaseTransfer:
    """The receiving agency declines; the case stays where it is."""
    locked, case = _pending_for_receiver(actor, transfer)
    _answer(locked, actor, TransferStatus.DECLINED, note, case)
    return locked


@transaction.atomic
def transfer_cancel(*, actor: User, transfer: CaseTransfer, note: str = "") -> CaseTransfer:
    """The owning agency withdraws its request before it is answered."""
    case = case_for_edit(actor=actor, case=transfer.case, allow_closed=True)
    locked = CaseTransfer.objects.select_for_update().get(pk=transfer.pk)
    if locked.status != TransferStatus.REQUESTED:
        raise InvalidTransition(_("This transfer has already been answered or cancelled."))
    _answer(locked, actor, TransferStatus.CANCELLED, note, case)
    return locked


# --- Shared access -------------------------------------------------------------------------------


@transaction.atomic
def case_access_grant(
    *,
    actor: User,
    case: Case,
    agency: Agency,
    reason: str,
    legal_basis: str = "",
    override: bool = False,
) -> CaseAccess:
    """Let another agency's case workers read the case (not change it), on the same basis as a
    transfer: the person's consent to share with that agency, or a legal basis with a supervisor's
    override. Withdrawing that consent revokes the access."""
    locked = case_for_edit(actor=actor, case=case)
    text = required_text(reason, field="reason", message=_("Say why the case is shared."))
    _check_other_agency(locked, agency, "agency")
    if CaseAccess.objects.filter(case=locked, agency=agency, revoked_at__isnull=True).exists():
        raise ValidationFailed(field_errors={"agency": [_("This agency can already see the case.")]})
    consent, override_by = sharing_basis(
        actor=actor, case=locked, agency=agency, legal_basis=legal_basis, override=override
    )
    access = CaseAccess.objects.create(
        case=locked,
        agency=agency,
        reason=text,
        legal_basis=legal_basis.strip() if override_by else "",
        consent=consent,
        granted_by=actor,
        granted_at=timezone.now(),
    )
    audit_reason = reasons.reference(access)
    if override_by is not None:
        audit_reason = reasons.join(
            audit_reason,
            _("Consent overridden on the legal basis: %(basis)s")
            % {"basis": reasons.reference(access, "legal_basis")},
        )
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        agency=locked.owner_agency,
        obj=access,
        changed_fields=["case", "agency", "reason", "legal_basis", "consent"],
        reason=audit_reason,
    )
    return access


def _revoke(
    access: CaseAccess, actor: User, reason: str, case: Case, *, at: datetime.datetime | None = None
) -> None:
    access.revoked_at = at or timezone.now()
    access.revoked_by, access.revocation_reason = actor, reason
    access.save(update_fields=["revoked_at", "revoked_by", "revocation_reason", "updated_at"])
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        agency=case.owner_agency,
        obj=access,
        changed_fields=["revoked_at", "revoked_by", "revocation_reason"],
        reason=reasons.reference(access, "revocation_reason"),
    )


@transaction.atomic
def case_access_revoke(*, actor: User, access: CaseAccess, reason: str) -> CaseAccess:
    """The owning agency ends another agency's read access, saying why."""
    case = case_for_edit(actor=actor, case=access.case, allow_closed=True)
    locked = CaseAccess.objects.select_for_update().get(pk=access.pk)
    if locked.revoked_at is not None:
        raise InvalidTransition(_("This access has already been revoked."))
    text = required_text(reason, field="reason", message=_("Say why the access ends."))
    _revoke(locked, actor, text, case)
    return locked
