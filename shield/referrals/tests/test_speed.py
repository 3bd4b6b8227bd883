"""Issue 16's figures, kept: the inbox and outbox open on the open referrals and read only what a
row shows; the vacancy board opens on the user's province, pages its shelters and counts in SQL."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shield.referrals.lifecycle import selectors as referral_selectors
from shield.referrals.models import ReferralStatus
from shield.referrals.shelters import selectors as shelter_selectors
from shield.referrals.shelters.views import BOARD_PAGE_SIZE
from shield.referrals.tests import care_factories as cf
from shield.referrals.tests import lifecycle_factories as lf

pytestmark = pytest.mark.django_db
INBOX = reverse("referrals:referral_inbox")
OUTBOX = reverse("referrals:referral_outbox")
BOARD = reverse("referrals:vacancy_board")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- "Referrals to us" and "our referrals" ------------------------------------------------------


def test_the_inbox_and_outbox_open_on_open_referrals_and_all_states_is_one_filter_away() -> None:
    world = lf.loop()
    open_one = lf.send(world)
    closed = lf.send(world, with_consent=False)
    lf.at(closed, status=ReferralStatus.DECLINED, closed_at=timezone.now())
    for user, url in ((world.provider_staff, INBOX), (world.sender.worker, OUTBOX)):
        client = _client(user)
        body = client.get(url).content.decode()
        assert open_one.reference in body
        assert closed.reference not in body
        assert 'name="state"' in body
        everything = client.get(url, {"state": "all"}).content.decode()
        assert open_one.reference in everything
        assert closed.reference in everything
        by_status = client.get(url, {"status": ReferralStatus.DECLINED}).content.decode()
        assert closed.reference in by_status
        assert open_one.reference not in by_status
        paged = client.get(url, {"page": "1"}).content.decode()
        assert closed.reference not in paged


def test_an_inbox_with_nothing_open_says_so_and_points_to_all_states() -> None:
    world = lf.loop()
    lf.at(lf.send(world), status=ReferralStatus.CANCELLED, closed_at=timezone.now())
    body = _client(world.provider_staff).get(INBOX).content.decode()
    assert 'data-testid="empty-state"' in body
    assert "All states" in body


def test_the_list_reads_only_the_columns_a_row_shows_never_the_reason() -> None:
    world = lf.loop()
    lf.send(world)
    rows = list(referral_selectors.for_list(referral_selectors.referral_inbox_for(user=world.provider_staff)))
    assert len(rows) == 1
    deferred = rows[0].get_deferred_fields()
    assert "reason" in deferred
    with CaptureQueriesContext(connection) as queries:
        _ = (rows[0].person.full_name, rows[0].from_agency.name, rows[0].provider.name, rows[0].service)
    assert len(queries) == 0
    assert '"reason"' not in str(
        referral_selectors.for_list(referral_selectors.referral_inbox_for(user=world.provider_staff)).query
    )


def test_the_inbox_access_rule_is_unchanged_by_the_list_columns() -> None:
    world = lf.loop()
    other = lf.loop()
    mine = lf.send(world)
    theirs = lf.send(other)
    body = _client(world.provider_staff).get(INBOX, {"state": "all"}).content.decode()
    assert mine.reference in body
    assert theirs.reference not in body


# --- The vacancy board --------------------------------------------------------------------------


def test_the_board_opens_on_the_users_province_and_all_provinces_is_one_choice_away() -> None:
    here = cf.world(beds={"women": 2})
    far = cf.world(beds={"men": 3}, province_code="79")
    client = _client(here.worker)
    body = client.get(BOARD).content.decode()
    assert str(here.shelter.pk) in body
    assert str(far.shelter.pk) not in body
    everywhere = client.get(BOARD, {"province": ""}).content.decode()
    assert str(here.shelter.pk) in everywhere
    assert str(far.shelter.pk) in everywhere


def test_the_board_pages_its_shelters_in_a_flat_number_of_queries(django_assert_max_num_queries) -> None:
    w = cf.world(beds={"women": 4, "girls": 2})
    cf.stay(w.shelter, case=w.case, admitted_on=timezone.localdate() - datetime.timedelta(days=2))
    client = _client(w.worker)
    client.get(BOARD)
    with django_assert_max_num_queries(12) as few:
        assert client.get(BOARD).status_code == 200
    for index in range(BOARD_PAGE_SIZE + 5):
        other = cf.shelter(cf.provider(name=f"P{index}"), name=f"Shelter {index:02}", beds={"men": 5})
        cf.stay(other, case=w.case, category="men", admitted_on=timezone.localdate())
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = client.get(BOARD)
    body = response.content.decode()
    assert body.count('data-testid="vacancy-row"') == BOARD_PAGE_SIZE + 1  # two cells on the first
    assert 'data-testid="page-link"' in body
    # The totals cover every shelter, not only the page: 6 + 30 x 5 beds.
    totals = body.split('data-testid="vacancy-totals">')[1].split("</p>")[0]
    assert f"of {6 + (BOARD_PAGE_SIZE + 5) * 5} beds" in totals, totals
    assert len(many.captured_queries) == len(few.captured_queries)
    second = client.get(BOARD, {"page": "2"}).content.decode()
    assert second.count('data-testid="vacancy-row"') == 6  # 31 shelters, one cell each


def test_the_board_counts_beds_stays_and_holds_in_sql_and_filters_there() -> None:
    w = cf.world(beds={"women": 2, "girls": 1})
    cf.stay(w.shelter, case=w.case, admitted_on=timezone.localdate())
    cf.stay(w.shelter, case=w.case, admitted_on=timezone.localdate())
    cf.stay(
        w.shelter,
        case=w.case,
        admitted_on=timezone.localdate() - datetime.timedelta(days=9),
        discharged_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    full = cf.shelter(cf.provider(name="Full"), beds={"men": 1})
    cf.stay(full, case=w.case, category="men", admitted_on=timezone.localdate())
    with CaptureQueriesContext(connection) as queries:
        board = shelter_selectors.vacancy_board_for(user=w.worker)
    assert len(queries) <= 3
    cells = {
        (r.service.pk, c.category): (c.beds, c.occupied, c.held, c.free) for r in board for c in r.categories
    }
    assert cells == {
        (w.shelter.pk, "women"): (2, 2, 0, 0),
        (w.shelter.pk, "girls"): (1, 0, 0, 1),
        (full.pk, "men"): (1, 1, 0, 0),
    }
    free_only = shelter_selectors.vacancy_board_for(
        user=w.worker, filters=shelter_selectors.VacancyFilters(with_free_beds_only=True)
    )
    assert [r.service.pk for r in free_only] == [w.shelter.pk]
    women_free = shelter_selectors.vacancy_board_for(
        user=w.worker, filters=shelter_selectors.VacancyFilters(category="women", with_free_beds_only=True)
    )
    assert women_free == []
    men = shelter_selectors.vacancy_board_for(
        user=w.worker, filters=shelter_selectors.VacancyFilters(category="men")
    )
    assert [(r.service.pk, [c.category for c in r.categories]) for r in men] == [(full.pk, ["men"])]
