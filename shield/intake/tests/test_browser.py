"""A full gate screening on a phone-sized screen (390 by 844), by keyboard where an officer would, that
ends in a referral: the draft autosaves, survives a reload, the risk names the answers, the case opens."""

import re

import pytest
from playwright.sync_api import expect

from shield.accounts.tests.factories import DEFAULT_PASSWORD
from shield.cases.models import Case, Stage
from shield.intake.models import ReferralNotice, Screening
from shield.intake.tests.factories import gate_post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_gate_screening_on_a_phone_ends_in_a_referral(live_server, chromium):
    gate = gate_post(username="bg.phone")
    context = chromium.new_context(
        viewport={"width": 390, "height": 844}, locale="en-GB", is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    base = live_server.url
    try:
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("Username").fill("bg.phone")
        page.get_by_label("Password").fill(DEFAULT_PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(f"{base}/")
        page.get_by_test_id("home-start-screening").click()
        page.wait_for_url(re.compile(r".*/intake/screenings/[0-9a-f-]{36}/$"))
        draft_url = page.url

        # Keyboard: type the traveller's details, tick indicators with the space bar.
        page.get_by_label("Traveller's full name").fill("Lường Thị Ánh")
        page.get_by_label("Sex", exact=True).select_option("female")
        page.get_by_label("Date of birth", exact=True).fill("14/03/2001")
        page.get_by_label("Stated purpose").select_option("work")
        page.get_by_label("Destination country").select_option("KH")
        page.get_by_label("Documents held by someone else").focus()
        page.keyboard.press("Space")
        page.get_by_label("Recruited online with an offer too good to be true").focus()
        page.keyboard.press("Space")
        expect(page.get_by_test_id("autosave-status")).to_contain_text("Draft saved", timeout=10000)
        expect(page.get_by_test_id("risk-level")).to_have_text("High: refer for identification")
        expect(page.get_by_test_id("risk-reasons")).to_contain_text("Documents held by someone else")

        # Nothing horizontal to scroll on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

        # A closed tab loses nothing: reload and find it as typed.
        page.goto(draft_url)
        expect(page.get_by_label("Traveller's full name")).to_have_value("Lường Thị Ánh")
        expect(page.get_by_label("Documents held by someone else")).to_be_checked()

        page.get_by_label("Referred for identification").check()
        page.get_by_label("Receiving agency (for a referral)").select_option(str(gate.receiver.pk))
        page.get_by_test_id("complete").focus()
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r".*/intake/screenings/[0-9a-f-]{36}/$"))
        expect(page.get_by_test_id("referral")).to_contain_text("undergoing identification")
        case = Case.objects.get()
        expect(page.get_by_test_id("referral")).to_contain_text(case.reference)
        assert case.stage == Stage.UNDERGOING_IDENTIFICATION
        assert case.owner_agency == gate.receiver
        assert case.person.full_name == "Lường Thị Ánh"
        assert Screening.objects.get().case == case
        assert ReferralNotice.objects.get().agency == gate.receiver
        assert not errors, errors
    finally:
        context.close()
