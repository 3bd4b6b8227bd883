"""The statistics API: indicators, protected tables, releases and their actions with If-Match."""

import pytest
from rest_framework.test import APIClient

from shield.audit.models import AuditAction, AuditEvent
from shield.statistics.models import Release, ReleaseStatus
from shield.statistics.services import releases as services
from shield.statistics.tests import release_fixtures

pytestmark = pytest.mark.django_db

# The shared fixtures of the release tests.
counts, ministry, statisticians = (
    release_fixtures.counts,
    release_fixtures.ministry,
    release_fixtures.statisticians,
)

BASE = "/api/v1/statistics"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_indicator_list_names_each_indicator_with_its_dimensions(statisticians):
    response = api(statisticians[0]).get(f"{BASE}/indicators/")
    assert response.status_code == 200
    codes = {row["code"]: row for row in response.json()}
    assert "sex" in codes["victims_detected"]["dimensions"]
    assert codes["victims_detected"]["threshold"] == 5


def test_a_table_is_protected_and_its_reading_audited(counts, statisticians):
    response = api(statisticians[0]).get(
        f"{BASE}/tables/", {"indicator": "victims_detected", "period": "2025", "dimensions": "sex,age_unodc"}
    )
    assert response.status_code == 200
    cells = {tuple(c["key"]): c for c in response.json()["cells"]}
    assert cells[("female", "0-17")]["status"] != "published"
    assert "value" not in cells[("female", "0-17")]
    assert cells[("_T", "_T")]["value"] == 82
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_id="victims_detected").exists()


def test_a_bad_table_request_gets_field_errors(counts, statisticians):
    client = api(statisticians[0])
    response = client.get(f"{BASE}/tables/", {"indicator": "nope", "period": "2025"})
    assert response.status_code == 400
    assert "indicator" in response.json()
    response = client.get(f"{BASE}/tables/", {"indicator": "victims_detected", "period": "25"})
    assert response.status_code == 400
    assert "period" in response.json()


def test_the_release_journey_through_the_api(counts, statisticians):
    first, second = statisticians
    one, two = api(first), api(second)
    created = one.post(
        f"{BASE}/releases/",
        {"period": "2025", "title_vi": "Nạn nhân", "title_en": "Victims", "table_set": "glotip"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    release_id, etag = created.json()["id"], created["ETag"]
    assert created.json()["tables"]
    assert created.json()["audit_ok"] is True
    url = f"{BASE}/releases/{release_id}"
    assert one.post(f"{url}/submit/", {}, format="json").status_code == 428
    assert one.post(f"{url}/submit/", {}, format="json", HTTP_IF_MATCH='"9"').status_code == 412
    submitted = one.post(f"{url}/submit/", {}, format="json", HTTP_IF_MATCH=etag)
    assert submitted.status_code == 200
    assert submitted.json()["status"] == ReleaseStatus.SUBMITTED
    assert one.post(f"{url}/approve/", {}, format="json", HTTP_IF_MATCH=submitted["ETag"]).status_code == 403
    approved = two.post(f"{url}/approve/", {}, format="json", HTTP_IF_MATCH=submitted["ETag"])
    assert approved.status_code == 200
    assert approved.json()["approved_by"] == "stat.two"
    assert approved.json()["content_hash"] == services.hash_of(Release.objects.get(pk=release_id))
    correction = one.post(f"{url}/correct/", {"reason": ""}, format="json", HTTP_IF_MATCH=approved["ETag"])
    assert correction.status_code == 400
    assert "reason" in correction.json()
    correction = one.post(
        f"{url}/correct/", {"reason": "Late data"}, format="json", HTTP_IF_MATCH=approved["ETag"]
    )
    assert correction.status_code == 201
    assert correction.json()["replaces"] == release_id
    listed = one.get(f"{BASE}/releases/", {"status": "draft"}).json()["results"]
    assert [r["id"] for r in listed] == [correction.json()["id"]]
    detail = two.get(f"{url}/")
    assert detail.status_code == 200
    assert detail["ETag"] == approved["ETag"]
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=release_id).exists()


def test_create_answers_field_errors(counts, statisticians):
    response = api(statisticians[0]).post(
        f"{BASE}/releases/", {"period": "2025-Q9", "title_vi": "", "title_en": "x" * 201}, format="json"
    )
    assert response.status_code == 400
    assert {"title_vi", "title_en"} <= set(response.json())
    response = api(statisticians[0]).post(
        f"{BASE}/releases/",
        {
            "period": "2025",
            "title_vi": "t",
            "title_en": "t",
            "tables": [{"indicator": "victims_detected", "dimensions": ["colour"]}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert not Release.objects.exists()


def test_a_return_through_the_api_needs_a_reason(counts, statisticians):
    first, second = statisticians
    release = services.release_create(
        actor=first, period="2025", title_vi="t", title_en="t", table_set="glotip"
    )
    release = services.release_submit(actor=first, release=release, expected_version=release.version)
    url = f"{BASE}/releases/{release.pk}/return/"
    assert api(second).post(url, {"version": release.version}, format="json").status_code == 400
    response = api(second).post(url, {"version": release.version, "reason": "Check"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == ReleaseStatus.DRAFT
