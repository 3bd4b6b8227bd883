"""/api/v1/ answers with an index of the API's parts, for signed-in users only."""

import pytest
from django.test import Client
from django.utils import translation

from shield.accounts.roles import Role
from shield.accounts.tests.factories import member
from shield.accounts.tests.permission_matrix import Actors, Endpoint, assert_matrix

pytestmark = pytest.mark.django_db


def test_the_api_root_lists_each_part_with_its_url_and_the_schema_and_docs():
    client = Client()
    client.force_login(member(Role.CASE_WORKER, username="cw.index"))
    response = client.get("/api/v1/")
    assert response.status_code == 200
    body = response.json()
    names = {part["name"]: part for part in body["parts"]}
    assert {"persons", "cases", "screenings", "tips", "linkage-runs", "me"} <= set(names)
    assert names["persons"]["url"] == "http://testserver/api/v1/persons/"
    assert all(part["description"] for part in body["parts"])
    assert body["schema"] == "http://testserver/api/v1/schema/"
    assert body["docs"] == "http://testserver/api/v1/docs/"
    # Each part's URL exists (a role may still be refused one: 403, never 404).
    for part in body["parts"]:
        assert client.get(part["url"]).status_code != 404, part["url"]


def test_the_api_index_describes_its_parts_in_the_readers_language():
    client = Client()
    client.force_login(member(Role.CASE_WORKER, username="cw.index.vi"))
    with translation.override("vi"):
        body = client.get("/api/v1/", HTTP_ACCEPT_LANGUAGE="vi").json()
    english = Client()
    english.force_login(member(Role.CASE_WORKER, username="cw.index.en"))
    assert body["parts"][0]["description"] != english.get("/api/v1/").json()["parts"][0]["description"]


def test_the_api_index_is_in_the_openapi_schema():
    client = Client()
    client.force_login(member(Role.CASE_WORKER, username="cw.schema"))
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    assert "/api/v1/" in schema["paths"]


def test_api_index_matrix():
    # Everyone signed in may read the map; only anonymous callers are refused.
    actors = Actors(
        permitted=member(Role.CASE_WORKER, username="cw.matrix"),
        no_permission=member(Role.CASE_WORKER, username="cw.matrix2"),
    )
    statuses = assert_matrix(
        Endpoint("GET", "/api/v1/", api=True, also_allowed={"no_permission"}),
        actors,
        secrets=["linkage-runs"],
    )
    assert statuses["anonymous"] in {401, 403}
