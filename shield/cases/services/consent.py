"""Consent (DOMAIN.md §6): what the person, or their guardian for a child, agreed to; and its withdrawal."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shield import audit
from shield.accounts.models import Agency, User
from shield.audit import reasons
from shield.audit.models import AuditAction
from shield.cases.models import (
    Case,
    CaseAccess,
    CaseTransfer,
    Consent,
    ConsentGivenBy,
    ConsentScope,
    TransferStatus,
)
from shield.cases.services.access import case_for_edit, required_text
from shield.core.errors import InvalidTransition, ValidationFailed


@transaction.atomic
def consent_record(
    *,
    actor: User,
    case: Case,
    scope: str,
    given_by: str,
    given_on: datetime.date,
    guardian_name: str = "",
    shared_with_agency: Agency | None = None,
) -> Consent:
    """Record a consent of the case's person. Sharing (`share_with_agency`) names the agency; a
    guardian is named; a child's consent is given by a guardian (the person is a child if under 18
    on `given_on`). One active consent per scope (and agency, for sharing)."""
    locked = case_for_edit(actor=actor, case=case)
    person = locked.person
    errors: dict[str, list[str]] = {}
    if scope not in ConsentScope.values:
        errors["scope"] = [_("Choose what the consent is for.")]
    if scope == ConsentScope.SHARE_WITH_AGENCY and shared_with_agency is None:
        errors["shared_with_agency"] = [_("Name the agency the information may be shared with.")]
    if scope != ConsentScope.SHARE_WITH_AGENCY and shared_with_agency is not None:
        shared_with_agency = None  # only sharing names an agency
    if shared_with_agency is not None and shared_with_agency.pk == locked.owner_agency_id:
        errors["shared_with_agency"] = [_("The owning agency already holds the case.")]
    if given_by not in ConsentGivenBy.values:
        errors["given_by"] = [_("Say who gave the consent.")]
    guardian = (guardian_name or "").strip()
    if given_by == ConsentGivenBy.GUARDIAN and not guardian:
        errors["guardian_name"] = [_("Name the guardian who gave the consent.")]
    if given_by == ConsentGivenBy.PERSON and person.is_child(given_on):
        errors["given_by"] = [_("A child's consent is given by a guardian.")]
    if given_on > timezone.localdate():
        errors["given_on"] = [_("Consent cannot be dated in the future.")]
    if not errors:
        active = Consent.objects.filter(case=locked, scope=scope, withdrawn_on__isnull=True)
        if shared_with_agency is not None:
            active = active.filter(shared_with_agency=shared_with_agency)
        if active.exists():
            errors["scope"] = [_("This consent is already recorded and has not been withdrawn.")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    consent = Consent.objects.create(
        case=locked,
        person=person,
        scope=scope,
        shared_with_agency=shared_with_agency,
        given_by=given_by,
        guardian_name=guardian if given_by == ConsentGivenBy.GUARDIAN else "",
        given_on=given_on,
        recorded_by=actor,
    )
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        agency=locked.owner_agency,
        obj=consent,
        changed_fields=[
            "case",
            "person",
            "scope",
            "shared_with_agency",
            "given_by",
            "guardian_name",
            "given_on",
        ],
    )
    return consent


@transaction.atomic
def consent_withdraw(
    *, actor: User, consent: Consent, reason: str, withdrawn_on: datetime.date | None = None
) -> Consent:
    """Record that a consent was withdrawn (allowed on a closed case too). What rested on it stops:
    a pending transfer relying on it is cancelled, a shared access granted on it is revoked."""
    locked_case = case_for_edit(actor=actor, case=consent.case, allow_closed=True)
    locked = Consent.objects.select_for_update().get(pk=consent.pk)
    if locked.withdrawn_on is not None:
        raise InvalidTransition(_("This consent has already been withdrawn."))
    text = required_text(reason, field="reason", message=_("Say why the consent is withdrawn."))
    day = withdrawn_on or timezone.localdate()
    if day > timezone.localdate() or day < locked.given_on:
        raise ValidationFailed(
            field_errors={"withdrawn_on": [_("The withdrawal falls between the consent and today.")]}
        )
    locked.withdrawn_on, locked.withdrawal_reason, locked.withdrawn_recorded_by = day, text, actor
    locked.save(update_fields=["withdrawn_on", "withdrawal_reason", "withdrawn_recorded_by", "updated_at"])
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        agency=locked_case.owner_agency,
        obj=locked,
        changed_fields=["withdrawn_on", "withdrawal_reason"],
        reason=reasons.reference(locked, "withdrawal_reason"),
    )
    now = timezone.now()
    note = str(_("Consent withdrawn."))
    for transfer in CaseTransfer.objects.select_for_update().filter(
        consent=locked, status=TransferStatus.REQUESTED
    ):
        transfer.status, transfer.decided_by, transfer.decided_at = TransferStatus.CANCELLED, actor, now
        transfer.decision_note = note
        transfer.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
        audit.record(
            action=AuditAction.UPDATE,
            actor=actor,
            agency=locked_case.owner_agency,
            obj=transfer,
            changed_fields=["status", "decided_by", "decided_at", "decision_note"],
            reason=note,
        )
    for access in CaseAccess.objects.select_for_update().filter(consent=locked, revoked_at__isnull=True):
        access.revoked_at, access.revoked_by, access.revocation_reason = now, actor, note
        access.save(update_fields=["revoked_at", "revoked_by", "revocation_reason", "updated_at"])
        audit.record(
            action=AuditAction.UPDATE,
            actor=actor,
            agency=locked_case.owner_agency,
            obj=access,
            changed_fields=["revoked_at", "revoked_by", "revocation_reason"],
            reason=note,
        )
    return locked
