"""Browser journey in Chromium: sign in, switch language, sign out."""

import pytest

from shield.accounts.roles import Role
from shield.accounts.tests.factories import DEFAULT_PASSWORD, AgencyFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_switch_language_and_sign_out(live_server, page):
    agency = AgencyFactory(name_vi="Trung tâm Bảo trợ xã hội Thử", name_en="Test Social Protection Centre")
    member(Role.CASE_WORKER, agency=agency, username="cw.browser")

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("cw.browser")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name="Your agency and role").is_visible()
    assert page.get_by_text("Test Social Protection Centre").is_visible()

    page.get_by_test_id("lang-vi").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("heading", name="Cơ quan và vai trò của bạn").is_visible()
    assert page.get_by_text("Trung tâm Bảo trợ xã hội Thử").is_visible()

    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    assert page.get_by_role("heading", name="Đăng nhập vào Shield").is_visible()

    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url


def test_auditor_filters_the_audit_log_in_place(live_server, page):
    from shield.accounts.roles import Scope

    member(Role.AUDITOR, scope=Scope.NATIONAL, username="auditor.browser")
    member(Role.CASE_WORKER, username="cw.someone")

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("auditor.browser")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Audit log").click()
    page.wait_for_url(f"{live_server.url}/audit/")
    assert page.get_by_test_id("event-table").is_visible()

    # Mark the page: a full reload would lose the mark, an htmx swap keeps it.
    page.evaluate("document.body.dataset.mark = 'kept'")
    page.get_by_label("Action").select_option("login")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/audit/?*action=login*")
    rows = page.get_by_test_id("event-table").locator("tbody tr")
    rows.first.wait_for()
    assert page.evaluate("document.body.dataset.mark") == "kept"
    assert rows.count() >= 1
    for text in rows.all_inner_texts():
        assert "Sign-in" in text
