import pytest
from rest_framework.test import APIRequestFactory

from shield.accounts.models import Agency
from shield.core.api.errors import exception_handler
from shield.core.api.versioning import etag, expected_version
from shield.core.errors import StaleVersion, ValidationFailed, VersionRequired


def _request(data=None, **headers):
    from rest_framework.parsers import JSONParser
    from rest_framework.request import Request

    raw = APIRequestFactory().patch("/x/", data or {}, format="json", **headers)
    return Request(raw, parsers=[JSONParser()])


def test_if_match_names_the_version():
    assert expected_version(_request(HTTP_IF_MATCH='"3"')) == 3
    assert expected_version(_request(HTTP_IF_MATCH='W/"4"')) == 4


def test_body_version_is_used_when_there_is_no_if_match():
    assert expected_version(_request({"version": 7})) == 7


def test_neither_gives_none_and_a_wildcard_is_not_a_version():
    assert expected_version(_request({"name": "x"})) is None
    assert expected_version(_request(HTTP_IF_MATCH="*")) is None


def test_stale_if_match_is_refused_before_anything_else():
    record = Agency(version=5)
    with pytest.raises(StaleVersion):
        expected_version(_request(HTTP_IF_MATCH='"4"'), record)
    assert etag(record) == '"5"'


def test_malformed_if_match_or_version_is_a_field_error():
    with pytest.raises(ValidationFailed):
        expected_version(_request(HTTP_IF_MATCH="five"))
    with pytest.raises(ValidationFailed):
        expected_version(_request({"version": "five"}))


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (StaleVersion(), 412),
        (VersionRequired(), 428),
        (ValidationFailed(field_errors={"name": ["Bad."]}), 400),
    ],
)
def test_application_errors_become_api_answers(error, status):
    response = exception_handler(error, {})
    assert response is not None
    assert response.status_code == status
    assert response.data["detail"]
    if status == 400:
        assert response.data["name"] == ["Bad."]
