"""Alert pages and API: the permission matrix, what the owner learns of the new record, acknowledging,
the home queue, query counts."""

import pytest
from django.test import Client

from shield.accounts.roles import Role
from shield.accounts.tests.factories import member
from shield.accounts.tests.permission_matrix import Actors, Endpoint, assert_matrix, db_snapshot
from shield.audit.models import AuditEvent
from shield.notifications import worklists
from shield.people.tests.factories import person as new_person
from shield.returns.alerts import registrations, services
from shield.returns.models import RevictimisationAlert
from shield.returns.tests import alerts_factories as f

pytestmark = pytest.mark.django_db
snapshot = db_snapshot(RevictimisationAlert)
TRAVELLER = "Traveller ABC"


@pytest.fixture
def world():
    w = f.world()
    screening = f.screened(w.gate, w.returnee)
    alert = services.alert_detect(meeting=services.meeting_of_screening(screening))
    assert alert is not None
    far = f.world(gate_code="mong-cai")
    actors = Actors(
        permitted=w.worker,
        # A frontline officer of the same agency sees returns (returns.view), not alerts.
        no_permission=member(Role.FRONTLINE_OFFICER, agency=w.agency),
        other_agency=far.worker,
    )
    return w, alert, actors


def test_alert_list_and_detail_through_the_matrix(world):
    _w, alert, actors = world
    for url in ("/returns/alerts/", "/api/v1/returns/alerts/"):
        assert_matrix(
            Endpoint("GET", url, api=url.startswith("/api/"), scoped=True),
            actors,
            secrets=[f.RETURNEE],
            snapshot=snapshot,
        )
    for url in (f"/returns/alerts/{alert.pk}/", f"/api/v1/returns/alerts/{alert.pk}/"):
        assert_matrix(
            Endpoint("GET", url, api=url.startswith("/api/")), actors, secrets=[f.RETURNEE], snapshot=snapshot
        )
    assert AuditEvent.objects.filter(action="view", object_id=str(alert.pk)).count() == 2


def test_acknowledging_through_the_matrix(world):
    _w, alert, actors = world
    assert_matrix(
        Endpoint(
            "POST",
            f"/returns/alerts/{alert.pk}/acknowledge/",
            data={"version": alert.version},
            permitted_status={302},
        ),
        actors,
        snapshot=snapshot,
    )
    alert.refresh_from_db()
    assert alert.acknowledged_by == actors.permitted
    assert AuditEvent.objects.filter(action="transition", object_id=str(alert.pk)).exists()
    # Twice is refused on the form, nothing changes.
    client = Client()
    client.force_login(actors.permitted)
    again = client.post(f"/returns/alerts/{alert.pk}/acknowledge/", {"version": alert.version})
    assert again.status_code == 400


def test_acknowledging_through_the_api_needs_the_current_version(world):
    _w, alert, actors = world
    client = Client()
    client.force_login(actors.permitted)
    url = f"/api/v1/returns/alerts/{alert.pk}/acknowledge/"
    assert client.post(url, {}, content_type="application/json").status_code == 428
    stale = client.post(url, {}, content_type="application/json", headers={"If-Match": '"7"'})
    assert stale.status_code == 412
    assert not RevictimisationAlert.objects.get().acknowledged_at
    assert_matrix(Endpoint("POST", url, data={"version": alert.version}, api=True), actors, snapshot=snapshot)
    assert RevictimisationAlert.objects.get().acknowledged_at is not None


def test_the_owner_learns_only_the_kind_day_and_agency_of_a_record_out_of_their_scope(world):
    w, alert, _actors = world
    client = Client()
    client.force_login(w.worker)
    page = client.get(f"/returns/alerts/{alert.pk}/").content.decode()
    assert "Border Guard post" in page
    assert 'data-testid="alert-source-held"' in page
    assert 'data-testid="alert-source-link"' not in page
    assert TRAVELLER not in page
    assert alert.source_id not in page
    answer = client.get(f"/api/v1/returns/alerts/{alert.pk}/").json()
    assert answer["source_url"] is None
    assert TRAVELLER not in str(answer)
    notification = w.worker.notifications.get()
    assert TRAVELLER not in str(notification.params)


def test_a_record_the_owner_may_see_is_linked(world, django_capture_on_commit_callbacks):
    w, _alert, _actors = world
    # Registered again by the owner's own agency: the owner may open that person.
    again = new_person(full_name="Lo Thi Mai", owner_agency=w.agency, actor=w.supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        f.individual_of(w.returnee, again)
    alert = RevictimisationAlert.objects.get(source_id=str(again.pk))
    client = Client()
    client.force_login(w.worker)
    page = client.get(f"/returns/alerts/{alert.pk}/").content.decode()
    assert f'href="/people/{again.pk}/"' in page
    assert client.get(f"/api/v1/returns/alerts/{alert.pk}/").json()["source_url"] == f"/people/{again.pk}/"


def test_the_home_queue_counts_what_the_filtered_list_shows(world):
    w, alert, _actors = world
    queue = worklists.get(registrations.QUEUE_KEY)
    assert queue.count(w.worker) == 1
    assert queue.count(w.supervisor) == 1
    client = Client()
    client.force_login(w.worker)
    listed = client.get(queue.url()).content.decode()
    assert listed.count('data-testid="alert-row"') == 1
    services.alert_acknowledge(actor=w.worker, alert=alert, version=alert.version)
    assert queue.count(w.worker) == 0


def test_the_list_filters_and_rejects_bad_dates(world):
    w, _alert, _actors = world
    client = Client()
    client.force_login(w.worker)
    assert client.get("/returns/alerts/?source=tip").content.decode().count('data-testid="alert-row"') == 0
    assert (
        client.get("/returns/alerts/?source=screening&mine=on")
        .content.decode()
        .count('data-testid="alert-row"')
        == 1
    )
    bad = client.get("/returns/alerts/?met_from=31/12/2026&met_to=01/01/2026").content.decode()
    assert 'data-testid="invalid-filters"' in bad
    assert client.get("/api/v1/returns/alerts/?met_from=nope").status_code == 400


def test_the_list_page_query_count_does_not_grow_with_alerts(world, django_assert_max_num_queries):
    w, _alert, _actors = world
    client = Client()
    client.force_login(w.worker)
    client.get("/returns/alerts/")
    # 13: session, user, memberships, Django's two permission look-ups, the agency's subtree, the
    # capped count, the page, the audit event (4: savepoint, chain head, insert, release), the bell;
    # one more on PostgreSQL (the audit chain's advisory lock).
    with django_assert_max_num_queries(14) as few:
        client.get("/returns/alerts/")
    with django_assert_max_num_queries(12) as few_api:
        client.get("/api/v1/returns/alerts/")
    for _ in range(6):
        screening = f.screened(w.gate, w.returnee)
        services.alert_detect(meeting=services.meeting_of_screening(screening))
    assert RevictimisationAlert.objects.count() == 7
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get("/returns/alerts/").content.decode()
    assert body.count('data-testid="alert-row"') == 7
    with django_assert_max_num_queries(len(few_api.captured_queries)):
        assert len(client.get("/api/v1/returns/alerts/").json()["results"]) == 7
