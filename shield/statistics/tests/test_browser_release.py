"""In the browser: a statistician assembles a release and submits it, a second statistician
approves it, and the frozen release is downloaded with its hash."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from shield.accounts.tests.factories import DEFAULT_PASSWORD
from shield.statistics.models import Release, ReleaseStatus
from shield.statistics.services import releases as services
from shield.statistics.tests import release_fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

counts, ministry, statisticians = (
    release_fixtures.counts,
    release_fixtures.ministry,
    release_fixtures.statisticians,
)


def sign_in(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")


def test_assemble_submit_approve_by_a_second_person_and_download(live_server, page, counts, statisticians):
    base = live_server.url
    sign_in(page, base, "stat.one")
    page.goto(f"{base}/statistics/releases/")
    page.get_by_test_id("release-new").click()
    page.get_by_label("Period").fill("2025")
    page.get_by_label("Set of tables").select_option("glotip")
    page.get_by_label("Title (Vietnamese)").fill("Nạn nhân bị mua bán được phát hiện, 2025")
    page.get_by_label("Title (English)").fill("Detected victims of trafficking, 2025")
    page.get_by_test_id("release-create").click()
    expect(page.get_by_test_id("release-status")).to_have_text("Draft")
    expect(page.get_by_test_id("release-stat-table")).to_have_count(2)
    expect(page.get_by_test_id("audit-ok")).to_be_visible()
    expect(page.locator('td[data-status="primary"]').first).to_have_text("<5")
    release = Release.objects.get()

    page.get_by_test_id("release-submit").click()
    expect(page.get_by_test_id("release-hash")).to_have_text(release.content_hash)
    page.get_by_test_id("release-confirm").click()
    expect(page.get_by_test_id("release-status")).to_have_text("Submitted for approval")
    expect(page.get_by_test_id("release-approve")).to_have_count(0)  # not for the assembler

    sign_in(page, base, "stat.two")
    page.goto(f"{base}/statistics/releases/{release.pk}/")
    page.get_by_test_id("release-approve").click()
    page.get_by_test_id("release-confirm").click()
    expect(page.get_by_test_id("release-status")).to_have_text("Approved (frozen)")
    release.refresh_from_db()
    assert release.status == ReleaseStatus.APPROVED
    assert release.approved_by.username == "stat.two"

    with page.expect_download() as download:
        page.get_by_test_id("download-json").click()
    document = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert document["content_hash"] == release.content_hash == services.hash_of(release)
