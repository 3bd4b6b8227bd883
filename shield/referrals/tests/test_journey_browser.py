"""Browser journey in Chromium through the referral network's closed loop.

A case worker refers the person of her case to a shelter of another agency (the person consented
to share with it); the shelter's staff find the referral in "Referrals to us" and accept it, admit
the person to a bed of the shelter (the referral is now in service), record the support delivered
under the referral, and complete the referral with the outcome "successful". The case worker sees
the outcome on her case. Nothing is blocked by the strict CSP (no console errors).
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import ConsoleMessage, Page, expect

from shield.accounts.roles import AgencyKind, Role
from shield.accounts.tests.factories import DEFAULT_PASSWORD, AgencyFactory, member, province
from shield.cases.models import Consent, ConsentGivenBy, ConsentScope
from shield.cases.tests import factories as cases
from shield.people.tests import factories as people
from shield.referrals.directory.services import search_text_of
from shield.referrals.models import (
    BedInventory,
    Provider,
    Referral,
    ReferralOutcome,
    ReferralStatus,
    Service,
    ShelterStay,
    SupportDelivery,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def sign_out(page: Page) -> None:
    page.context.clear_cookies()


def open_referrals_to_us(page: Page) -> None:
    """Through the nav's Referrals menu, as a user would."""
    page.get_by_test_id("nav-referrals").click()
    page.get_by_test_id("nav-referrals-to-us").click()
    page.wait_for_url(re.compile(r".*/referrals/to-us/$"))


def watch_console(page: Page) -> list[str]:
    errors: list[str] = []

    def record(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", record)
    return errors


def test_refer_accept_admit_deliver_and_complete_with_a_successful_outcome(live_server, page, chromium):
    base = live_server.url
    # The referring side: a social protection centre with a case worker and her case.
    team = cases.team(AgencyFactory.create(name_en="Lào Cai Social Work Centre", province=province("01")))
    worker = member(Role.CASE_WORKER, agency=team.agency, username="cw.journey")
    subject = people.person(actor=worker, owner_agency=team.agency, full_name="Lò Thị Xuân")
    case = cases.open_case(actor=worker, agency=team.agency, person_=subject, assigned_worker=worker)
    # The receiving side: an NGO's shelter, its staff, its beds.
    ngo = AgencyFactory.create(kind=AgencyKind.NGO, name_en="Hope Shelter", province=province("01"))
    member(Role.SERVICE_PROVIDER, agency=ngo, username="staff.hope")
    provider = Provider.objects.create(agency=ngo, name="Mái ấm Hy Vọng", province=ngo.province)
    shelter = Service.objects.create(
        provider=provider, name="Nhà tạm lánh Hy Vọng", service_type="shelter", province=ngo.province
    )
    Service.objects.filter(pk=shelter.pk).update(search_text=search_text_of(shelter, provider))
    BedInventory.objects.create(
        service=shelter,
        effective_from=timezone.localdate() - datetime.timedelta(days=30),
        women=6,
        girls=4,
        recorded_by=worker,
    )
    # She consented to share with the NGO (the consent gate the referral passes).
    Consent.objects.create(
        case=case,
        person=subject,
        scope=ConsentScope.SHARE_WITH_AGENCY,
        shared_with_agency=ngo,
        given_by=ConsentGivenBy.PERSON,
        given_on=timezone.localdate(),
        recorded_by=worker,
    )
    errors = watch_console(page)

    # 1. The case worker refers her from the case page.
    sign_in(page, base, "cw.journey")
    page.goto(f"{base}/cases/{case.pk}/")
    page.get_by_test_id("refer-link").click()
    page.wait_for_url(re.compile(r".*/referrals/new/[0-9a-f-]{36}/.*"))
    # The service picker is the directory search (htmx), filtered by her age and sex.
    page.get_by_test_id("service-q").fill("hy vong tam lanh")
    results = page.get_by_test_id("service-results")
    expect(results.get_by_test_id("service-option")).to_have_count(1)
    results.get_by_label(re.compile("Nhà tạm lánh Hy Vọng")).check()
    page.get_by_label("Urgency").select_option("urgent")
    page.get_by_label("Why refer the person").fill("Cần chỗ ở an toàn sau khi được giải cứu.")
    page.get_by_test_id("send-referral").click()
    page.wait_for_url(re.compile(r".*/referrals/r/[0-9a-f-]{36}/$"))
    expect(page.get_by_test_id("referral-status")).to_have_text("Sent")
    referral = Referral.objects.get()
    assert referral.to_agency_id == ngo.pk
    assert referral.service_id == shelter.pk
    sign_out(page)

    # 2. The shelter's staff find it in "Referrals to us" and accept it.
    sign_in(page, base, "staff.hope")
    open_referrals_to_us(page)
    row = page.get_by_test_id("referral-row").filter(has_text=referral.reference)
    expect(row.get_by_test_id("referral-status")).to_have_text("Sent")
    row.get_by_test_id("referral-link").click()
    page.wait_for_url(f"{base}/referrals/r/{referral.pk}/")
    expect(page.get_by_test_id("person-name")).to_contain_text("Xuân")
    page.get_by_test_id("form-accept").get_by_label("Note").fill("Có giường, đón trong ngày.")
    page.get_by_test_id("do-accept").click()
    expect(page.get_by_test_id("referral-status")).to_have_text("Accepted")

    # 3. They admit her to a bed of the shelter; the referral is in service.
    page.get_by_test_id("admit-link").click()
    page.wait_for_url(f"{base}/referrals/shelters/{shelter.pk}/admit/?referral={referral.pk}")
    expect(page.get_by_label("Accepted referral")).to_have_value(str(referral.pk))
    page.get_by_label("Bed category").select_option("women")
    page.get_by_label("Planned exit").fill(
        (timezone.localdate() + datetime.timedelta(days=90)).strftime("%d/%m/%Y")
    )
    page.get_by_test_id("admit-submit").click()
    page.wait_for_url(f"{base}/referrals/shelters/{shelter.pk}/")
    expect(page.get_by_test_id("stay-row")).to_have_count(1)
    stay = ShelterStay.objects.get()
    assert stay.referral_id == referral.pk
    assert stay.discharged_on is None
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.IN_SERVICE

    # 4. They record the support delivered under the referral.
    open_referrals_to_us(page)
    page.get_by_test_id("referral-row").filter(has_text=referral.reference).get_by_test_id(
        "referral-link"
    ).click()
    page.wait_for_url(f"{base}/referrals/r/{referral.pk}/")
    page.get_by_test_id("record-support-link").click()
    page.wait_for_url(f"{base}/referrals/support/new/?referral={referral.pk}")
    page.get_by_label("Type of support").select_option("shelter")
    page.get_by_label("Quantity").fill("7")
    page.get_by_label("Unit").fill("đêm")
    page.get_by_test_id("delivery-submit").click()
    page.wait_for_url(re.compile(r".*/referrals/support/[0-9a-f-]{36}/$"))
    delivery = SupportDelivery.objects.get()
    assert delivery.referral_id == referral.pk
    assert delivery.case_id == case.pk

    # 5. They complete the referral with the outcome "successful": the loop is closed.
    page.get_by_test_id("delivery-referral-link").click()
    page.wait_for_url(f"{base}/referrals/r/{referral.pk}/")
    complete = page.get_by_test_id("form-complete")
    complete.get_by_label("Outcome").select_option(ReferralOutcome.SUCCESSFUL)
    page.get_by_test_id("do-complete").click()
    expect(page.get_by_test_id("referral-status")).to_have_text("Completed")
    expect(page.get_by_test_id("referral-outcome")).to_have_text("Successful")
    timeline = page.get_by_test_id("timeline-step")
    expect(timeline).to_have_count(4)  # sent, accepted, in service, completed
    sign_out(page)

    # The case worker sees the outcome on her case.
    sign_in(page, base, "cw.journey")
    page.goto(f"{base}/cases/{case.pk}/")
    expect(page.get_by_test_id("case-referrals")).to_contain_text(referral.reference)
    expect(page.get_by_test_id("case-referrals")).to_contain_text("Successful")

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED
    assert referral.outcome == ReferralOutcome.SUCCESSFUL
    assert referral.closed_at is not None
    assert errors == []
