"""Keeping the directory through its services: who may, what is checked, what is audited."""

import pytest

from shield.accounts.roles import Role
from shield.accounts.tests.factories import member, province
from shield.audit.models import AuditAction, AuditEvent
from shield.core.errors import PermissionRefused, StaleVersion, ValidationFailed, VersionRequired
from shield.referrals.directory import services
from shield.referrals.directory.selectors import ServiceFilters, service_search_for
from shield.referrals.models import Provider, Service, ServiceStatus
from shield.referrals.tests.directory_factories import agency_in, provider, service, shelter, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    return agency_in("home")


@pytest.fixture
def keeper(home):
    return member(Role.AGENCY_ADMIN, agency=home, username="admin.home")


def test_a_shelter_address_is_always_hidden(home):
    s = shelter(provider(home), address_redacted=False)
    assert s.address_redacted is True


def test_agency_admin_keeps_only_their_agencys_provider(home, keeper):
    own = provider(home)
    other = provider(agency_in("far", "79"))
    s = service(own)
    services.service_update(actor=keeper, service=s, expected_version=s.version, changes={"name": "Mới"})
    assert Service.objects.get(pk=s.pk).name == "Mới"
    far = service(other)
    with pytest.raises(PermissionRefused):
        services.service_update(
            actor=keeper, service=far, expected_version=far.version, changes={"name": "X"}
        )
    with pytest.raises(PermissionRefused):
        services.provider_create(actor=keeper, name="External clinic", province=province("01"))


def test_system_admin_adds_external_providers(home):
    root = member(Role.SYSTEM_ADMIN, agency=home, scope="national", username="root")
    p = services.provider_create(actor=root, name="Phòng khám Tâm An", province=province("01"), kind="health")
    assert p.is_external
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(p.pk)).exists()


def test_a_stale_or_missing_version_is_refused_and_nothing_written(home, keeper):
    s = service(provider(home))
    with pytest.raises(StaleVersion):
        services.service_update(
            actor=keeper, service=s, expected_version=s.version + 1, changes={"name": "X"}
        )
    with pytest.raises(VersionRequired):
        services.service_update(actor=keeper, service=s, expected_version=None, changes={"name": "X"})
    assert Service.objects.get(pk=s.pk).name == s.name


def test_field_errors_name_the_field(home, keeper):
    p = provider(home)
    with pytest.raises(ValidationFailed) as refused:
        services.service_create(
            actor=keeper,
            provider=p,
            data={"name": "X", "service_type": "nope", "province": p.province, "min_age": 10, "max_age": 5},
        )
    assert {"service_type", "max_age"} <= set(refused.value.field_errors)
    with pytest.raises(ValidationFailed) as too_long:
        services.service_create(
            actor=keeper,
            provider=p,
            data={"name": "x" * 201, "service_type": "legal_aid", "province": p.province},
        )
    assert "name" in too_long.value.field_errors
    assert not Service.objects.exists()


def test_capacity_by_the_providers_own_staff_only(home):
    s = shelter(provider(home))
    own = staff(home, "sp.home")
    other = staff(agency_in("far", "79"), "sp.far")
    with pytest.raises(PermissionRefused):
        services.service_capacity_set(actor=other, service=s, expected_version=s.version, available=3)
    services.service_capacity_set(actor=own, service=s, expected_version=s.version, available=3)
    s.refresh_from_db()
    assert s.capacity_available == 3
    assert s.capacity_updated_at is not None
    with pytest.raises(ValidationFailed):
        services.service_capacity_set(actor=own, service=s, expected_version=s.version, available=999)


def test_closing_a_service_is_audited_with_its_reason(home, keeper):
    s = service(provider(home))
    services.service_status_set(
        actor=keeper,
        service=s,
        expected_version=s.version,
        status=ServiceStatus.CLOSED,
        reason="Hết kinh phí",
    )
    event = AuditEvent.objects.get(action=AuditAction.TRANSITION, object_id=str(s.pk))
    assert event.reason == "Hết kinh phí"
    assert Service.objects.get(pk=s.pk).status == ServiceStatus.CLOSED


def test_renaming_a_provider_refreshes_its_services_search(home, keeper):
    p = provider(home)
    service(p, name="Tư vấn")
    services.provider_update(
        actor=keeper, provider=p, expected_version=p.version, changes={"name": "Ánh Dương"}
    )
    found = service_search_for(user=keeper, filters=ServiceFilters(q="anh duong"))
    assert [s.name for s in found] == ["Tư vấn"]
    assert Provider.objects.get(pk=p.pk).version == 2
