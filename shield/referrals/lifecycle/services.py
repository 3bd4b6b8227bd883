"""Referrals that close the loop: send, answer, serve, complete with an outcome, or cancel / revoke.

The state machine (`TRANSITIONS`):

    sent ──accept──> accepted ──start──> in service ──complete(outcome)──> completed
     │  └─waitlist─> waitlisted ──accept / decline
     └──decline(reason)──> declined
    any open state ──cancel(reason, the sender)──> cancelled
    any open state ──revoke(reason, the sender's supervisor)──> revoked

An accepted referral may also be completed without having started, but only with a not-successful
outcome (the person never came: "unable to contact the client"); a successful outcome needs the
service to have started. A referral never closes as completed without an outcome (the service
refuses, and a database constraint backs it).

Every write re-reads the referral under a lock, checks the version the caller read (stale: 412, the
project's `StaleVersion`; none: `VersionRequired`), appends a `ReferralStep` and writes an audit
event in the same transaction. Who may do what: see `selectors` (receiving side, sending side,
external providers answered on their behalf by the sending side).
"""

import datetime
from typing import Any, NoReturn

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shield import audit
from shield.accounts.models import User
from shield.audit import reasons
from shield.audit.models import AuditAction
from shield.cases.models import CarePlanAction, Case, Consent
from shield.cases.services.access import case_for_edit, check_version
from shield.cases.services.sharing import sharing_basis
from shield.core.concurrency import save_versioned
from shield.core.errors import InvalidTransition, NotFound, PermissionRefused, ValidationFailed
from shield.referrals.lifecycle import deadlines, notices, selectors
from shield.referrals.models import (
    CLOSED_STATUSES,
    Provider,
    Referral,
    ReferralOutcome,
    ReferralStatus,
    ReferralStep,
    ReferralUrgency,
    Service,
    ServiceStatus,
)

S = ReferralStatus
REASON_MAX = 2000

# (from states) → to state, per action. Cancel and revoke apply to every open state.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "accept": (frozenset({S.SENT, S.WAITLISTED}), S.ACCEPTED),
    "decline": (frozenset({S.SENT, S.WAITLISTED}), S.DECLINED),
    "waitlist": (frozenset({S.SENT}), S.WAITLISTED),
    "start_service": (frozenset({S.ACCEPTED}), S.IN_SERVICE),
    "complete": (frozenset({S.ACCEPTED, S.IN_SERVICE}), S.COMPLETED),
    "cancel": (frozenset(set(S.values) - CLOSED_STATUSES), S.CANCELLED),
    "revoke": (frozenset(set(S.values) - CLOSED_STATUSES), S.REVOKED),
}


def _text(value: str | None, *, field: str, required: bool, message: str = "") -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationFailed(field_errors={field: [message or _("This field is required.")]})
    if len(text) > REASON_MAX:
        raise ValidationFailed(
            field_errors={field: [_("Keep it under %(max)d characters.") % {"max": REASON_MAX}]}
        )
    return text


def _next_reference(case: Case) -> str:
    """`<case reference>-R<n>`: the case row is locked by the caller, so numbers never collide."""
    number = Referral.objects.filter(case=case).count() + 1
    return f"{case.reference}-R{number:02d}"


@transaction.atomic
def referral_send(
    *,
    actor: User,
    case: Case,
    provider: Provider,
    service: Service | None = None,
    care_plan_action: CarePlanAction | None = None,
    reason: str,
    urgency: str,
    respond_by: datetime.datetime | None = None,
    legal_basis: str = "",
    override: bool = False,
) -> Referral:
    """Refer the case's person to `provider` (and usually one of its `service`s).

    The actor holds `referrals.make` and may change the case. Sharing rests on the cases app's
    sharing basis: consent to share with the provider's agency (an external provider: consent to
    receive services), or `legal_basis` with `override=True` by a supervisor. The answer is due by
    `respond_by`, else the service's hours to answer, else the urgency's dated rule."""
    if not actor.has_perm(selectors.MAKE):
        raise PermissionRefused(_("Your role may not refer people to services."))
    locked = case_for_edit(actor=actor, case=case)
    errors: dict[str, list[str]] = {}
    text = _text(reason, field="reason", required=True, message=_("Say why the person is referred."))
    if urgency not in ReferralUrgency.values:
        errors["urgency"] = [_("Choose the urgency.")]
    provider = Provider.objects.select_related("agency").get(pk=provider.pk)
    if not provider.is_active or (provider.agency is not None and not provider.agency.is_active):
        errors["provider"] = [_("This provider no longer takes referrals.")]
    if service is not None:
        service = Service.objects.get(pk=service.pk)
        if service.provider_id != provider.pk:
            errors["service"] = [_("This service belongs to another provider.")]
        elif service.status != ServiceStatus.ACTIVE:
            errors["service"] = [_("This service is not taking people now.")]
    if care_plan_action is not None and care_plan_action.goal.plan.case_id != locked.pk:
        errors["care_plan_action"] = [_("This action belongs to another case.")]
    now = timezone.now()
    if respond_by is not None and respond_by <= now:
        errors["respond_by"] = [_("The answer must be due in the future.")]
    if len(legal_basis) > 500:
        errors["legal_basis"] = [_("Keep it under %(max)d characters.") % {"max": 500}]
    if errors:
        raise ValidationFailed(field_errors=errors)
    consent, override_by = sharing_basis(
        actor=actor, case=locked, agency=provider.agency, legal_basis=legal_basis, override=override
    )
    due = respond_by or deadlines.respond_by(
        urgency=urgency, sent_at=now, service_hours=service.response_hours if service else None
    )
    referral = Referral.objects.create(
        reference=_next_reference(locked),
        case=locked,
        person=locked.person,
        care_plan_action=care_plan_action,
        from_agency=locked.owner_agency,
        referred_by=actor,
        provider=provider,
        service=service,
        to_agency=provider.agency,
        service_type=service.service_type if service else "",
        reason=text,
        urgency=urgency,
        status=S.SENT,
        sent_at=now,
        respond_by=due,
        consent=consent,
        override_by=override_by,
        legal_basis=legal_basis.strip() if override_by else "",
    )
    ReferralStep.objects.create(referral=referral, from_status="", to_status=S.SENT, actor=actor, note=text)
    audit_reason = reasons.reference(referral)
    if override_by is not None:
        audit_reason = reasons.join(
            audit_reason,
            _("Consent overridden on the legal basis: %(basis)s")
            % {"basis": reasons.keep(referral.legal_basis)},
        )
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        agency=locked.owner_agency,
        obj=referral,
        changed_fields=[
            "case",
            "person",
            "provider",
            "service",
            "to_agency",
            "reason",
            "urgency",
            "respond_by",
            "consent",
            "override_by",
            "legal_basis",
        ],
        reason=audit_reason,
    )
    notices.referral_sent(actor=actor, referral=referral)
    return referral


def _locked(actor: User, referral: Referral, version: int | None) -> Referral:
    """The current row, locked; NotFound when the actor cannot see it; version checked."""
    if not Referral.objects.filter(selectors.visible_q(actor), pk=referral.pk).exists():
        raise NotFound()
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    check_version(locked.version, version)
    return locked


def _step(
    *,
    actor: User,
    referral: Referral,
    action: str,
    note: str,
    fields: dict[str, Any],
    audit_action: str = AuditAction.TRANSITION,
) -> Referral:
    sources, target = TRANSITIONS[action]
    if referral.status not in sources:
        raise InvalidTransition(
            _("A referral that is %(status)s cannot be changed this way.")
            % {"status": S(referral.status).label}
        )
    from_status = referral.status
    referral.status = target
    for name, value in fields.items():
        setattr(referral, name, value)
    if target in CLOSED_STATUSES:
        referral.closed_at = timezone.now()
    save_versioned(
        referral,
        expected_version=referral.version,
        fields=["status", "closed_at", *fields],
    )
    step = ReferralStep.objects.create(
        referral=referral,
        from_status=from_status,
        to_status=target,
        actor=actor,
        on_behalf_of_provider=referral.to_agency_id is None and action not in ("cancel", "revoke"),
        note=note,
    )
    audit.record(
        action=audit_action,
        actor=actor,
        agency=referral.from_agency,
        obj=referral,
        changed_fields=["status", *fields],
        reason=reasons.join(f"{from_status} → {target}", reasons.reference(step, "note")),
    )
    notices.referral_moved(actor=actor, referral=referral, from_status=from_status)
    return referral


def _refuse(actor: User, message: str) -> NoReturn:
    raise PermissionRefused(message)


@transaction.atomic
def referral_accept(*, actor: User, referral: Referral, version: int | None, note: str = "") -> Referral:
    """The provider takes the person: the outcome becomes due by the dated rule's days."""
    locked = _locked(actor, referral, version)
    if not selectors.may_answer(actor, locked):
        _refuse(actor, _("Only the receiving agency answers this referral."))
    if (
        locked.consent_id is not None
        and Consent.objects.filter(pk=locked.consent_id, withdrawn_on__isnull=False).exists()
    ):
        raise InvalidTransition(_("The consent this referral relied on has been withdrawn."))
    now = timezone.now()
    text = _text(note, field="note", required=False)
    return _step(
        actor=actor,
        referral=locked,
        action="accept",
        note=text,
        fields={
            "answered_at": locked.answered_at or now,
            "accepted_at": now,
            "outcome_due_by": deadlines.outcome_due_by(now),
        },
    )


@transaction.atomic
def referral_decline(*, actor: User, referral: Referral, version: int | None, reason: str) -> Referral:
    """The provider cannot take the person, and says why."""
    locked = _locked(actor, referral, version)
    if not selectors.may_answer(actor, locked):
        _refuse(actor, _("Only the receiving agency answers this referral."))
    text = _text(reason, field="reason", required=True, message=_("Say why the referral is declined."))
    return _step(
        actor=actor,
        referral=locked,
        action="decline",
        note=text,
        fields={"answered_at": locked.answered_at or timezone.now()},
    )


@transaction.atomic
def referral_waitlist(*, actor: User, referral: Referral, version: int | None, note: str = "") -> Referral:
    """The provider will take the person when a place frees up (answered, not yet accepted)."""
    locked = _locked(actor, referral, version)
    if not selectors.may_answer(actor, locked):
        _refuse(actor, _("Only the receiving agency answers this referral."))
    text = _text(note, field="note", required=False)
    return _step(
        actor=actor, referral=locked, action="waitlist", note=text, fields={"answered_at": timezone.now()}
    )


@transaction.atomic
def referral_start_service(
    *, actor: User, referral: Referral, version: int | None, note: str = ""
) -> Referral:
    """The person arrived and the service started."""
    locked = _locked(actor, referral, version)
    if not selectors.may_start_service(actor, locked):
        _refuse(actor, _("Only the receiving agency answers this referral."))
    text = _text(note, field="note", required=False)
    return _step(actor=actor, referral=locked, action="start_service", note=text, fields={})


@transaction.atomic
def referral_complete(
    *, actor: User, referral: Referral, version: int | None, outcome: str, note: str = ""
) -> Referral:
    """Close the loop with the outcome: successful (the service was delivered), or not successful
    with one of the listed reasons. Either side may record it (see `selectors`)."""
    locked = _locked(actor, referral, version)
    if not selectors.may_complete(actor, locked):
        _refuse(actor, _("Only the receiving agency or the referring side records the outcome."))
    if outcome not in ReferralOutcome.values:
        raise ValidationFailed(
            _("A referral cannot close without its outcome."),
            field_errors={"outcome": [_("Choose the outcome.")]},
        )
    if outcome == ReferralOutcome.SUCCESSFUL and locked.status != S.IN_SERVICE:
        raise InvalidTransition(_("A referral whose service never started cannot be successful."))
    text = _text(
        note,
        field="note",
        required=outcome == ReferralOutcome.OTHER,
        message=_("Say what happened when the outcome is 'other'."),
    )
    return _step(actor=actor, referral=locked, action="complete", note=text, fields={"outcome": outcome})


@transaction.atomic
def referral_cancel(*, actor: User, referral: Referral, version: int | None, reason: str) -> Referral:
    """The sending side withdraws the referral (the person moved, the need was met elsewhere)."""
    locked = _locked(actor, referral, version)
    if not selectors.may_cancel(actor, locked):
        _refuse(actor, _("Only the referring agency can cancel this referral."))
    text = _text(reason, field="reason", required=True, message=_("Say why the referral is cancelled."))
    return _step(actor=actor, referral=locked, action="cancel", note=text, fields={})


@transaction.atomic
def referral_revoke(*, actor: User, referral: Referral, version: int | None, reason: str) -> Referral:
    """A supervisor of the referring agency withdraws the referral (it should not have been made,
    or the provider is no longer safe for the person)."""
    locked = _locked(actor, referral, version)
    if not selectors.may_revoke(actor, locked):
        _refuse(actor, _("Only a supervisor of the referring agency can revoke this referral."))
    text = _text(reason, field="reason", required=True, message=_("Say why the referral is revoked."))
    return _step(actor=actor, referral=locked, action="revoke", note=text, fields={})
