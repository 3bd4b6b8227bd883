"""A whole case through the API with token sign-in, as a client application would drive it:
open → identify → assess → plan → a supervisor approves → services → reintegration → closure
request → a supervisor approves → closed → reopened. Each write names the version it read."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from shield.accounts.roles import AgencyKind, Role
from shield.accounts.tests.factories import DEFAULT_PASSWORD, AgencyFactory, member, province
from shield.audit.models import AuditAction, AuditEvent
from shield.cases.models import Case, CaseStageChange
from shield.cases.tests import factories as f

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases/"


def signed_in(username):
    client = APIClient()
    response = client.post(
        "/api/v1/auth/token/", {"username": username, "password": DEFAULT_PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def ok(response, status=200):
    assert response.status_code == status, (response.status_code, response.content)
    return response


def test_a_case_from_opening_to_closure_and_back():
    agency = AgencyFactory(code="lc-spc", name_en="Lao Cai Protection Centre", province=province("15"))
    worker = member(Role.CASE_WORKER, agency=agency, username="cw.laocai")
    member(Role.SUPERVISOR, agency=agency, username="sup.laocai")
    mai = f.person(actor=worker, full_name="Giàng Thị Mai", birth_date=datetime.date(2001, 6, 1))
    today = timezone.localdate().isoformat()
    cw, sup = signed_in("cw.laocai"), signed_in("sup.laocai")

    opened = ok(
        cw.post(CASES, {"person": str(mai.pk), "case_type": "trafficking_victim"}, format="json"), 201
    )
    case_url = opened["Location"]
    assert case_url.endswith(f"{CASES}{opened.json()['id']}/")

    def etag():
        return ok(cw.get(case_url))["ETag"]

    def move(to_stage, client=cw):
        return ok(
            client.post(
                f"{case_url}transitions/", {"to_stage": to_stage}, format="json", HTTP_IF_MATCH=etag()
            )
        )

    # Identification: the decision moves the case from registered to identified victim.
    decided = ok(
        cw.post(
            f"{case_url}identification/",
            {
                "status": "identified",
                "body_name": "Công an tỉnh Lào Cai",
                "body_type": AgencyKind.POLICE_PROVINCIAL,
                "decided_on": today,
                "basis": "Her statement; the recruiter's Zalo messages",
            },
            format="json",
        ),
        201,
    )
    assert decided.json()["case"]["stage"] == "identified_victim"

    move("assessment")
    ok(
        cw.post(
            f"{case_url}assessments/",
            {"needs": [{"domain": "safety", "level": "high"}, {"domain": "livelihood", "level": "medium"}]},
            format="json",
        ),
        201,
    )
    move("care_plan")

    # The plan: create, a goal, an action, submit; every write names the plan's version.
    plan = ok(cw.post(f"{case_url}care-plan/", {}, format="json"), 201)
    goal = ok(
        cw.post(
            f"{case_url}care-plan/goals/",
            {"description": "Safe work near home", "domain": "livelihood"},
            format="json",
            HTTP_IF_MATCH=plan["ETag"],
        ),
        201,
    )
    action = ok(
        cw.post(
            f"{case_url}care-plan/actions/",
            {
                "goal": goal.json()["id"],
                "description": "Vocational training in weaving",
                "due_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
                "responsible_agency": str(agency.pk),
            },
            format="json",
            HTTP_IF_MATCH=goal["ETag"],
        ),
        201,
    )
    submitted = ok(cw.post(f"{case_url}care-plan/submit/", {}, format="json", HTTP_IF_MATCH=action["ETag"]))
    # The case worker may not approve; the supervisor does.
    assert (
        cw.post(
            f"{case_url}care-plan/approve/", {}, format="json", HTTP_IF_MATCH=submitted["ETag"]
        ).status_code
        == 403
    )
    approved = ok(
        sup.post(f"{case_url}care-plan/approve/", {}, format="json", HTTP_IF_MATCH=submitted["ETag"])
    )
    assert approved.json()["status"] == "approved"

    move("services")
    action_id = action.json()["id"]
    done = ok(cw.post(f"{case_url}care-plan/actions/{action_id}/complete/", {}, format="json"))
    assert done.json()["status"] == "done"
    move("reintegration")

    # Closure: requested by the worker, approved by the supervisor.
    closure = ok(
        cw.post(f"{case_url}closure/", {"reason": "Working in Sa Pa, living with family"}, format="json"), 201
    )
    closed = ok(sup.post(f"{case_url}closure/{closure.json()['id']}/approve/", {}, format="json"))
    assert closed.json()["case"]["stage"] == "closed"
    shown = ok(cw.get(case_url)).json()
    assert shown["stage"] == "closed"
    assert shown["closure_reason"] == "Working in Sa Pa, living with family"
    assert shown["closed_at"] is not None

    reopened = ok(
        cw.post(
            f"{case_url}reopen/",
            {"reason": "The broker contacted her again"},
            format="json",
            HTTP_IF_MATCH=etag(),
        )
    )
    assert reopened.json()["stage"] == "reopened"

    case = Case.objects.get()
    moves = [
        ("registered", "undergoing_identification"),
        ("undergoing_identification", "identified_victim"),
        ("identified_victim", "assessment"),
        ("assessment", "care_plan"),
        ("care_plan", "services"),
        ("services", "reintegration"),
        ("reintegration", "closed"),
        ("closed", "reopened"),
    ]
    assert [(c.from_stage, c.to_stage) for c in CaseStageChange.objects.filter(case=case)] == moves
    history = ok(cw.get(f"{case_url}transitions/")).json()["history"]
    assert [(h["from_stage"], h["to_stage"]) for h in history] == moves[::-1]
    assert AuditEvent.objects.filter(action=AuditAction.TRANSITION, object_id=str(case.pk)).count() == 8
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=str(case.pk)).exists()
