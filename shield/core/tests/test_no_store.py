"""Answers carrying personal data tell browsers and proxies to keep no copy (`Cache-Control: no-store`);
static files keep their caching."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from shield.cases.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return f.team()


@pytest.fixture
def case(team):
    return f.open_case(actor=team.worker, agency=team.agency)


def assert_no_store(response):
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert "no-store" in directives, response["Cache-Control"]


def test_person_and_case_pages_are_not_stored(client, team, case):
    client.force_login(team.worker)
    for url in [
        reverse("home"),
        reverse("people:person_list"),
        reverse("people:person_detail", args=[case.person_id]),
        reverse("cases:case_list"),
        reverse("cases:case_detail", args=[case.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store, private", url


def test_api_answers_are_not_stored(team, case):
    api = APIClient()
    api.force_authenticate(team.worker)
    for url in ["/api/v1/cases/", f"/api/v1/cases/{case.pk}/", f"/api/v1/persons/{case.person_id}/"]:
        response = api.get(url)
        assert response.status_code == 200, url
        assert_no_store(response)


def test_the_pdf_summary_and_error_pages_are_not_stored(client, team, case):
    client.force_login(team.worker)
    assert_no_store(client.get(reverse("cases:case_pdf", args=[case.pk])))
    missing = client.get("/cases/00000000-0000-0000-0000-000000000000/")
    assert missing.status_code == 404
    assert_no_store(missing)


def test_the_sign_in_page_is_not_stored(client):
    assert_no_store(client.get(reverse("accounts:login")))


def test_static_files_keep_their_caching(client):
    response = client.get("/static/css/shield.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
