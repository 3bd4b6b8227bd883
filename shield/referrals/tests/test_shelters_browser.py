"""Shelter staff on a phone (390 by 844): the vacancy board, an admission from an accepted referral,
support recorded under it, then voided after a confirmation."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shield.accounts.tests.factories import DEFAULT_PASSWORD
from shield.referrals.models import ReferralStatus, ShelterStay, SupportDelivery
from shield.referrals.tests import care_factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_shelter_staff_admit_record_support_and_void_it_on_a_phone(live_server, chromium):
    w = f.world(beds={"women": 2, "girls": 1})
    referral = f.referral(w.case, service=w.shelter, status=ReferralStatus.ACCEPTED)
    w.staff.username = "shelter.phone"
    w.staff.save(update_fields=["username"])
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="en-GB", is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    errors: list[str] = []
    # The refused form answers 400 by design (the house's field-error status); anything else counts.
    page.on(
        "console",
        lambda m: errors.append(m.text) if m.type == "error" and "status of 400" not in m.text else None,
    )
    base = live_server.url
    try:
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("Username").fill("shelter.phone")
        page.get_by_label("Password").fill(DEFAULT_PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(f"{base}/")

        page.goto(f"{base}/referrals/shelters/")
        expect(page.get_by_test_id("vacancy-totals")).to_contain_text("3 free of 3 beds")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.get_by_role("link", name=w.shelter.name).first.click()
        page.wait_for_url(re.compile(r".*/referrals/shelters/[0-9a-f-]{36}/$"))
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

        page.get_by_test_id("admit").click()
        page.get_by_label("Accepted referral").select_option(str(referral.pk))
        page.get_by_label("Bed category").select_option("women")
        page.get_by_test_id("admit-submit").click()
        page.wait_for_url(re.compile(r".*/referrals/shelters/[0-9a-f-]{36}/$"))
        expect(page.get_by_test_id("stay-row")).to_contain_text("Nguyễn Thị Hoa")
        expect(page.get_by_test_id("beds-table")).to_contain_text("Women")
        stay = ShelterStay.objects.get()
        assert stay.admitted_on == timezone.localdate()
        referral.refresh_from_db()
        assert referral.status == ReferralStatus.IN_SERVICE

        page.goto(f"{base}/referrals/support/new/?referral={referral.pk}")
        expect(page.get_by_test_id("unverified").first).to_be_visible()
        page.get_by_label("Type of support").select_option("hardship_allowance")
        page.get_by_label("Amount (VND)").fill("900000")
        page.get_by_test_id("delivery-submit").click()
        expect(page.get_by_test_id("error-deviation_reason")).to_be_visible()
        page.get_by_label("Reason the amount differs from the regime").fill("Part given in kind")
        page.get_by_test_id("delivery-submit").click()
        page.wait_for_url(re.compile(r".*/referrals/support/[0-9a-f-]{36}/$"))
        expect(page.get_by_test_id("delivery-facts")).to_contain_text("Part given in kind")

        page.get_by_test_id("void").click()
        expect(page.get_by_test_id("confirm-void")).to_be_visible()
        page.get_by_label("Why is this record voided?").fill("Recorded for the wrong person")
        page.get_by_test_id("confirm-void-yes").click()
        expect(page.get_by_test_id("voided")).to_be_visible()
        assert SupportDelivery.objects.get().voided_at is not None
        assert not errors, errors
    finally:
        context.close()
