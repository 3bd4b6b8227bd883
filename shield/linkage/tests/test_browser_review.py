"""A supervisor reviews a possible duplicate in the browser: reads both records and the evidence,
confirms they are the same person, merges them, sees the merged record point at the kept one,
and undoes the merge."""

import datetime

import pytest
from playwright.sync_api import expect

from shield.accounts.tests.factories import DEFAULT_PASSWORD
from shield.linkage.models import PairStatus, PersonMerge
from shield.linkage.tests.factories import home_agency, registered, review_pair, supervisor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_supervisor_confirms_merges_and_unmerges_a_pair(live_server, page):
    police, shelter = home_agency("police-hn", "01"), home_agency("shelter-hn", "01")
    supervisor(police, scope="province", username="sup.review")
    kept = registered("Nguyễn Thị Hoa", agency=police, number="001195012345")
    other = registered(
        "NGUYEN HOA", agency=shelter, born=datetime.date(1995, 1, 1), birth_date_precision="year"
    )
    pair = review_pair(kept, other, probability=0.93)
    base = live_server.url

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill("sup.review")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/linkage/")
    expect(page.get_by_test_id("pair-row")).to_have_count(1)
    page.get_by_test_id("pair-link").click()
    expect(page.get_by_test_id("side")).to_have_count(2)
    expect(page.get_by_text("Evidence, field by field")).to_be_visible()

    page.get_by_label("Same person").check()
    page.get_by_label("Reason", exact=True).fill("Same CCCD on the shelter's scan")
    page.get_by_test_id("decide").click()
    expect(page.get_by_test_id("decision")).to_contain_text("Confirmed: same person")
    expect(page.get_by_test_id("pair-message")).to_contain_text("Saved: the same person.")
    pair.refresh_from_db()
    assert pair.status == PairStatus.CONFIRMED

    page.get_by_test_id("merge-form").get_by_label("Nguyễn Thị Hoa").check()
    page.get_by_test_id("merge-form").get_by_label("Reason").fill("One person, two registrations")
    page.get_by_test_id("merge").click()
    expect(page.get_by_text("The two records were merged.")).to_be_visible()
    merge = PersonMerge.objects.get()
    assert (merge.survivor_id, merge.merged_id) == (kept.pk, other.pk)

    page.goto(f"{base}/people/{other.pk}/")
    expect(page.get_by_text("This record was merged into another record of the same person.")).to_be_visible()

    page.goto(f"{base}/linkage/pairs/{pair.pk}/")
    page.get_by_label("Reason for undoing").fill("Merged too early: waiting for the police")
    page.get_by_test_id("unmerge").click()
    expect(page.get_by_text("The merge was undone: both records are as they were.")).to_be_visible()
    merge.refresh_from_db()
    assert merge.unmerged_at is not None
