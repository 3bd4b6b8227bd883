import io

import pytest
from django.core.management import CommandError, call_command

from shield.accounts.models import Agency, User
from shield.accounts.roles import Role
from shield.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_bootstrap_admin_creates_an_audited_national_system_admin(monkeypatch):
    monkeypatch.setenv("FIRST_ADMIN_PASSWORD", "a-very-long-first-password")
    out = io.StringIO()
    call_command("bootstrap_admin", username="root.admin", password_env="FIRST_ADMIN_PASSWORD", stdout=out)
    user = User.objects.get(username="root.admin")
    assert user.is_staff
    assert not user.is_superuser
    assert user.has_perm("accounts.manage_system")
    assert user.memberships.get().role == Role.SYSTEM_ADMIN
    assert AuditEvent.objects.filter(object_id=str(user.pk)).exists()
    assert "Created system administrator root.admin" in out.getvalue()


def test_bootstrap_admin_with_a_weak_password_creates_nothing(monkeypatch):
    monkeypatch.setenv("FIRST_ADMIN_PASSWORD", "short")
    with pytest.raises(CommandError, match="Nothing was created"):
        call_command("bootstrap_admin", username="root.admin", password_env="FIRST_ADMIN_PASSWORD")
    assert not User.objects.filter(username="root.admin").exists()
    assert not Agency.objects.filter(code="national-office").exists()
