"""The directory search: folded words in any order, every filter, who sees what."""

import datetime

import pytest
from django.utils import timezone

from shield.accounts.roles import Role
from shield.accounts.tests.factories import member, province
from shield.core.errors import NotFound
from shield.referrals.directory.selectors import (
    ServiceFilters,
    is_shelter,
    provider_for_agency,
    service_get_for,
    service_search_for,
    service_types,
)
from shield.referrals.models import Service, ServiceStatus
from shield.referrals.tests.directory_factories import agency_in, provider, service

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker():
    return member(Role.CASE_WORKER, agency=agency_in("cw-home"), username="cw.home")


def names(qs):
    return sorted(s.name for s in qs)


def search(user, **kw):
    return names(service_search_for(user=user, filters=ServiceFilters(**kw)))


def test_search_folds_diacritics_and_takes_words_in_any_order(worker):
    p = provider(name="Trung tâm Công tác xã hội Hà Nội")
    service(p, name="Tư vấn tâm lý cho trẻ em")
    service(p, name="Trợ giúp pháp lý", service_type="legal_aid")
    assert search(worker, q="tre tam ly") == ["Tư vấn tâm lý cho trẻ em"]
    assert search(worker, q="TRẺ EM tư vấn") == ["Tư vấn tâm lý cho trẻ em"]
    # Words match from their start: "am" is inside "tâm" but starts no word.
    assert search(worker, q="am") == []
    assert search(worker, q="ha noi phap") == ["Trợ giúp pháp lý"]
    # Every word must match.
    assert search(worker, q="tre phap") == []


def test_search_matches_the_type_label_in_both_languages_and_d_stroke(worker):
    p = provider(name="Đồn Biên phòng")
    service(p, name="Dịch vụ A", service_type="legal_aid")
    assert search(worker, q="legal aid") == ["Dịch vụ A"]
    assert search(worker, q="tro giup phap ly") == ["Dịch vụ A"]
    assert search(worker, q="don bien phong") == ["Dịch vụ A"]


def test_filter_by_province_includes_areas_served(worker):
    p = provider()
    service(p, name="Ở Hà Nội")
    far = service(p, name="Ở nơi khác", province_code="79")
    service(p, name="Chỉ nơi khác", province_code="79")
    from shield.referrals.directory import services

    services.service_update(
        actor=member(Role.SYSTEM_ADMIN, agency=agency_in("nco"), scope="national", username="root"),
        service=far,
        expected_version=far.version,
        changes={},
        areas=[(province("01"), None)],
    )
    assert search(worker, province=province("01").pk) == ["Ở Hà Nội", "Ở nơi khác"]


def test_filter_by_type_age_sex_language_child_friendly(worker):
    p = provider()
    service(
        p,
        name="Trẻ gái",
        min_age=6,
        max_age=17,
        sexes=["female"],
        languages=["vi", "hmn"],
        child_friendly=True,
    )
    service(p, name="Người lớn", min_age=18, languages=["vi"])
    service(p, name="Pháp lý", service_type="legal_aid")
    assert search(worker, service_type="legal_aid") == ["Pháp lý"]
    assert search(worker, age=12) == ["Pháp lý", "Trẻ gái"]
    assert search(worker, age=30) == ["Người lớn", "Pháp lý"]
    assert search(worker, sex="male") == ["Người lớn", "Pháp lý"]
    assert search(worker, sex="female") == ["Người lớn", "Pháp lý", "Trẻ gái"]
    assert search(worker, language="hmn") == ["Trẻ gái"]
    assert search(worker, child_friendly=True) == ["Trẻ gái"]


def test_has_capacity_needs_a_recent_count(worker, settings):
    settings.SHIELD_DIRECTORY_CAPACITY_FRESH_DAYS = 7
    p = provider()
    service(p, name="Còn chỗ", capacity_available=3)
    stale = service(p, name="Cũ", capacity_available=3)
    service(p, name="Hết chỗ", capacity_available=0)
    Service.objects.filter(pk=stale.pk).update(
        capacity_updated_at=timezone.now() - datetime.timedelta(days=8)
    )
    assert search(worker, has_capacity=True) == ["Còn chỗ"]


def test_closed_services_only_when_asked(worker):
    p = provider()
    service(p, name="Mở")
    closed = service(p, name="Đóng")
    Service.objects.filter(pk=closed.pk).update(status=ServiceStatus.CLOSED)
    assert search(worker) == ["Mở"]
    assert search(worker, include_closed=True) == ["Mở", "Đóng"]


def test_a_role_without_directory_permissions_finds_nothing():
    service(provider())
    auditor = member(Role.AUDITOR, agency=agency_in("audit"), username="aud")
    assert search(auditor) == []
    with pytest.raises(NotFound):
        service_get_for(user=auditor, service_id=Service.objects.get().pk)


def test_inactive_provider_hidden_from_workers(worker):
    p = provider()
    s = service(p, name="X")
    type(p).objects.filter(pk=p.pk).update(is_active=False)
    assert search(worker) == []
    with pytest.raises(NotFound):
        service_get_for(user=worker, service_id=s.pk)


def test_taxonomy_and_provider_for_agency():
    codes = {t.code for t in service_types()}
    assert {"shelter", "family_tracing", "legal_aid", "loans", "health_insurance"} <= codes
    assert all(t.label_vi and t.label_en and t.law53 and t.htcds for t in service_types())
    assert is_shelter("shelter")
    assert not is_shelter("legal_aid")
    agency = agency_in("spc")
    assert provider_for_agency(agency) is None
    p = provider(agency)
    assert provider_for_agency(agency) == p
