"""The OpenAPI schema documents the case API: every route, If-Match on versioned writes, the error
answers, and it generates without a single warning (as `spectacular --fail-on-warn` demands)."""

import json

import pytest
from django.core.management import call_command

from shield.cases.tests.test_api_matrix import COVERAGE

pytestmark = pytest.mark.django_db

VERSIONED = {
    ("patch", "/api/v1/cases/{case_id}/"),
    ("post", "/api/v1/cases/{case_id}/transitions/"),
    ("post", "/api/v1/cases/{case_id}/reopen/"),
    ("post", "/api/v1/cases/{case_id}/care-plan/goals/"),
    ("post", "/api/v1/cases/{case_id}/care-plan/actions/"),
    ("post", "/api/v1/cases/{case_id}/care-plan/submit/"),
    ("post", "/api/v1/cases/{case_id}/care-plan/approve/"),
    ("post", "/api/v1/cases/{case_id}/care-plan/return/"),
}


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    target = tmp_path_factory.mktemp("schema") / "schema.json"
    # Raises SchemaGenerationError on any warning, and validates against the OpenAPI 3.1 spec.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", str(target)
    )
    return json.loads(target.read_text(encoding="utf-8"))


def _operations(schema):
    return {
        (method, path): operation
        for path, item in schema["paths"].items()
        if path.startswith("/api/v1/cases/")
        for method, operation in item.items()
        if method in {"get", "post", "patch", "put", "delete"}
    }


def test_every_case_route_is_documented(schema):
    operations = _operations(schema)
    assert len(operations) == len(COVERAGE)
    for (method, path), operation in operations.items():
        responses = set(operation["responses"])
        assert {"403"} <= responses, (method, path)
        if "{case_id}" in path:
            assert "404" in responses, (method, path)
        if method != "get":
            assert "400" in responses, (method, path)


def test_versioned_writes_document_if_match_412_and_428(schema):
    operations = _operations(schema)
    for key in VERSIONED:
        operation = operations[key]
        assert {"400", "404", "409", "412", "428"} <= set(operation["responses"]), key
        assert any(p["name"] == "If-Match" and p["in"] == "header" for p in operation["parameters"]), key
    # ...and only they: a write that names no version cannot be stale.
    assert {key for key, op in operations.items() if "412" in op["responses"]} == VERSIONED


def test_reads_of_a_case_carry_its_etag_and_the_list_its_filters(schema):
    paths = schema["paths"]
    assert "ETag" in paths["/api/v1/cases/{case_id}/"]["get"]["responses"]["200"]["headers"]
    created = paths["/api/v1/cases/"]["post"]["responses"]["201"]["headers"]
    assert {"ETag", "Location"} <= set(created)
    filters = {p["name"] for p in paths["/api/v1/cases/"]["get"]["parameters"]}
    assert {"stage", "case_type", "agency", "province", "assigned_to_me", "overdue", "q", "cursor"} <= filters
    enums = schema["components"]["schemas"]
    assert "reopened" in enums["StageEnum"]["enum"]
    assert set(enums["TransferStatusEnum"]["enum"]) == {"requested", "accepted", "declined", "cancelled"}
