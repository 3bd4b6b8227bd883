"""The referral state machine: every transition, every refusal, versions, the consent gate."""

import pytest
from django.db import IntegrityError, transaction

from shield.accounts.roles import Role
from shield.accounts.tests.factories import AgencyFactory, member
from shield.audit.models import AuditEvent
from shield.cases.tests import factories as case_factories
from shield.core.errors import (
    InvalidTransition,
    NotFound,
    PermissionRefused,
    StaleVersion,
    ValidationFailed,
    VersionRequired,
)
from shield.notifications.models import Kind, Notification
from shield.referrals.lifecycle import services
from shield.referrals.models import Referral, ReferralOutcome, ReferralStatus, ReferralStep, ReferralUrgency
from shield.referrals.tests import lifecycle_factories as f

pytestmark = pytest.mark.django_db
S = ReferralStatus


def _events(referral: Referral) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_id=str(referral.pk)).order_by("sequence"))


def test_sending_records_the_referral_its_first_step_an_audit_event_and_tells_the_receivers() -> None:
    world = f.loop()
    referral = f.send(world, urgency=ReferralUrgency.URGENT)
    assert referral.status == S.SENT
    assert referral.to_agency == world.receiver_agency
    assert referral.from_agency == world.sender.agency
    assert referral.person == world.case.person
    assert referral.service_type == world.service.service_type
    assert referral.reference == f"{world.case.reference}-R01"
    assert referral.consent is not None
    assert referral.override_by is None
    assert list(referral.steps.values_list("to_status", flat=True)) == [S.SENT]
    assert [e.action for e in _events(referral)] == ["create"]
    told = set(Notification.objects.filter(kind=Kind.REFERRAL_RECEIVED).values_list("recipient", flat=True))
    assert told == {world.provider_staff.pk, world.receiver_worker.pk}


def test_the_answer_is_due_by_the_urgency_rule_unless_the_service_sets_its_own() -> None:
    world = f.loop()
    urgent = f.send(world, urgency=ReferralUrgency.IMMEDIATE)
    assert (urgent.respond_by - urgent.sent_at).total_seconds() == 3600
    routine = f.send(world, urgency=ReferralUrgency.ROUTINE, with_consent=False)
    assert (routine.respond_by - routine.sent_at).total_seconds() == 72 * 3600
    own = f.loop(response_hours=5)
    mine = f.send(own, urgency=ReferralUrgency.ROUTINE)
    assert (mine.respond_by - mine.sent_at).total_seconds() == 5 * 3600


def test_the_full_loop_sent_accepted_in_service_completed() -> None:
    world = f.loop()
    referral = f.send(world)
    referral = services.referral_accept(
        actor=world.provider_staff, referral=referral, version=referral.version
    )
    assert referral.status == S.ACCEPTED
    assert referral.accepted_at
    assert referral.outcome_due_by
    assert (referral.outcome_due_by - referral.accepted_at).days == 30
    referral = services.referral_start_service(
        actor=world.receiver_worker, referral=referral, version=referral.version
    )
    assert referral.status == S.IN_SERVICE
    referral = services.referral_complete(
        actor=world.provider_staff,
        referral=referral,
        version=referral.version,
        outcome=ReferralOutcome.SUCCESSFUL,
    )
    referral.refresh_from_db()
    assert referral.status == S.COMPLETED
    assert referral.outcome == ReferralOutcome.SUCCESSFUL
    assert referral.closed_at is not None
    assert list(referral.steps.values_list("to_status", flat=True)) == [
        S.SENT,
        S.ACCEPTED,
        S.IN_SERVICE,
        S.COMPLETED,
    ]
    assert [e.action for e in _events(referral)] == ["create", "transition", "transition", "transition"]
    assert (
        Notification.objects.filter(kind=Kind.REFERRAL_ANSWERED, recipient=world.sender.worker).count() == 3
    )


def test_waitlisted_then_accepted_or_declined_with_a_reason() -> None:
    world = f.loop()
    referral = f.send(world)
    referral = services.referral_waitlist(
        actor=world.provider_staff, referral=referral, version=referral.version
    )
    assert referral.status == S.WAITLISTED
    assert referral.answered_at
    with pytest.raises(ValidationFailed) as refused:
        services.referral_decline(
            actor=world.provider_staff, referral=referral, version=referral.version, reason=" "
        )
    assert "reason" in refused.value.field_errors
    referral = services.referral_decline(
        actor=world.provider_staff, referral=referral, version=referral.version, reason="No place this month"
    )
    assert referral.status == S.DECLINED
    assert referral.closed_at
    assert referral.steps.last().note == "No place this month"  # type: ignore[union-attr]


def test_a_closed_referral_moves_no_further() -> None:
    world = f.loop()
    referral = f.send(world)
    referral = services.referral_decline(
        actor=world.provider_staff, referral=referral, version=referral.version, reason="Full"
    )
    for call in (
        lambda: services.referral_accept(
            actor=world.provider_staff, referral=referral, version=referral.version
        ),
        lambda: services.referral_cancel(
            actor=world.sender.worker, referral=referral, version=referral.version, reason="x"
        ),
        lambda: services.referral_revoke(
            actor=world.sender.supervisor, referral=referral, version=referral.version, reason="x"
        ),
    ):
        with pytest.raises(InvalidTransition):
            call()


def test_service_cannot_start_before_acceptance_and_waitlist_only_from_sent() -> None:
    world = f.loop()
    referral = f.send(world)
    with pytest.raises(InvalidTransition):
        services.referral_start_service(
            actor=world.provider_staff, referral=referral, version=referral.version
        )
    referral = services.referral_accept(
        actor=world.provider_staff, referral=referral, version=referral.version
    )
    with pytest.raises(InvalidTransition):
        services.referral_waitlist(actor=world.provider_staff, referral=referral, version=referral.version)


def test_a_referral_cannot_close_without_its_outcome() -> None:
    world = f.loop()
    referral = f.send(world)
    referral = services.referral_accept(
        actor=world.provider_staff, referral=referral, version=referral.version
    )
    referral = services.referral_start_service(
        actor=world.provider_staff, referral=referral, version=referral.version
    )
    with pytest.raises(ValidationFailed) as refused:
        services.referral_complete(
            actor=world.provider_staff, referral=referral, version=referral.version, outcome=""
        )
    assert "outcome" in refused.value.field_errors
    assert Referral.objects.get(pk=referral.pk).status == S.IN_SERVICE
    # ...and the database refuses it too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(status=S.COMPLETED, closed_at=referral.sent_at)


def test_successful_needs_the_service_to_have_started_other_needs_a_note() -> None:
    world = f.loop()
    referral = f.send(world)
    referral = services.referral_accept(
        actor=world.provider_staff, referral=referral, version=referral.version
    )
    with pytest.raises(InvalidTransition):
        services.referral_complete(
            actor=world.provider_staff,
            referral=referral,
            version=referral.version,
            outcome=ReferralOutcome.SUCCESSFUL,
        )
    with pytest.raises(ValidationFailed):
        services.referral_complete(
            actor=world.provider_staff,
            referral=referral,
            version=referral.version,
            outcome=ReferralOutcome.OTHER,
        )
    done = services.referral_complete(
        actor=world.sender.worker,
        referral=referral,
        version=referral.version,
        outcome=ReferralOutcome.UNABLE_TO_CONTACT_CLIENT,
    )
    assert done.status == S.COMPLETED
    assert done.outcome == ReferralOutcome.UNABLE_TO_CONTACT_CLIENT


def test_stale_and_missing_versions_are_refused_and_nothing_changes() -> None:
    world = f.loop()
    referral = f.send(world)
    stale = referral.version
    services.referral_waitlist(actor=world.provider_staff, referral=referral, version=referral.version)
    with pytest.raises(StaleVersion):
        services.referral_accept(actor=world.receiver_worker, referral=referral, version=stale)
    with pytest.raises(VersionRequired):
        services.referral_accept(actor=world.receiver_worker, referral=referral, version=None)
    assert Referral.objects.get(pk=referral.pk).status == S.WAITLISTED
    assert ReferralStep.objects.filter(referral=referral).count() == 2


def test_only_the_receiving_agency_answers_and_outsiders_get_not_found() -> None:
    world = f.loop()
    referral = f.send(world)
    with pytest.raises(PermissionRefused):
        services.referral_accept(actor=world.sender.worker, referral=referral, version=referral.version)
    stranger = member(Role.SERVICE_PROVIDER, agency=AgencyFactory.create())
    with pytest.raises(NotFound):
        services.referral_accept(actor=stranger, referral=referral, version=referral.version)
    with pytest.raises(PermissionRefused):
        services.referral_cancel(
            actor=world.provider_staff, referral=referral, version=referral.version, reason="x"
        )
    assert Referral.objects.get(pk=referral.pk).status == S.SENT


def test_the_sender_cancels_and_only_the_senders_supervisor_revokes() -> None:
    world = f.loop()
    first = f.send(world)
    with pytest.raises(ValidationFailed):
        services.referral_cancel(actor=world.sender.worker, referral=first, version=first.version, reason="")
    cancelled = services.referral_cancel(
        actor=world.sender.worker, referral=first, version=first.version, reason="Person moved away"
    )
    assert cancelled.status == S.CANCELLED
    second = f.send(world, with_consent=False)
    second = services.referral_accept(actor=world.provider_staff, referral=second, version=second.version)
    with pytest.raises(PermissionRefused):
        services.referral_revoke(
            actor=world.sender.worker, referral=second, version=second.version, reason="x"
        )
    receiving_supervisor = member(Role.SUPERVISOR, agency=world.receiver_agency)
    with pytest.raises(PermissionRefused):
        services.referral_revoke(
            actor=receiving_supervisor, referral=second, version=second.version, reason="x"
        )
    revoked = services.referral_revoke(
        actor=world.sender.supervisor, referral=second, version=second.version, reason="Provider unsafe"
    )
    assert revoked.status == S.REVOKED
    assert revoked.closed_at
    assert Notification.objects.filter(kind=Kind.REFERRAL_ANSWERED, recipient=world.provider_staff).exists()


def test_an_external_providers_answers_are_recorded_by_the_sender_on_its_behalf() -> None:
    world = f.loop()
    clinic = f.provider()
    referral = f.send(world, to=clinic)
    assert referral.to_agency is None
    assert referral.consent is not None
    assert referral.consent.scope == "services"
    referral = services.referral_accept(
        actor=world.sender.worker, referral=referral, version=referral.version
    )
    step = referral.steps.last()
    assert step is not None
    assert step.on_behalf_of_provider
    with pytest.raises(NotFound):
        services.referral_start_service(
            actor=world.provider_staff, referral=referral, version=referral.version
        )


# --- Consent gate ---------------------------------------------------------------------------------


def test_without_consent_the_referral_is_refused_and_nothing_is_written() -> None:
    world = f.loop()
    with pytest.raises(ValidationFailed) as refused:
        f.send(world, with_consent=False)
    assert "override" in refused.value.field_errors
    assert not Referral.objects.exists()


def test_consent_to_another_agency_does_not_count() -> None:
    world = f.loop()
    f.consent(world.case, agency=AgencyFactory.create())
    with pytest.raises(ValidationFailed):
        f.send(world, with_consent=False)


def test_a_supervisor_overrides_missing_consent_with_a_legal_basis() -> None:
    world = f.loop()
    with pytest.raises(ValidationFailed) as no_basis:
        f.send(world, with_consent=False, actor=world.sender.supervisor, override=True)
    assert "legal_basis" in no_basis.value.field_errors
    with pytest.raises(ValidationFailed) as not_supervisor:
        f.send(world, with_consent=False, override=True, legal_basis="Law 53/2024 art. 40")
    assert "override" in not_supervisor.value.field_errors
    referral = f.send(
        world,
        with_consent=False,
        actor=world.sender.supervisor,
        override=True,
        legal_basis="Law 53/2024 art. 40",
    )
    assert referral.override_by == world.sender.supervisor
    assert referral.consent is None
    assert referral.legal_basis == "Law 53/2024 art. 40"


def test_an_accept_is_refused_once_the_consent_relied_on_is_withdrawn() -> None:
    world = f.loop()
    referral = f.send(world)
    assert referral.consent is not None
    referral.consent.withdrawn_on = referral.consent.given_on
    referral.consent.withdrawal_reason = "Changed their mind"
    referral.consent.save(update_fields=["withdrawn_on", "withdrawal_reason"])
    with pytest.raises(InvalidTransition):
        services.referral_accept(actor=world.provider_staff, referral=referral, version=referral.version)


def test_sending_needs_referrals_make_and_the_case_in_reach() -> None:
    world = f.loop()
    f.consent(world.case, agency=world.receiver_agency)
    with pytest.raises(PermissionRefused):
        services.referral_send(
            actor=world.provider_staff,
            case=world.case,
            provider=world.provider,
            reason="x",
            urgency=ReferralUrgency.ROUTINE,
        )
    other = case_factories.team()
    with pytest.raises(NotFound):
        services.referral_send(
            actor=other.worker, case=world.case, provider=world.provider, reason="x", urgency="routine"
        )


def test_a_service_of_another_provider_or_a_closed_one_is_refused() -> None:
    world = f.loop()
    other = f.service(f.provider())
    with pytest.raises(ValidationFailed) as refused:
        f.send(world, svc=other)
    assert "service" in refused.value.field_errors
    closed = f.service(world.provider, status="closed")
    with pytest.raises(ValidationFailed):
        f.send(world, svc=closed, with_consent=False)
