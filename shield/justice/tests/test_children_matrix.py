"""Every children page and API endpoint through the four-actor permission matrix, plus masking,
the restricted recording reference, the justification shown everywhere, If-Match and audited reads."""

import datetime
import json

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from shield.accounts.roles import Role, Scope
from shield.accounts.tests.factories import member
from shield.accounts.tests.permission_matrix import Actors, Endpoint, assert_matrix, db_snapshot
from shield.audit.models import AuditEvent
from shield.justice.children import services
from shield.justice.models import (
    ChildDeadlineMet,
    Diversion,
    DiversionReport,
    Interview,
    Party,
    ProceedingStep,
    RuleValue,
)
from shield.justice.tests import children_factories as f

pytestmark = pytest.mark.django_db

NAME = "Lò Văn Páo"
JUSTIFICATION = "The child is leaving for the province tomorrow and asked to finish."
RECORDING = "VID-2026-0042-SECRET"
snapshot = db_snapshot(
    Interview, Diversion, DiversionReport, ChildDeadlineMet, RuleValue, ProceedingStep, Party
)


@pytest.fixture
def world():
    d = f.desk()
    proceeding = f.open_proceeding(at=d, offence_codes=("BLHS-185",))
    f.assign(proceeding, d.officer)
    born = timezone.localdate().replace(year=timezone.localdate().year - 17) - datetime.timedelta(days=60)
    accused = f.party(proceeding, role="accused", full_name=NAME, birth_date=born)
    day = timezone.localdate() - datetime.timedelta(days=3)
    f.interview(
        accused, actor=d.officer, start=f.at_local(day, 8), recorded=True, recording_reference=RECORDING
    )
    f.interview(accused, actor=d.officer, start=f.at_local(day, 11))
    justified = f.interview(accused, actor=d.officer, start=f.at_local(day, 15), justification=JUSTIFICATION)
    diversion = services.diversion_decide(
        actor=d.officer,
        party=accused,
        deciding_body="procuracy",
        decided_on=timezone.localdate() - datetime.timedelta(days=40),
        measures=["reprimand"],
        supervision_months=2,
        supervisor="Phường Ba Đình",
    )
    officers = Actors(
        permitted=d.officer,
        no_permission=member(Role.CASE_WORKER, agency=d.agency),
        other_agency=f.desk().officer,
    )
    admin = member(Role.SYSTEM_ADMIN, agency=d.agency, scope=Scope.NATIONAL)
    return d, accused, justified, diversion, officers, admin


def test_pages(world):
    _d, accused, justified, diversion, officers, _admin = world
    assert_matrix(
        Endpoint("GET", f"/justice/children/parties/{accused.pk}/"),
        officers,
        secrets=[NAME, JUSTIFICATION],
        snapshot=snapshot,
    )
    assert_matrix(
        Endpoint("GET", f"/justice/children/interviews/{justified.pk}/"),
        officers,
        secrets=[NAME, JUSTIFICATION],
        snapshot=snapshot,
    )
    assert_matrix(
        Endpoint("GET", f"/justice/children/diversions/{diversion.pk}/"),
        officers,
        secrets=[NAME],
        snapshot=snapshot,
    )
    assert_matrix(
        Endpoint("GET", "/justice/children/?section=reports", scoped=True),
        officers,
        secrets=[NAME],
        snapshot=snapshot,
    )
    start = timezone.localtime() - datetime.timedelta(days=1)
    assert_matrix(
        Endpoint(
            "POST",
            f"/justice/children/parties/{accused.pk}/interviews/",
            data={
                "kind": "interrogation",
                "status": "held",
                "place_type": "police_station",
                "started_at": start.strftime("%Y-%m-%dT08:00"),
                "ended_at": start.strftime("%Y-%m-%dT09:00"),
                "representative_present": "on",
                "social_worker_present": "on",
            },
            permitted_status={302},
        ),
        officers,
        secrets=[NAME],
        snapshot=snapshot,
    )
    assert_matrix(
        Endpoint(
            "POST",
            f"/justice/children/parties/{accused.pk}/deadlines/",
            data={"key": "notify_guardian", "met_at": start.strftime("%Y-%m-%dT08:00")},
            permitted_status={302},
        ),
        officers,
        secrets=[NAME],
        snapshot=snapshot,
    )
    report = diversion.reports.order_by("due_on").first()
    prefix = f"r{report.pk.hex[:8]}"
    assert_matrix(
        Endpoint(
            "POST",
            f"/justice/children/reports/{report.pk}/",
            data={f"{prefix}-version": 1, f"{prefix}-compliant": "yes"},
            permitted_status={302},
        ),
        officers,
        snapshot=snapshot,
    )
    assert_matrix(
        Endpoint(
            "POST",
            f"/justice/children/diversions/{diversion.pk}/end/",
            data={"version": 1, "outcome": "completed"},
            permitted_status={302},
        ),
        officers,
        snapshot=snapshot,
    )
    assert Diversion.objects.get(pk=diversion.pk).status == "completed"


def test_rules_pages(world):
    d, _accused, _j, _div, _officers, admin = world
    readers = Actors(permitted=d.officer, no_permission=member(Role.CASE_WORKER, agency=d.agency))
    assert_matrix(
        Endpoint("GET", "/justice/children/rules/"), readers, secrets=["59/2024/QH15"], snapshot=snapshot
    )
    setters = Actors(permitted=admin, no_permission=d.officer)
    assert_matrix(
        Endpoint(
            "POST",
            "/justice/children/rules/values/",
            data={
                "rule": "deadlines|first_interview|hours",
                "value": 48,
                "effective_from": "2026-01-01",
                "verified": "on",
                "reason": "Checked",
            },
            permitted_status={302},
        ),
        setters,
        snapshot=snapshot,
    )
    assert RuleValue.objects.get().value == 48
    page = Client()
    page.force_login(d.officer)
    body = page.get("/justice/children/rules/").content.decode()
    assert "Checked" in body
    assert "unverified" in body  # the other unverified deadlines


def test_api(world):
    _d, accused, justified, diversion, officers, _admin = world
    base = "/api/v1/justice/children"
    assert_matrix(
        Endpoint("GET", f"{base}/parties/{accused.pk}/", api=True),
        officers,
        secrets=[NAME],
        snapshot=snapshot,
    )
    assert_matrix(
        Endpoint("GET", f"{base}/parties/{accused.pk}/interviews/", api=True),
        officers,
        secrets=[JUSTIFICATION],
        snapshot=snapshot,
    )
    assert_matrix(
        Endpoint("GET", f"{base}/interviews/{justified.pk}/", api=True),
        officers,
        secrets=[JUSTIFICATION],
        snapshot=snapshot,
    )
    assert_matrix(
        Endpoint("GET", f"{base}/diversions/{diversion.pk}/", api=True),
        officers,
        secrets=["Phường Ba Đình"],
        snapshot=snapshot,
    )
    assert_matrix(
        Endpoint("GET", f"{base}/rules/", api=True, also_allowed={"other_agency"}),
        officers,
        secrets=["59/2024/QH15"],
        snapshot=snapshot,
    )
    start = timezone.now() - datetime.timedelta(days=1)
    assert_matrix(
        Endpoint(
            "POST",
            f"{base}/parties/{accused.pk}/interviews/",
            api=True,
            permitted_status={201},
            data={
                "kind": "interrogation",
                "place_type": "police_station",
                "representative_present": True,
                "social_worker_present": True,
                "started_at": start.isoformat(),
                "ended_at": (start + datetime.timedelta(minutes=30)).isoformat(),
            },
        ),
        officers,
        snapshot=snapshot,
    )
    report = diversion.reports.order_by("due_on").first()
    assert_matrix(
        Endpoint("POST", f"{base}/reports/{report.pk}/", api=True, data={"version": 1, "compliant": True}),
        officers,
        snapshot=snapshot,
    )
    assert_matrix(
        Endpoint(
            "POST", f"{base}/diversions/{diversion.pk}/end/", api=True, data={"version": 1, "completed": True}
        ),
        officers,
        snapshot=snapshot,
    )


def test_api_refusal_names_the_rules_and_if_match_is_enforced(world):
    d, accused, _j, diversion, _officers, _admin = world
    client = Client()
    client.force_login(d.officer)
    day = timezone.localdate() - datetime.timedelta(days=3)
    start = f.at_local(day, 18)
    answer = client.post(
        f"/api/v1/justice/children/parties/{accused.pk}/interviews/",
        json.dumps(
            {
                "kind": "interrogation",
                "place_type": "police_station",
                "representative_present": True,
                "social_worker_present": True,
                "started_at": start.isoformat(),
                "ended_at": (start + datetime.timedelta(minutes=30)).isoformat(),
            }
        ),
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert answer.json()["rules_exceeded"] == ["too_many_sessions"]
    url = f"/api/v1/justice/children/diversions/{diversion.pk}/end/"
    body = json.dumps({"completed": True})
    assert client.post(url, body, content_type="application/json").status_code == 428
    assert client.post(url, body, content_type="application/json", HTTP_IF_MATCH='"9"').status_code == 412
    assert client.post(url, body, content_type="application/json", HTTP_IF_MATCH='"1"').status_code == 200


def test_a_child_name_and_the_recording_are_for_assigned_officers_only(world):
    d, accused, _j, _div, _officers, _admin = world
    colleague = member(Role.JUSTICE_OFFICER, agency=d.agency)
    first = Interview.objects.get(recording_reference=RECORDING)
    for user, sees in ((d.officer, True), (colleague, False)):
        client = Client()
        client.force_login(user)
        page = client.get(f"/justice/children/parties/{accused.pk}/").content.decode()
        assert (NAME in page) is sees
        detail = client.get(f"/justice/children/interviews/{first.pk}/").content.decode()
        assert (RECORDING in detail) is sees
        api = client.get(f"/api/v1/justice/children/interviews/{first.pk}/").json()
        assert (api["recording_reference"] == RECORDING) is sees
    assert AuditEvent.objects.filter(object_id=str(first.pk), action="view").count() == 4


def test_the_page_shows_the_refusal_and_keeps_what_was_typed(world):
    d, accused, _j, _div, _officers, _admin = world
    client = Client()
    client.force_login(d.officer)
    day = timezone.localdate() - datetime.timedelta(days=3)
    answer = client.post(
        f"/justice/children/parties/{accused.pk}/interviews/",
        {
            "kind": "interrogation",
            "status": "held",
            "place_type": "police_station",
            "started_at": f"{day.isoformat()}T18:00",
            "ended_at": f"{day.isoformat()}T18:30",
            "representative_present": "on",
            "social_worker_present": "on",
            "topics": "Family",
        },
    )
    assert answer.status_code == 400
    body = answer.content.decode()
    assert 'data-testid="interview-refused"' in body
    assert "More sessions in one day than the law allows" in body


def _diverted_in_new_proceeding(d):
    proceeding = f.open_proceeding(at=d, offence_codes=("BLHS-185",))
    f.assign(proceeding, d.officer)
    born = timezone.localdate().replace(year=timezone.localdate().year - 17) - datetime.timedelta(days=60)
    accused = f.party(proceeding, role="accused", birth_date=born)
    services.diversion_decide(
        actor=d.officer,
        party=accused,
        deciding_body="court",
        decided_on=timezone.localdate() - datetime.timedelta(days=35),
        measures=["apology"],
        supervision_months=2,
        supervisor="x",
    )


def test_the_worklist_page_query_count_does_not_grow_with_rows(django_assert_max_num_queries):
    d = f.desk()
    _diverted_in_new_proceeding(d)
    client = Client()
    client.force_login(d.officer)
    # Sign-in, session, permissions, audit and the bell take 13 (PostgreSQL: + the audit chain's
    # advisory lock); the page itself 4.
    with django_assert_max_num_queries(17 + (connection.vendor == "postgresql")) as few:
        client.get("/justice/children/?section=reports")
    for _ in range(5):
        _diverted_in_new_proceeding(d)
    with django_assert_max_num_queries(len(few.captured_queries)):
        answer = client.get("/justice/children/?section=reports")
    assert answer.content.decode().count('data-testid="work-item"') == 6
