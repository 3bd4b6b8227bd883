import pytest

from shield.accounts import services
from shield.accounts.models import Membership, User
from shield.accounts.roles import AgencyKind, Role, Scope
from shield.accounts.tests.factories import AgencyFactory, member, province
from shield.audit import reasons
from shield.audit.models import AuditAction, AuditEvent
from shield.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db


def test_user_create_rejects_a_short_password_and_creates_nothing():
    with pytest.raises(ValidationFailed) as refused:
        services.user_create(actor=None, username="newbie", password="short-1")
    assert "password" in refused.value.field_errors
    assert not User.objects.filter(username="newbie").exists()
    assert not AuditEvent.objects.exists()


def test_user_create_is_audited_without_the_password():
    user = services.user_create(actor=None, username="newbie", password="a-long-enough-password-9")
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_id=str(user.pk))
    assert "password" in event.changed_fields
    assert "a-long-enough-password-9" not in event.canonical_payload()


def test_duplicate_username_is_a_field_error():
    member(username="taken")
    with pytest.raises(ValidationFailed) as refused:
        services.user_create(actor=None, username="taken", password="a-long-enough-password-9")
    assert refused.value.field_errors["username"]


def test_agency_create_is_audited_against_the_new_agency():
    agency = services.agency_create(
        actor=None,
        kind=AgencyKind.NGO,
        code="ngo-x",
        name_vi="Tổ chức X",
        name_en="Organisation X",
        province_id=province("79").pk,
    )
    event = AuditEvent.objects.get(object_id=str(agency.pk))
    assert event.agency_id == agency.pk
    with pytest.raises(ValidationFailed):
        services.agency_create(
            actor=None,
            kind=AgencyKind.NGO,
            code="ngo-x",
            name_vi="Y",
            name_en="Y",
            province_id=province("79").pk,
        )


def test_granting_system_admin_gives_admin_site_access_and_ending_it_removes_it():
    admin = member(Role.AGENCY_ADMIN, username="boss")
    agency = AgencyFactory()
    # The system bootstrap (actor None) grants at once; an administrator's grant waits (test_four_eyes).
    membership = services.membership_grant(
        actor=None, user=admin, agency=agency, role=Role.SYSTEM_ADMIN, scope=Scope.NATIONAL
    )
    assert isinstance(membership, Membership)
    admin.refresh_from_db()
    assert admin.is_staff
    services.membership_end(actor=admin, membership=membership, reason="Moved to another post")
    admin.refresh_from_db()
    assert not admin.is_staff
    membership.refresh_from_db()
    assert not membership.is_active
    assert membership.ended_at is not None
    assert Membership.objects.filter(pk=membership.pk).exists()  # ended, not deleted
    # The typed reason is kept encrypted beside the log; the event holds only a reference to it.
    ended = AuditEvent.objects.get(object_id=str(membership.pk), action=AuditAction.UPDATE)
    assert "Moved to another post" not in ended.reason
    assert reasons.expand(ended.reason) == "Moved to another post"


def test_ending_a_membership_needs_a_reason():
    user = member(username="someone")
    membership = user.memberships.get()
    with pytest.raises(ValidationFailed):
        services.membership_end(actor=user, membership=membership, reason="  ")
    membership.refresh_from_db()
    assert membership.is_active


def test_the_same_role_twice_in_one_agency_is_refused():
    user = member(Role.CASE_WORKER, username="twice")
    agency = user.primary_agency
    with pytest.raises(ValidationFailed):
        services.membership_grant(actor=None, user=user, agency=agency, role=Role.CASE_WORKER)


def test_admin_site_save_is_audited_with_changed_field_names(client):
    admin = member(Role.SYSTEM_ADMIN, scope=Scope.NATIONAL, username="sys")
    agency = admin.primary_agency
    client.force_login(admin)
    response = client.post(
        f"/admin/accounts/agency/{agency.pk}/change/",
        {
            "kind": agency.kind,
            "code": agency.code,
            "name_vi": agency.name_vi,
            "name_en": "Renamed in admin",
            "province": agency.province_id,
            "two_factor_roles": "[]",
            "is_active": "on",
            "version": 1,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.filter(object_id=str(agency.pk), action=AuditAction.UPDATE).get()
    assert event.actor_id == admin.pk
    assert "name_en" in event.changed_fields


def test_admin_site_refuses_a_stale_agency_edit(client):
    admin = member(Role.SYSTEM_ADMIN, scope=Scope.NATIONAL, username="sys2")
    agency = admin.primary_agency
    client.force_login(admin)
    form = {
        "kind": agency.kind,
        "code": agency.code,
        "name_vi": agency.name_vi,
        "province": agency.province_id,
        "two_factor_roles": "[]",
        "is_active": "on",
        "version": 1,
    }
    url = f"/admin/accounts/agency/{agency.pk}/change/"
    assert client.post(url, {**form, "name_en": "First editor"}).status_code == 302
    response = client.post(url, {**form, "name_en": "Second editor"})
    assert response.status_code == 200
    assert b"Someone else changed this record" in response.content
    agency.refresh_from_db()
    assert (agency.name_en, agency.version) == ("First editor", 2)
