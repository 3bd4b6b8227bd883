"""The API and the permission matrix: only your own notifications, anonymous refused, others 404."""

import pytest
from django.urls import reverse

from shield.accounts.roles import Role
from shield.accounts.tests.factories import AgencyFactory, member, province
from shield.accounts.tests.permission_matrix import Actors, Endpoint, assert_matrix, db_snapshot
from shield.notifications import services
from shield.notifications.models import Kind, Notification, NotificationSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def actors():
    agency = AgencyFactory.create(province=province("01"))
    owner = member(Role.CASE_WORKER, agency=agency)
    colleague = member(Role.SUPERVISOR, agency=agency)  # same agency, more rights: still not theirs
    stranger = member(Role.CASE_WORKER, agency=AgencyFactory.create(province=province("79")))
    services.notify(
        kind=Kind.TIP_ASSIGNED, recipients=[owner], url="/cases/", params={"reference": "TIP-SECRET-1"}
    )
    return Actors(permitted=owner, no_permission=colleague, other_agency=stranger)


def _one():
    return Notification.objects.get()


SNAPSHOT = db_snapshot(Notification, NotificationSettings)


def test_one_notification_endpoints_answer_only_their_recipient(actors):
    n = _one()
    for endpoint in [
        Endpoint("POST", reverse("notifications:open", args=[n.pk]), permitted_status={302}),
        Endpoint("POST", reverse("api-notification-read", args=[n.pk]), api=True),
    ]:
        Notification.objects.filter(pk=n.pk).update(read_at=None)
        assert_matrix(endpoint, actors, snapshot=SNAPSHOT)


def test_list_pages_show_each_user_only_their_own(actors):
    from django.test import Client

    for url, anonymous_status in [
        (reverse("notifications:list"), 302),
        (reverse("api-notification-list"), 401),
        (reverse("api-notification-unread"), 401),
    ]:
        assert Client().get(url).status_code == anonymous_status
        for name, user in actors.signed_in().items():
            if user is None:
                continue
            client = Client()
            client.force_login(user)
            before = SNAPSHOT()
            response = client.get(url)
            body = response.content.decode()
            assert response.status_code == 200, (url, name)
            if name == "permitted":
                assert "TIP-SECRET-1" in body or '"unread":1' in body.replace(" ", "")
            else:
                assert "TIP-SECRET-1" not in body, (url, name)
                assert '"unread":1' not in body.replace(" ", ""), (url, name)
            assert SNAPSHOT() == before


def test_own_pages_need_sign_in_only(client, actors):
    for name in ["notifications:settings", "notifications:list"]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    assert client.post(reverse("notifications:read_all")).status_code == 302
    assert _one().read_at is None
    for name in ["api-notification-list", "api-notification-unread"]:
        assert client.get(reverse(name)).status_code == 401
    assert client.post(reverse("api-notification-read-all")).status_code == 401


def test_the_api_lists_filters_marks_read_and_counts(client, actors):
    owner = actors.permitted
    services.notify(
        kind=Kind.CARE_PLAN_SUBMITTED, recipients=[owner], url="/cases/", params={"reference": "SPC-1"}
    )
    client.force_login(owner)
    listed = client.get(reverse("api-notification-list")).json()
    assert [r["kind"] for r in listed["results"]] == ["care_plan_submitted", "tip_assigned"]
    assert listed["results"][1]["text"] == "Tip TIP-SECRET-1 was assigned to your agency."
    assert "next" in listed
    assert "previous" in listed
    only = client.get(reverse("api-notification-list"), {"kind": "tip_assigned"}).json()["results"]
    assert len(only) == 1
    bad = client.get(reverse("api-notification-list"), {"kind": "nonsense"})
    assert bad.status_code == 400
    assert "kind" in bad.json()
    assert "detail" in bad.json()
    assert client.get(reverse("api-notification-unread")).json() == {"unread": 2}
    read = client.post(reverse("api-notification-read", args=[_first(owner, Kind.TIP_ASSIGNED).pk]))
    assert read.status_code == 200
    assert read.json()["read"] is True
    unread = client.get(reverse("api-notification-list"), {"unread": "true"}).json()["results"]
    assert [r["kind"] for r in unread] == ["care_plan_submitted"]
    done = client.post(reverse("api-notification-read-all"), {}, content_type="application/json")
    assert done.json() == {"marked_read": 1}
    assert client.get(reverse("api-notification-unread")).json() == {"unread": 0}
    wrong = client.post(reverse("api-notification-read-all"), {"kind": "x"}, content_type="application/json")
    assert wrong.status_code == 400


def _first(user, kind):
    return Notification.objects.get(recipient=user, kind=kind)


def test_the_api_pages_are_capped(client, actors):
    client.force_login(actors.permitted)
    response = client.get(reverse("api-notification-list"), {"page_size": 10_000})
    assert response.status_code == 200


def test_a_malformed_or_foreign_id_is_404_in_the_api(client, actors):
    client.force_login(actors.other_agency)
    assert client.post(reverse("api-notification-read", args=[_one().pk])).status_code == 404
    assert client.post("/api/v1/notifications/not-a-uuid/read/").status_code == 404


def test_the_endpoints_are_in_the_openapi_schema(client, actors):
    client.force_login(actors.permitted)
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    for path in [
        "/api/v1/notifications/",
        "/api/v1/notifications/unread/",
        "/api/v1/notifications/read-all/",
        "/api/v1/notifications/{notification_id}/read/",
    ]:
        assert path in schema["paths"]
