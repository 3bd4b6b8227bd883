import pytest

from shield.core import request_context

pytestmark = pytest.mark.django_db


def test_every_response_carries_a_request_id(client):
    first = client.get("/accounts/login/")
    second = client.get("/accounts/login/")
    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_a_safe_incoming_request_id_is_kept_and_an_unsafe_one_replaced(client):
    assert client.get("/accounts/login/", HTTP_X_REQUEST_ID="gw-123.abc")["X-Request-ID"] == "gw-123.abc"
    assert client.get("/accounts/login/", HTTP_X_REQUEST_ID="bad id\n")["X-Request-ID"] != "bad id\n"


def test_context_is_cleared_after_the_request(client):
    client.get("/accounts/login/")
    assert request_context.current() is None
