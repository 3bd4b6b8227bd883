import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from shield.accounts.models import Agency
from shield.accounts.roles import Role
from shield.accounts.tests.factories import AgencyFactory, member
from shield.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice) -> str:
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return f"{code:06d}"


@pytest.fixture
def agency():
    return AgencyFactory(code="spc")


def _require(agency: Agency, *roles: str) -> None:
    Agency.objects.filter(pk=agency.pk).update(two_factor_roles=list(roles))


def test_agency_admin_requires_two_factor_for_a_role(client, agency):
    admin = member(Role.AGENCY_ADMIN, agency=agency, username="aa")
    client.force_login(admin)
    url = reverse("accounts:agency_security", args=[agency.pk])
    response = client.post(url, {"roles": [Role.CASE_WORKER, Role.SUPERVISOR], "version": agency.version})
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.two_factor_roles == [Role.CASE_WORKER, Role.SUPERVISOR]
    assert agency.version == 2
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(agency.pk)).exists()


def test_stale_security_settings_are_refused_and_nothing_is_lost(client, agency):
    first = member(Role.AGENCY_ADMIN, agency=agency, username="aa1")
    second = member(Role.AGENCY_ADMIN, agency=agency, username="aa2")
    url = reverse("accounts:agency_security", args=[agency.pk])
    client.force_login(first)
    client.post(url, {"roles": [Role.CASE_WORKER], "version": 1})
    client.force_login(second)
    response = client.post(url, {"roles": [Role.AUDITOR], "version": 1})
    assert response.status_code == 200
    assert b"Someone else changed this record" in response.content
    agency.refresh_from_db()
    assert agency.two_factor_roles == [Role.CASE_WORKER]


def test_member_of_required_role_must_enrol_then_verify(client, agency):
    user = member(Role.CASE_WORKER, agency=agency, username="cw2fa")
    _require(agency, Role.CASE_WORKER)
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_setup"))

    setup = client.get(reverse("accounts:two_factor_setup"))
    assert b"<svg" in setup.content
    import base64

    typed = setup.context["secret_key"].replace(" ", "")
    assert base64.b32decode(typed + "=" * (-len(typed) % 8)) == TOTPDevice.objects.get(user=user).bin_key
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post(
        reverse("accounts:two_factor_setup"), {"token": "000000" if _code(device) != "000000" else "111111"}
    )
    assert b"That code is not right" in wrong.content
    # django-otp slows down guessing after a failure; let that delay pass.
    device.refresh_from_db()
    device.throttle_reset()
    ok = client.post(reverse("accounts:two_factor_setup"), {"token": _code(device)})
    assert ok.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR, actor=user).exists()

    # A new session must confirm a fresh code before anything else.
    client.logout()
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    # A code is accepted once only; pretend the next time step has come.
    device.refresh_from_db()
    device.last_t = -1
    device.save(update_fields=["last_t"])
    assert client.post(reverse("accounts:two_factor_verify"), {"token": _code(device)}).status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_roles_not_listed_are_not_asked_for_two_factor(client, agency):
    user = member(Role.STATISTICIAN, agency=agency, username="stat")
    _require(agency, Role.CASE_WORKER)
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200


def test_unsafe_next_parameter_is_ignored(client, agency):
    user = member(Role.CASE_WORKER, agency=agency, username="cwnext")
    _require(agency, Role.CASE_WORKER)
    client.force_login(user)
    client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=user)
    response = client.post(
        reverse("accounts:two_factor_setup") + "?next=https://evil.example/", {"token": _code(device)}
    )
    assert response["Location"] == reverse("home")


def test_administrator_resets_a_lost_authenticator_and_user_enrols_again(client, agency):
    from shield.accounts.roles import Scope

    user = member(Role.CASE_WORKER, agency=agency, username="lostphone")
    TOTPDevice.objects.create(user=user, name="old phone", confirmed=True)
    admin = member(Role.SYSTEM_ADMIN, agency=agency, scope=Scope.NATIONAL, username="sys2fa")
    client.force_login(admin)
    response = client.post(
        "/admin/accounts/user/", {"action": "reset_two_factor", "_selected_action": [str(user.pk)]}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    event = AuditEvent.objects.get(action=AuditAction.TWO_FACTOR, object_id=str(user.pk))
    assert event.actor_id == admin.pk
    assert event.reason
