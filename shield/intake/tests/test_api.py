"""The intake API: drafts with ETag/If-Match, completion with a referral, tips and triage, the schema."""

import pytest
from rest_framework.test import APIClient

from shield.accounts.roles import Role
from shield.accounts.tests.factories import member
from shield.audit.models import AuditEvent
from shield.cases.models import Stage
from shield.intake.models import Screening, Tip
from shield.intake.tests.factories import gate_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def gate():
    return gate_post()


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_screening_from_draft_to_referral(gate):
    client = api(gate.officer)
    created = client.post("/api/v1/screenings/")
    assert created.status_code == 201
    url = created["Location"]
    assert created["ETag"] == '"1"'
    no_version = client.patch(url, {"traveller_name": "Hồ Thị Nga"}, format="json")
    assert no_version.status_code == 428
    saved = client.patch(
        url,
        {"traveller_name": "Hồ Thị Nga", "traveller_sex": "female", "answers": {"movement_controlled": True}},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert saved.status_code == 200, saved.json()
    assert saved["ETag"] == '"2"'
    stale = client.patch(url, {"recruiter": "X"}, format="json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    done = client.post(
        url + "complete/",
        {"outcome": "referred", "receiving_agency": str(gate.receiver.pk)},
        format="json",
        HTTP_IF_MATCH='"2"',
    )
    assert done.status_code == 200, done.json()
    body = done.json()
    assert body["risk_level"] == "high"
    assert body["risk_reasons"][0]["code"] == "movement_controlled"
    screening = Screening.objects.get()
    assert screening.case.stage == Stage.UNDERGOING_IDENTIFICATION
    assert body["case_reference"] == screening.case.reference
    client.get(url)
    assert AuditEvent.objects.filter(action="view", object_id=str(screening.pk)).exists()


def test_an_outcome_that_asks_too_little_is_a_field_error(gate):
    client = api(gate.officer)
    url = client.post("/api/v1/screenings/")["Location"]
    client.patch(url, {"version": 1, "answers": {"injury_fear": True}}, format="json")
    refused = client.post(url + "complete/", {"version": 2, "outcome": "no_concern"}, format="json")
    assert refused.status_code == 400
    assert "outcome" in refused.json()


def test_instruments_are_read_only(gate):
    client = api(gate.officer)
    listed = client.get("/api/v1/screening-instruments/").json()["results"]
    assert listed[0]["code"] == "border-gate"
    assert client.post("/api/v1/screening-instruments/", {}, format="json").status_code in (403, 405)


def test_tips_record_and_triage(gate):
    triager = member(Role.CASE_WORKER, agency=gate.receiver)
    client = api(triager)
    created = client.post(
        "/api/v1/tips/",
        {"channel": "hotline", "urgency": "urgent", "description": "Bí mật", "province": "01"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["triage_due_at"] is not None
    listed = client.get("/api/v1/tips/").json()["results"]
    assert listed[0]["description"] == ""  # encrypted texts only in the audited read of one tip
    url = created["Location"]
    assert client.get(url).json()["description"] == "Bí mật"
    opened = client.post(
        url + "triage/",
        {"action": "open_case", "agency": str(gate.receiver.pk), "full_name": "Lò Văn Sơn"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert opened.status_code == 200, opened.json()
    assert Tip.objects.get().status == "case_opened"
    again = client.post(url + "triage/", {"action": "close", "reason": "x"}, format="json")
    assert again.status_code == 428


@pytest.mark.parametrize("when", ["0939-03-01T07:46:13Z", "9999-12-31T23:59:59Z"])
def test_a_tip_received_in_an_impossible_year_is_refused_and_not_recorded(gate, when):
    client = api(member(Role.CASE_WORKER, agency=gate.receiver))
    refused = client.post(
        "/api/v1/tips/", {"channel": "hotline", "description": "x", "received_at": when}, format="json"
    )
    assert refused.status_code == 400
    assert "received_at" in str(refused.json())
    assert not Tip.objects.exists()
