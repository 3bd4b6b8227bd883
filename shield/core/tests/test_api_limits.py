"""Limits and odd input through the API: each a clear 4xx in the API's error shape, never a 500.

Found by the attack run of issue 12: a 1 MB note, OPTIONS on a detail route, a forged cursor, a lone
surrogate, JSON nested 5,000 levels, an If-Match of 4,301 digits, and malformed ids in paths.
"""

import json
from typing import Any

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from shield.accounts.roles import Role
from shield.accounts.tests.factories import member
from shield.cases.models import CaseNote
from shield.cases.tests import factories as cases
from shield.intake.tests import factories as intake

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return cases.team()


@pytest.fixture
def api(team) -> APIClient:
    client = APIClient()
    client.force_login(team.worker)
    return client


@pytest.fixture
def case(team):
    return cases.open_case(actor=team.worker, agency=team.agency)


def _error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert isinstance(body["detail"], str)
    assert body["detail"]
    return body


def _request_strings(schema: dict[str, Any]) -> list[str]:
    """Every string property of a request body without a length limit (enums, formats excepted)."""
    components = schema["components"]["schemas"]
    unbounded = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {})
            for media in content.values():
                ref = media["schema"].get("$ref", "")
                name = ref.rsplit("/", 1)[-1]
                for prop, spec in components.get(name, {}).get("properties", {}).items():
                    if spec.get("readOnly"):
                        continue
                    items = spec.get("items", {}) if spec.get("type") == "array" else spec
                    kinds = items.get("type")
                    is_text = kinds == "string" or (isinstance(kinds, list) and "string" in kinds)
                    if is_text and "maxLength" not in items and "enum" not in items and "format" not in items:
                        unbounded.append(f"{method.upper()} {path} {name}.{prop}")
    return sorted(set(unbounded))


def test_every_text_field_of_every_request_has_a_length_limit(tmp_path):
    target = tmp_path / "schema.json"
    call_command("spectacular", "--format", "openapi-json", "--file", str(target))
    assert _request_strings(json.loads(target.read_text(encoding="utf-8"))) == []


def test_a_one_megabyte_note_is_refused_with_a_field_error_and_nothing_written(api, case):
    response = api.post(
        f"/api/v1/cases/{case.pk}/notes/", {"kind": "contact", "body": "x" * 1_000_000}, format="json"
    )
    assert "body" in _error(response, 400)
    assert not CaseNote.objects.filter(case=case).exists()


def test_a_body_past_the_upload_limit_is_refused_with_413(api, case, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = api.post(
        f"/api/v1/cases/{case.pk}/notes/", {"kind": "contact", "body": "x" * 20_000}, format="json"
    )
    _error(response, 413)
    assert not CaseNote.objects.filter(case=case).exists()


def test_options_on_every_detail_route_answers_without_a_server_error(api, team, case):
    paths = [
        f"/api/v1/persons/{case.person_id}/",
        f"/api/v1/persons/{case.person_id}/documents/",
        f"/api/v1/cases/{case.pk}/",
        f"/api/v1/cases/{case.pk}/notes/",
        f"/api/v1/tips/{intake.tip(team.worker).pk}/",
        "/api/v1/persons/",
        "/api/v1/cases/",
        "/api/v1/tips/",
        "/api/v1/screenings/",
        "/api/v1/linkage/review-pairs/",
    ]
    for path in paths:
        response = api.options(path)
        assert response.status_code in {200, 403, 405}, (path, response.status_code)
        assert response["Content-Type"].startswith("application/json"), path


@pytest.mark.parametrize("path", ["/api/v1/cases/", "/api/v1/tips/", "/api/v1/screenings/"])
def test_a_forged_cursor_answers_404_not_a_server_error(api, team, case, path):
    intake.tip(team.worker)
    _error(api.get(path, {"cursor": "cD0xMjM="}), 404)


def test_a_forged_cursor_on_every_other_list_answers_without_a_server_error(team, case):
    supervisor = APIClient()
    supervisor.force_login(team.supervisor)
    _error(supervisor.get(f"/api/v1/cases/{case.pk}/notes/", {"cursor": "cD0xMjM="}), 404)
    # Person cursors are sealed (no name in them): one that does not open is refused.
    _error(supervisor.get("/api/v1/persons/", {"cursor": "cD0xMjM="}), 404)
    # Ordered by a number, "123" is a position like any other: an empty page.
    assert supervisor.get("/api/v1/linkage/review-pairs/", {"cursor": "cD0xMjM="}).status_code == 200


@pytest.mark.parametrize(
    ("field", "value"), [("kind", "\ud800"), ("body", "Gặp \ud800 gia đình")], ids=["choice", "text"]
)
def test_a_lone_surrogate_in_any_field_is_a_400(api, case, field, value):
    payload = {"kind": "contact", "body": "Gặp gia đình", field: value}
    body = json.dumps(payload)  # ensure_ascii: the surrogate travels as the escape \ud800
    response = api.generic("POST", f"/api/v1/cases/{case.pk}/notes/", body, content_type="application/json")
    _error(response, 400)
    assert not CaseNote.objects.filter(case=case).exists()


def test_json_nested_five_thousand_levels_is_a_400(api, case):
    body = "[" * 5000 + "]" * 5000
    _error(api.generic("POST", f"/api/v1/cases/{case.pk}/notes/", body, content_type="application/json"), 400)
    deep = '{"kind": "contact", "body": ' + "[" * 40 + "]" * 40 + "}"
    _error(api.generic("POST", f"/api/v1/cases/{case.pk}/notes/", deep, content_type="application/json"), 400)


def test_an_if_match_of_thousands_of_digits_is_a_400(api, case):
    response = api.patch(
        f"/api/v1/cases/{case.pk}/", {"risk_level": "high"}, format="json", HTTP_IF_MATCH=f'"{"9" * 4301}"'
    )
    assert "If-Match" in _error(response, 400)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/persons/not-a-uuid/",
        "/api/v1/cases/123/notes/",
        "/api/v1/tips/x/triage/",
        "/api/v1/nothing-here/",
    ],
)
def test_a_malformed_id_or_unknown_api_path_answers_json_404(api, path):
    _error(api.get(path), 404)
    _error(api.post(path, {}, format="json"), 404)


def test_the_schema_and_docs_need_sign_in():
    anonymous = APIClient()
    assert anonymous.get("/api/v1/schema/").status_code in {401, 403}
    assert anonymous.get("/api/v1/docs/").status_code in {401, 403}
    signed_in = APIClient()
    signed_in.force_login(member(Role.CASE_WORKER))
    assert signed_in.get("/api/v1/schema/").status_code == 200


@pytest.mark.parametrize(
    "path", ["/api/v1/screenings/", "/api/v1/tips/", "/api/v1/cases/", "/api/v1/persons/"]
)
def test_a_nul_character_in_a_query_is_a_400_on_every_database(api, path):
    # PostgreSQL text cannot hold NUL: a filter that reached the database was a server error there.
    body = _error(api.get(path, {"status": "open\x00"}), 400)
    assert body["status"] == ["Null characters are not allowed."]
