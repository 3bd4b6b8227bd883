"""Browser journey on a phone (390 px): an agency administrator invites a member, who sets a password
from the emailed link and signs in. No horizontal page scroll, no console errors (CSP included)."""

import re

import pytest
from django.core import mail

from shield.accounts.roles import Role
from shield.accounts.tests.factories import DEFAULT_PASSWORD, AgencyFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Song-Hong-mua-thu-4827"


def _no_page_scroll(page):
    # After a click the next document may not exist yet: measure the page once it has loaded.
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def test_an_administrator_invites_a_member_on_a_phone(live_server, chromium):
    agency = AgencyFactory(name_en="Phone Agency")
    member(Role.AGENCY_ADMIN, agency=agency, username="admin.phone")
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill("admin.phone")
        page.get_by_label("Password").fill(DEFAULT_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/")
        page.get_by_role("link", name="Manage your agency's members and security settings").click()
        page.wait_for_url("**/members/")
        _no_page_scroll(page)
        page.get_by_test_id("invite-link").click()
        page.get_by_label("Username").fill("sp.phone")
        page.get_by_label("Family and middle names").fill("Nguyễn Thị")
        page.get_by_label("Given name").fill("Hoa")
        page.get_by_label("Email").fill("sp.phone@example.org")
        page.get_by_label("Role").select_option(Role.SERVICE_PROVIDER)
        _no_page_scroll(page)
        page.get_by_role("button", name="Send the invitation").click()
        page.wait_for_url(re.compile(r".*/members/[0-9a-f-]{36}/$"))
        assert page.get_by_text("Invitation sent to sp.phone@example.org.").is_visible()
        _no_page_scroll(page)
        page.get_by_role("link", name="Deactivate").click()
        page.wait_for_url("**/deactivate/")
        _no_page_scroll(page)
        page.get_by_role("link", name="Cancel").click()

        link = re.search(r"(/accounts/invite/\S+/)", mail.outbox[-1].body)
        assert link is not None
        # The invited person opens the link on their own phone.
        context.clear_cookies()
        page.goto(f"{live_server.url}{link.group(1)}")
        page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
        page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Set my password").click()
        page.wait_for_url("**/accounts/login/")
        page.get_by_label("Username").fill("sp.phone")
        page.get_by_label("Password").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/")
        assert page.get_by_text("Phone Agency").first.is_visible()
        assert errors == []
    finally:
        context.close()
