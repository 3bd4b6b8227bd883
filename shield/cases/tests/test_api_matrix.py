"""Every case API endpoint through the permission matrix: anonymous (401), a role without the
permission (403, or 404/403 from the service for a justice officer who may only read), the same role
in another agency and province (404; the list answers it an empty page), and the permitted user.
Refusals leak neither the person's name nor a note's text and change no case record."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from shield.accounts.models import Agency, User
from shield.accounts.roles import AgencyKind, Role
from shield.accounts.tests.factories import AgencyFactory, member, province
from shield.accounts.tests.permission_matrix import Actors, Endpoint, assert_matrix, db_snapshot
from shield.cases import services
from shield.cases.models import (
    Assessment,
    CarePlan,
    CarePlanAction,
    CarePlanGoal,
    Case,
    CaseAccess,
    CaseNote,
    CaseStageChange,
    CaseTransfer,
    CaseType,
    ClosureRequest,
    Consent,
    IdentificationDecision,
    Stage,
)
from shield.cases.tests import factories as f

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases/"
NAME = "Nguyễn Thị Hoa"
NOTE = "She fears the broker from Lào Cai who still calls her mother."
TRANSITION_REASON = "Referred by the Lào Cai border post after screening"
GUARDIAN = "Lò Văn Páo"
BASIS = "Statements checked against the recruiter's Zalo messages"
SUMMARY = "Sleeps badly; wants to finish grade 9"
GOAL = "A safe place to live near her school"
TRANSFER_REASON = "She moved back to her family in Thành phố Hồ Chí Minh"
CLOSURE_REASON = "Reintegrated with her family; school fees covered"
TODAY = timezone.localdate

snapshot = db_snapshot(
    Case,
    CaseNote,
    Consent,
    CarePlan,
    CarePlanGoal,
    CarePlanAction,
    CaseTransfer,
    ClosureRequest,
    CaseStageChange,
    IdentificationDecision,
    Assessment,
    CaseAccess,
)


@dataclass
class World:
    home: Agency
    far: Agency
    receiving: Agency
    worker: User
    supervisor: User
    case: Case
    extra: dict[str, object] = field(default_factory=dict)

    def url(self, tail: str = "") -> str:
        return f"{CASES}{self.case.pk}/{tail}"

    def refresh(self) -> Case:
        self.case.refresh_from_db()
        return self.case


@pytest.fixture
def world() -> World:
    home = AgencyFactory.create(code="home-spc", name_en="Home Protection Centre", province=province("01"))
    far = AgencyFactory.create(code="far-spc", name_en="Far Protection Centre", province=province("79"))
    receiving = AgencyFactory.create(
        code="receiving-spc", name_en="Receiving Centre", province=province("79")
    )
    worker = member(Role.CASE_WORKER, agency=home, username="cw.home")
    supervisor = member(Role.SUPERVISOR, agency=home, username="sup.home")
    hoa = f.person(actor=worker, full_name=NAME, birth_date=datetime.date(1995, 3, 14))
    case = services.case_open(
        actor=worker,
        person=hoa,
        case_type=CaseType.TRAFFICKING_VICTIM,
        owner_agency=home,
        assigned_worker=worker,
    )
    services.note_add(actor=worker, case=case, kind="contact", body=NOTE)
    return World(home, far, receiving, worker, supervisor, case)


def _readers(w: World, no_permission_role: str = Role.STATISTICIAN) -> Actors:
    return Actors(
        permitted=w.worker,
        no_permission=member(no_permission_role, agency=w.home, username=f"{no_permission_role}.home"),
        other_agency=member(Role.CASE_WORKER, agency=w.far, username="cw.far"),
    )


def _supervisors(w: World, no_permission_role: str = Role.CASE_WORKER) -> Actors:
    return Actors(
        permitted=w.supervisor,
        no_permission=member(no_permission_role, agency=w.home, username=f"{no_permission_role}.colleague"),
        other_agency=member(Role.SUPERVISOR, agency=w.far, username="sup.far"),
    )


def _receivers(w: World, no_permission_role: str = Role.JUSTICE_OFFICER) -> Actors:
    return Actors(
        permitted=member(Role.CASE_WORKER, agency=w.receiving, username="cw.receiving"),
        no_permission=member(no_permission_role, agency=w.receiving, username=f"{no_permission_role}.rec"),
        other_agency=member(Role.CASE_WORKER, agency=w.far, username="cw.far"),
    )


# --- set-ups --------------------------------------------------------------------------------------


def _share_consent(w: World) -> Consent:
    return services.consent_record(
        actor=w.worker,
        case=w.case,
        scope="share_with_agency",
        given_by="person",
        given_on=TODAY(),
        shared_with_agency=w.receiving,
    )


def _pending_transfer(w: World) -> CaseTransfer:
    _share_consent(w)
    return services.transfer_request(
        actor=w.worker, case=w.case, to_agency=w.receiving, reason=TRANSFER_REASON
    )


def _draft_plan(w: World, *, with_action: bool = False) -> CarePlan:
    f.put_at(w.case, Stage.CARE_PLAN)
    plan = services.care_plan_create(actor=w.worker, case=w.case)
    goal = services.care_plan_goal_add(
        actor=w.worker, plan=plan, description=GOAL, domain="housing", expected_version=plan.version
    )
    w.extra["goal"] = goal
    plan.refresh_from_db()
    if with_action:
        services.care_plan_action_add(
            actor=w.worker,
            goal=goal,
            description="Visit the boarding school",
            due_on=TODAY() + datetime.timedelta(days=10),
            responsible_person=w.worker,
            expected_version=plan.version,
        )
        plan.refresh_from_db()
    return plan


def _submitted_plan(w: World) -> CarePlan:
    plan = _draft_plan(w, with_action=True)
    return services.care_plan_submit(actor=w.worker, plan=plan, expected_version=plan.version)


def _approved_action(w: World) -> CarePlanAction:
    f.put_at(w.case, Stage.SERVICES)
    return CarePlanAction.objects.get(goal__plan__case=w.case)


def _closure(w: World) -> ClosureRequest:
    return services.closure_request(actor=w.worker, case=w.case, reason=CLOSURE_REASON)


# --- the endpoints --------------------------------------------------------------------------------


@dataclass
class Spec:
    endpoint: Endpoint
    actors: Callable[[World], Actors] = _readers
    secrets: list[str] = field(default_factory=lambda: [NAME, NOTE])


def _get(url: str, secrets: list[str], **options: object) -> Spec:
    return Spec(Endpoint("GET", url, api=True, **options), _readers, secrets)  # type: ignore[arg-type]


def _post(url: str, data: dict, status: int = 201, actors: Callable[[World], Actors] = _readers) -> Spec:
    return Spec(Endpoint("POST", url, data=data, api=True, permitted_status={status}), actors)


def read_list(w: World) -> Spec:
    return _get(CASES, [NAME], scoped=True)


def read_case(w: World) -> Spec:
    return _get(w.url(), [NAME])


def read_transitions(w: World) -> Spec:
    services.case_transition(
        actor=w.worker,
        case=w.case,
        to_stage=Stage.UNDERGOING_IDENTIFICATION,
        reason=TRANSITION_REASON,
        expected_version=w.case.version,
    )
    return _get(w.url("transitions/"), [TRANSITION_REASON])


def read_notes(w: World) -> Spec:
    return _get(w.url("notes/"), [NOTE])


def read_consents(w: World) -> Spec:
    services.consent_record(
        actor=w.worker,
        case=w.case,
        scope="statistics",
        given_by="guardian",
        guardian_name=GUARDIAN,
        given_on=TODAY(),
    )
    return _get(w.url("consents/"), [GUARDIAN])


def read_identification(w: World) -> Spec:
    services.identification_decide(
        actor=w.worker,
        case=w.case,
        status="possible",
        body_name="Công an tỉnh Lào Cai",
        body_type=AgencyKind.POLICE_PROVINCIAL,
        decided_on=TODAY(),
        basis=BASIS,
    )
    return _get(w.url("identification/"), [BASIS])


def read_assessments(w: World) -> Spec:
    f.put_at(w.case, Stage.ASSESSMENT)
    services.assessment_record(actor=w.worker, case=w.case, needs={"education": "high"}, summary=SUMMARY)
    return _get(w.url("assessments/"), [SUMMARY])


def read_care_plan(w: World) -> Spec:
    _draft_plan(w)
    return _get(w.url("care-plan/"), [GOAL])


def read_transfers(w: World) -> Spec:
    _pending_transfer(w)
    return _get(w.url("transfers/"), [TRANSFER_REASON])


def read_closure(w: World) -> Spec:
    _closure(w)
    return _get(w.url("closure/"), [CLOSURE_REASON])


def write_open(w: World) -> Spec:
    other = f.person(actor=w.worker, full_name="Giàng Thị Mai", birth_date=datetime.date(1990, 1, 2))
    data = {"person": str(other.pk), "case_type": CaseType.AT_RISK_MIGRANT, "owner_agency": str(w.home.pk)}
    return _post(CASES, data)


def write_patch(w: World) -> Spec:
    data = {"risk_level": "high", "version": w.case.version}
    return Spec(Endpoint("PATCH", w.url(), data=data, api=True))


def write_transition(w: World) -> Spec:
    data = {"to_stage": Stage.UNDERGOING_IDENTIFICATION, "reason": "Screened", "version": w.case.version}
    return _post(w.url("transitions/"), data, status=200)


def write_reopen(w: World) -> Spec:
    case = f.put_at(w.case, Stage.CLOSED)
    return _post(w.url("reopen/"), {"reason": "She came back", "version": case.version}, status=200)


def write_note(w: World) -> Spec:
    return _post(w.url("notes/"), {"kind": "home_visit", "body": "Visited the family at home."})


def write_consent(w: World) -> Spec:
    data = {"scope": "statistics", "given_by": "person", "given_on": TODAY().isoformat()}
    return _post(w.url("consents/"), data)


def write_consent_withdraw(w: World) -> Spec:
    consent = _share_consent(w)
    return _post(w.url(f"consents/{consent.pk}/withdraw/"), {"reason": "She changed her mind"}, status=200)


def write_identification(w: World) -> Spec:
    data = {
        "status": "possible",
        "body_name": "Đồn Biên phòng Lào Cai",
        "body_type": AgencyKind.BORDER_GUARD,
        "decided_on": TODAY().isoformat(),
        "basis": "Screening at the border gate",
    }
    return _post(w.url("identification/"), data)


def write_assessment(w: World) -> Spec:
    f.put_at(w.case, Stage.ASSESSMENT)
    return _post(w.url("assessments/"), {"needs": [{"domain": "safety", "level": "high"}]})


def write_care_plan(w: World) -> Spec:
    f.put_at(w.case, Stage.CARE_PLAN)
    return _post(w.url("care-plan/"), {})


def write_goal(w: World) -> Spec:
    plan = _draft_plan(w)
    return _post(w.url("care-plan/goals/"), {"description": "Back to school", "version": plan.version})


def write_action(w: World) -> Spec:
    plan = _draft_plan(w)
    goal = w.extra["goal"]
    data = {
        "goal": str(goal.pk),  # type: ignore[attr-defined]
        "description": "Enrol her for the new term",
        "due_on": (TODAY() + datetime.timedelta(days=20)).isoformat(),
        "responsible_agency": str(w.home.pk),
        "version": plan.version,
    }
    return _post(w.url("care-plan/actions/"), data)


def write_submit(w: World) -> Spec:
    plan = _draft_plan(w, with_action=True)
    return _post(w.url("care-plan/submit/"), {"version": plan.version}, status=200)


def write_action_complete(w: World) -> Spec:
    action = _approved_action(w)
    return _post(w.url(f"care-plan/actions/{action.pk}/complete/"), {}, status=200)


def write_action_cancel(w: World) -> Spec:
    action = _approved_action(w)
    return _post(w.url(f"care-plan/actions/{action.pk}/cancel/"), {"reason": "Not needed now"}, status=200)


def write_transfer(w: World) -> Spec:
    _share_consent(w)
    data = {"to_agency": str(w.receiving.pk), "reason": TRANSFER_REASON}
    return _post(w.url("transfers/"), data)


def write_transfer_cancel(w: World) -> Spec:
    transfer = _pending_transfer(w)
    return _post(w.url(f"transfers/{transfer.pk}/cancel/"), {"note": "She stays"}, status=200)


def write_closure(w: World) -> Spec:
    return _post(w.url("closure/"), {"reason": CLOSURE_REASON})


def supervise_approve(w: World) -> Spec:
    plan = _submitted_plan(w)
    return _post(w.url("care-plan/approve/"), {"version": plan.version}, status=200, actors=_supervisors)


def supervise_return(w: World) -> Spec:
    plan = _submitted_plan(w)
    data = {"note": "Add a health goal", "version": plan.version}
    return _post(w.url("care-plan/return/"), data, status=200, actors=_supervisors)


def supervise_closure_approve(w: World) -> Spec:
    closure = _closure(w)
    return _post(w.url(f"closure/{closure.pk}/approve/"), {}, status=200, actors=_supervisors)


def supervise_closure_return(w: World) -> Spec:
    closure = _closure(w)
    data = {"note": "Follow-up visit first"}
    return _post(w.url(f"closure/{closure.pk}/return/"), data, status=200, actors=_supervisors)


def receive_accept(w: World) -> Spec:
    transfer = _pending_transfer(w)
    return _post(
        w.url(f"transfers/{transfer.pk}/accept/"), {"note": "Welcome"}, status=200, actors=_receivers
    )


def receive_decline(w: World) -> Spec:
    transfer = _pending_transfer(w)
    data = {"note": "No place for her"}
    return _post(w.url(f"transfers/{transfer.pk}/decline/"), data, status=200, actors=_receivers)


READS = [
    read_list,
    read_case,
    read_transitions,
    read_notes,
    read_consents,
    read_identification,
    read_assessments,
    read_care_plan,
    read_transfers,
    read_closure,
]
WRITES = [
    write_open,
    write_patch,
    write_transition,
    write_reopen,
    write_note,
    write_consent,
    write_consent_withdraw,
    write_identification,
    write_assessment,
    write_care_plan,
    write_goal,
    write_action,
    write_submit,
    write_action_complete,
    write_action_cancel,
    write_transfer,
    write_transfer_cancel,
    write_closure,
]
DECISIONS = [supervise_approve, supervise_return, supervise_closure_approve, supervise_closure_return]
ANSWERS = [receive_accept, receive_decline]


def _run(spec: Spec, actors: Actors) -> dict[str, int]:
    statuses = assert_matrix(spec.endpoint, actors, secrets=spec.secrets, snapshot=snapshot)
    assert statuses["anonymous"] == 401
    return statuses


@pytest.mark.parametrize("build", READS, ids=lambda b: b.__name__)
def test_reads(world, build):
    spec = build(world)
    statuses = _run(spec, _readers(world))
    assert statuses["no_permission"] == 403  # a statistician never sees a case
    if not spec.endpoint.scoped:
        assert statuses["other_agency"] == 404


@pytest.mark.parametrize("build", WRITES, ids=lambda b: b.__name__)
@pytest.mark.parametrize("refused_role", [Role.STATISTICIAN, Role.JUSTICE_OFFICER])
def test_writes(world, build, refused_role):
    spec = build(world)
    statuses = _run(spec, _readers(world, refused_role))
    # A justice officer may read the case but not change it. (Completing an action lets the person
    # responsible for it through with read access only; the service refuses anyone else.)
    assert statuses["no_permission"] == 403
    assert statuses["other_agency"] == (403 if build is write_open else 404)


@pytest.mark.parametrize("build", DECISIONS, ids=lambda b: b.__name__)
@pytest.mark.parametrize("refused_role", [Role.CASE_WORKER, Role.STATISTICIAN])
def test_supervisor_decisions(world, build, refused_role):
    spec = build(world)
    statuses = _run(spec, _supervisors(world, refused_role))
    assert statuses["no_permission"] == 403
    assert statuses["other_agency"] == 404


@pytest.mark.parametrize("build", ANSWERS, ids=lambda b: b.__name__)
@pytest.mark.parametrize("refused_role", [Role.JUSTICE_OFFICER, Role.STATISTICIAN])
def test_answers_of_the_receiving_agency(world, build, refused_role):
    spec = build(world)
    statuses = _run(spec, _receivers(world, refused_role))
    assert statuses["no_permission"] == 403
    assert statuses["other_agency"] == 404


COVERAGE = {
    ("GET", "api-case-list"): read_list,
    ("POST", "api-case-list"): write_open,
    ("GET", "api-case-detail"): read_case,
    ("PATCH", "api-case-detail"): write_patch,
    ("GET", "api-case-transitions"): read_transitions,
    ("POST", "api-case-transitions"): write_transition,
    ("POST", "api-case-reopen"): write_reopen,
    ("GET", "api-case-notes"): read_notes,
    ("POST", "api-case-notes"): write_note,
    ("GET", "api-case-consents"): read_consents,
    ("POST", "api-case-consents"): write_consent,
    ("POST", "api-case-consent-withdraw"): write_consent_withdraw,
    ("GET", "api-case-identification"): read_identification,
    ("POST", "api-case-identification"): write_identification,
    ("GET", "api-case-assessments"): read_assessments,
    ("POST", "api-case-assessments"): write_assessment,
    ("GET", "api-case-care-plan"): read_care_plan,
    ("POST", "api-case-care-plan"): write_care_plan,
    ("POST", "api-case-care-plan-goals"): write_goal,
    ("POST", "api-case-care-plan-actions"): write_action,
    ("POST", "api-case-care-plan-action-complete"): write_action_complete,
    ("POST", "api-case-care-plan-action-cancel"): write_action_cancel,
    ("POST", "api-case-care-plan-submit"): write_submit,
    ("POST", "api-case-care-plan-approve"): supervise_approve,
    ("POST", "api-case-care-plan-return"): supervise_return,
    ("GET", "api-case-transfers"): read_transfers,
    ("POST", "api-case-transfers"): write_transfer,
    ("POST", "api-case-transfer-accept"): receive_accept,
    ("POST", "api-case-transfer-decline"): receive_decline,
    ("POST", "api-case-transfer-cancel"): write_transfer_cancel,
    ("GET", "api-case-closure"): read_closure,
    ("POST", "api-case-closure"): write_closure,
    ("POST", "api-case-closure-approve"): supervise_closure_approve,
    ("POST", "api-case-closure-return"): supervise_closure_return,
}


def test_every_route_and_method_is_in_the_matrix():
    """A route or method added without a matrix entry fails here."""
    from shield.cases.api import urls

    served = {
        (method.upper(), route.name)
        for route in urls.urlpatterns
        for method in ("get", "post", "put", "patch", "delete")
        if hasattr(route.callback.view_class, method)
    }
    assert served == set(COVERAGE)
    assert sorted(COVERAGE.values(), key=lambda b: b.__name__) == sorted(
        READS + WRITES + DECISIONS + ANSWERS, key=lambda b: b.__name__
    )
