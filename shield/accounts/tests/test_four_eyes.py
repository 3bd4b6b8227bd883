"""Four eyes on roles that read case data: an administrator's grant waits for a second administrator
(not the requester, not the grantee); the Django admin cannot hand out such a role alone."""

import pytest
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shield.accounts import services
from shield.accounts.models import GrantStatus, Membership, RoleGrant
from shield.accounts.roles import Role, Scope, needs_second_approval, reads_case_data
from shield.accounts.tests.factories import AgencyFactory, member
from shield.accounts.tests.permission_matrix import Actors, Endpoint, assert_matrix, db_snapshot
from shield.audit.models import AuditAction, AuditEvent
from shield.core.errors import InvalidTransition, PermissionRefused

pytestmark = pytest.mark.django_db

snapshot = db_snapshot(Membership, RoleGrant)


@pytest.fixture
def agency():
    return AgencyFactory(code="ministry", name_en="Ministry")


@pytest.fixture
def admins(agency):
    """Two system administrators, as the four-eyes rule needs."""
    return (
        member(Role.SYSTEM_ADMIN, agency=agency, scope=Scope.NATIONAL, username="sys.one"),
        member(Role.SYSTEM_ADMIN, agency=agency, scope=Scope.NATIONAL, username="sys.two"),
    )


def active_roles(user):
    return set(Membership.objects.filter(user=user, is_active=True).values_list("role", flat=True))


def test_which_roles_read_case_data_follows_their_permissions():
    readers = {role for role in Role.values if reads_case_data(role)}
    assert readers == {Role.CASE_WORKER, Role.SUPERVISOR, Role.JUSTICE_OFFICER, Role.AUDITOR}
    # System administrators approve grants: one alone must not be able to make a second one.
    assert {role for role in Role.values if needs_second_approval(role)} == readers | {Role.SYSTEM_ADMIN}


def test_an_administrator_granting_a_case_reading_role_gets_a_pending_grant_not_access(agency, admins):
    first, _second = admins
    result = services.membership_grant(
        actor=first, user=first, agency=agency, role=Role.SUPERVISOR, scope=Scope.NATIONAL
    )
    assert isinstance(result, RoleGrant)
    assert result.status == GrantStatus.PENDING
    assert Role.SUPERVISOR not in active_roles(first)
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(result.pk)).exists()


def test_a_role_that_reads_no_case_data_is_granted_at_once(agency, admins):
    first, _second = admins
    officer = member(Role.STATISTICIAN, agency=agency, username="officer")
    result = services.membership_grant(actor=first, user=officer, agency=agency, role=Role.FRONTLINE_OFFICER)
    assert isinstance(result, Membership)
    assert result.is_active
    assert RoleGrant.objects.get(membership=result).status == GrantStatus.GRANTED


def test_only_a_second_administrator_approves_and_the_approval_is_audited(agency, admins):
    first, second = admins
    worker = member(Role.FRONTLINE_OFFICER, agency=agency, username="future.worker")
    grant = services.membership_grant(actor=first, user=worker, agency=agency, role=Role.CASE_WORKER)
    with pytest.raises(PermissionRefused):
        services.membership_grant_approve(actor=first, grant=grant)
    with pytest.raises(PermissionRefused):  # the grantee is no administrator, and no decider anyway
        services.membership_grant_approve(actor=worker, grant=grant)
    assert Role.CASE_WORKER not in active_roles(worker)

    membership = services.membership_grant_approve(actor=second, grant=grant)
    assert membership.is_active
    assert Role.CASE_WORKER in active_roles(worker)
    grant.refresh_from_db()
    assert (grant.status, grant.decided_by, grant.membership) == (GrantStatus.APPROVED, second, membership)
    decision = AuditEvent.objects.get(action=AuditAction.UPDATE, object_id=str(grant.pk))
    assert decision.actor == second
    assert "status" in decision.changed_fields
    with pytest.raises(InvalidTransition):
        services.membership_grant_refuse(actor=second, grant=grant)


def test_an_administrator_cannot_approve_a_role_for_themselves(agency, admins):
    first, second = admins
    grant = services.membership_grant(actor=second, user=first, agency=agency, role=Role.AUDITOR)
    with pytest.raises(PermissionRefused):
        services.membership_grant_approve(actor=first, grant=grant)
    third = member(Role.SYSTEM_ADMIN, agency=agency, scope=Scope.NATIONAL, username="sys.three")
    services.membership_grant_approve(actor=third, grant=grant)
    assert Role.AUDITOR in active_roles(first)


def test_a_refusal_gives_no_access_and_is_audited(agency, admins):
    first, second = admins
    grant = services.membership_grant(actor=first, user=first, agency=agency, role=Role.SUPERVISOR)
    services.membership_grant_refuse(actor=second, grant=grant)
    grant.refresh_from_db()
    assert grant.status == GrantStatus.REFUSED
    assert grant.membership is None
    assert Role.SUPERVISOR not in active_roles(first)
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_id=str(grant.pk), actor=second
    ).exists()


def test_the_database_refuses_a_decision_by_the_requester(agency, admins):
    first, _second = admins
    grant = services.membership_grant(actor=first, user=first, agency=agency, role=Role.SUPERVISOR)
    with pytest.raises(IntegrityError):
        RoleGrant.objects.filter(pk=grant.pk).update(
            status=GrantStatus.APPROVED, decided_by=first, decided_at=timezone.now()
        )


def test_the_admin_site_cannot_add_a_membership(agency, admins):
    first, _second = admins
    client = Client()
    client.force_login(first)
    response = client.post(
        "/admin/accounts/membership/add/",
        {
            "user": first.pk,
            "agency": agency.pk,
            "role": Role.SUPERVISOR,
            "scope": Scope.NATIONAL,
            "is_active": "on",
        },
    )
    assert response.status_code == 403
    assert Role.SUPERVISOR not in active_roles(first)


def test_the_admin_grant_form_asks_for_approval_instead_of_granting(agency, admins):
    first, _second = admins
    client = Client()
    client.force_login(first)
    response = client.post(
        "/admin/accounts/rolegrant/add/",
        {"user": first.pk, "agency": agency.pk, "role": Role.SUPERVISOR, "scope": Scope.NATIONAL},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Role.SUPERVISOR not in active_roles(first)
    grant = RoleGrant.objects.get(user=first, role=Role.SUPERVISOR)
    assert (grant.status, grant.requested_by) == (GrantStatus.PENDING, first)


def test_the_admin_site_cannot_switch_a_membership_back_on(agency, admins):
    first, _second = admins
    ended = Membership.objects.create(
        user=first,
        agency=agency,
        role=Role.SUPERVISOR,
        scope=Scope.NATIONAL,
        is_active=False,
        ended_at=timezone.now(),
    )
    client = Client()
    client.force_login(first)
    client.post(
        f"/admin/accounts/membership/{ended.pk}/change/",
        {
            "user": first.pk,
            "agency": agency.pk,
            "role": Role.SUPERVISOR,
            "scope": Scope.NATIONAL,
            "is_active": "on",
        },
    )
    # Nor through the user page's membership rows.
    user_page = {
        "username": first.username,
        "first_name": first.first_name,
        "last_name": first.last_name,
        "email": "",
        "is_active": "on",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-agency": agency.pk,
        "memberships-0-role": Role.AUDITOR,
        "memberships-0-scope": Scope.NATIONAL,
        "memberships-0-is_active": "on",
        "memberships-0-user": first.pk,
    }
    response = client.post(f"/admin/accounts/user/{first.pk}/change/", user_page)
    assert response.status_code == 302, response.content.decode()[:3000]  # saved, rows ignored
    assert active_roles(first) == {Role.SYSTEM_ADMIN}


def test_pending_grants_page_matrix(agency, admins):
    first, second = admins
    grant = services.membership_grant(actor=first, user=first, agency=agency, role=Role.SUPERVISOR)
    actors = Actors(permitted=second, no_permission=member(Role.AGENCY_ADMIN, agency=agency, username="aa"))
    assert_matrix(
        Endpoint("GET", reverse("accounts:grant_list")), actors, secrets=["sys.one"], snapshot=snapshot
    )
    for name in ("accounts:grant_approve", "accounts:grant_refuse"):
        url = reverse(name, args=[grant.pk])
        assert_matrix(Endpoint("GET", url), actors, secrets=["sys.one"], snapshot=snapshot)


def test_approving_on_the_page_asks_for_confirmation_then_grants(agency, admins):
    first, second = admins
    grant = services.membership_grant(actor=first, user=first, agency=agency, role=Role.SUPERVISOR)
    actors = Actors(permitted=second, no_permission=member(Role.AGENCY_ADMIN, agency=agency, username="aa"))
    url = reverse("accounts:grant_approve", args=[grant.pk])
    client = Client()
    client.force_login(second)
    page = client.get(url)
    assert 'data-testid="confirm-decision"' in page.content.decode()
    assert Role.SUPERVISOR not in active_roles(first)
    assert_matrix(Endpoint("POST", url, permitted_status={302}), actors, snapshot=snapshot)
    assert Role.SUPERVISOR in active_roles(first)


def test_the_requester_is_told_another_administrator_decides(agency, admins):
    first, _second = admins
    grant = services.membership_grant(actor=first, user=first, agency=agency, role=Role.SUPERVISOR)
    client = Client()
    client.force_login(first)
    assert (
        reverse("accounts:grant_approve", args=[grant.pk])
        not in client.get(reverse("accounts:grant_list")).content.decode()
    )
    response = client.post(reverse("accounts:grant_approve", args=[grant.pk]))
    assert response.status_code == 200
    assert "second administrator" in response.content.decode()
    assert Role.SUPERVISOR not in active_roles(first)


def test_refusing_on_the_page(agency, admins):
    first, second = admins
    grant = services.membership_grant(actor=first, user=first, agency=agency, role=Role.SUPERVISOR)
    client = Client()
    client.force_login(second)
    assert client.post(reverse("accounts:grant_refuse", args=[grant.pk])).status_code == 302
    grant.refresh_from_db()
    assert grant.status == GrantStatus.REFUSED
