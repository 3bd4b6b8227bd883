"""Who sees a case and who may change it: owner agency by scope, assigned worker, shared access,
pending transfer; another agency gets NotFound; statisticians see nothing."""

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from shield.accounts.models import Membership
from shield.accounts.roles import Role, Scope
from shield.accounts.tests.factories import AgencyFactory, member, province
from shield.cases import selectors, services
from shield.cases.models import CaseAccess, Stage
from shield.cases.selectors import CaseFilters
from shield.cases.tests import factories as f
from shield.core.errors import NotFound, PermissionRefused

pytestmark = pytest.mark.django_db


def _sees(user, case) -> bool:
    listed = selectors.case_list_for(user=user, filters=CaseFilters()).filter(pk=case.pk).exists()
    try:
        selectors.case_get_for(user=user, case_id=case.pk)
        got = True
    except NotFound:
        got = False
    assert listed == got, "the list and the detail disagree"
    return got


def test_members_of_the_owning_agency_see_its_cases():
    team = f.team()
    case = f.open_case(actor=team.worker)
    assert _sees(team.worker, case)
    assert _sees(team.supervisor, case)
    assert _sees(member(Role.JUSTICE_OFFICER, agency=team.agency), case)


def test_a_case_worker_of_another_agency_gets_not_found():
    case = f.open_case()
    outsider = member(Role.CASE_WORKER)
    assert not _sees(outsider, case)
    with pytest.raises(NotFound):
        services.note_add(actor=outsider, case=case, kind="contact", body="Hello")


def test_statisticians_see_no_case_even_with_national_scope():
    case = f.open_case()
    statistician = member(Role.STATISTICIAN, agency=case.owner_agency, scope=Scope.NATIONAL)
    assert not _sees(statistician, case)
    assert not selectors.case_list_for(user=statistician).exists()


def test_anonymous_and_malformed_ids_are_not_found():
    case = f.open_case()
    assert not selectors.case_list_for(user=AnonymousUser()).exists()
    with pytest.raises(NotFound):
        selectors.case_get_for(user=AnonymousUser(), case_id=case.pk)
    with pytest.raises(NotFound):
        selectors.case_get_for(user=case.created_by, case_id="not-a-uuid")
    with pytest.raises(NotFound):
        selectors.case_get_for(user=case.created_by, case_id=uuid.uuid4())


def test_own_scope_reaches_only_the_cases_assigned_to_the_user():
    team = f.team()
    own = member(Role.CASE_WORKER, agency=team.agency, scope=Scope.OWN)
    mine = f.open_case(actor=team.worker, agency=team.agency)
    services.case_assign(actor=team.supervisor, case=mine, worker=own, expected_version=1)
    theirs = f.open_case(actor=team.worker, agency=team.agency)
    assert _sees(own, mine)
    assert not _sees(own, theirs)


def test_the_assigned_worker_sees_the_case():
    team = f.team()
    case = f.open_case(actor=team.worker)
    colleague = member(Role.CASE_WORKER, agency=team.agency, scope=Scope.OWN)
    assert not _sees(colleague, case)
    services.case_assign(actor=team.supervisor, case=case, worker=colleague, expected_version=1)
    assert _sees(colleague, case)
    assert selectors.can_edit(user=colleague, case=case)


def test_agency_scope_reaches_sub_agencies_and_province_scope_the_province():
    parent = AgencyFactory(province=province("01"))
    station = AgencyFactory(parent=parent, province=province("01"))
    elsewhere = AgencyFactory(province=province("79"))
    case_at_station = f.open_case(agency=station)
    case_elsewhere = f.open_case(agency=elsewhere)
    head = member(Role.CASE_WORKER, agency=parent)
    assert _sees(head, case_at_station)
    neighbour_supervisor = member(
        Role.SUPERVISOR, agency=AgencyFactory(province=province("01")), scope=Scope.PROVINCE
    )
    assert _sees(neighbour_supervisor, case_at_station)
    assert not _sees(neighbour_supervisor, case_elsewhere)
    assert selectors.can_supervise(user=neighbour_supervisor, case=case_at_station)
    national = member(Role.SUPERVISOR, scope=Scope.NATIONAL)
    assert _sees(national, case_elsewhere)
    assert selectors.can_supervise(user=national, case=case_elsewhere)


def test_a_view_only_role_sees_but_cannot_change():
    team = f.team()
    case = f.open_case(actor=team.worker)
    justice = member(Role.JUSTICE_OFFICER, agency=team.agency)
    assert _sees(justice, case)
    with pytest.raises(PermissionRefused):
        services.note_add(actor=justice, case=case, kind="contact", body="Hello")
    with pytest.raises(PermissionRefused):
        services.case_transition(
            actor=justice, case=case, to_stage=Stage.UNDERGOING_IDENTIFICATION, expected_version=1
        )
    assert selectors.case_stage_options_for(user=justice, case=case) == []


def test_can_supervise_needs_the_supervise_permission_reaching_the_case():
    team = f.team()
    case = f.open_case(actor=team.worker)
    assert selectors.can_supervise(user=team.supervisor, case=case)
    assert not selectors.can_supervise(user=team.worker, case=case)
    assert not selectors.can_supervise(user=f.team().supervisor, case=case)
    own_scope = member(Role.SUPERVISOR, agency=team.agency, scope=Scope.OWN)
    assert not selectors.can_supervise(user=own_scope, case=case)


def test_shared_access_lets_another_agency_read_until_revoked():
    team = f.team()
    case = f.open_case(actor=team.worker)
    partner = f.team()
    access = services.case_access_grant(
        actor=team.supervisor,
        case=case,
        agency=partner.agency,
        reason="Joint protection plan",
        legal_basis="Law 53/2024, coordination between agencies",
        override=True,
    )
    assert _sees(partner.worker, case)
    assert not selectors.can_edit(user=partner.worker, case=case)
    with pytest.raises(PermissionRefused):
        services.note_add(actor=partner.worker, case=case, kind="contact", body="Hello")
    services.case_access_revoke(actor=team.worker, access=access, reason="Plan finished")
    assert not _sees(partner.worker, case)
    assert CaseAccess.objects.filter(pk=access.pk, revoked_at__isnull=False).exists()


def test_members_without_cases_view_in_a_shared_agency_see_nothing():
    team = f.team()
    case = f.open_case(actor=team.worker)
    partner = AgencyFactory()
    services.case_access_grant(
        actor=team.supervisor, case=case, agency=partner, reason="r", legal_basis="basis", override=True
    )
    assert not _sees(member(Role.STATISTICIAN, agency=partner), case)
    assert not _sees(member(Role.AGENCY_ADMIN, agency=partner), case)


def test_a_worker_who_left_the_agency_loses_the_cases_still_assigned_to_them():
    team = f.team()
    case = f.open_case(actor=team.worker)
    services.case_assign(actor=team.supervisor, case=case, worker=team.worker, expected_version=1)
    assert _sees(team.worker, case)
    member(Role.CASE_WORKER, agency=AgencyFactory(), username=team.worker.username)  # now works elsewhere too
    Membership.objects.filter(user=team.worker, agency=team.agency).update(
        is_active=False, ended_at=timezone.now()
    )
    worker = type(team.worker).objects.get(pk=team.worker.pk)
    assert not _sees(worker, case)
    assert not selectors.can_edit(user=worker, case=case)
