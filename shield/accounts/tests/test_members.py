"""Running an agency without the Django admin: invitations, roles in reach, four eyes through the
pages, deactivation, two-factor reset, sign-in history, agencies and the members list's queries."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from shield.accounts import member_services
from shield.accounts.models import Agency, GrantStatus, Membership, RoleGrant, User
from shield.accounts.roles import Role, Scope
from shield.accounts.tests.factories import (
    DEFAULT_PASSWORD,
    AgencyFactory,
    MembershipFactory,
    member,
    province,
)
from shield.audit.models import AuditAction, AuditEvent
from shield.core.errors import PermissionRefused, ValidationFailed

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Song-Hong-mua-thu-4827"
SITE = "http://testserver/"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()


@pytest.fixture
def hanoi():
    return AgencyFactory(code="hn-sp", name_en="Hanoi Social Protection", province=province("01"))


@pytest.fixture
def angiang():
    return AgencyFactory(code="ag-sp", name_en="An Giang Social Protection", province=province("91"))


@pytest.fixture
def admin_hanoi(hanoi):
    return member(Role.AGENCY_ADMIN, agency=hanoi, username="admin.hanoi")


@pytest.fixture
def sysadmins(hanoi):
    ministry = AgencyFactory(code="ministry", name_en="Ministry", province=province("01"))
    return (
        member(Role.SYSTEM_ADMIN, agency=ministry, scope=Scope.NATIONAL, username="sys.one"),
        member(Role.SYSTEM_ADMIN, agency=ministry, scope=Scope.NATIONAL, username="sys.two"),
    )


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def invite(actor, agency, username="sp.new", role=Role.SERVICE_PROVIDER, scope=Scope.AGENCY, **extra):
    values = {
        "username": username,
        "first_name": "Lan",
        "last_name": "Nguyễn Thị",
        "email": f"{username}@example.org",
        "role": role,
        "scope": scope,
        **extra,
    }
    return member_services.user_invite(actor=actor, agency=agency, site_url=SITE, **values)


def link_in(message):
    found = re.search(r"http://testserver(/accounts/invite/[^\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


def sign_in(client, username, password=DEFAULT_PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


# --- invitations ------------------------------------------------------------------------------


def test_an_invitation_email_carries_a_link_but_no_password(hanoi, admin_hanoi):
    user, grant = invite(admin_hanoi, hanoi)
    assert not user.has_usable_password()
    assert grant.status == GrantStatus.GRANTED
    (message,) = mail.outbox
    assert message.to == ["sp.new@example.org"]
    assert "sp.new" in message.body
    assert "Hanoi Social Protection" in message.body
    assert "Tên đăng nhập" in message.body  # the Vietnamese half comes first
    assert "/accounts/invite/" in message.body
    assert "password:" not in message.body.lower().replace("choose your password", "")
    assert DEFAULT_PASSWORD not in message.body


def test_the_invitation_link_sets_the_password_once(hanoi, admin_hanoi):
    invite(admin_hanoi, hanoi)
    link = link_in(mail.outbox[0])
    client = Client()
    assert client.get(link).status_code == 200
    response = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    user = User.objects.get(username="sp.new")
    assert user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGE, actor=user).exists()
    again = Client().post(
        link, {"new_password1": "Another-one-9182-xyz", "new_password2": "Another-one-9182-xyz"}
    )
    assert again.status_code == 404
    assert b"invite-invalid" in again.content
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert sign_in(Client(), "sp.new", NEW_PASSWORD).status_code == 302


def test_the_invitation_page_applies_the_password_rules(hanoi, admin_hanoi):
    invite(admin_hanoi, hanoi)
    link = link_in(mail.outbox[0])
    response = Client().post(link, {"new_password1": "short", "new_password2": "short"})
    assert response.status_code == 200
    assert b"error-new_password2" in response.content
    assert not User.objects.get(username="sp.new").has_usable_password()


def test_an_invitation_link_expires(hanoi, admin_hanoi, settings):
    invite(admin_hanoi, hanoi)
    link = link_in(mail.outbox[0])
    settings.PASSWORD_RESET_TIMEOUT = -1
    assert Client().get(link).status_code == 404


def test_sending_again_makes_the_earlier_link_stop_working(hanoi, admin_hanoi):
    user, _grant = invite(admin_hanoi, hanoi)
    first = link_in(mail.outbox[0])
    url = reverse("accounts:member_invite_resend", args=[hanoi.pk, user.pk])
    client = signed_in(admin_hanoi)
    assert client.get(url).status_code == 200
    assert len(mail.outbox) == 1  # the confirmation page sends nothing
    assert client.post(url).status_code == 302
    second = link_in(mail.outbox[1])
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200


def test_a_garbled_invitation_link_answers_404():
    assert Client().get(reverse("accounts:invite_accept", args=["bm90LWEtdXVpZA", "x-y"])).status_code == 404


def test_the_invite_page_creates_the_user_and_shows_field_errors(hanoi, admin_hanoi):
    client = signed_in(admin_hanoi)
    url = reverse("accounts:member_invite", args=[hanoi.pk])
    bad = client.post(
        url,
        {
            "username": "has space",
            "last_name": "x" * 151,
            "first_name": "Lan",
            "email": "not-an-email",
            "role": Role.SERVICE_PROVIDER,
            "scope": Scope.AGENCY,
        },
    )
    assert bad.status_code == 200
    for field in ("username", "last_name", "email"):
        assert f"error-{field}".encode() in bad.content
    assert not User.objects.filter(username="has space").exists()
    good = client.post(
        url,
        {
            "username": "sp.page",
            "last_name": "Trần",
            "first_name": "Minh",
            "email": "sp.page@example.org",
            "role": Role.SERVICE_PROVIDER,
            "scope": Scope.AGENCY,
        },
    )
    user = User.objects.get(username="sp.page")
    assert good["Location"] == reverse("accounts:member_detail", args=[hanoi.pk, user.pk])
    assert Membership.objects.filter(
        user=user, agency=hanoi, role=Role.SERVICE_PROVIDER, is_active=True
    ).exists()
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(user.pk)).exists()
    duplicate = client.post(url, {**good.wsgi_request.POST.dict(), "username": "SP.PAGE"})
    assert b"already exists" in duplicate.content


# --- roles in reach and four eyes -------------------------------------------------------------


def test_an_agency_admin_cannot_give_system_administration_nor_a_province_scope(hanoi, admin_hanoi):
    with pytest.raises(ValidationFailed) as refused:
        invite(admin_hanoi, hanoi, role=Role.SYSTEM_ADMIN)
    assert "system administrator" in refused.value.field_errors["role"][0]
    with pytest.raises(ValidationFailed) as refused:
        invite(admin_hanoi, hanoi, role=Role.STATISTICIAN, scope=Scope.NATIONAL)
    assert "national scope" in refused.value.field_errors["scope"][0]
    assert not User.objects.filter(username="sp.new").exists()
    assert mail.outbox == []


def test_the_role_page_refuses_a_role_above_reach_with_a_reason(hanoi, admin_hanoi):
    worker = member(Role.SERVICE_PROVIDER, agency=hanoi, username="sp.one")
    url = reverse("accounts:member_role_give", args=[hanoi.pk, worker.pk])
    page = signed_in(admin_hanoi).post(url, {"role": Role.STATISTICIAN, "scope": Scope.PROVINCE})
    assert page.status_code == 200
    assert "province and national scope are given by a system administrator" in page.content.decode()
    assert not Membership.objects.filter(user=worker, role=Role.STATISTICIAN).exists()


def test_an_agency_admin_cannot_reach_another_agency(hanoi, angiang, admin_hanoi):
    with pytest.raises(PermissionRefused):
        invite(admin_hanoi, angiang)


def test_a_case_reading_role_waits_for_a_second_administrator_through_the_pages(
    hanoi, admin_hanoi, sysadmins
):
    first, _second = sysadmins
    client = signed_in(admin_hanoi)
    client.post(
        reverse("accounts:member_invite", args=[hanoi.pk]),
        {
            "username": "cw.new",
            "last_name": "Lê",
            "first_name": "Hoa",
            "email": "cw.new@example.org",
            "role": Role.CASE_WORKER,
            "scope": Scope.AGENCY,
        },
    )
    user = User.objects.get(username="cw.new")
    assert not Membership.objects.filter(user=user).exists()
    grant = RoleGrant.objects.get(user=user, status=GrantStatus.PENDING)
    listed = client.get(reverse("accounts:member_list", args=[hanoi.pk])).content.decode()
    assert "cw.new" in listed
    assert "Waiting for a second administrator" in listed
    approver = signed_in(first)
    assert approver.post(reverse("accounts:grant_approve", args=[grant.pk])).status_code == 302
    assert Membership.objects.filter(user=user, agency=hanoi, role=Role.CASE_WORKER, is_active=True).exists()


def test_ending_a_role_asks_for_a_reason_and_keeps_the_membership(hanoi, admin_hanoi):
    worker = member(Role.SERVICE_PROVIDER, agency=hanoi, username="sp.end")
    membership = Membership.objects.get(user=worker)
    url = reverse("accounts:membership_end", args=[hanoi.pk, worker.pk, membership.pk])
    client = signed_in(admin_hanoi)
    assert client.get(url).status_code == 200
    no_reason = client.post(url, {"reason": ""})
    assert b"error-reason" in no_reason.content
    membership.refresh_from_db()
    assert membership.is_active
    assert client.post(url, {"reason": "Left the agency"}).status_code == 302
    membership.refresh_from_db()
    assert not membership.is_active
    assert membership.ended_at is not None
    ended = AuditEvent.objects.get(object_id=str(membership.pk), action=AuditAction.UPDATE)
    assert ended.changed_fields == ["ended_at", "is_active"]
    assert ended.reason.startswith("reason stored on")


def test_an_agency_admin_cannot_end_a_province_wide_role(hanoi, admin_hanoi):
    worker = member(Role.STATISTICIAN, agency=hanoi, scope=Scope.PROVINCE, username="st.prov")
    membership = Membership.objects.get(user=worker)
    url = reverse("accounts:membership_end", args=[hanoi.pk, worker.pk, membership.pk])
    page = signed_in(admin_hanoi).post(url, {"reason": "Moving on"})
    assert page.status_code == 200
    membership.refresh_from_db()
    assert membership.is_active


# --- the account -------------------------------------------------------------------------------


def test_a_deactivated_user_cannot_sign_in_use_a_token_or_keep_a_session(hanoi, admin_hanoi):
    worker = member(Role.SERVICE_PROVIDER, agency=hanoi, username="sp.off")
    session_client = Client()
    assert sign_in(session_client, "sp.off").status_code == 302
    token = APIClient().post(
        "/api/v1/auth/token/", {"username": "sp.off", "password": DEFAULT_PASSWORD}, format="json"
    )
    key = token.json()["token"] if "token" in token.json() else token.json()["key"]
    url = reverse("accounts:member_deactivate", args=[hanoi.pk, worker.pk])
    client = signed_in(admin_hanoi)
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": "Left the agency"}).status_code == 302
    worker.refresh_from_db()
    assert not worker.is_active
    assert not any(s.get_decoded().get("_auth_user_id") == str(worker.pk) for s in Session.objects.all())
    assert session_client.get(reverse("home")).status_code == 302
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/me/").status_code == 401
    refused = sign_in(Client(), "sp.off")
    assert refused.status_code == 200
    event = AuditEvent.objects.get(
        action=AuditAction.UPDATE, object_id=str(worker.pk), changed_fields=["is_active"]
    )
    assert event.reason.startswith("reason stored on")
    reactivate = reverse("accounts:member_reactivate", args=[hanoi.pk, worker.pk])
    assert client.post(reactivate, {"reason": "Came back"}).status_code == 302
    assert sign_in(Client(), "sp.off").status_code == 302


def test_an_agency_admin_cannot_deactivate_someone_who_also_works_elsewhere(hanoi, angiang, admin_hanoi):
    worker = member(Role.SERVICE_PROVIDER, agency=hanoi, username="sp.both")
    MembershipFactory(user=worker, agency=angiang, role=Role.SERVICE_PROVIDER)
    with pytest.raises(PermissionRefused) as refused:
        member_services.user_deactivate(actor=admin_hanoi, user=worker, reason="x")
    assert "agency you do not manage" in refused.value.message
    worker.refresh_from_db()
    assert worker.is_active


def test_an_administrator_cannot_deactivate_themselves(hanoi, admin_hanoi):
    with pytest.raises(PermissionRefused):
        member_services.user_deactivate(actor=admin_hanoi, user=admin_hanoi, reason="x")


def test_resetting_two_factor_removes_the_devices_after_confirmation(hanoi, admin_hanoi):
    worker = member(Role.SERVICE_PROVIDER, agency=hanoi, username="sp.2fa")
    TOTPDevice.objects.create(user=worker, name="phone", confirmed=True)
    url = reverse("accounts:member_two_factor_reset", args=[hanoi.pk, worker.pk])
    client = signed_in(admin_hanoi)
    assert (
        b"Reset two-factor sign-in"
        in client.get(reverse("accounts:member_detail", args=[hanoi.pk, worker.pk])).content
    )
    assert client.get(url).status_code == 200
    assert TOTPDevice.objects.filter(user=worker).exists()
    refused = client.post(url, {})
    assert b"error-reason" in refused.content, refused.content.decode()[-3000:]
    assert client.post(url, {"reason": "Lost phone"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=worker).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.TWO_FACTOR, object_id=str(worker.pk), actor=admin_hanoi
    ).exists()


# --- sign-in history ---------------------------------------------------------------------------


def test_the_sign_in_history_shows_sign_ins_and_failures_of_that_member_only(hanoi, admin_hanoi):
    worker = member(Role.SERVICE_PROVIDER, agency=hanoi, username="sp.hist")
    member(Role.SERVICE_PROVIDER, agency=hanoi, username="sp.other")
    sign_in(Client(), "sp.hist")
    sign_in(Client(), "sp.hist", "wrong-password-123")
    sign_in(Client(), "sp.other")
    page = signed_in(admin_hanoi).get(reverse("accounts:member_sign_ins", args=[hanoi.pk, worker.pk]))
    rows = page.content.decode().split('data-testid="sign-in-list"')[1]
    assert rows.count("<tr>") == 1 + 2  # the header and two events
    assert "Sign-in" in rows
    assert "Failed sign-in" in rows


# --- agencies -----------------------------------------------------------------------------------


def _agency_post(agency, **changes):
    return {
        "kind": agency.kind,
        "code": agency.code,
        "name_vi": agency.name_vi,
        "name_en": agency.name_en,
        "province": agency.province_id,
        "parent": agency.parent_id or "",
        "border_gate": "",
        "is_active": "on",
        "version": agency.version,
        **changes,
    }


def test_a_system_administrator_creates_and_edits_an_agency_and_a_stale_edit_is_refused(sysadmins, hanoi):
    client = signed_in(sysadmins[0])
    created = client.post(
        reverse("accounts:agency_create"),
        {
            "kind": "ngo",
            "code": "new-ngo",
            "name_vi": "Tổ chức mới",
            "name_en": "New NGO",
            "province": province("01").pk,
        },
    )
    assert created.status_code == 302
    agency = Agency.objects.get(code="new-ngo")
    url = reverse("accounts:agency_edit", args=[agency.pk])
    opened = _agency_post(agency, parent=hanoi.pk)
    assert client.post(url, _agency_post(agency, name_en="Renamed NGO")).status_code == 302
    agency.refresh_from_db()
    assert (agency.name_en, agency.version) == ("Renamed NGO", 2)
    stale = client.post(url, opened)
    assert stale.status_code == 200
    assert "Someone else changed this record" in stale.content.decode()
    agency.refresh_from_db()
    assert agency.parent_id is None
    assert AuditEvent.objects.filter(object_id=str(agency.pk), changed_fields=["name_en"]).exists()


def test_an_agency_cannot_be_put_under_its_own_unit(sysadmins, hanoi):
    unit = AgencyFactory(code="hn-unit", parent=hanoi)
    with pytest.raises(ValidationFailed):
        member_services.agency_update(
            actor=sysadmins[0],
            agency=hanoi,
            values={
                **_agency_post(hanoi),
                "province_id": hanoi.province_id,
                "parent": unit,
                "border_gate_id": None,
                "is_active": True,
            },
            expected_version=hanoi.version,
        )


def test_an_agency_admin_cannot_edit_agencies(hanoi, admin_hanoi):
    response = signed_in(admin_hanoi).post(
        reverse("accounts:agency_edit", args=[hanoi.pk]), _agency_post(hanoi, name_en="X")
    )
    assert response.status_code == 403
    hanoi.refresh_from_db()
    assert hanoi.name_en == "Hanoi Social Protection"


# --- the members list --------------------------------------------------------------------------


def test_the_members_list_searches_filters_and_shows_an_empty_state(hanoi, admin_hanoi):
    member(Role.SERVICE_PROVIDER, agency=hanoi, username="sp.lan", first_name="Lan", last_name="Nguyễn")
    member(Role.STATISTICIAN, agency=hanoi, username="st.minh", first_name="Minh", last_name="Trần")
    client = signed_in(admin_hanoi)
    url = reverse("accounts:member_list", args=[hanoi.pk])
    assert "sp.lan" in client.get(url, {"q": "Lan"}).content.decode()
    assert "st.minh" not in client.get(url, {"q": "Lan"}).content.decode()
    by_role = client.get(url, {"role": Role.STATISTICIAN}).content.decode()
    assert "st.minh" in by_role
    assert "sp.lan" not in by_role
    assert b"member-list-empty" in client.get(url, {"q": "nobody-like-this"}).content
    assert client.get(url, {"q": "x" * 151}).status_code == 200


def test_the_members_list_query_count_does_not_grow_with_members(hanoi, admin_hanoi):
    client = signed_in(admin_hanoi)
    url = reverse("accounts:member_list", args=[hanoi.pk])
    for n in range(3):
        member(Role.SERVICE_PROVIDER, agency=hanoi, username=f"sp.q{n}")
    client.get(url)  # the first page of a session also refreshes the session
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(3, 15):
        worker = member(Role.SERVICE_PROVIDER, agency=hanoi, username=f"sp.q{n}")
        MembershipFactory(user=worker, agency=hanoi, role=Role.STATISTICIAN)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_home_page_links_the_capability_to_the_members_page(hanoi, admin_hanoi):
    home = signed_in(admin_hanoi).get(reverse("home")).content.decode()
    assert reverse("accounts:member_list", args=[hanoi.pk]) in home


def test_the_members_list_pages_load_in_place_inside_their_container(hanoi, admin_hanoi):
    for n in range(26):
        member(Role.SERVICE_PROVIDER, agency=hanoi, username=f"sp.page{n:02d}", last_name=f"Z {n:02d}")
    client = signed_in(admin_hanoi)
    url = reverse("accounts:member_list", args=[hanoi.pk])
    first = client.get(url).content.decode()
    container = first.split('id="member-results"')[1]
    # Page links swap this container (hx-target and hx-select on it), not the link itself.
    assert 'hx-target="#member-results"' in first.split('id="member-results"')[1].split(">")[0]
    assert "?page=2" in container
    second = client.get(url, {"page": 2}).content.decode()
    assert "sp.page25" in second
    assert "sp.page25" not in first
