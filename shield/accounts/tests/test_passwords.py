"""Password rules wherever a password is set: services, the password-change page, the admin."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.urls import reverse
from django.utils import translation

from shield.accounts import services
from shield.accounts.models import PasswordHistory
from shield.accounts.roles import Role, Scope
from shield.accounts.tests.factories import DEFAULT_PASSWORD, AgencyFactory, member
from shield.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "shield-demo-2026"  # README's demo password; it must stay acceptable


def _refusal(password: str, user) -> list[str]:
    with pytest.raises(ValidationFailed) as caught:
        services.user_password_set(actor=user, user=user, password=password)
    return caught.value.field_errors["password"]


@pytest.mark.parametrize(
    ("password", "hint"),
    [
        ("aaaaaaaaaaaa", "repeats characters"),
        ("abcabcabcabcabc", "repeats characters"),
        ("qwertyuiopas", "common or breached"),
        ("zxcvbnm,./asdf", "keys of a keyboard"),
        ("Shield2026!!", "Shield"),
        ("password12345", "common or breached"),
        ("iloveyou2026!", "common or breached"),
        ("1234567890abcdef", "sequence"),
    ],
)
def test_guessable_passwords_are_refused_with_the_reason(password, hint):
    user = member(Role.CASE_WORKER, username="sup.hanoi")
    errors = _refusal(password, user)
    assert "This password is too easy to guess." in errors
    assert any(hint in message for message in errors), errors
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


@pytest.mark.parametrize(
    "password", ["xx-sup.hanoi-river-lamp-77", "river-SUP.HANOI-lamp-77", "Súp.Hànội-river-lamp-77"]
)
def test_a_password_containing_the_username_is_refused_whatever_the_case_or_diacritics(password):
    user = member(Role.CASE_WORKER, username="sup.hanoi")
    assert "Your password cannot contain your username." in _refusal(password, user)


def test_a_password_built_on_the_agency_name_is_refused():
    agency = AgencyFactory(
        name_vi="Trung tâm Bảo trợ Xã hội Lạng Sơn", name_en="Lang Son Social Protection Centre"
    )
    user = member(Role.CASE_WORKER, agency=agency, username="cw.ls")
    errors = _refusal("LangSonSocialProtectionCentre!", user)
    assert any("your agency" in message for message in errors), errors


def test_the_current_password_cannot_be_set_again():
    user = member(Role.CASE_WORKER, username="cw.reuse")
    assert "You have used this password recently: choose a new one." in _refusal(DEFAULT_PASSWORD, user)


def test_the_last_passwords_cannot_be_set_again_but_older_ones_can(settings):
    settings.SHIELD_PASSWORD_HISTORY = 2
    user = member(Role.CASE_WORKER, username="cw.history")
    steps = ["violet-harbour-engine-31", "granite-pepper-window-52", "copper-meadow-lantern-73"]
    for password in steps:
        services.user_password_set(actor=user, user=user, password=password)
    # current (copper) and the two before it (granite, violet) are refused ...
    for password in steps:
        assert "You have used this password recently: choose a new one." in _refusal(password, user)
    # ... the one before those (the factory's) has dropped out of the history.
    services.user_password_set(actor=user, user=user, password=DEFAULT_PASSWORD)
    assert PasswordHistory.objects.filter(user=user).count() == 3


def test_the_history_keeps_only_hashes():
    user = member(Role.CASE_WORKER, username="cw.hashes")
    services.user_password_set(actor=user, user=user, password="violet-harbour-engine-31")
    stored = list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True))
    assert len(stored) == 2
    assert all(value.startswith("md5$") for value in stored)
    assert not any("violet" in value or "horse" in value for value in stored)


def test_user_create_refuses_a_guessable_password():
    with pytest.raises(ValidationFailed) as caught:
        services.user_create(actor=None, username="new.user", password="qwertyuiopas")
    assert "This password is too easy to guess." in caught.value.field_errors["password"]


@pytest.mark.parametrize("password", [DEMO_PASSWORD, DEFAULT_PASSWORD, "copper meadow lantern violet"])
def test_demo_and_passphrase_passwords_are_accepted(password):
    agency = AgencyFactory(name_vi="Công an Thành phố Hà Nội", name_en="Ha Noi City Police")
    user = member(Role.SUPERVISOR, agency=agency, username="sup.hanoi")
    PasswordHistory.objects.filter(user=user).delete()
    user.set_unusable_password()
    validate_password(password, user)


def test_password_change_page_shows_the_rules_field_by_field_in_english_and_vietnamese(client):
    user = member(Role.CASE_WORKER, username="cw.page")
    client.force_login(user)
    url = reverse("accounts:password_change")
    data = {
        "old_password": DEFAULT_PASSWORD,
        "new_password1": "Shield2026!!",
        "new_password2": "Shield2026!!",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "new_password2" in errors
    assert "This password is too easy to guess." in errors["new_password2"]
    assert "This password is too easy to guess." in response.content.decode()
    with translation.override("vi"):
        response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="vi")
    assert "Mật khẩu này quá dễ đoán." in response.content.decode()
    reused = client.post(
        url,
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": DEFAULT_PASSWORD,
            "new_password2": DEFAULT_PASSWORD,
        },
    )
    assert "You have used this password recently" in reused.content.decode()
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_admin_password_form_applies_the_rules(client):
    admin = member(
        Role.SYSTEM_ADMIN, scope=Scope.NATIONAL, username="sys.pw", is_staff=True, is_superuser=True
    )
    target = member(Role.CASE_WORKER, username="cw.admin")
    client.force_login(admin)
    url = reverse("admin:auth_user_password_change", args=[target.pk])
    response = client.post(url, {"password1": "aaaaaaaaaaaa", "password2": "aaaaaaaaaaaa"})
    assert response.status_code == 200
    assert "This password is too easy to guess." in response.content.decode()
    target.refresh_from_db()
    assert target.check_password(DEFAULT_PASSWORD)
