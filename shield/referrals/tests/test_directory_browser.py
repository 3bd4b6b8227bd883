"""The directory on a phone (390 px): search, a shelter's page, capacity, closing with confirmation."""

import re

import pytest

from shield.accounts.roles import Role
from shield.accounts.tests.factories import DEFAULT_PASSWORD, member
from shield.referrals.models import Service, ServiceStatus
from shield.referrals.tests.directory_factories import agency_in, provider, service, shelter

pytestmark = pytest.mark.django_db(transaction=True)


def test_keeper_on_a_phone_finds_a_shelter_counts_beds_and_closes_a_service(live_server, chromium):
    home = agency_in("home")
    p = provider(home, name="Trung tâm Bình An")
    bed = shelter(p, name="Nhà tạm lánh Bình Yên")
    other = service(p, name="Tư vấn pháp lý", service_type="legal_aid")
    member(Role.AGENCY_ADMIN, agency=home, username="admin.phone")
    context = chromium.new_context(
        viewport={"width": 390, "height": 844}, locale="en-GB", is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    base = live_server.url
    try:
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("Username").fill("admin.phone")
        page.get_by_label("Password").fill(DEFAULT_PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(f"{base}/")
        page.goto(f"{base}/referrals/directory/")
        # Typing searches by itself (htmx, after a pause): no button to press.
        page.get_by_label("Words").fill("binh yen tam lanh")
        page.wait_for_url(re.compile(r".*q=binh(\+|%20)yen.*"))
        page.wait_for_function("document.querySelectorAll('[data-testid=service-row]').length === 1")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.get_by_test_id("service-link").click()
        page.wait_for_url(f"{base}/referrals/directory/services/{bed.pk}/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.get_by_test_id("set-capacity").click()
        page.get_by_label("Available now").fill("4")
        page.get_by_test_id("save-capacity").click()
        page.wait_for_url(f"{base}/referrals/directory/services/{bed.pk}/")
        assert "4 of 20 beds available" in page.get_by_test_id("capacity").inner_text()

        page.goto(f"{base}/referrals/directory/services/{other.pk}/")
        page.get_by_test_id("close-service").click()
        assert page.get_by_test_id("confirm-close").is_visible()
        assert Service.objects.get(pk=other.pk).status == ServiceStatus.ACTIVE
        page.get_by_test_id("save-status").click()
        page.wait_for_url(f"{base}/referrals/directory/services/{other.pk}/")
        assert Service.objects.get(pk=other.pk).status == ServiceStatus.CLOSED
        assert errors == []
    finally:
        context.close()
