"""Returns, verification requests and group receptions at a border gate: the writes.

A reception's members are screened with the intake app's instrument as one group (the first
member's screening is started, the others are its companions: `screening_add_companion`), and new
returnees are registered through the people app's `person_register`.
"""

import datetime
import secrets
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shield import audit
from shield.accounts.models import Agency, User
from shield.audit.models import AuditAction
from shield.cases import services as case_services
from shield.cases.models import ConsentGivenBy, ConsentScope
from shield.cases.services.sharing import consent_to_share
from shield.core.concurrency import save_versioned
from shield.core.errors import (
    InvalidTransition,
    PermissionRefused,
    StaleVersion,
    ValidationFailed,
    VersionRequired,
)
from shield.geo.models import BorderGate, Commune
from shield.intake import services as intake_services
from shield.linkage import selectors as linkage_selectors
from shield.people import services as people_services
from shield.people.models import Person
from shield.referrals.lifecycle import services as referral_services
from shield.referrals.models import Provider, Service
from shield.returns.models import (
    Disposition,
    ReceptionEvent,
    ReceptionMember,
    ReceptionOfficer,
    ReceptionStatus,
    Return,
    ReturnStatus,
    VerificationRequest,
    VerificationStatus,
)
from shield.returns.reception.deadlines import answer_due

RECEIVE = "returns.receive"
VERIFY = "returns.verify"


def _need(actor: User, permission: str) -> Agency:
    agency = actor.primary_agency
    if not actor.has_perm(permission) or agency is None:
        raise PermissionRefused()
    return agency


def _reference(prefix: str, when: datetime.datetime | datetime.date | None = None) -> str:
    day = when or timezone.localdate()
    if isinstance(day, datetime.datetime):
        day = timezone.localdate(day)
    return f"{prefix}-{day:%Y%m%d}-{secrets.token_hex(3).upper()}"


def _text(value: str | None, field: str, *, limit: int, required: bool = False, message: str = "") -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationFailed(field_errors={field: [message or _("This field is required.")]})
    if len(text) > limit:
        raise ValidationFailed(field_errors={field: [_("Too long.")]})
    return text


# --- Returns -------------------------------------------------------------------------------------


@transaction.atomic
def return_record(
    *,
    actor: User,
    person: Person,
    country: str,
    how: str,
    channel: str,
    expected_on: datetime.date | None = None,
    returned_on: datetime.date | None = None,
    border_gate: BorderGate | None = None,
    notes: str = "",
) -> Return:
    """Record a return of a registry person: received when `returned_on` is given, else expected."""
    agency = _need(actor, RECEIVE)
    record = Return.objects.create(
        reference=_reference("RET"),
        person=person,
        agency=agency,
        country=country,
        how=how,
        channel=channel,
        status=ReturnStatus.RECEIVED if returned_on else ReturnStatus.EXPECTED,
        expected_on=expected_on,
        returned_on=returned_on,
        border_gate=border_gate,
        notes=_text(notes, "notes", limit=4000),
        created_by=actor,
    )
    audit.record(action=AuditAction.CREATE, actor=actor, agency=agency, obj=record)
    return record


@transaction.atomic
def return_cancel(*, actor: User, record: Return, version: int | None, reason: str) -> Return:
    """A return that did not happen is cancelled with a reason, never deleted."""
    _need(actor, RECEIVE)
    if record.status == ReturnStatus.CANCELLED:
        raise InvalidTransition(_("This return is already cancelled."))
    record.cancel_reason = _text(
        reason, "reason", limit=1000, required=True, message=_("Say why the return is cancelled.")
    )
    record.status = ReturnStatus.CANCELLED
    save_versioned(record, expected_version=version, fields=["status", "cancel_reason"])
    audit.record(
        action=AuditAction.TRANSITION,
        actor=actor,
        agency=record.agency,
        obj=record,
        changed_fields=["status"],
    )
    return record


# --- Verification requests -----------------------------------------------------------------------


@transaction.atomic
def verification_receive(
    *,
    actor: User,
    record: Return,
    foreign_authority: str,
    received_at: datetime.datetime,
    foreign_reference: str = "",
) -> VerificationRequest:
    _need(actor, VERIFY)
    request = VerificationRequest.objects.create(
        return_record=record,
        foreign_authority=_text(foreign_authority, "foreign_authority", limit=200, required=True),
        foreign_reference=_text(foreign_reference, "foreign_reference", limit=100),
        received_at=received_at,
        answer_due_at=answer_due(received_at),
    )
    audit.record(action=AuditAction.CREATE, actor=actor, agency=record.agency, obj=request)
    return request


def _at(request: VerificationRequest, *allowed: str) -> None:
    if request.status not in allowed:
        raise InvalidTransition(_("This request is not at that step."))


def _step(
    actor: User, request: VerificationRequest, version: int | None, fields: list[str]
) -> VerificationRequest:
    save_versioned(request, expected_version=version, fields=fields)
    audit.record(
        action=AuditAction.TRANSITION,
        actor=actor,
        agency=request.return_record.agency,
        obj=request,
        changed_fields=fields,
    )
    return request


@transaction.atomic
def verification_check(
    *, actor: User, request: VerificationRequest, version: int | None
) -> VerificationRequest:
    """Compare the registry: the person's documents (CCCD first) and linkage's candidates for them."""
    _need(actor, VERIFY)
    _at(request, VerificationStatus.RECEIVED, VerificationStatus.CHECKED)
    person = request.return_record.person
    documents = [
        {"kind": d.kind, "number": d.number, "issuing_country": str(d.issuing_country)}
        for d in person.documents.filter(is_active=True).order_by("kind", "number")
    ]
    pairs = linkage_selectors.review_pair_list_for(user=actor, status=None).filter(
        person_low=person
    ) | linkage_selectors.review_pair_list_for(user=actor, status=None).filter(person_high=person)
    candidates = [
        {
            "person": str(p.person_high_id if p.person_low_id == person.pk else p.person_low_id),
            "probability": float(p.match_probability),
            "status": p.status,
        }
        for p in pairs
    ]
    request.checks = {
        "documents": documents,
        "has_cccd": any(d["kind"] == "cccd" for d in documents),
        "individual": linkage_selectors.individual_code_of(person),
        "linkage_candidates": candidates,
    }
    request.status, request.checked_at, request.checked_by = VerificationStatus.CHECKED, timezone.now(), actor
    return _step(actor, request, version, ["checks", "status", "checked_at", "checked_by"])


@transaction.atomic
def verification_decide(
    *, actor: User, request: VerificationRequest, version: int | None, confirmed: bool, basis: str
) -> VerificationRequest:
    _need(actor, VERIFY)
    _at(request, VerificationStatus.CHECKED)
    request.decision_note = _text(
        basis, "basis", limit=2000, required=True, message=_("Say what the decision rests on.")
    )
    request.status = VerificationStatus.CONFIRMED if confirmed else VerificationStatus.NOT_CONFIRMED
    request.decided_at, request.decided_by = timezone.now(), actor
    return _step(actor, request, version, ["decision_note", "status", "decided_at", "decided_by"])


@transaction.atomic
def verification_answer(
    *, actor: User, request: VerificationRequest, version: int | None, answer_reference: str
) -> VerificationRequest:
    _need(actor, VERIFY)
    _at(request, VerificationStatus.CONFIRMED, VerificationStatus.NOT_CONFIRMED)
    request.answer_reference = _text(answer_reference, "answer_reference", limit=100, required=True)
    request.status, request.answered_at = VerificationStatus.ANSWERED, timezone.now()
    return _step(actor, request, version, ["answer_reference", "status", "answered_at"])


# --- Group reception -----------------------------------------------------------------------------


@transaction.atomic
def reception_open(
    *,
    actor: User,
    border_gate: BorderGate,
    country: str,
    channel: str,
    received_at: datetime.datetime,
    foreign_authority: str = "",
    officers: tuple[User, ...] = (),
) -> ReceptionEvent:
    agency = _need(actor, RECEIVE)
    event = ReceptionEvent.objects.create(
        reference=_reference("REC", received_at),
        agency=agency,
        border_gate=border_gate,
        country=country,
        channel=channel,
        foreign_authority=_text(foreign_authority, "foreign_authority", limit=200),
        received_at=received_at,
        created_by=actor,
    )
    for officer in {actor, *officers}:
        ReceptionOfficer.objects.create(event=event, officer=officer)
    audit.record(action=AuditAction.CREATE, actor=actor, agency=agency, obj=event)
    return event


def _open(event: ReceptionEvent) -> None:
    if event.status != ReceptionStatus.OPEN:
        raise InvalidTransition(_("This reception is completed."))


@transaction.atomic
def member_add(
    *,
    actor: User,
    event: ReceptionEvent,
    person: Person | None = None,
    full_name: str = "",
    sex: str = "",
    birth_year: int | None = None,
) -> ReceptionMember:
    """Add a returnee: an existing registry person, or one registered now (name, sex, birth year).
    Their return is recorded as received at the event's gate, and their screening started in the
    event's screening group."""
    _need(actor, RECEIVE)
    event = ReceptionEvent.objects.select_for_update().get(pk=event.pk)
    _open(event)
    if person is None:
        person = people_services.person_register(
            actor=actor,
            owner_agency=event.agency,
            full_name=_text(full_name, "full_name", limit=200, required=True),
            sex=sex,
            birth_date=datetime.date(birth_year, 1, 1) if birth_year else None,
            birth_date_precision="year" if birth_year else None,
        )
    record = return_record(
        actor=actor,
        person=person,
        country=str(event.country),
        how="handed_over",
        channel=event.channel,
        returned_on=timezone.localdate(event.received_at),
        border_gate=event.border_gate,
    )
    first = event.members.select_related("screening").order_by("position").first()
    if first is not None and first.screening is not None:
        screening = intake_services.screening_add_companion(actor=actor, screening=first.screening)
        if event.screening_group_id is None and screening.group_id is not None:
            event.screening_group_id = screening.group_id
            event.save(update_fields=["screening_group", "updated_at"])
    else:
        screening = intake_services.screening_start(actor=actor, border_gate=event.border_gate)
    position = (event.members.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    member = ReceptionMember.objects.create(
        event=event, position=position, return_record=record, screening=screening
    )
    audit.record(action=AuditAction.CREATE, actor=actor, agency=event.agency, obj=member)
    return member


@transaction.atomic
def member_save_draft(
    *, actor: User, member: ReceptionMember, version: int | None, draft: Mapping[str, Any]
) -> ReceptionMember:
    """Autosave: the officer's draft answers, refused when another officer saved in between."""
    _need(actor, RECEIVE)
    _open(member.event)
    member.draft = dict(draft)
    save_versioned(member, expected_version=version, fields=["draft"])
    return member


@transaction.atomic
def member_screen(
    *,
    actor: User,
    member: ReceptionMember,
    version: int | None,
    outcome: str,
    data: Mapping[str, Any] | None = None,
) -> ReceptionMember:
    """Complete the member's screening with the intake instrument (the person is the returnee)."""
    _need(actor, RECEIVE)
    _open(member.event)
    if member.screening is None:
        raise InvalidTransition(_("This returnee has no screening."))
    screening = intake_services.screening_complete(
        actor=actor,
        screening=member.screening,
        expected_version=member.screening.version,
        outcome=outcome,
        person=member.return_record.person,
        receiving_agency=member.event.agency if outcome in ("referred", "child_protection") else None,
        data=data,
    )
    if screening.case_id is not None:
        Return.objects.filter(pk=member.return_record_id).update(case_id=screening.case_id)
    member.screening = screening
    save_versioned(member, expected_version=version, fields=["screening"])
    return member


@transaction.atomic
def member_dispose(
    *,
    actor: User,
    member: ReceptionMember,
    version: int | None,
    disposition: str,
    handed_to: str = "",
    commune: Commune | None = None,
    referral: Any = None,
) -> ReceptionMember:
    """Hand the returnee on: to family (who), to a commune, or referred (the referral made through
    the referrals app)."""
    _need(actor, RECEIVE)
    _open(member.event)
    errors: dict[str, list[str]] = {}
    if disposition not in Disposition.values or disposition == Disposition.PENDING:
        errors["disposition"] = [_("Choose to whom the returnee is handed.")]
    elif disposition == Disposition.FAMILY and not handed_to.strip():
        errors["handed_to"] = [_("Say who in the family received them.")]
    elif disposition == Disposition.COMMUNE and commune is None:
        errors["commune"] = [_("Choose the commune.")]
    elif disposition == Disposition.REFERRED and referral is None:
        errors["referral"] = [_("Refer the returnee first.")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    member.disposition = disposition
    member.handed_to = _text(handed_to, "handed_to", limit=500)
    member.commune = commune
    member.referral = referral
    fields = ["disposition", "handed_to", "commune", "referral"]
    save_versioned(member, expected_version=version, fields=fields)
    audit.record(
        action=AuditAction.UPDATE, actor=actor, agency=member.event.agency, obj=member, changed_fields=fields
    )
    return member


@transaction.atomic
def reception_complete(
    *,
    actor: User,
    event: ReceptionEvent,
    version: int | None,
    receipt_number: str = "",
    receipt_signed_at: datetime.datetime | None = None,
) -> ReceptionEvent:
    """Close the sitting: every member must have been handed on."""
    _need(actor, RECEIVE)
    _open(event)
    pending = list(
        event.members.filter(disposition=Disposition.PENDING)
        .order_by("position")
        .values_list("position", flat=True)
    )
    if pending:
        raise ValidationFailed(
            field_errors={
                "members": [
                    _("Returnees not yet handed on: %(numbers)s.") % {"numbers": ", ".join(map(str, pending))}
                ]
            }
        )
    event.receipt_number = _text(receipt_number, "receipt_number", limit=60)
    event.receipt_signed_at = receipt_signed_at
    event.status, event.completed_at = ReceptionStatus.COMPLETED, timezone.now()
    fields = ["receipt_number", "receipt_signed_at", "status", "completed_at"]
    save_versioned(event, expected_version=version, fields=fields)
    audit.record(
        action=AuditAction.TRANSITION, actor=actor, agency=event.agency, obj=event, changed_fields=fields
    )
    return event


# --- Referral from the sitting -------------------------------------------------------------------


@transaction.atomic
def member_refer(
    *,
    actor: User,
    member: ReceptionMember,
    version: int | None,
    provider: Provider,
    reason: str,
    urgency: str,
    service: Service | None = None,
    consent: bool = False,
    consent_given_by: str = ConsentGivenBy.PERSON,
    guardian_name: str = "",
    legal_basis: str = "",
    override: bool = False,
) -> ReceptionMember:
    """Refer the returnee to a provider of the directory (a shelter, a health service) and hand them
    on as referred, in one transaction.

    The referral is the referrals app's (`referral_send`) for the case the screening opened (outcome
    "referred" or "child_protection"); a member without a case is refused. Sharing rests on the
    cases app's basis: when `consent` is ticked the returnee's (or guardian's) consent is recorded
    through `consent_record` (to share with the provider's agency, or for an external provider to
    receive services) unless one is already active; else a supervisor overrides with `legal_basis`."""
    _need(actor, RECEIVE)
    locked = (
        ReceptionMember.objects.select_for_update().select_related("event", "return_record").get(pk=member.pk)
    )
    _open(locked.event)
    if version is None:
        raise VersionRequired()
    if locked.version != version:
        raise StaleVersion()
    if locked.disposition != Disposition.PENDING:
        raise InvalidTransition(_("This returnee has already been handed on."))
    case = locked.return_record.case
    if case is None:
        raise InvalidTransition(
            _(
                "This returnee has no case to refer: record the screening with the outcome "
                "“Referred for identification” or “Urgent protection of a child” first."
            )
        )
    if consent and consent_to_share(case=case, agency=provider.agency) is None:
        case_services.consent_record(
            actor=actor,
            case=case,
            scope=ConsentScope.SHARE_WITH_AGENCY if provider.agency is not None else ConsentScope.SERVICES,
            given_by=consent_given_by,
            given_on=timezone.localdate(),
            guardian_name=_text(guardian_name, "guardian_name", limit=200),
            shared_with_agency=provider.agency,
        )
    referral = referral_services.referral_send(
        actor=actor,
        case=case,
        provider=provider,
        service=service,
        reason=_text(reason, "reason", limit=2000),
        urgency=urgency,
        legal_basis=legal_basis,
        override=override,
    )
    return member_dispose(
        actor=actor, member=locked, version=version, disposition=Disposition.REFERRED, referral=referral
    )
