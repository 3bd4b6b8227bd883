"""Detention pages and API: the permission matrix, masking of children's names, If-Match, audit
of detail reads, and a list whose query count does not grow with its rows."""

import datetime
import json

import pytest
from django.test import Client

from shield.accounts.roles import Role
from shield.accounts.tests.factories import member
from shield.accounts.tests.permission_matrix import Actors, Endpoint, assert_matrix, db_snapshot
from shield.audit.models import AuditEvent
from shield.justice.models import DetentionEpisode, FamilyVisit
from shield.justice.tests import detention_factories as f
from shield.people.selectors import masked_name

pytestmark = pytest.mark.django_db

snapshot = db_snapshot(DetentionEpisode, FamilyVisit)
EPISODE = {
    "kind": "temporary_detention",
    "place_name": "Trại tạm giam số 2",
    "place_kind": "detention_centre",
    "started_on": "02/03/2025",
    "separated_from_adults": "yes",
}


@pytest.fixture
def world():
    home, far = f.police_agency("01"), f.police_agency("79")
    assigned = f.officer(home, username="jo.assigned")
    proceeding = f.proceeding(agency=home, actor=assigned, assigned=[assigned])
    child = f.party(proceeding=proceeding)
    episode = f.episode(party=child, recorded_by=assigned, ended_on=datetime.date(2025, 3, 20))
    actors = Actors(
        permitted=assigned,
        no_permission=member(Role.CASE_WORKER, agency=home, username="cw.home"),
        other_agency=f.officer(far, username="jo.far"),
    )
    return actors, proceeding, child, episode


def test_detention_pages_matrix(world):
    actors, _p, child, episode = world
    assert_matrix(
        Endpoint("GET", "/justice/detention/", scoped=True), actors, secrets=[f.CHILD_NAME], snapshot=snapshot
    )
    assert_matrix(
        Endpoint("GET", f"/justice/detention/party/{child.pk}/"),
        actors,
        secrets=[f.CHILD_NAME],
        snapshot=snapshot,
    )
    assert_matrix(
        Endpoint("GET", f"/justice/detention/{episode.pk}/"),
        actors,
        secrets=[f.CHILD_NAME],
        snapshot=snapshot,
    )
    assert_matrix(
        Endpoint(
            "POST",
            f"/justice/detention/{episode.pk}/",
            data={"action": "visit", "visited_on": "05/03/2025"},
            permitted_status={302},
        ),
        actors,
        secrets=[f.CHILD_NAME],
        snapshot=snapshot,
    )
    assert FamilyVisit.objects.count() == 1
    assert_matrix(
        Endpoint(
            "POST",
            f"/justice/detention/party/{child.pk}/",
            data={**EPISODE, "started_on": "01/06/2025"},
            permitted_status={302},
        ),
        actors,
        secrets=[f.CHILD_NAME],
        snapshot=snapshot,
    )
    assert DetentionEpisode.objects.count() == 2


def test_detention_api_matrix(world):
    actors, _p, child, episode = world
    base = "/api/v1/justice/detention/episodes/"
    assert_matrix(
        Endpoint("GET", base, api=True, scoped=True), actors, secrets=[f.CHILD_NAME], snapshot=snapshot
    )
    assert_matrix(
        Endpoint("GET", f"{base}{episode.pk}/", api=True), actors, secrets=[f.CHILD_NAME], snapshot=snapshot
    )
    assert_matrix(Endpoint("GET", f"{base}{episode.pk}/visits/", api=True), actors, snapshot=snapshot)
    assert_matrix(
        Endpoint(
            "PATCH",
            f"{base}{episode.pk}/",
            data={"version": 1, "place_name": "Nơi mới"},
            api=True,
        ),
        actors,
        snapshot=snapshot,
    )
    assert_matrix(
        Endpoint(
            "POST",
            f"{base}{episode.pk}/visits/",
            data={"visited_on": "2025-03-05"},
            api=True,
            permitted_status={201},
        ),
        actors,
        snapshot=snapshot,
    )
    assert_matrix(
        Endpoint(
            "POST",
            base,
            data={
                "party": str(child.pk),
                "kind": "sentence",
                "place_name": "Trường giáo dưỡng số 2",
                "place_kind": "reformatory_school",
                "started_on": "2025-06-01",
                "separated_from_adults": True,
            },
            api=True,
            permitted_status={201},
        ),
        actors,
        snapshot=snapshot,
    )
    assert DetentionEpisode.objects.count() == 2


def test_children_are_masked_for_officers_not_assigned(world):
    actors, proceeding, child, episode = world
    colleague = f.officer(proceeding.holding_agency, username="jo.colleague")
    client = Client()
    client.force_login(colleague)
    masked = masked_name(child.person)
    for url in (
        "/justice/detention/",
        f"/justice/detention/{episode.pk}/",
        f"/justice/detention/party/{child.pk}/",
    ):
        body = client.get(url).content.decode()
        assert f.CHILD_NAME not in body, url
        assert masked in body, url
    data = client.get(f"/api/v1/justice/detention/episodes/{episode.pk}/").json()
    assert data["child"] == masked
    client.force_login(actors.permitted)
    assert client.get(f"/api/v1/justice/detention/episodes/{episode.pk}/").json()["child"] == f.CHILD_NAME


def test_api_patch_needs_a_current_version(world):
    actors, _p, _child, episode = world
    client = Client()
    client.force_login(actors.permitted)
    url = f"/api/v1/justice/detention/episodes/{episode.pk}/"
    read = client.get(url)
    assert read["ETag"] == '"1"'
    body = json.dumps({"ended_on": "2025-04-01", "aftercare_received": True})
    assert client.patch(url, body, content_type="application/json").status_code == 428
    assert client.patch(url, body, content_type="application/json", HTTP_IF_MATCH='"7"').status_code == 412
    done = client.patch(url, body, content_type="application/json", HTTP_IF_MATCH='"1"')
    assert done.status_code == 200
    assert done["ETag"] == '"2"'
    episode.refresh_from_db()
    assert episode.ended_on == datetime.date(2025, 4, 1)
    assert episode.aftercare_received is True


def test_page_edit_keeps_input_on_a_stale_version(world):
    actors, _p, _child, episode = world
    client = Client()
    client.force_login(actors.permitted)
    DetentionEpisode.objects.filter(pk=episode.pk).update(version=2)
    response = client.post(
        f"/justice/detention/{episode.pk}/", {**EPISODE, "version": 1, "place_name": "Tên tôi vừa gõ"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Tên tôi vừa gõ" in body
    episode.refresh_from_db()
    assert episode.place_name != "Tên tôi vừa gõ"


def test_detail_reads_are_audited(world):
    actors, _p, child, episode = world
    client = Client()
    client.force_login(actors.permitted)
    client.get(f"/justice/detention/{episode.pk}/")
    client.get(f"/api/v1/justice/detention/episodes/{episode.pk}/")
    client.get(f"/justice/detention/party/{child.pk}/")
    assert AuditEvent.objects.filter(action="view", object_id=str(episode.pk)).count() == 2
    assert AuditEvent.objects.filter(action="view", object_id=str(child.pk)).count() == 1


def test_list_query_count_does_not_grow_with_rows(world, django_assert_max_num_queries):
    actors, proceeding, _child, _episode = world
    client = Client()
    client.force_login(actors.permitted)
    client.get("/justice/detention/")  # warm the session and caches
    for i in range(12):
        party = f.party(proceeding=proceeding, full_name=f"Trẻ Số {i}")
        f.episode(party=party, recorded_by=actors.permitted)
    with django_assert_max_num_queries(12):
        response = client.get("/justice/detention/")
    assert response.content.decode().count('data-testid="episode-row"') == 13
    with django_assert_max_num_queries(12):
        assert client.get("/api/v1/justice/detention/episodes/").status_code == 200


def test_children_held_now_queue_agrees_with_the_list(world):
    from shield.justice.detention import queues

    actors, proceeding, _child, _episode = world
    held = f.party(proceeding=proceeding, full_name="Trẻ Đang Bị Giữ")
    f.episode(party=held, recorded_by=actors.permitted)  # open
    assert queues.held_now(actors.permitted).count() == 1
    assert queues.held_now(actors.other_agency).count() == 0
    client = Client()
    client.force_login(actors.permitted)
    body = client.get("/justice/detention/?state=open").content.decode()
    assert body.count('data-testid="episode-row"') == 1
    home = client.get("/").content.decode()
    assert "/justice/detention/?state=open" in home
