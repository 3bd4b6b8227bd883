"""The referrals app as one: one list of support types (the directory's taxonomy), the refer
form's service picker (the directory search, filtered by the person), the "Refer" button of a
service page opened from a case, and the links to the receiving side's next steps."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shield.accounts.roles import Role, Scope
from shield.accounts.tests.factories import member
from shield.core.errors import ValidationFailed
from shield.referrals.directory import taxonomy
from shield.referrals.directory.services import search_text_of
from shield.referrals.models import ReferralStatus, Service, ServiceStatus
from shield.referrals.support import regimes
from shield.referrals.support import services as support_services
from shield.referrals.tests import care_factories as cf
from shield.referrals.tests import lifecycle_factories as f

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_support_regime_names_a_type_of_the_directory_taxonomy() -> None:
    codes = taxonomy.codes()
    rules = regimes.regimes_in_force(datetime.date(2025, 7, 1))
    assert rules
    assert {r.support_type for r in rules} <= codes
    travel = regimes.regime_for("travel_home", datetime.date(2025, 7, 1))
    assert travel is not None
    assert travel.label == taxonomy.label_of("travel_home")


def test_support_of_a_code_outside_the_taxonomy_is_refused() -> None:
    w = cf.world()
    ref = cf.referral(w.case, service=w.shelter, status=ReferralStatus.IN_SERVICE)
    with pytest.raises(ValidationFailed) as refused:
        support_services.support_delivery_record(
            actor=w.staff, referral=ref, support_type="travel_and_meals", delivered_on=timezone.localdate()
        )
    assert "support_type" in refused.value.field_errors


def test_the_refer_form_finds_services_through_the_directory_search_filtered_by_the_person() -> None:
    world = f.loop(name="Tư vấn tâm lý Hòa Bình")
    f.service(world.provider, name="Nhà tạm lánh trẻ em", service_type="shelter", max_age=17)
    f.service(world.provider, name="Tư vấn đã đóng", status=ServiceStatus.CLOSED)
    for service in Service.objects.all():  # the factory writes rows directly: index them for search
        Service.objects.filter(pk=service.pk).update(search_text=search_text_of(service))
    url = reverse("referrals:referral_new", args=[world.case.pk])
    client = _client(world.sender.worker)
    page = client.get(url).content.decode()
    assert 'data-testid="service-search"' in page
    assert "Tư vấn tâm lý Hòa Bình" in page
    assert "Nhà tạm lánh trẻ em" not in page  # the person is an adult
    assert "Tư vấn đã đóng" not in page
    found = client.get(url, {"q": "hoa binh tu van"}, headers={"HX-Request": "true"})
    body = found.content.decode()
    assert found.status_code == 200
    assert "<form" not in body
    assert "Tư vấn tâm lý Hòa Bình" in body
    assert "no-services" in client.get(url, {"q": "zzz"}, headers={"HX-Request": "true"}).content.decode()
    chosen = client.get(url, {"service": str(world.service.pk), "q": "zzz"}).content.decode()
    assert f'value="{world.service.pk}" id="service-{world.service.pk}" checked' in chosen


def test_a_service_page_opened_from_a_case_offers_refer_to_its_workers_only() -> None:
    world = f.loop()
    detail = reverse("referrals:service_detail", args=[world.service.pk])
    worker_page = _client(world.sender.worker).get(detail, {"case": str(world.case.pk)}).content.decode()
    refer_url = reverse("referrals:referral_new", args=[world.case.pk])
    assert f"{refer_url}?service={world.service.pk}" in worker_page
    staff_page = _client(world.provider_staff).get(detail, {"case": str(world.case.pk)}).content.decode()
    assert 'data-testid="refer-here"' not in staff_page
    search = _client(world.sender.worker).get(reverse("referrals:directory"), {"case": str(world.case.pk)})
    assert f"?case={world.case.pk}" in search.content.decode()


def test_the_receiving_side_finds_admit_and_record_support_on_the_referral_and_the_case() -> None:
    w = cf.world()
    referral = cf.referral(w.case, service=w.shelter, status=ReferralStatus.ACCEPTED)
    detail = reverse("referrals:referral_detail", args=[referral.pk])
    staff_page = _client(w.staff).get(detail).content.decode()
    admit = reverse("referrals:shelter_admit", args=[w.shelter.pk]) + f"?referral={referral.pk}"
    support = reverse("referrals:delivery_create") + f"?referral={referral.pk}"
    assert admit in staff_page
    assert support in staff_page
    worker_page = _client(w.worker).get(detail).content.decode()
    assert 'data-testid="admit-link"' not in worker_page
    assert 'data-testid="record-support-link"' not in worker_page
    shelter_supervisor = member(Role.SUPERVISOR, agency=w.shelter_agency, scope=Scope.AGENCY)
    assert admit in _client(shelter_supervisor).get(detail).content.decode()
    admit_page = _client(shelter_supervisor).get(admit).content.decode()
    assert referral.reference in admit_page


def test_the_case_panel_links_an_external_providers_support_for_the_referring_worker() -> None:
    world = f.loop()
    external = f.provider(name="Phòng khám Hòa Bình")
    clinic = f.service(external, service_type="health_care")
    referral = f.send(world, to=external, svc=clinic)
    referral.status = ReferralStatus.ACCEPTED
    referral.save(update_fields=["status"])
    page = (
        _client(world.sender.worker).get(reverse("cases:case_detail", args=[world.case.pk])).content.decode()
    )
    assert 'data-testid="panel-record-support-link"' in page


def test_the_nav_groups_the_referral_pages_under_one_entry() -> None:
    world = f.loop()
    page = _client(world.sender.worker).get(reverse("home")).content.decode()
    assert 'data-testid="nav-referrals"' in page
    assert 'data-testid="nav-referrals-ours"' in page
    assert 'data-testid="nav-directory"' in page
    assert 'data-testid="nav-vacancies"' in page
    staff_page = _client(world.provider_staff).get(reverse("home")).content.decode()
    assert 'data-testid="nav-referrals-to-us"' in staff_page
