"""Transfers rest on consent or an overridden legal basis; after one, the receiving agency owns the
case and the former owner keeps read access for follow-up."""

import pytest
from django.utils import timezone, translation

from shield.accounts.roles import Role
from shield.accounts.tests.factories import member
from shield.audit import reasons
from shield.audit.models import AuditEvent
from shield.cases import selectors, services
from shield.cases.models import (
    FORMER_OWNER_FOLLOW_UP,
    Case,
    CaseAccess,
    CaseTransfer,
    ConsentScope,
    TransferStatus,
)
from shield.cases.selectors import CaseFilters
from shield.cases.tests import factories as f
from shield.core.errors import InvalidTransition, NotFound, PermissionRefused, ValidationFailed
from shield.people.models import Person

pytestmark = pytest.mark.django_db


def _share_consent(team, case, agency):
    return services.consent_record(
        actor=team.worker,
        case=case,
        scope=ConsentScope.SHARE_WITH_AGENCY,
        shared_with_agency=agency,
        given_by="person",
        given_on=timezone.localdate(),
    )


@pytest.fixture
def setup():
    sender, receiver = f.team(), f.team()
    case = f.open_case(actor=sender.worker)
    return sender, receiver, case


def test_a_transfer_without_consent_is_refused_and_says_what_is_needed(setup):
    sender, receiver, case = setup
    with pytest.raises(ValidationFailed) as refused:
        services.transfer_request(actor=sender.worker, case=case, to_agency=receiver.agency, reason="Moved")
    assert "consent" in refused.value.message
    assert "legal basis" in refused.value.message
    assert not CaseTransfer.objects.exists()


def test_consent_to_share_with_another_agency_does_not_count(setup):
    sender, receiver, case = setup
    _share_consent(sender, case, f.team().agency)
    with pytest.raises(ValidationFailed):
        services.transfer_request(actor=sender.worker, case=case, to_agency=receiver.agency, reason="Moved")


def test_a_legal_basis_alone_or_an_override_alone_is_not_enough(setup):
    sender, receiver, case = setup
    with pytest.raises(ValidationFailed):
        services.transfer_request(
            actor=sender.supervisor,
            case=case,
            to_agency=receiver.agency,
            reason="Moved",
            legal_basis="Art. 30",
        )
    with pytest.raises(ValidationFailed) as refused:
        services.transfer_request(
            actor=sender.supervisor, case=case, to_agency=receiver.agency, reason="Moved", override=True
        )
    assert "legal_basis" in refused.value.field_errors
    assert not CaseTransfer.objects.exists()


def test_only_a_supervisor_may_override_missing_consent(setup):
    sender, receiver, case = setup
    with pytest.raises(ValidationFailed) as refused:
        services.transfer_request(
            actor=sender.worker,
            case=case,
            to_agency=receiver.agency,
            reason="Moved",
            legal_basis="Law 53/2024",
            override=True,
        )
    assert "override" in refused.value.field_errors
    assert not CaseTransfer.objects.exists()


def test_a_supervisors_override_on_a_legal_basis_is_allowed_and_audited_with_it(setup):
    sender, receiver, case = setup
    transfer = services.transfer_request(
        actor=sender.supervisor,
        case=case,
        to_agency=receiver.agency,
        reason="Child moved to a shelter in another province",
        legal_basis="Law 53/2024/QH15 on protecting victims",
        override=True,
    )
    assert (transfer.override_by, transfer.consent) == (sender.supervisor, None)
    event = AuditEvent.objects.get(object_id=str(transfer.pk))
    # The log names where the reason and the legal basis are kept (encrypted on the transfer).
    assert "Law 53/2024/QH15" not in event.reason
    assert "Child moved to a shelter" not in event.reason
    shown = reasons.expand(event.reason)
    assert "Law 53/2024/QH15 on protecting victims" in shown
    assert "Child moved to a shelter" in shown
    assert {"override_by", "legal_basis"} <= set(event.changed_fields)


def test_with_consent_the_transfer_is_requested_and_the_receiver_may_look(setup):
    sender, receiver, case = setup
    consent = _share_consent(sender, case, receiver.agency)
    transfer = services.transfer_request(
        actor=sender.worker, case=case, to_agency=receiver.agency, reason="Moved"
    )
    assert (transfer.consent, transfer.override_by, transfer.status) == (
        consent,
        None,
        TransferStatus.REQUESTED,
    )
    assert selectors.case_get_for(user=receiver.worker, case_id=case.pk)
    assert list(selectors.incoming_transfers_for(user=receiver.worker)) == [transfer]
    assert not selectors.can_edit(user=receiver.worker, case=case)


def test_one_transfer_waits_at_a_time(setup):
    sender, receiver, case = setup
    _share_consent(sender, case, receiver.agency)
    services.transfer_request(actor=sender.worker, case=case, to_agency=receiver.agency, reason="Moved")
    with pytest.raises(ValidationFailed):
        services.transfer_request(actor=sender.worker, case=case, to_agency=receiver.agency, reason="Again")


def test_after_acceptance_the_receiver_owns_it_and_the_former_owner_keeps_read_access(setup):
    sender, receiver, case = setup
    services.case_assign(actor=sender.supervisor, case=case, worker=sender.worker, expected_version=1)
    _share_consent(sender, case, receiver.agency)
    transfer = services.transfer_request(
        actor=sender.worker, case=case, to_agency=receiver.agency, reason="Moved"
    )

    case = services.transfer_accept(actor=receiver.worker, transfer=transfer, note="We take it")

    case.refresh_from_db()
    assert (case.owner_agency, case.assigned_worker) == (receiver.agency, None)
    transfer.refresh_from_db()
    assert (transfer.status, transfer.decided_by) == (TransferStatus.ACCEPTED, receiver.worker)
    # The receiver works on it now.
    assert selectors.can_edit(user=receiver.worker, case=case)
    services.note_add(actor=receiver.worker, case=case, kind="contact", body="Arrived")
    # The former owner still sees it, read only, for follow-up.
    access = CaseAccess.objects.get(case=case, agency=sender.agency, revoked_at__isnull=True)
    assert access.transfer == transfer
    assert selectors.case_get_for(user=sender.worker, case_id=case.pk)
    assert selectors.case_list_for(user=sender.worker, filters=CaseFilters()).filter(pk=case.pk).exists()
    with pytest.raises(PermissionRefused):
        services.note_add(actor=sender.worker, case=case, kind="contact", body="Still here")
    # The new owner may end that access.
    services.case_access_revoke(actor=receiver.worker, access=access, reason="Follow-up handed over")
    with pytest.raises(NotFound):
        selectors.case_get_for(user=sender.worker, case_id=case.pk)


def test_only_case_workers_of_the_receiving_agency_answer(setup):
    sender, receiver, case = setup
    _share_consent(sender, case, receiver.agency)
    transfer = services.transfer_request(
        actor=sender.worker, case=case, to_agency=receiver.agency, reason="Moved"
    )
    with pytest.raises(PermissionRefused):
        services.transfer_accept(actor=sender.worker, transfer=transfer)
    with pytest.raises(NotFound):
        services.transfer_accept(actor=f.team().worker, transfer=transfer)
    with pytest.raises(PermissionRefused):
        services.transfer_accept(
            actor=member(Role.JUSTICE_OFFICER, agency=receiver.agency), transfer=transfer
        )
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.REQUESTED
    assert Case.objects.get(pk=case.pk).owner_agency == sender.agency


def test_a_declined_transfer_leaves_the_case_where_it_was(setup):
    sender, receiver, case = setup
    _share_consent(sender, case, receiver.agency)
    transfer = services.transfer_request(
        actor=sender.worker, case=case, to_agency=receiver.agency, reason="Moved"
    )
    services.transfer_decline(actor=receiver.worker, transfer=transfer, note="No shelter place")
    case.refresh_from_db()
    assert case.owner_agency == sender.agency
    assert not CaseAccess.objects.exists()
    with pytest.raises(NotFound):
        selectors.case_get_for(user=receiver.worker, case_id=case.pk)
    with pytest.raises(InvalidTransition):
        services.transfer_accept(actor=receiver.worker, transfer=transfer)


def test_the_sender_may_cancel_before_an_answer(setup):
    sender, receiver, case = setup
    _share_consent(sender, case, receiver.agency)
    transfer = services.transfer_request(
        actor=sender.worker, case=case, to_agency=receiver.agency, reason="Moved"
    )
    services.transfer_cancel(actor=sender.worker, transfer=transfer, note="Stays with us")
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.CANCELLED


def test_withdrawing_the_consent_cancels_a_pending_transfer(setup):
    sender, receiver, case = setup
    consent = _share_consent(sender, case, receiver.agency)
    transfer = services.transfer_request(
        actor=sender.worker, case=case, to_agency=receiver.agency, reason="Moved"
    )
    services.consent_withdraw(actor=sender.worker, consent=consent, reason="Does not want the move")
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.CANCELLED
    with pytest.raises(InvalidTransition):
        services.transfer_accept(actor=receiver.worker, transfer=transfer)


def test_a_case_cannot_be_transferred_to_its_own_agency(setup):
    sender, _receiver, case = setup
    with pytest.raises(ValidationFailed) as refused:
        services.transfer_request(actor=sender.supervisor, case=case, to_agency=sender.agency, reason="x")
    assert "to_agency" in refused.value.field_errors


def test_the_receiving_agency_may_open_another_case_for_the_transferred_person(setup):
    sender, receiver, case = setup
    _share_consent(sender, case, receiver.agency)
    transfer = services.transfer_request(
        actor=sender.worker, case=case, to_agency=receiver.agency, reason="Moved"
    )
    services.transfer_accept(actor=receiver.worker, transfer=transfer)
    second = services.case_open(
        actor=receiver.worker, person=case.person, case_type="child_witness", owner_agency=receiver.agency
    )
    assert second.person == case.person
    reached = Person.objects.filter(selectors.persons_reached_through_cases_q(receiver.worker))
    assert list(reached) == [case.person]
    stranger = f.team()
    with pytest.raises(NotFound):
        services.case_open(
            actor=stranger.worker, person=case.person, case_type="child_witness", owner_agency=stranger.agency
        )


def test_the_former_owners_follow_up_reason_is_shown_in_each_readers_language(setup):
    sender, receiver, case = setup
    _share_consent(sender, case, receiver.agency)
    transfer = services.transfer_request(
        actor=sender.worker, case=case, to_agency=receiver.agency, reason="Moved"
    )
    with translation.override("vi"):
        services.transfer_accept(actor=receiver.worker, transfer=transfer)
    access = CaseAccess.objects.get(case=case, agency=sender.agency)
    assert access.reason == FORMER_OWNER_FOLLOW_UP
    with translation.override("en"):
        assert access.reason_display == "Former owner: follow-up after the transfer."
    with translation.override("vi"):
        assert access.reason_display == "Cơ quan quản lý trước đây: theo dõi sau chuyển giao."


@pytest.mark.parametrize(
    "stored",
    ["Former owner: follow-up after the transfer.", "Cơ quan quản lý trước đây: theo dõi sau chuyển giao."],
)
def test_follow_up_reasons_stored_in_a_language_before_the_fix_are_translated_too(stored):
    access = CaseAccess(reason=stored)
    with translation.override("en"):
        assert access.reason_display == "Former owner: follow-up after the transfer."
    assert CaseAccess(reason="Shared for the court hearing").reason_display == "Shared for the court hearing"
