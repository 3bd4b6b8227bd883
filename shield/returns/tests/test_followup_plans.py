"""Starting a reintegration plan and reassigning its worker: pages, API (If-Match) and the matrix."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from shield.accounts.roles import Role
from shield.accounts.tests.factories import member
from shield.accounts.tests.permission_matrix import Actors, Endpoint, assert_matrix, db_snapshot
from shield.audit.models import AuditEvent
from shield.core.errors import ValidationFailed
from shield.returns.followup import rules, services
from shield.returns.models import FollowUp, ReintegrationPlan
from shield.returns.tests import alerts_factories as f

pytestmark = pytest.mark.django_db
snapshot = db_snapshot(ReintegrationPlan, FollowUp)


@pytest.fixture
def w():
    return f.world(with_plan=False)


def _start(w, **extra):
    return services.plan_create(
        actor=w.worker,
        person=w.returnee,
        agency=w.agency,
        worker=w.worker,
        starts_on=timezone.localdate() - datetime.timedelta(days=10),
        **extra,
    )


def _actors(w):
    far = f.world(gate_code="mong-cai", with_plan=False)
    return Actors(
        permitted=w.worker,
        no_permission=member(Role.FRONTLINE_OFFICER, agency=w.agency),
        other_agency=far.worker,
    )


def test_the_person_and_case_pages_link_to_a_new_plan(w, client: Client):
    client.force_login(w.worker)
    person_page = client.get(f"/people/{w.returnee.pk}/").content.decode()
    assert f"/returns/plans/new/?person={w.returnee.pk}" in person_page
    case = w.return_record.case
    case_page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f"/returns/plans/new/?person={w.returnee.pk}&amp;case={case.pk}" in case_page
    client.force_login(member(Role.FRONTLINE_OFFICER, agency=w.agency))
    assert (
        'data-testid="start-reintegration-plan"'
        not in client.get(f"/people/{w.returnee.pk}/").content.decode()
    )


def test_starting_a_plan_through_the_page_schedules_its_followups(w, client: Client):
    case = w.return_record.case
    client.force_login(w.worker)
    form = client.get(f"/returns/plans/new/?person={w.returnee.pk}&case={case.pk}")
    assert form.status_code == 200
    page = form.content.decode()
    assert f.RETURNEE in page
    assert "default-2025" in page
    start = timezone.localdate() - datetime.timedelta(days=40)
    data = {
        "person": str(w.returnee.pk),
        "case": str(case.pk),
        "schedule": "default-2025",
        "starts_on": start.strftime("%d/%m/%Y"),
        "goals": "Vocational training",
        "worker": str(w.worker.pk),
    }
    response = client.post("/returns/plans/new/", data)
    assert response.status_code == 302
    plan = ReintegrationPlan.objects.get()
    assert response["Location"] == f"/returns/plans/{plan.pk}/"
    assert (plan.case, plan.schedule_code, plan.goals) == (case, "default-2025", "Vocational training")
    assert list(plan.followups.order_by("sequence").values_list("months_after", flat=True)) == [1, 3, 6, 12]
    shown = client.get(response["Location"]).content.decode()
    assert shown.count('data-testid="schedule-row"') == 4
    assert rules.add_months(start, 1).strftime("%d/%m/%Y") in shown
    assert AuditEvent.objects.filter(action="create", object_id=str(plan.pk)).exists()


def test_bad_input_on_the_create_page_is_explained(w, client: Client):
    client.force_login(w.worker)
    elsewhere = member(Role.CASE_WORKER)
    bad = {
        "person": str(w.returnee.pk),
        "schedule": "no-such-rule",
        "starts_on": "31/02/2026",
        "goals": "x" * 4001,
        "worker": elsewhere.pk,
    }
    response = client.post("/returns/plans/new/", bad)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"schedule", "starts_on", "goals", "worker"}
    assert 'data-testid="form-errors"' in response.content.decode()
    # A schedule not in force on the start day is refused by the service, on the form.
    good = {**bad, "schedule": "default-2025", "starts_on": "01/01/2019", "goals": ""}
    good["worker"] = str(w.worker.pk)
    response = client.post("/returns/plans/new/", good)
    assert response.status_code == 400
    assert "schedule" in response.context["form"].errors
    assert not ReintegrationPlan.objects.exists()
    assert client.get("/returns/plans/new/?person=not-a-uuid").status_code == 404


def test_the_service_refuses_a_worker_outside_the_agency(w):
    with pytest.raises(ValidationFailed):
        services.plan_create(
            actor=w.worker,
            person=w.returnee,
            agency=w.agency,
            worker=member(Role.CASE_WORKER),
            starts_on=timezone.localdate(),
        )


def test_reassigning_through_the_page_refuses_a_stale_version(w, client: Client):
    plan = _start(w)
    other = member(Role.CASE_WORKER, agency=w.agency)
    client.force_login(w.supervisor)
    detail = client.get(f"/returns/plans/{plan.pk}/").content.decode()
    assert f"/returns/plans/{plan.pk}/reassign/" in detail
    assert client.get(f"/returns/plans/{plan.pk}/reassign/").status_code == 200
    data = {"version": plan.version, "worker": other.pk}
    assert client.post(f"/returns/plans/{plan.pk}/reassign/", data).status_code == 302
    plan.refresh_from_db()
    assert plan.worker == other
    assert set(plan.followups.values_list("worker", flat=True)) == {other.pk}
    stale = client.post(f"/returns/plans/{plan.pk}/reassign/", {**data, "worker": w.worker.pk})
    assert stale.status_code == 400
    assert 'data-testid="form-errors"' in stale.content.decode()
    plan.refresh_from_db()
    assert plan.worker == other  # no silent overwrite


def test_creating_through_the_api(w, client: Client):
    client.force_login(w.worker)
    case = w.return_record.case
    body = {
        "person": str(w.returnee.pk),
        "case": str(case.pk),
        "starts_on": timezone.localdate().isoformat(),
        "goals": "Housing",
        "worker": str(w.worker.pk),
    }
    created = client.post("/api/v1/returns/plans/", body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["schedule_code"] == "default-2025"
    assert [row["months_after"] for row in created.json()["followups"]] == [1, 3, 6, 12]
    assert created["ETag"] == '"1"'
    wrong = client.post(
        "/api/v1/returns/plans/",
        {**body, "schedule": "nope", "worker": str(member(Role.CASE_WORKER).pk)},
        content_type="application/json",
    )
    assert wrong.status_code == 400
    assert ReintegrationPlan.objects.count() == 1


def test_reassigning_through_the_api_needs_if_match(w, client: Client):
    plan = _start(w)
    other = member(Role.CASE_WORKER, agency=w.agency)
    client.force_login(w.worker)
    url = f"/api/v1/returns/plans/{plan.pk}/reassign/"
    body = {"worker": str(other.pk)}
    assert client.post(url, body, content_type="application/json").status_code == 428
    ok = client.post(url, body, content_type="application/json", headers={"If-Match": f'"{plan.version}"'})
    assert ok.status_code == 200
    assert ok.json()["worker"] == str(other.pk)
    stale = client.post(
        url,
        {"worker": str(w.worker.pk)},
        content_type="application/json",
        headers={"If-Match": f'"{plan.version}"'},
    )
    assert stale.status_code == 412
    plan.refresh_from_db()
    assert plan.worker == other


def test_create_and_reassign_through_the_matrix(w):
    plan = _start(w)
    actors = _actors(w)
    other = member(Role.CASE_WORKER, agency=w.agency)
    assert_matrix(
        Endpoint("GET", f"/returns/plans/new/?person={w.returnee.pk}"),
        actors,
        secrets=[f.RETURNEE],
        snapshot=snapshot,
    )
    assert_matrix(
        Endpoint("GET", f"/returns/plans/{plan.pk}/reassign/"),
        actors,
        secrets=[f.RETURNEE],
        snapshot=snapshot,
    )
    body = {"person": str(w.returnee.pk), "starts_on": timezone.localdate().isoformat()}
    body["worker"] = str(w.worker.pk)
    assert_matrix(
        Endpoint("POST", "/api/v1/returns/plans/", data=body, api=True, permitted_status={201}),
        actors,
        snapshot=snapshot,
    )
    assert ReintegrationPlan.objects.count() == 2
    assert_matrix(
        Endpoint(
            "POST",
            f"/api/v1/returns/plans/{plan.pk}/reassign/",
            data={"version": plan.version, "worker": str(other.pk)},
            api=True,
        ),
        actors,
        snapshot=snapshot,
    )
    plan.refresh_from_db()
    assert plan.worker == other


def test_loss_of_contact_through_the_api(w, client: Client):
    plan = _start(w)
    report = f"/api/v1/returns/plans/{plan.pk}/contact-lost/"
    approve = f"{report}approve/"
    body = {"reason": "Moved away; phone disconnected; family do not know where."}
    client.force_login(w.worker)
    assert client.post(report, body, content_type="application/json").status_code == 428
    etag = {"If-Match": f'"{plan.version}"'}
    empty = client.post(report, {"reason": ""}, content_type="application/json", headers=etag)
    assert empty.status_code == 400
    reported = client.post(report, body, content_type="application/json", headers=etag)
    assert reported.status_code == 200
    assert client.post(report, body, content_type="application/json", headers=etag).status_code == 412
    plan.refresh_from_db()
    etag = {"If-Match": f'"{plan.version}"'}
    # The reporter may not approve their own report, and a case worker may not approve at all.
    assert client.post(approve, content_type="application/json", headers=etag).status_code == 403
    client.force_login(w.supervisor)
    assert client.post(approve, content_type="application/json").status_code == 428
    approved = client.post(approve, content_type="application/json", headers=etag)
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "contact_lost"
    assert not FollowUp.objects.filter(plan=plan, status="scheduled").exists()


def test_loss_of_contact_api_in_the_matrix(w):
    plan = _start(w)
    actors = _actors(w)
    assert_matrix(
        Endpoint(
            "POST",
            f"/api/v1/returns/plans/{plan.pk}/contact-lost/",
            data={"version": plan.version, "reason": "No answer at the address for three visits."},
            api=True,
        ),
        actors,
        snapshot=snapshot,
    )
    plan.refresh_from_db()
    assert plan.contact_lost_requested_at is not None
    supervisors = Actors(
        permitted=w.supervisor,
        no_permission=actors.permitted,
        other_agency=f.world(gate_code="lao-cai", with_plan=False).supervisor,
    )
    assert_matrix(
        Endpoint(
            "POST",
            f"/api/v1/returns/plans/{plan.pk}/contact-lost/approve/",
            data={"version": plan.version},
            api=True,
        ),
        supervisors,
        snapshot=snapshot,
    )
    plan.refresh_from_db()
    assert plan.status == "contact_lost"
