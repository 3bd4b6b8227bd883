"""The bell on every page (one query), the list, following a notification, mark all read, settings."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shield.accounts.roles import Role
from shield.accounts.tests.factories import member
from shield.notifications import services
from shield.notifications.models import Kind, Notification, NotificationSettings
from shield.notifications.selectors import PAGE_SIZE, UNREAD_CAP, unread_count_for

pytestmark = pytest.mark.django_db


def _raise(user, n=1, *, kind=Kind.TIP_ASSIGNED, url="/cases/"):
    for i in range(n):
        services.notify(kind=kind, recipients=[user], url=url, params={"reference": f"TIP-{i:04d}"})


@pytest.fixture
def worker():
    return member(Role.CASE_WORKER, username="bell.worker")


def _queries(client, url, settings, bell):
    settings.SHIELD_NOTIFICATION_BELL = bell
    client.get(url)  # warm caches (translations, sessions)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.parametrize("page", ["home", "cases:case_list", "notifications:list"])
def test_the_bell_costs_exactly_one_query_on_a_page(client, worker, settings, page):
    _raise(worker, 3)
    client.force_login(worker)
    without, body_without = _queries(client, reverse(page), settings, bell=False)
    with_bell, body = _queries(client, reverse(page), settings, bell=True)
    assert with_bell == without + 1
    assert 'data-testid="bell"' in body
    assert 'data-testid="bell"' not in body_without
    assert 'data-testid="bell-count">3<' in body


def test_the_bell_count_does_not_grow_with_notifications(client, worker, settings):
    client.force_login(worker)
    _raise(worker, 1)
    few, _ = _queries(client, reverse("home"), settings, bell=True)
    _raise(worker, 30)
    many, _ = _queries(client, reverse("home"), settings, bell=True)
    assert few == many


def test_an_anonymous_visitor_gets_no_bell_and_no_query(client, settings):
    settings.SHIELD_NOTIFICATION_BELL = True
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(reverse("accounts:login")).content.decode()
    assert 'data-testid="bell"' not in body
    assert not any("notifications_notification" in q["sql"] for q in ctx.captured_queries)


def test_the_unread_count_stops_at_its_cap_and_shows_plus(client, worker):
    Notification.objects.bulk_create(
        Notification(recipient=worker, kind=Kind.TIP_ASSIGNED, url="/", params={})
        for _ in range(UNREAD_CAP + 5)
    )
    assert unread_count_for(worker) == UNREAD_CAP + 1
    client.force_login(worker)
    assert f'data-testid="bell-count">{UNREAD_CAP}+<' in client.get(reverse("home")).content.decode()


def test_the_list_shows_the_sentence_in_the_readers_language_and_filters(client, worker):
    _raise(worker, 1)
    services.notify(
        kind=Kind.ACTION_OVERDUE, recipients=[worker], url="/", target=worker, params={"due": "2026-01-02"}
    )
    Notification.objects.filter(kind=Kind.ACTION_OVERDUE).update(read_at="2026-01-03T00:00:00Z")
    client.force_login(worker)
    body = client.get(reverse("notifications:list")).content.decode()
    assert "Tip TIP-0000 was assigned to your agency." in body
    assert "(due 02/01/2026)" in body
    unread = client.get(reverse("notifications:list"), {"show": "unread"}).content.decode()
    assert "TIP-0000" in unread
    assert "due 02/01/2026" not in unread
    by_kind = client.get(reverse("notifications:list"), {"kind": Kind.ACTION_OVERDUE}).content.decode()
    assert "TIP-0000" not in by_kind
    client.cookies["django_language"] = "vi"
    body_vi = client.get(reverse("notifications:list")).content.decode()
    assert "Tin báo TIP-0000 đã được giao cho cơ quan của bạn." in body_vi
    assert "(hạn 02/01/2026)" in body_vi


def test_the_list_is_paginated_and_its_query_count_does_not_grow(client, worker):
    client.force_login(worker)
    _raise(worker, 3)
    client.get(reverse("notifications:list"))  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("notifications:list"))
    _raise(worker, PAGE_SIZE + 5)
    with CaptureQueriesContext(connection) as many:
        body = client.get(reverse("notifications:list")).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    assert body.count('data-testid="notification"') == PAGE_SIZE
    second = client.get(reverse("notifications:list"), {"page": 2}).content.decode()
    assert second.count('data-testid="notification"') == 8


def test_an_empty_list_says_so(client, worker):
    client.force_login(worker)
    body = client.get(reverse("notifications:list")).content.decode()
    assert 'data-testid="notifications-empty"' in body


def test_following_a_notification_marks_it_read_and_goes_to_its_link(client, worker):
    _raise(worker, 1, url="/cases/?stage=registered")
    n = Notification.objects.get()
    client.force_login(worker)
    response = client.post(reverse("notifications:open", args=[n.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/cases/?stage=registered"
    n.refresh_from_db()
    assert n.read_at is not None
    assert client.get(reverse("notifications:open", args=[n.pk])).status_code == 405


def test_another_users_notification_is_404_and_stays_unread(client, worker):
    _raise(worker, 1)
    n = Notification.objects.get()
    client.force_login(member(Role.CASE_WORKER))
    assert client.post(reverse("notifications:open", args=[n.pk])).status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_mark_all_read_clears_the_bell(client, worker):
    _raise(worker, 4)
    other = member(Role.CASE_WORKER)
    _raise(other, 1)
    client.force_login(worker)
    assert client.post(reverse("notifications:read_all")).status_code == 302
    assert unread_count_for(worker) == 0
    assert unread_count_for(other) == 1


def test_the_settings_page_turns_email_on_and_off(client, worker):
    client.force_login(worker)
    assert client.get(reverse("notifications:settings")).status_code == 200
    client.post(reverse("notifications:settings"), {"email": "on"})
    assert NotificationSettings.objects.get(user=worker).email is True
    client.post(reverse("notifications:settings"), {})
    assert NotificationSettings.objects.get(user=worker).email is False


def test_pages_have_no_inline_style_or_script(client, worker):
    _raise(worker, 2)
    client.force_login(worker)
    for name in ["notifications:list", "notifications:settings"]:
        body = client.get(reverse(name)).content.decode()
        assert "style=" not in body
        assert "<script>" not in body
        assert "onclick" not in body
