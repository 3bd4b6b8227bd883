"""The case API on a case's records: notes (decrypted for readers, encrypted at rest, never in the
audit log), consents and their withdrawal, identification decisions (which move the stage),
assessments, the care plan (versioned as a whole), transfers and closure."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from shield.accounts.roles import AgencyKind, Role
from shield.accounts.tests.factories import AgencyFactory, member, province
from shield.audit.models import AuditAction, AuditEvent
from shield.cases import services
from shield.cases.models import (
    ActionStatus,
    CarePlan,
    CarePlanAction,
    CarePlanStatus,
    Case,
    CaseNote,
    CaseTransfer,
    ClosureRequest,
    Consent,
    Stage,
    TransferStatus,
)
from shield.cases.tests import factories as f

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases/"
TODAY = timezone.localdate
NOTE = "She says the broker kept her passport in Quảng Tây; her mother does not know."


@pytest.fixture
def team():
    return f.team(AgencyFactory(code="hn-spc", name_en="Hanoi Protection Centre", province=province("01")))


def as_user(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def api(team):
    return as_user(team.worker)


@pytest.fixture
def case(team):
    return f.open_case(actor=team.worker, assigned_worker=team.worker)


def url(case, tail=""):
    return f"{CASES}{case.pk}/{tail}"


# --- notes ---------------------------------------------------------------------------------------


def test_a_note_is_shown_decrypted_stored_encrypted_and_never_audited(api, case):
    response = api.post(url(case, "notes/"), {"kind": "interview", "body": NOTE}, format="json")
    assert response.status_code == 201, response.content
    note = CaseNote.objects.get(pk=response.json()["id"])
    assert response.json()["body"] == NOTE
    stored = f.raw_value(CaseNote, "body", note.pk)
    assert "passport" not in stored
    assert "Quảng Tây" not in stored

    listed = api.get(url(case, "notes/"))
    assert listed.status_code == 200
    assert [n["body"] for n in listed.json()["results"]] == [NOTE]

    for event in AuditEvent.objects.all():
        for value in (event.reason, " ".join(event.changed_fields or []), event.object_id, event.object_type):
            assert "passport" not in (value or "")
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(note.pk)).exists()
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=str(case.pk)).exists()


def test_a_correction_names_the_note_of_the_same_case(api, team, case):
    first = services.note_add(actor=team.worker, case=case, kind="contact", body="Met on Monday")
    response = api.post(
        url(case, "notes/"),
        {"kind": "contact", "body": "It was Tuesday", "corrects": str(first.pk)},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["corrects"] == str(first.pk)
    other = f.open_case(actor=team.worker)
    elsewhere = services.note_add(actor=team.worker, case=other, kind="contact", body="Another case")
    response = api.post(
        url(case, "notes/"), {"kind": "contact", "body": "x", "corrects": str(elsewhere.pk)}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["corrects"] == ["This case has no such note."]


def test_note_field_errors(api, case):
    response = api.post(url(case, "notes/"), {"kind": "contact", "body": "   "}, format="json")
    assert response.status_code == 400
    assert response.json()["body"] == ["Write the note."]
    later = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    response = api.post(
        url(case, "notes/"), {"kind": "contact", "body": "x", "occurred_at": later}, format="json"
    )
    assert response.status_code == 400
    assert "occurred_at" in response.json()
    assert not CaseNote.objects.exists()


def test_notes_come_a_page_at_a_time(api, team, case):
    start = timezone.now() - datetime.timedelta(days=10)
    for i in range(5):
        services.note_add(
            actor=team.worker,
            case=case,
            kind="contact",
            body=f"Note {i}",
            occurred_at=start + datetime.timedelta(days=i),
        )
    bodies, response = [], api.get(url(case, "notes/"), {"page_size": 2})
    while True:
        bodies += [n["body"] for n in response.json()["results"]]
        if not response.json()["next"]:
            break
        response = api.get(response.json()["next"])
    assert bodies == [f"Note {i}" for i in reversed(range(5))]


def test_a_closed_case_takes_no_notes(api, case):
    f.put_at(case, Stage.CLOSED)
    response = api.post(url(case, "notes/"), {"kind": "contact", "body": "Late"}, format="json")
    assert response.status_code == 409
    assert response.json()["detail"] == "This case is closed: reopen it first."


# --- consent -------------------------------------------------------------------------------------


def test_consent_recorded_then_withdrawn(api, team, case):
    data = {"scope": "follow_up_contact", "given_by": "person", "given_on": TODAY().isoformat()}
    response = api.post(url(case, "consents/"), data, format="json")
    assert response.status_code == 201
    consent_id = response.json()["id"]
    again = api.post(url(case, "consents/"), data, format="json")
    assert again.status_code == 400
    assert again.json()["scope"] == ["This consent is already recorded and has not been withdrawn."]

    withdraw = url(case, f"consents/{consent_id}/withdraw/")
    assert api.post(withdraw, {}, format="json").json()["reason"] == ["Say why the consent is withdrawn."]
    response = api.post(withdraw, {"reason": "She moved abroad"}, format="json")
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert response.json()["withdrawn_on"] == TODAY().isoformat()
    assert api.post(withdraw, {"reason": "Again"}, format="json").status_code == 409
    listed = api.get(url(case, "consents/")).json()
    assert [c["is_active"] for c in listed] == [False]


def test_a_consent_of_another_case_is_not_found(api, team, case):
    other = f.open_case(actor=team.worker)
    consent = services.consent_record(
        actor=team.worker, case=other, scope="statistics", given_by="person", given_on=TODAY()
    )
    response = api.post(url(case, f"consents/{consent.pk}/withdraw/"), {"reason": "x"}, format="json")
    assert response.status_code == 404
    assert Consent.objects.get().is_active


def test_consent_for_sharing_names_the_agency(api, case):
    data = {"scope": "share_with_agency", "given_by": "person", "given_on": TODAY().isoformat()}
    response = api.post(url(case, "consents/"), data, format="json")
    assert response.status_code == 400
    assert response.json()["shared_with_agency"] == ["Name the agency the information may be shared with."]


# --- identification ------------------------------------------------------------------------------


def decision(**overrides):
    data = {
        "status": "identified",
        "body_name": "Công an tỉnh Lào Cai",
        "body_type": AgencyKind.POLICE_PROVINCIAL,
        "decided_on": TODAY().isoformat(),
        "basis": "Her statement and the recruiter's messages",
        "documents": ["Biên bản xác minh 12/2026"],
    }
    data.update(overrides)
    return data


def test_an_identification_decision_moves_the_stage(api, case):
    response = api.post(url(case, "identification/"), decision(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "identified"
    assert body["documents"] == ["Biên bản xác minh 12/2026"]
    case.refresh_from_db()
    assert body["case"] == {
        "id": str(case.pk),
        "reference": case.reference,
        "stage": "identified_victim",
        "version": case.version,
    }
    listed = api.get(url(case, "identification/")).json()
    assert [d["basis"] for d in listed] == ["Her statement and the recruiter's messages"]
    assert api.get(url(case)).json()["identification_status"] == "identified"


def test_identification_field_errors(api, case):
    response = api.post(url(case, "identification/"), decision(basis="", body_name=""), format="json")
    assert response.status_code == 400
    assert response.json()["basis"] == ["Give the basis of the decision."]
    assert response.json()["body_name"] == ["Name the body that decided."]
    case.refresh_from_db()
    assert case.stage == Stage.REGISTERED


# --- assessment ----------------------------------------------------------------------------------


def test_an_assessment_by_domain(api, case):
    f.put_at(case, Stage.ASSESSMENT)
    data = {
        "summary": "Afraid to go home",
        "needs": [
            {"domain": "safety", "level": "high", "notes": "The broker lives nearby"},
            {"domain": "education", "level": "medium"},
        ],
    }
    response = api.post(url(case, "assessments/"), data, format="json")
    assert response.status_code == 201, response.content
    needs = {n["domain"]: n for n in response.json()["needs"]}
    assert needs["safety"]["notes"] == "The broker lives nearby"
    listed = api.get(url(case, "assessments/")).json()
    assert listed[0]["summary"] == "Afraid to go home"


def test_assessment_field_errors(api, case):
    response = api.post(url(case, "assessments/"), {"needs": []}, format="json")
    assert response.status_code == 400
    assert response.json()["needs"] == ["Assess at least one domain."]
    twice = [{"domain": "safety", "level": "high"}, {"domain": "safety", "level": "low"}]
    response = api.post(url(case, "assessments/"), {"needs": twice}, format="json")
    assert response.status_code == 400
    assert response.json()["needs"] == ["Assess each domain once."]


# --- care plan -----------------------------------------------------------------------------------


def test_the_care_plan_is_versioned_as_a_whole(api, team, case):
    plan_url = url(case, "care-plan/")
    assert api.get(plan_url).status_code == 404
    assert api.post(plan_url, {}, format="json").status_code == 409  # no assessment yet
    f.put_at(case, Stage.CARE_PLAN)
    created = api.post(plan_url, {}, format="json")
    assert created.status_code == 201
    assert created["ETag"] == '"1"'

    goals = url(case, "care-plan/goals/")
    assert api.post(goals, {"description": "Safe housing"}, format="json").status_code == 428
    goal = api.post(
        goals, {"description": "Safe housing", "domain": "housing"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert goal.status_code == 201
    assert goal["ETag"] == '"2"'
    assert goal.json()["plan_version"] == 2
    stale = api.post(goals, {"description": "Work"}, format="json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    assert CarePlan.objects.get().goals.count() == 1

    actions = url(case, "care-plan/actions/")
    action = {
        "goal": goal.json()["id"],
        "description": "Find a shelter place",
        "due_on": (TODAY() + datetime.timedelta(days=7)).isoformat(),
        "responsible_person": str(team.worker.pk),
        "version": 2,
    }
    added = api.post(actions, action, format="json")
    assert added.status_code == 201, added.content
    assert added.json()["plan_version"] == 3
    unknown_goal = api.post(actions, {**action, "goal": str(case.pk), "version": 3}, format="json")
    assert unknown_goal.status_code == 400
    assert unknown_goal.json()["goal"] == ["The care plan has no such goal."]
    nobody = api.post(actions, {**action, "responsible_person": None, "version": 3}, format="json")
    assert nobody.status_code == 400
    assert nobody.json()["responsible_agency"] == ["Name the agency or the person responsible."]

    shown = api.get(plan_url)
    assert shown["ETag"] == '"3"'
    assert [g["description"] for g in shown.json()["goals"]] == ["Safe housing"]
    assert [a["description"] for a in shown.json()["goals"][0]["actions"]] == ["Find a shelter place"]

    submitted = api.post(url(case, "care-plan/submit/"), {"version": 3}, format="json")
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    assert submitted["ETag"] == '"4"'
    # Submitted: no more changes until a supervisor answers.
    assert api.post(goals, {"description": "More"}, format="json", HTTP_IF_MATCH='"4"').status_code == 409


def test_a_supervisor_approves_or_returns_the_submitted_plan(team, case):
    f.put_at(case, Stage.CARE_PLAN)
    plan = services.care_plan_create(actor=team.worker, case=case)
    goal = services.care_plan_goal_add(actor=team.worker, plan=plan, description="School", expected_version=1)
    services.care_plan_action_add(
        actor=team.worker,
        goal=goal,
        description="Enrol",
        due_on=TODAY(),
        responsible_person=team.worker,
        expected_version=2,
    )
    services.care_plan_submit(actor=team.worker, plan=plan, expected_version=3)
    supervisor = as_user(team.supervisor)
    returned = supervisor.post(url(case, "care-plan/return/"), {"version": 4}, format="json")
    assert returned.status_code == 400
    assert returned.json()["note"] == ["Say what should change in the plan."]
    returned = supervisor.post(
        url(case, "care-plan/return/"), {"note": "Add health", "version": 4}, format="json"
    )
    assert returned.status_code == 200
    assert returned.json()["status"] == "returned"
    assert returned.json()["decision_note"] == "Add health"
    services.care_plan_submit(actor=team.worker, plan=plan, expected_version=5)
    stale = supervisor.post(url(case, "care-plan/approve/"), {}, format="json", HTTP_IF_MATCH='"5"')
    assert stale.status_code == 412
    approved = supervisor.post(url(case, "care-plan/approve/"), {}, format="json", HTTP_IF_MATCH='"6"')
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    assert approved.json()["approved_by"]["id"] == str(team.supervisor.pk)
    assert CarePlan.objects.get().status == CarePlanStatus.APPROVED


def test_the_submitter_may_not_approve_their_own_plan(team, case):
    f.put_at(case, Stage.CARE_PLAN)
    plan = services.care_plan_create(actor=team.supervisor, case=case)
    goal = services.care_plan_goal_add(
        actor=team.supervisor, plan=plan, description="School", expected_version=1
    )
    services.care_plan_action_add(
        actor=team.supervisor,
        goal=goal,
        description="Enrol",
        due_on=TODAY(),
        responsible_agency=team.agency,
        expected_version=2,
    )
    services.care_plan_submit(actor=team.supervisor, plan=plan, expected_version=3)
    response = as_user(team.supervisor).post(url(case, "care-plan/approve/"), {"version": 4}, format="json")
    assert response.status_code == 403
    assert "someone other than the person who submitted it" in response.json()["detail"]
    assert CarePlan.objects.get().status == CarePlanStatus.SUBMITTED


def test_actions_of_the_approved_plan_are_completed_or_cancelled(api, team, case):
    f.put_at(case, Stage.SERVICES)
    action = CarePlanAction.objects.get()
    done = api.post(url(case, f"care-plan/actions/{action.pk}/complete/"), {}, format="json")
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["done_on"]) == ("done", TODAY().isoformat())
    again = api.post(url(case, f"care-plan/actions/{action.pk}/complete/"), {}, format="json")
    assert again.status_code == 409
    assert again.json()["detail"] == "This action is no longer open."
    cancel = api.post(url(case, f"care-plan/actions/{action.pk}/cancel/"), {"reason": "x"}, format="json")
    assert cancel.status_code == 409
    missing = api.post(url(case, f"care-plan/actions/{case.pk}/complete/"), {}, format="json")
    assert missing.status_code == 404
    assert CarePlanAction.objects.get().status == ActionStatus.DONE


def test_the_person_responsible_for_an_action_may_complete_it_with_read_access_only(team, case):
    officer = member(Role.JUSTICE_OFFICER, agency=team.agency)
    f.put_at(case, Stage.SERVICES)
    action = CarePlanAction.objects.get()
    CarePlanAction.objects.filter(pk=action.pk).update(responsible_person=officer)
    response = as_user(officer).post(url(case, f"care-plan/actions/{action.pk}/complete/"), {}, format="json")
    assert response.status_code == 200
    assert CarePlanAction.objects.get().status == ActionStatus.DONE


# --- transfer ------------------------------------------------------------------------------------


@pytest.fixture
def receiving():
    return f.team(AgencyFactory(code="hcm-spc", name_en="HCMC Protection Centre", province=province("79")))


def test_a_transfer_needs_consent_then_the_receiving_agency_takes_the_case(api, team, case, receiving):
    request = {"to_agency": str(receiving.agency.pk), "reason": "She moved to HCMC"}
    refused = api.post(url(case, "transfers/"), request, format="json")
    assert refused.status_code == 400
    assert refused.json()["override"] == ["No consent to share with this agency is recorded."]
    services.consent_record(
        actor=team.worker,
        case=case,
        scope="share_with_agency",
        given_by="person",
        given_on=TODAY(),
        shared_with_agency=receiving.agency,
    )
    created = api.post(url(case, "transfers/"), request, format="json")
    assert created.status_code == 201, created.content
    transfer_id = created.json()["id"]
    assert created.json()["consent"] is not None

    # The owner cannot answer its own request; the receiving agency can.
    own = api.post(url(case, f"transfers/{transfer_id}/accept/"), {}, format="json")
    assert own.status_code == 403
    accepted = as_user(receiving.worker).post(
        url(case, f"transfers/{transfer_id}/accept/"), {"note": "Welcome"}, format="json"
    )
    assert accepted.status_code == 200, accepted.content
    body = accepted.json()
    assert body["transfer"]["status"] == "accepted"
    case.refresh_from_db()
    assert case.owner_agency == receiving.agency
    assert body["case"]["version"] == case.version
    assert accepted["ETag"] == f'"{case.version}"'
    # The former owner keeps read access for follow-up, without the right to change the case.
    assert api.get(url(case)).status_code == 200
    assert api.post(url(case, "notes/"), {"kind": "contact", "body": "x"}, format="json").status_code == 403


def test_a_declined_transfer_leaves_the_case_where_it_was(api, team, case, receiving):
    transfer = services.transfer_request(
        actor=team.supervisor,
        case=case,
        to_agency=receiving.agency,
        reason="Closer to her family",
        legal_basis="Law 53/2024, art. 37",
        override=True,
    )
    response = as_user(receiving.worker).post(
        url(case, f"transfers/{transfer.pk}/decline/"), {"note": "No place"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["transfer"]["status"] == "declined"
    assert response.json()["transfer"]["override_by"]["id"] == str(team.supervisor.pk)
    assert CaseTransfer.objects.get().status == TransferStatus.DECLINED
    assert Case.objects.get().owner_agency == team.agency
    # Without a pending transfer the receiving agency no longer reaches the case.
    assert as_user(receiving.worker).get(url(case)).status_code == 404


# --- closure -------------------------------------------------------------------------------------


def test_closure_is_requested_then_approved_by_a_supervisor(api, team, case):
    first = api.post(url(case, "closure/"), {"reason": "Back with her family"}, format="json")
    assert first.status_code == 201
    again = api.post(url(case, "closure/"), {"reason": "Again"}, format="json")
    assert again.status_code == 400
    assert again.json()["detail"] == "A request to close this case is already waiting for a supervisor."
    closure_id = first.json()["id"]
    approved = as_user(team.supervisor).post(url(case, f"closure/{closure_id}/approve/"), {}, format="json")
    assert approved.status_code == 200, approved.content
    assert approved.json()["closure"]["status"] == "approved"
    assert approved.json()["case"]["stage"] == "closed"
    case.refresh_from_db()
    assert (case.stage, case.closure_reason) == (Stage.CLOSED, "Back with her family")
    assert approved["ETag"] == f'"{case.version}"'
    again = as_user(team.supervisor).post(url(case, f"closure/{closure_id}/approve/"), {}, format="json")
    assert again.status_code == 409


def test_a_returned_closure_keeps_the_case_open(team, case):
    closure = services.closure_request(actor=team.worker, case=case, reason="Done")
    supervisor = as_user(team.supervisor)
    assert supervisor.post(url(case, f"closure/{closure.pk}/return/"), {}, format="json").status_code == 400
    response = supervisor.post(
        url(case, f"closure/{closure.pk}/return/"), {"note": "Visit first"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["closure"]["status"] == "returned"
    assert response.json()["case"]["stage"] == "registered"
    assert ClosureRequest.objects.get().decision_note == "Visit first"


def test_a_supervisor_does_not_approve_their_own_closure_request(team, case):
    closure = services.closure_request(actor=team.supervisor, case=case, reason="Done")
    response = as_user(team.supervisor).post(url(case, f"closure/{closure.pk}/approve/"), {}, format="json")
    assert response.status_code == 403
    assert Case.objects.get().stage == Stage.REGISTERED


def test_roles_that_do_not_work_on_cases_read_no_narratives(team, case):
    services.note_add(actor=team.worker, case=case, kind="contact", body=NOTE)
    services.identification_decide(
        actor=team.worker,
        case=case,
        status="possible",
        body_type=AgencyKind.POLICE_PROVINCIAL,
        body_name="Công an tỉnh",
        decided_on=timezone.localdate(),
        basis="Told of a job in Quảng Tây that did not exist",
    )
    justice = member(Role.JUSTICE_OFFICER, agency=team.agency)
    reader = as_user(justice)

    refused = reader.get(url(case, "notes/"))
    assert refused.status_code == 403
    assert "case workers" in refused.json()["detail"]
    assert AuditEvent.objects.filter(
        action=AuditAction.PERMISSION_DENIED, actor=justice, object_id=str(case.pk)
    ).exists()

    decisions = reader.get(url(case, "identification/"))
    assert decisions.status_code == 200
    assert [d["basis"] for d in decisions.json()] == [None]
    worker_view = as_user(team.worker).get(url(case, "identification/")).json()
    assert [d["basis"] for d in worker_view] == ["Told of a job in Quảng Tây that did not exist"]
