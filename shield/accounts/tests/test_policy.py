import pytest

from shield.accounts import policy
from shield.accounts.models import Agency
from shield.accounts.roles import Role, Scope
from shield.accounts.tests.factories import AgencyFactory, MembershipFactory, member, province

pytestmark = pytest.mark.django_db


def _reach(user, permission="cases.view"):
    q = policy.scope_q(user, permission, agency_path="pk", province_path="province")
    return set(Agency.objects.filter(q).values_list("code", flat=True))


@pytest.fixture
def agencies():
    hanoi = AgencyFactory(code="hn", province=province("01"))
    hanoi_child = AgencyFactory(code="hn-child", parent=hanoi, province=province("01"))
    hanoi_other = AgencyFactory(code="hn-other", province=province("01"))
    elsewhere = AgencyFactory(code="elsewhere", province=province("91"))
    return hanoi, hanoi_child, hanoi_other, elsewhere


def test_agency_scope_reaches_own_agency_and_its_children(agencies):
    hanoi = agencies[0]
    user = member(Role.CASE_WORKER, agency=hanoi, scope=Scope.AGENCY)
    assert _reach(user) == {"hn", "hn-child"}


def test_province_scope_reaches_every_agency_in_the_province(agencies):
    user = member(Role.SUPERVISOR, agency=agencies[0], scope=Scope.PROVINCE)
    assert _reach(user) == {"hn", "hn-child", "hn-other"}


def test_national_scope_reaches_everything(agencies):
    user = member(Role.SUPERVISOR, agency=agencies[0], scope=Scope.NATIONAL)
    assert _reach(user) == {"hn", "hn-child", "hn-other", "elsewhere"}


def test_own_scope_reaches_only_records_owned_by_the_user(agencies):
    user = member(Role.CASE_WORKER, agency=agencies[0], scope=Scope.OWN)
    q = policy.scope_q(user, "cases.view", agency_path="agency", owner_path="user")
    from shield.accounts.models import Membership

    owned = set(Membership.objects.filter(q).values_list("user__username", flat=True))
    assert owned == {user.username}
    # Without an owner path, "own" reaches nothing rather than everything.
    assert _reach(user) == set()


def test_role_without_the_permission_reaches_nothing(agencies):
    user = member(Role.STATISTICIAN, agency=agencies[0], scope=Scope.NATIONAL)
    assert _reach(user, "cases.view") == set()
    assert not user.has_perm("cases.view")
    assert user.has_perm("statistics.view")


def test_ended_membership_grants_nothing(agencies):
    from django.utils import timezone

    user = member(Role.CASE_WORKER, agency=agencies[0])
    user.memberships.update(is_active=False, ended_at=timezone.now())
    fresh = type(user).objects.get(pk=user.pk)
    assert _reach(fresh) == set()
    assert not fresh.has_perm("cases.view")


def test_inactive_agency_grants_nothing(agencies):
    user = member(Role.CASE_WORKER, agency=agencies[0])
    Agency.objects.filter(pk=agencies[0].pk).update(is_active=False)
    fresh = type(user).objects.get(pk=user.pk)
    assert policy.permissions_of(fresh) == frozenset()


def test_permissions_combine_across_memberships(agencies):
    user = member(Role.STATISTICIAN, agency=agencies[3], scope=Scope.NATIONAL)
    MembershipFactory(user=user, agency=agencies[0], role=Role.AUDITOR, scope=Scope.AGENCY)
    fresh = type(user).objects.get(pk=user.pk)
    assert {"statistics.view", "audit.view_events"} <= policy.permissions_of(fresh)


def test_anonymous_has_no_permissions():
    from django.contrib.auth.models import AnonymousUser

    assert policy.permissions_of(AnonymousUser()) == frozenset()
    assert policy.scope_q(AnonymousUser(), "cases.view", agency_path="agency") == policy.NOTHING
