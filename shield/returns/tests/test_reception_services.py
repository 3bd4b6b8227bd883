"""Returns, verification requests and a group reception at a gate, through the services."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from shield.core.errors import StaleVersion, ValidationFailed
from shield.geo.models import Commune
from shield.intake.tests.factories import gate_post
from shield.people.tests.factories import person as new_person
from shield.returns.models import (
    Disposition,
    ReceptionStatus,
    ReturnStatus,
    VerificationStatus,
)
from shield.returns.reception import services

pytestmark = pytest.mark.django_db


def test_a_return_is_cancelled_never_deleted():
    gate = gate_post("mong-cai")
    someone = new_person(full_name="Lò Thị Mai", actor=gate.officer, owner_agency=gate.agency)
    back = services.return_record(
        actor=gate.officer, person=someone, country="CN", how="handed_over", channel="bilateral",
        expected_on=timezone.localdate(),
    )  # fmt: skip
    assert back.status == ReturnStatus.EXPECTED
    assert back.reference.startswith("RET-")
    with pytest.raises(ValidationFailed):
        services.return_cancel(actor=gate.officer, record=back, version=back.version, reason=" ")
    services.return_cancel(actor=gate.officer, record=back, version=back.version, reason="Not handed over")
    back.refresh_from_db()
    assert back.status == ReturnStatus.CANCELLED


def test_verification_runs_received_checked_decided_answered_and_leaves_the_queue():
    gate = gate_post("mong-cai")
    someone = new_person(full_name="Lò Thị Mai", actor=gate.officer, owner_agency=gate.agency)
    back = services.return_record(
        actor=gate.officer, person=someone, country="CN", how="handed_over", channel="bilateral"
    )
    received = timezone.now()
    request = services.verification_receive(
        actor=gate.officer, record=back, foreign_authority="Dongxing Public Security", received_at=received
    )
    assert request.answer_due_at == received + datetime.timedelta(days=30)
    from shield.returns.reception import selectors

    assert list(selectors.verifications_due(gate.officer)) == [request]
    request = services.verification_check(actor=gate.officer, request=request, version=request.version)
    assert set(request.checks) >= {"documents", "linkage_candidates", "has_cccd"}
    with pytest.raises(StaleVersion):
        services.verification_decide(
            actor=gate.officer, request=request, version=1, confirmed=True, basis="x"
        )
    request.refresh_from_db()
    request = services.verification_decide(
        actor=gate.officer, request=request, version=request.version, confirmed=True, basis="CCCD matches"
    )
    assert (request.status, request.decided_by) == (VerificationStatus.CONFIRMED, gate.officer)
    request = services.verification_answer(
        actor=gate.officer, request=request, version=request.version, answer_reference="CV-12/BP"
    )
    assert request.status == VerificationStatus.ANSWERED
    # Once answered, what was decided is still on record.
    request.refresh_from_db()
    assert request.confirmed is True
    assert request.decision_label == "Confirmed Vietnamese"
    assert list(selectors.verifications_due(gate.officer)) == []


def test_the_verification_list_page_shows_the_due_requests(client):
    gate = gate_post("mong-cai")
    someone = new_person(full_name="Lò Thị Mai", actor=gate.officer, owner_agency=gate.agency)
    back = services.return_record(
        actor=gate.officer, person=someone, country="CN", how="handed_over", channel="bilateral"
    )
    services.verification_receive(
        actor=gate.officer, record=back, foreign_authority="Dongxing PSB", received_at=timezone.now()
    )
    client.force_login(gate.officer)
    page = client.get(reverse("returns:verification_list") + "?due=yes")
    assert page.status_code == 200
    assert back.reference in page.content.decode()
    assert "nav-returns" in page.content.decode()


def test_a_group_reception_screens_everyone_as_one_group_and_completes_once_all_are_handed_on():
    gate = gate_post("mong-cai")
    known = new_person(full_name="Vàng Thị Mỷ", actor=gate.officer, owner_agency=gate.agency)
    event = services.reception_open(
        actor=gate.officer, border_gate=gate.agency.border_gate, country="CN", channel="bilateral",
        received_at=timezone.now(),
    )  # fmt: skip
    members = [services.member_add(actor=gate.officer, event=event, person=known)]
    members += [
        services.member_add(actor=gate.officer, event=event, full_name=name, sex="female", birth_year=2001)
        for name in ("Lò Thị Hoa", "Giàng Thị Sua")
    ]
    event.refresh_from_db()
    assert event.screening_group_id is not None
    for m in members:
        m.refresh_from_db()
    assert {m.screening.group_id for m in members if m.screening} == {event.screening_group_id}
    member = services.member_save_draft(
        actor=gate.officer, member=members[0], version=members[0].version, draft={"note": "tired"}
    )
    with pytest.raises(StaleVersion):
        services.member_save_draft(actor=gate.officer, member=members[0], version=1, draft={"note": "x"})
    member = services.member_screen(
        actor=gate.officer, member=member, version=member.version, outcome="no_concern"
    )
    member = services.member_dispose(
        actor=gate.officer, member=member, version=member.version, disposition=Disposition.FAMILY,
        handed_to="Mother, Vàng Thị Pà",
    )  # fmt: skip
    with pytest.raises(ValidationFailed):
        services.reception_complete(actor=gate.officer, event=event, version=event.version)
    commune = Commune.objects.first()
    for other in members[1:]:
        other.refresh_from_db()
        services.member_dispose(
            actor=gate.officer,
            member=other,
            version=other.version,
            disposition=Disposition.COMMUNE,
            commune=commune,
        )
    event.refresh_from_db()
    event = services.reception_complete(
        actor=gate.officer, event=event, version=event.version, receipt_number="BB-01/2026",
        receipt_signed_at=timezone.now(),
    )  # fmt: skip
    assert event.status == ReceptionStatus.COMPLETED
    assert all(m.return_record.status == ReturnStatus.RECEIVED for m in event.members.all())
