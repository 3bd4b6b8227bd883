"""The proceedings API: list, detail (audited), writes with If-Match (412 stale, 428 missing)."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from shield.audit.models import AuditEvent
from shield.justice.models import HoldingRole, PartyRole, StepKind
from shield.justice.tests import proceedings_factories as pf

pytestmark = pytest.mark.django_db
CHILD = "Trần Thị Lan"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_list_and_detail_with_etag_and_audit() -> None:
    d = pf.desk()
    proceeding = pf.open_proceeding(at=d)
    client = _client(d.officer)
    listed = client.get("/api/v1/justice/proceedings/").json()
    assert [row["reference"] for row in listed["results"]] == [proceeding.reference]
    detail = client.get(f"/api/v1/justice/proceedings/{proceeding.pk}/")
    assert detail.status_code == 200
    assert detail["ETag"] == '"1"'
    assert detail.json()["offence_details"][0]["trafficking"] is True
    assert AuditEvent.objects.filter(action="view", object_id=str(proceeding.pk), actor=d.officer).exists()


def test_a_step_write_needs_a_current_if_match() -> None:
    d = pf.desk()
    proceeding = pf.open_proceeding(at=d)
    client = _client(d.officer)
    url = f"/api/v1/justice/proceedings/{proceeding.pk}/steps/"
    body = {"kind": StepKind.CASE_INSTITUTED, "occurred_on": timezone.localdate().isoformat()}
    assert client.post(url, body, content_type="application/json").status_code == 428
    assert client.post(url, body, content_type="application/json", HTTP_IF_MATCH='"7"').status_code == 412
    created = client.post(url, body, content_type="application/json", HTTP_IF_MATCH='"1"')
    assert created.status_code == 201
    assert created["ETag"] == '"2"'
    assert proceeding.steps.count() == 2


def test_hand_over_through_the_api_refuses_skipping_a_stage() -> None:
    police, court = pf.desk(), pf.desk(HoldingRole.COURT)
    proceeding = pf.open_proceeding(at=police)
    response = _client(police.officer).post(
        f"/api/v1/justice/proceedings/{proceeding.pk}/holdings/",
        {"to_agency": str(court.agency.pk), "to_role": HoldingRole.COURT},
        content_type="application/json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 409


def test_parties_masked_for_unassigned_officers_and_outcome_with_if_match() -> None:
    police = pf.desk()
    proceeding = pf.open_proceeding(at=police)
    child = pf.party(proceeding, role=PartyRole.ACCUSED, full_name=CHILD)
    colleague = pf.desk(agency=police.agency).officer
    url = f"/api/v1/justice/proceedings/{proceeding.pk}/parties/"
    assert CHILD in _client(police.officer).get(url).content.decode()
    masked = _client(colleague).get(url)
    assert masked.status_code == 200
    assert CHILD not in masked.content.decode()
    party_url = f"{url}{child.pk}/"
    body = {"outcome": "diverted", "outcome_on": timezone.localdate().isoformat()}
    client = _client(police.officer)
    assert client.patch(party_url, body, content_type="application/json").status_code == 428
    assert (
        client.patch(party_url, body, content_type="application/json", HTTP_IF_MATCH='"2"').status_code == 412
    )
    done = client.patch(party_url, body, content_type="application/json", HTTP_IF_MATCH='"1"')
    assert done.status_code == 200
    assert done.json()["outcome"] == "diverted"
    assert done["ETag"] == '"2"'


def test_opening_through_the_api() -> None:
    d = pf.desk()
    response = _client(d.officer).post(
        "/api/v1/justice/proceedings/",
        {
            "kind": "criminal",
            "offences": ["BLHS-150"],
            "holding_agency": str(d.agency.pk),
            "holding_role": HoldingRole.INVESTIGATION,
            "reported_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["reference"].startswith(d.agency.code.upper())
