"""Every case page and every form it posts, through the four-actor permission matrix: anonymous (sent
to sign in), another agency's member with the same role (404: the case does not exist for them; the
list answers but shows none of ours), a role without the permission (403), and the permitted user.
Refusals leak neither the person's name, the case reference nor a note, and change no record."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shield.accounts.models import Agency, User
from shield.accounts.roles import Role
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
    ClosureRequest,
    Consent,
    ConsentScope,
    IdentificationDecision,
    Stage,
    TraffickingDetails,
    TraffickingPlace,
)
from shield.cases.tests import factories as f
from shield.cases.views.common import TAB_KEYS

pytestmark = pytest.mark.django_db

NAME = "Nguyễn Thị Hoa"
NOTE = "She fears the cousin of the broker in Lào Cai"
snapshot = db_snapshot(
    Case,
    CaseNote,
    CarePlan,
    CarePlanGoal,
    CarePlanAction,
    Consent,
    CaseTransfer,
    CaseAccess,
    ClosureRequest,
    CaseStageChange,
    IdentificationDecision,
    TraffickingDetails,
    TraffickingPlace,
    Assessment,
)
TODAY = timezone.localdate


@dataclass
class World:
    agency: Agency
    worker: User
    supervisor: User
    statistician: User
    far_worker: User
    far_supervisor: User
    case: Case

    @property
    def readers(self) -> Actors:
        """cases.view / cases.edit pages: the case worker; a statistician holds neither."""
        return Actors(permitted=self.worker, no_permission=self.statistician, other_agency=self.far_worker)

    @property
    def supervisors(self) -> Actors:
        """cases.supervise: the supervisor; the case worker lacks it."""
        return Actors(permitted=self.supervisor, no_permission=self.worker, other_agency=self.far_supervisor)


@pytest.fixture
def world() -> World:
    agency = AgencyFactory.create(code="home-agency", name_en="Home Agency", province=province("01"))
    team = f.team(agency)
    elsewhere = AgencyFactory.create(code="far-agency", name_en="Far Agency", province=province("79"))
    hoa = f.person(actor=team.worker, full_name=NAME, birth_date=datetime.date(1995, 3, 14))
    case = f.open_case(actor=team.worker, agency=agency, person_=hoa, assigned_worker=team.worker)
    services.note_add(actor=team.worker, case=case, kind="contact", body=NOTE)
    return World(
        agency=agency,
        worker=team.worker,
        supervisor=team.supervisor,
        statistician=member(Role.STATISTICIAN, agency=agency),
        far_worker=member(Role.CASE_WORKER, agency=elsewhere),
        far_supervisor=member(Role.SUPERVISOR, agency=elsewhere),
        case=case,
    )


def cases_url(name: str, *args: Any) -> str:
    return reverse(f"cases:{name}", args=args)


def secrets_of(world: World) -> list[str]:
    return [NAME, world.case.reference]


# --- Pages ---------------------------------------------------------------------------------------


def test_case_list(world):
    assert_matrix(
        Endpoint("GET", cases_url("case_list"), scoped=True),
        world.readers,
        secrets=secrets_of(world),
        snapshot=snapshot,
    )


def test_approval_list(world):
    _submitted(world)
    assert_matrix(
        Endpoint("GET", cases_url("approval_list"), scoped=True),
        world.supervisors,
        secrets=[world.case.reference],
        snapshot=snapshot,
    )


@pytest.mark.parametrize("queue", ["mine", "overdue", "incoming"])
def test_case_list_queues(world, queue):
    if queue == "overdue":
        f.put_at(world.case, Stage.SERVICES)
        CarePlanAction.objects.filter(goal__plan__case=world.case).update(
            due_on=TODAY() - datetime.timedelta(days=2)
        )
    permitted = world.worker
    if queue == "incoming":
        transfer = _pending_transfer(world)
        permitted = member(Role.CASE_WORKER, agency=transfer.to_agency)
    assert_matrix(
        Endpoint("GET", cases_url("case_list"), data={"queue": queue}, scoped=True),
        Actors(permitted=permitted, no_permission=world.statistician, other_agency=world.far_worker),
        secrets=secrets_of(world),
        snapshot=snapshot,
    )


@pytest.mark.parametrize("tab", sorted(TAB_KEYS))
def test_case_detail_tabs(world, tab):
    f.put_at(world.case, Stage.SERVICES)
    secrets = [*secrets_of(world), NOTE] if tab == "notes" else secrets_of(world)
    assert_matrix(
        Endpoint("GET", cases_url("case_detail", world.case.pk), data={"tab": tab}),
        world.readers,
        secrets=secrets,
        snapshot=snapshot,
    )


def test_case_pdf(world):
    statuses = assert_matrix(
        Endpoint("GET", cases_url("case_pdf", world.case.pk)), world.readers, snapshot=snapshot
    )
    assert statuses == {"anonymous": 302, "no_permission": 403, "other_agency": 404, "permitted": 200}


@pytest.mark.parametrize("name", ["case_risk", "case_worker"])
def test_inline_editors(world, name):
    assert_matrix(
        Endpoint("GET", cases_url(name, world.case.pk)),
        world.readers,
        secrets=[world.case.reference],
        snapshot=snapshot,
    )


def test_case_create_page(world):
    person = world.case.person
    assert_matrix(
        Endpoint("GET", cases_url("case_create"), data={"person": str(person.pk)}),
        world.readers,
        secrets=[NAME],
        snapshot=snapshot,
    )


def test_case_create_person_search(world):
    # Typed words move out of the URL at once: a 303 to the kept search (`?s=`), with nothing of
    # the person in the redirect; what the kept search shows each reader is checked below.
    assert_matrix(
        Endpoint(
            "GET", cases_url("case_create"), data={"q": "nguyen thi hoa"}, scoped=True, permitted_status={303}
        ),
        world.readers,
        snapshot=snapshot,
    )


def test_case_create_person_search_kept_search_shows_only_what_is_in_reach(world):
    for user, sees in ((world.worker, True), (world.far_worker, False)):
        client = Client()
        client.force_login(user)
        response = client.get(cases_url("case_create"), {"q": "nguyen thi hoa"}, follow=True)
        assert response.status_code == 200
        assert "nguyen" not in response.redirect_chain[-1][0].lower()
        assert (NAME in response.content.decode()) is sees


def test_commune_options(world):
    # Public geography: any case worker may ask, whatever their agency.
    assert_matrix(
        Endpoint("GET", cases_url("commune_options"), data={"province": "01"}, also_allowed={"other_agency"}),
        world.readers,
        secrets=["Ba Đình"],
        snapshot=snapshot,
    )


# --- Forms ---------------------------------------------------------------------------------------

Setup = Callable[[World], tuple[str, dict[str, Any]]]


def _date(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def open_case(w: World) -> tuple[str, dict[str, Any]]:
    data = {
        "person": str(w.case.person_id),
        "case_type": "child_witness",
        "owner_agency": str(w.agency.pk),
        "risk_level": "low",
    }
    return cases_url("case_create"), data


def risk(w: World) -> tuple[str, dict[str, Any]]:
    return cases_url("case_risk", w.case.pk), {"risk_level": "critical", "version": w.case.version}


def worker(w: World) -> tuple[str, dict[str, Any]]:
    return cases_url("case_worker", w.case.pk), {
        "assigned_worker": str(w.supervisor.pk),
        "version": w.case.version,
    }


def transition(w: World) -> tuple[str, dict[str, Any]]:
    data = {"to_stage": "undergoing_identification", "version": w.case.version}
    return cases_url("case_transition", w.case.pk), data


def reopen(w: World) -> tuple[str, dict[str, Any]]:
    f.put_at(w.case, Stage.CLOSED)
    return cases_url("case_reopen", w.case.pk), {"reason": "At risk again", "version": w.case.version}


def identification(w: World) -> tuple[str, dict[str, Any]]:
    data = {
        "status": "identified",
        "body_name": "Công an tỉnh",
        "body_type": "police_provincial",
        "decided_on": _date(TODAY()),
        "basis": "Verified",
    }
    return cases_url("identification_add", w.case.pk), data


def details(w: World) -> tuple[str, dict[str, Any]]:
    return cases_url("trafficking_details", w.case.pk), {
        "version": 0,
        "forms_of_exploitation": ["ForcedLabour"],
    }


def place(w: World) -> tuple[str, dict[str, Any]]:
    return cases_url("place_add", w.case.pk), {"kind": "transit", "country": "CN"}


def place_remove(w: World) -> tuple[str, dict[str, Any]]:
    made = services.trafficking_place_add(actor=w.worker, case=w.case, kind="transit", country="CN")
    return cases_url("place_remove", w.case.pk, made.pk), {"reason": "Recorded twice"}


def assessment(w: World) -> tuple[str, dict[str, Any]]:
    return cases_url("assessment_add", w.case.pk), {"level_safety": "high"}


def plan_create(w: World) -> tuple[str, dict[str, Any]]:
    f.put_at(w.case, Stage.CARE_PLAN)
    return cases_url("plan_create", w.case.pk), {}


def _draft(w: World) -> CarePlan:
    f.put_at(w.case, Stage.CARE_PLAN)
    return services.care_plan_create(actor=w.worker, case=w.case)


def _submitted(w: World) -> CarePlan:
    plan = _draft(w)
    goal = services.care_plan_goal_add(
        actor=w.worker, plan=plan, description="Safety", expected_version=plan.version
    )
    plan.refresh_from_db()
    services.care_plan_action_add(
        actor=w.worker,
        goal=goal,
        description="Shelter",
        due_on=TODAY(),
        expected_version=plan.version,
        responsible_agency=w.agency,
    )
    plan.refresh_from_db()
    return services.care_plan_submit(actor=w.worker, plan=plan, expected_version=plan.version)


def goal(w: World) -> tuple[str, dict[str, Any]]:
    plan = _draft(w)
    return cases_url("goal_add", w.case.pk, plan.pk), {
        "goal-description": "School",
        "goal-version": plan.version,
    }


def action(w: World) -> tuple[str, dict[str, Any]]:
    plan = _draft(w)
    made = services.care_plan_goal_add(
        actor=w.worker, plan=plan, description="School", expected_version=plan.version
    )
    plan.refresh_from_db()
    data = {
        "action-goal": str(made.pk),
        "action-description": "Enrol",
        "action-due_on": _date(TODAY()),
        "action-responsible_agency": str(w.agency.pk),
        "action-version": plan.version,
    }
    return cases_url("action_add", w.case.pk, plan.pk), data


def submit(w: World) -> tuple[str, dict[str, Any]]:
    plan = _draft(w)
    made = services.care_plan_goal_add(
        actor=w.worker, plan=plan, description="School", expected_version=plan.version
    )
    plan.refresh_from_db()
    services.care_plan_action_add(
        actor=w.worker,
        goal=made,
        description="Enrol",
        due_on=TODAY(),
        expected_version=plan.version,
        responsible_agency=w.agency,
    )
    plan.refresh_from_db()
    return cases_url("plan_submit", w.case.pk, plan.pk), {"version": plan.version}


def approve(w: World) -> tuple[str, dict[str, Any]]:
    plan = _submitted(w)
    return cases_url("plan_approve", w.case.pk, plan.pk), {"version": plan.version}


def plan_return(w: World) -> tuple[str, dict[str, Any]]:
    plan = _submitted(w)
    return cases_url("plan_return", w.case.pk, plan.pk), {
        "return-version": plan.version,
        "return-note": "More",
    }


def _open_action(w: World) -> CarePlanAction:
    f.put_at(w.case, Stage.SERVICES)
    return CarePlanAction.objects.get(goal__plan__case=w.case)


def action_done(w: World) -> tuple[str, dict[str, Any]]:
    return cases_url("action_complete", w.case.pk, _open_action(w).pk), {}


def action_cancel(w: World) -> tuple[str, dict[str, Any]]:
    return cases_url("action_cancel", w.case.pk, _open_action(w).pk), {"reason": "Not needed"}


def note(w: World) -> tuple[str, dict[str, Any]]:
    return cases_url("note_add", w.case.pk), {"kind": "contact", "body": "Called her"}


def consent(w: World) -> tuple[str, dict[str, Any]]:
    data = {"scope": "services", "given_by": "person", "given_on": _date(TODAY())}
    return cases_url("consent_add", w.case.pk), data


def withdraw(w: World) -> tuple[str, dict[str, Any]]:
    made = services.consent_record(
        actor=w.worker, case=w.case, scope=ConsentScope.SERVICES, given_by="person", given_on=TODAY()
    )
    return cases_url("consent_withdraw", w.case.pk, made.pk), {"reason": "Changed her mind"}


def _receiver() -> Agency:
    return AgencyFactory.create(code="receiving-agency", province=province("79"))


def transfer(w: World) -> tuple[str, dict[str, Any]]:
    to = _receiver()
    services.consent_record(
        actor=w.worker,
        case=w.case,
        scope=ConsentScope.SHARE_WITH_AGENCY,
        shared_with_agency=to,
        given_by="person",
        given_on=TODAY(),
    )
    return cases_url("transfer_request", w.case.pk), {"to_agency": str(to.pk), "reason": "She moved"}


def _pending_transfer(w: World) -> CaseTransfer:
    to = _receiver()
    services.consent_record(
        actor=w.worker,
        case=w.case,
        scope=ConsentScope.SHARE_WITH_AGENCY,
        shared_with_agency=to,
        given_by="person",
        given_on=TODAY(),
    )
    return services.transfer_request(actor=w.worker, case=w.case, to_agency=to, reason="She moved")


def transfer_cancel(w: World) -> tuple[str, dict[str, Any]]:
    made = _pending_transfer(w)
    return cases_url("transfer_cancel", w.case.pk, made.pk), {}


def closure(w: World) -> tuple[str, dict[str, Any]]:
    return cases_url("closure_request", w.case.pk), {"reason": "Reintegrated"}


def _closure(w: World) -> ClosureRequest:
    return services.closure_request(actor=w.worker, case=w.case, reason="Reintegrated")


def closure_approve(w: World) -> tuple[str, dict[str, Any]]:
    return cases_url("closure_approve", w.case.pk, _closure(w).pk), {"confirmed": "on"}


def closure_return(w: World) -> tuple[str, dict[str, Any]]:
    return cases_url("closure_return", w.case.pk, _closure(w).pk), {"note": "Visit first"}


CASE_WORK_FORMS: dict[str, Setup] = {
    "case_create": open_case,
    "case_risk": risk,
    "case_worker": worker,
    "case_transition": transition,
    "case_reopen": reopen,
    "identification_add": identification,
    "trafficking_details": details,
    "place_add": place,
    "place_remove": place_remove,
    "assessment_add": assessment,
    "plan_create": plan_create,
    "goal_add": goal,
    "action_add": action,
    "plan_submit": submit,
    "action_complete": action_done,
    "action_cancel": action_cancel,
    "note_add": note,
    "consent_add": consent,
    "consent_withdraw": withdraw,
    "transfer_request": transfer,
    "transfer_cancel": transfer_cancel,
    "closure_request": closure,
}
SUPERVISOR_FORMS: dict[str, Setup] = {
    "plan_approve": approve,
    "plan_return": plan_return,
    "closure_approve": closure_approve,
    "closure_return": closure_return,
}


@pytest.mark.parametrize("name", sorted(CASE_WORK_FORMS))
def test_case_work_forms(world, name):
    world.case.refresh_from_db()
    post_url, data = CASE_WORK_FORMS[name](world)
    world.case.refresh_from_db()
    if "version" in data and name in {"case_risk", "case_worker", "case_transition", "case_reopen"}:
        data["version"] = world.case.version
    before = snapshot()
    statuses = assert_matrix(
        Endpoint("POST", post_url, data=data, permitted_status={302}),
        world.readers,
        secrets=secrets_of(world),
        snapshot=snapshot,
    )
    assert statuses["other_agency"] == 404
    assert statuses["no_permission"] == 403
    assert snapshot() != before, f"{name}: the permitted post changed nothing"


@pytest.mark.parametrize("name", sorted(SUPERVISOR_FORMS))
def test_supervisor_forms(world, name):
    post_url, data = SUPERVISOR_FORMS[name](world)
    before = snapshot()
    statuses = assert_matrix(
        Endpoint("POST", post_url, data=data, permitted_status={302}),
        world.supervisors,
        secrets=secrets_of(world),
        snapshot=snapshot,
    )
    assert statuses == {"anonymous": 302, "no_permission": 403, "other_agency": 404, "permitted": 302}
    assert snapshot() != before, f"{name}: the permitted post changed nothing"


@pytest.mark.parametrize("how", ["transfer_accept", "transfer_decline"])
def test_answering_a_transfer(world, how):
    pending = _pending_transfer(world)
    receiver = pending.to_agency
    actors = Actors(
        permitted=member(Role.CASE_WORKER, agency=receiver),
        no_permission=member(Role.STATISTICIAN, agency=receiver),
        other_agency=member(Role.CASE_WORKER, agency=AgencyFactory.create(province=province("48"))),
    )
    before = snapshot()
    statuses = assert_matrix(
        Endpoint("POST", cases_url(how, world.case.pk, pending.pk), data={}, permitted_status={302}),
        actors,
        secrets=secrets_of(world),
        snapshot=snapshot,
    )
    assert statuses == {"anonymous": 302, "no_permission": 403, "other_agency": 404, "permitted": 302}
    assert snapshot() != before


def test_the_owning_agencys_worker_cannot_answer_its_own_transfer(client, world):
    pending = _pending_transfer(world)
    before = snapshot()
    client.force_login(world.worker)
    response = client.post(cases_url("transfer_accept", world.case.pk, pending.pk))
    assert response.status_code == 403
    assert snapshot() == before


def test_an_agency_with_read_access_cannot_change_the_case(client, world):
    reader_agency = AgencyFactory.create(province=province("01"))
    services.case_access_grant(
        actor=world.supervisor,
        case=world.case,
        agency=reader_agency,
        reason="Court proceedings",
        legal_basis="Article 5",
        override=True,
    )
    reader = member(Role.CASE_WORKER, agency=reader_agency)
    client.force_login(reader)
    assert client.get(cases_url("case_detail", world.case.pk)).status_code == 200
    before = snapshot()
    response = client.post(cases_url("note_add", world.case.pk), {"kind": "contact", "body": "x"})
    assert response.status_code == 403
    assert client.get(cases_url("case_risk", world.case.pk)).status_code == 403
    assert snapshot() == before


def test_every_case_url_is_in_the_matrix():
    from shield.cases.urls import urlpatterns

    covered = {
        "case_list",
        "approval_list",
        "case_create",
        "case_detail",
        "case_pdf",
        "commune_options",
        "transfer_accept",
        "transfer_decline",
        *CASE_WORK_FORMS,
        *SUPERVISOR_FORMS,
    }
    assert {p.name for p in urlpatterns} == covered
