"""Who sees a proceeding: every agency that held it, assigned officers, and (steps and hearings
only) the workers of a linked protection case; children's names for assigned officers only."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from shield.accounts.roles import Role, Scope
from shield.accounts.tests.factories import AgencyFactory, member, province
from shield.audit.models import AuditEvent
from shield.cases.tests import factories as case_factories
from shield.core.errors import NotFound
from shield.justice.models import HoldingRole, PartyRole, StepKind
from shield.justice.proceedings import access, selectors, services
from shield.justice.tests import proceedings_factories as pf

pytestmark = pytest.mark.django_db

CHILD = "Trần Thị Lan"
NOTE = "Lời khai bí mật của nhân chứng"


def _page(user, proceeding) -> tuple[int, str]:
    client = Client()
    client.force_login(user)
    response = client.get(f"/justice/proceedings/{proceeding.pk}/")
    return response.status_code, response.content.decode()


def test_every_agency_that_held_it_sees_it_and_others_get_404() -> None:
    police, procuracy, stranger = pf.desk(), pf.desk(HoldingRole.PROCURACY), pf.desk()
    proceeding = pf.open_proceeding(at=police)
    assert _page(procuracy.officer, proceeding)[0] == 404
    services.proceeding_hand_over(
        actor=police.officer,
        proceeding=proceeding,
        expected_version=1,
        to_agency=procuracy.agency,
        to_role=HoldingRole.PROCURACY,
    )
    assert _page(procuracy.officer, proceeding)[0] == 200
    assert _page(police.officer, proceeding)[0] == 200  # held it before: still follows it
    assert _page(stranger.officer, proceeding)[0] == 404
    with pytest.raises(NotFound):
        selectors.proceeding_get_for(user=stranger.officer, proceeding_id=proceeding.pk)


def test_a_province_scope_reaches_the_agencies_of_its_province() -> None:
    police = pf.desk(province=province("01"))
    proceeding = pf.open_proceeding(at=police)
    head = AgencyFactory.create(province=province("01"))
    provincial = member(Role.JUSTICE_OFFICER, agency=head, scope=Scope.PROVINCE)
    far = member(
        Role.JUSTICE_OFFICER, agency=AgencyFactory.create(province=province("79")), scope=Scope.PROVINCE
    )
    assert access.can_view(user=provincial, proceeding=proceeding)
    assert not access.can_view(user=far, proceeding=proceeding)


def test_an_assigned_officer_of_another_agency_sees_it_and_loses_it_when_unassigned() -> None:
    police, court = pf.desk(), pf.desk(HoldingRole.COURT)
    proceeding = pf.open_proceeding(at=police)
    assignment = pf.assign(proceeding, court.officer)
    assert _page(court.officer, proceeding)[0] == 200
    services.officer_unassign(actor=police.officer, assignment=assignment)
    assert _page(court.officer, proceeding)[0] == 404


def test_child_names_are_shown_to_assigned_officers_only() -> None:
    police = pf.desk()
    proceeding = pf.open_proceeding(at=police)  # the opener is assigned
    party = pf.party(proceeding, role=PartyRole.VICTIM, full_name=CHILD)
    adult = pf.party(
        proceeding, role=PartyRole.ACCUSED, full_name="Lê Văn Tám", birth_date=datetime.date(1980, 5, 5)
    )
    colleague = pf.desk(agency=police.agency).officer  # same agency, not assigned
    status, body = _page(police.officer, proceeding)
    assert status == 200
    assert CHILD in body
    assert "Lê Văn Tám" in body
    status, body = _page(colleague, proceeding)
    assert status == 200
    assert CHILD not in body
    assert "T. T. L." in body
    assert "Lê Văn Tám" in body
    assert selectors.party_name_for(user=colleague, party=party) != CHILD
    assert selectors.party_name_for(user=colleague, party=adult) == "Lê Văn Tám"
    pf.assign(proceeding, colleague)
    assert CHILD in _page(colleague, proceeding)[1]


def test_a_case_worker_of_the_linked_case_sees_steps_and_hearings_only() -> None:
    police = pf.desk()
    proceeding = pf.open_proceeding(at=police, summary="Tóm tắt vụ án")
    case = case_factories.open_case(agency=AgencyFactory.create())
    worker = case.created_by
    victim_person = case.person
    # The officer must see the person to add them: registered by the police here, linked by case.
    party = pf.party(
        proceeding, role=PartyRole.ACCUSED, full_name="Lê Văn Tám", birth_date=datetime.date(1980, 5, 5)
    )
    assert party.is_child is False
    victim = pf.party(proceeding, role=PartyRole.VICTIM, full_name=CHILD)
    services.step_record(
        actor=police.officer,
        proceeding=proceeding,
        expected_version=proceeding.version,
        kind=StepKind.FIRST_INSTANCE_TRIAL,
        scheduled_for=timezone.now() + datetime.timedelta(days=5),
        note=NOTE,
    )
    assert _page(worker, proceeding)[0] == 404  # not linked yet
    # Link directly (the officer cannot see this agency's case): the link is what grants the view.
    victim.protection_case = case
    victim.save(update_fields=["protection_case"])
    status, body = _page(worker, proceeding)
    assert status == 200
    assert "restricted-note" in body
    assert "First-instance trial" in body
    for secret in (CHILD, "Lê Văn Tám", NOTE, "Tóm tắt vụ án", victim_person.full_name):
        assert secret not in body
    assert AuditEvent.objects.filter(object_id=str(proceeding.pk), action="view", actor=worker).exists()
    # The case page shows the panel.
    client = Client()
    client.force_login(worker)
    case_page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "case-justice-proceeding" in case_page
    assert proceeding.reference in case_page
    assert NOTE not in case_page
    # The API stays closed to the case worker (no justice.view).
    assert client.get(f"/api/v1/justice/proceedings/{proceeding.pk}/").status_code == 403


def test_detail_reads_are_audited() -> None:
    police = pf.desk()
    proceeding = pf.open_proceeding(at=police)
    before = AuditEvent.objects.filter(action="view", object_id=str(proceeding.pk)).count()
    _page(police.officer, proceeding)
    assert AuditEvent.objects.filter(action="view", object_id=str(proceeding.pk)).count() == before + 1
