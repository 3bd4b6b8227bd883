import io

import pytest
from django.core.management import CommandError, call_command

from shield.accounts.models import Agency, Membership, User
from shield.accounts.roles import AgencyKind, Role

pytestmark = pytest.mark.django_db

ACCOUNTS = {
    "admin": Role.SYSTEM_ADMIN,
    "bg.laocai": Role.FRONTLINE_OFFICER,
    "cw.hanoi": Role.CASE_WORKER,
    "sup.hanoi": Role.SUPERVISOR,
    "cw.angiang": Role.CASE_WORKER,
    "police.hanoi": Role.JUSTICE_OFFICER,
    "stats": Role.STATISTICIAN,
    "auditor": Role.AUDITOR,
}


def _run(settings, **options) -> str:
    settings.DEBUG = True
    out = io.StringIO()
    options.setdefault("up_to", "accounts")
    call_command("demo_data", stdout=out, **options)
    return out.getvalue()


def test_demo_data_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_data", stdout=io.StringIO())
    assert not User.objects.exists()


def test_demo_data_creates_the_promised_accounts_and_agencies(settings, client):
    output = _run(settings)
    for username, role in ACCOUNTS.items():
        user = User.objects.get(username=username)
        assert user.check_password("shield-demo-2026")
        assert Membership.objects.filter(user=user, role=role, is_active=True).exists()
        assert username in output
    assert "shield-demo-2026" in output
    assert Agency.objects.values("province").distinct().count() >= 5
    kinds = set(Agency.objects.values_list("kind", flat=True))
    assert {
        AgencyKind.BORDER_GUARD,
        AgencyKind.POLICE_PROVINCIAL,
        AgencyKind.SOCIAL_PROTECTION,
        AgencyKind.WOMENS_UNION,
        AgencyKind.NGO,
        AgencyKind.COURT,
        AgencyKind.PROCURACY,
    } <= kinds
    gates = set(
        Agency.objects.filter(kind=AgencyKind.BORDER_GUARD).values_list("border_gate__code", flat=True)
    )
    assert {"lao-cai", "mong-cai", "moc-bai", "cau-treo", "lao-bao"} <= gates
    assert User.objects.get(username="bg.laocai").primary_agency.border_gate.code == "lao-cai"
    assert User.objects.get(username="admin").is_staff
    assert not User.objects.get(username="cw.hanoi").is_staff
    response = client.post("/accounts/login/", {"username": "cw.hanoi", "password": "shield-demo-2026"})
    assert response.status_code == 302


def test_demo_data_runs_twice_without_duplicates(settings):
    _run(settings, up_to=None)
    counts = (User.objects.count(), Agency.objects.count(), Membership.objects.count())
    _run(settings, up_to=None)
    assert (User.objects.count(), Agency.objects.count(), Membership.objects.count()) == counts


def test_demo_password_can_be_chosen(settings):
    _run(settings, password="another-long-password-1")
    assert User.objects.get(username="cw.hanoi").check_password("another-long-password-1")
