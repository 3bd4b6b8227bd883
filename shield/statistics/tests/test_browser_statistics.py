"""A statistician's journey in the browser: from the home page to the dashboard, another year,
the pivot, a CSV download."""

import csv
import datetime

import pytest
from playwright.sync_api import expect

from shield.accounts.roles import AgencyKind, Role, Scope
from shield.accounts.tests.factories import DEFAULT_PASSWORD, member
from shield.statistics.tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_statistician_opens_the_dashboard_changes_the_year_pivots_and_downloads(live_server, chromium):
    hanoi = f.agency("ha_noi")
    for _ in range(7):
        f.victim(at=hanoi, decided_on=datetime.date(2025, 5, 10))
    for _ in range(6):
        f.victim(at=hanoi, decided_on=datetime.date(2024, 3, 1), sex="male")
    member(
        Role.STATISTICIAN,
        agency=f.agency(kind=AgencyKind.MINISTRY),
        scope=Scope.NATIONAL,
        username="stat.browser",
    )
    context = chromium.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-GB", accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(20000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    base = live_server.url
    try:
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("Username").fill("stat.browser")
        page.get_by_label("Password").fill(DEFAULT_PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(f"{base}/")
        page.get_by_test_id("home-statistics-dashboard").click()
        page.wait_for_url(f"{base}/statistics/")

        page.get_by_label("Year", exact=True).select_option("2025")
        page.get_by_test_id("dashboard-show").click()
        page.wait_for_url("**/statistics/?year=2025*")
        expect(page.get_by_test_id("tile-victims_detected").get_by_test_id("tile-value")).to_have_text("7")
        expect(page.get_by_test_id("tile-victims_detected")).to_contain_text("7 records, 7 people")
        assert page.locator("figure svg").count() >= 3  # drawn on the server: no script needed

        page.get_by_label("Year", exact=True).select_option("2024")
        page.get_by_test_id("dashboard-show").click()
        page.wait_for_url("**/statistics/?year=2024*")
        expect(page.get_by_test_id("tile-victims_detected").get_by_test_id("tile-value")).to_have_text("6")

        page.get_by_test_id("open-pivot").click()
        page.wait_for_url("**/statistics/pivot/*")
        page.get_by_label("Period", exact=True).fill("2025")
        page.get_by_label("Rows", exact=True).select_option("sex")
        page.get_by_label("Columns", exact=True).select_option("age_unodc")
        page.get_by_test_id("pivot-show").click()
        expect(page.get_by_test_id("pivot-table")).to_contain_text("Female")

        with page.expect_download() as caught:
            page.get_by_test_id("download-csv").click()
        download = caught.value
        assert download.suggested_filename.endswith(".csv")
        with open(download.path(), encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle))
        assert rows[0][:2] == ["Indicator", "Period"]
        assert ["Detected trafficking victims", "2025", "Total", "Total", "7"] in rows
        assert not errors, errors
    finally:
        context.close()
