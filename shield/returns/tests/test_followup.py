"""Reintegration follow-up: the schedule from dated rules, scoring by the instrument version,
reassigning, loss of contact, the closure check, the overdue escalation, the pages and the queue."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shield.accounts.roles import Role
from shield.accounts.tests.factories import member
from shield.accounts.tests.permission_matrix import Actors, Endpoint, assert_matrix, db_snapshot
from shield.audit.models import AuditEvent
from shield.cases.services import lifecycle
from shield.core.errors import PermissionRefused, StaleVersion, ValidationFailed
from shield.notifications import worklists
from shield.notifications.models import Kind, Notification
from shield.returns.followup import registrations, rules, selectors, services
from shield.returns.models import (
    FollowUp,
    FollowUpStatus,
    PlanStatus,
    ReintegrationInstrument,
    ReintegrationPlan,
)
from shield.returns.tests import alerts_factories as f

pytestmark = pytest.mark.django_db
snapshot = db_snapshot(FollowUp)
GOOD = {"income": "yes", "work": "yes", "debt": "none", "housing": "yes", "services": "yes",
        "community": "yes", "wellbeing": "good", "safety": "yes", "stigma": "never"}  # fmt: skip


@pytest.fixture
def w():
    return f.world(with_plan=False)


def _plan(w, *, days_ago=40, case=None):
    return services.plan_create(
        actor=w.worker,
        person=w.returnee,
        agency=w.agency,
        worker=w.worker,
        starts_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        goals="Vocational training",
        case=case,
        return_record=w.return_record,
    )


def test_schedule_from_the_dated_rules_and_month_arithmetic():
    assert rules.schedule_for(datetime.date(2026, 1, 31)) == ("default-2025", (1, 3, 6, 12))
    assert rules.add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert rules.add_months(datetime.date(2026, 11, 15), 3) == datetime.date(2027, 2, 15)


def test_a_plan_gets_its_schedule_and_reassigning_moves_open_followups(w):
    plan = _plan(w)
    rows = list(plan.followups.order_by("sequence"))
    assert [r.months_after for r in rows] == [1, 3, 6, 12]
    assert rows[0].due_on == rules.add_months(plan.starts_on, 1)
    other = member(Role.CASE_WORKER, agency=w.agency)
    services.plan_reassign(actor=w.supervisor, plan=plan, worker=other, agency=w.agency, version=plan.version)
    assert set(FollowUp.objects.values_list("worker", flat=True)) == {other.pk}
    with pytest.raises(StaleVersion):
        services.plan_reassign(actor=w.supervisor, plan=plan, worker=w.worker, agency=w.agency, version=1)


def test_recording_scores_with_the_instrument_version_and_needs_a_reason_without_contact(w):
    plan = _plan(w)
    first, second = plan.followups.order_by("sequence")[:2]
    answers = dict(GOOD, income="no", wellbeing="fair")
    done = services.followup_record(
        actor=w.worker, followup=first, version=first.version, done_on=timezone.localdate(),
        contact_made=True, answers=answers, notes="ok",
    )  # fmt: skip
    # economic: (0*2 + 1 + 1)/4 = 0.5; social 1; psychosocial (0.5*2+1+1)/4 = 0.75
    assert (done.score_economic, done.score_social, done.score_psychosocial) == (
        Decimal("0.500"), Decimal("1.000"), Decimal("0.750"),
    )  # fmt: skip
    assert done.score_composite == Decimal("0.725")
    assert done.instrument == ReintegrationInstrument.objects.get(code="reintegration", version=1)
    assert "IOM" in done.instrument.source
    with pytest.raises(ValidationFailed):
        services.followup_record(
            actor=w.worker, followup=second, version=second.version, done_on=timezone.localdate(),
            contact_made=False,
        )  # fmt: skip
    with pytest.raises(ValidationFailed):
        services.followup_record(
            actor=w.worker, followup=second, version=second.version, done_on=timezone.localdate(),
            contact_made=True, answers={"income": "maybe"},
        )  # fmt: skip


def test_loss_of_contact_needs_another_supervisor_and_the_case_closes_only_after(w):
    case = w.return_record.case
    plan = _plan(w, case=case)
    with pytest.raises(ValidationFailed):
        lifecycle.closure_request(actor=w.worker, case=case, reason="Done")
    plan = services.contact_lost_report(
        actor=w.worker, plan=plan, reason="Moved, no phone", version=plan.version
    )
    with pytest.raises(PermissionRefused):
        services.contact_lost_approve(actor=w.worker, plan=plan, version=plan.version)
    plan = services.contact_lost_approve(actor=w.supervisor, plan=plan, version=plan.version)
    assert plan.status == PlanStatus.CONTACT_LOST
    assert not FollowUp.objects.filter(status=FollowUpStatus.SCHEDULED).exists()
    assert lifecycle.closure_request(actor=w.worker, case=case, reason="Done") is not None


def test_overdue_followups_escalate_once_to_the_supervisor(w):
    _plan(w, days_ago=40)  # the 1-month follow-up is overdue
    out = io.StringIO()
    call_command("notify_followups_overdue", stdout=out)
    call_command("notify_followups_overdue", stdout=out)
    assert "1 overdue" in out.getvalue()
    assert "0 overdue" in out.getvalue()
    assert Notification.objects.filter(kind=Kind.FOLLOWUP_OVERDUE, recipient=w.supervisor).count() == 1
    assert FollowUp.objects.filter(escalated_at__isnull=False).count() == 1


def test_the_queue_counts_due_followups_and_the_list_is_flat(w, client: Client):
    _plan(w, days_ago=40)
    _plan(w, days_ago=400)
    queue = next(q for q in worklists.registered() if q.key == registrations.QUEUE_KEY)
    assert queue.items is not None
    assert queue.items(w.worker).count() == 5  # 1 + 4 overdue; none of the first plan's later ones
    client.force_login(w.worker)
    client.get("/returns/follow-ups/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/returns/follow-ups/?mine=on&due=soon").status_code == 200
    _plan(w, days_ago=800)
    with CaptureQueriesContext(connection) as more:
        response = client.get("/returns/follow-ups/?mine=on&due=soon")
    assert response.status_code == 200
    assert len(more) == len(few)
    statements = [q for q in more.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) <= 12  # plus the audit write's savepoint pair


def test_plan_page_shows_the_chart_and_is_audited(w, client: Client):
    plan = _plan(w, days_ago=200)
    for fu, answers in zip(
        plan.followups.order_by("sequence")[:2], (dict(GOOD, income="no"), GOOD), strict=True
    ):
        services.followup_record(
            actor=w.worker,
            followup=fu,
            version=fu.version,
            done_on=fu.due_on,
            contact_made=True,
            answers=answers,
        )
    client.force_login(w.worker)
    page = client.get(f"/returns/plans/{plan.pk}/").content.decode()
    assert "<svg" in page
    assert 'data-series="composite"' in page
    assert AuditEvent.objects.filter(action="view", object_id=str(plan.pk)).exists()
    assert len(selectors.score_series(user=w.worker, person_id=w.returnee.pk)) == 2


def test_recording_through_the_page_refuses_a_stale_version(w, client: Client):
    plan = _plan(w)
    fu = plan.followups.order_by("sequence").first()
    client.force_login(w.worker)
    data = {"version": fu.version, "done_on": timezone.localdate().isoformat(), "contact_made": "yes",
            **{f"q_{k}": v for k, v in GOOD.items()}}  # fmt: skip
    assert client.post(f"/returns/follow-ups/{fu.pk}/record/", data).status_code == 302
    fu.refresh_from_db()
    assert fu.status == FollowUpStatus.DONE
    assert fu.score_composite == Decimal("1.000")
    assert client.post(f"/returns/follow-ups/{fu.pk}/record/", data).status_code == 400


def test_pages_through_the_matrix(w):
    plan = _plan(w)
    far = f.world(gate_code="mong-cai", with_plan=False)
    actors = Actors(
        permitted=w.worker,
        no_permission=member(Role.FRONTLINE_OFFICER, agency=w.agency),
        other_agency=far.worker,
    )
    assert_matrix(
        Endpoint("GET", "/returns/follow-ups/", scoped=True), actors, secrets=[f.RETURNEE], snapshot=snapshot
    )
    assert_matrix(
        Endpoint("GET", f"/returns/plans/{plan.pk}/"), actors, secrets=[f.RETURNEE], snapshot=snapshot
    )
    fu = plan.followups.order_by("sequence").first()
    for url in (
        "/api/v1/returns/follow-ups/",
        f"/api/v1/returns/follow-ups/{fu.pk}/",
        f"/api/v1/returns/plans/{plan.pk}/",
    ):
        assert_matrix(
            Endpoint("GET", url, api=True, scoped=url.endswith("follow-ups/")),
            actors,
            secrets=[f.RETURNEE],
            snapshot=snapshot,
        )
    # The writes: starting a plan and reassigning one (If-Match or `version` in the body).
    body = {"person": str(w.returnee.pk), "starts_on": timezone.localdate().isoformat()}
    body["worker"] = str(w.worker.pk)
    assert_matrix(
        Endpoint("POST", "/api/v1/returns/plans/", data=body, api=True, permitted_status={201}),
        actors,
        snapshot=snapshot,
    )
    assert_matrix(
        Endpoint(
            "POST",
            f"/api/v1/returns/plans/{plan.pk}/reassign/",
            data={"version": plan.version, "worker": str(w.worker.pk)},
            api=True,
        ),
        actors,
        snapshot=snapshot,
    )


def test_recording_through_the_api_needs_if_match(w, client: Client):
    plan = _plan(w)
    fu = plan.followups.order_by("sequence").first()
    client.force_login(w.worker)
    url = f"/api/v1/returns/follow-ups/{fu.pk}/record/"
    body = {"done_on": timezone.localdate().isoformat(), "contact_made": True, "answers": GOOD}
    assert client.post(url, body, content_type="application/json").status_code == 428
    ok = client.post(url, body, content_type="application/json", headers={"If-Match": f'"{fu.version}"'})
    assert ok.status_code == 200
    assert ok.json()["score_composite"] == "1.000"
    stale = client.post(url, body, content_type="application/json", headers={"If-Match": f'"{fu.version}"'})
    assert stale.status_code == 412


def test_cohort_figures(w, client: Client):
    plan = _plan(w, days_ago=400)
    last = plan.followups.get(months_after=12)
    services.followup_record(
        actor=w.worker,
        followup=last,
        version=last.version,
        done_on=last.due_on,
        contact_made=True,
        answers=GOOD,
    )
    cohort = selectors.cohort_for(user=w.supervisor)
    assert (cohort.plans, cohort.followed_at_12, cohort.mean_12_unsupported) == (1, 1, Decimal("1.000"))
    client.force_login(w.supervisor)
    assert client.get("/returns/plans/cohort/").status_code == 200
    client.force_login(w.worker)
    assert client.get("/returns/plans/cohort/").status_code == 403
    assert ReintegrationPlan.objects.count() == 1
