"""The cases app's work queues: approvals waiting, incoming transfers, my overdue actions, my open
cases. Each is counted on the home page ("Waiting for you") and worked on a filtered list, and the
two agree; the approvals list; due dates in the past refused; approving a late plan warns."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from shield.accounts.tests.factories import AgencyFactory, province
from shield.cases import selectors, services
from shield.cases.models import CarePlanAction, CarePlanStatus, ConsentScope, Stage
from shield.cases.selectors import CaseFilters
from shield.cases.tests import factories as f
from shield.core.errors import ValidationFailed
from shield.notifications import worklists

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
HOME = "/"


@pytest.fixture
def team():
    return f.team()


def _submitted_plan(team, *, due_in_days: int = 3):
    case = f.open_case(actor=team.worker, agency=team.agency, assigned_worker=team.worker)
    f.put_at(case, Stage.CARE_PLAN)
    plan = services.care_plan_create(actor=team.worker, case=case)
    goal = services.care_plan_goal_add(actor=team.worker, plan=plan, description="Safety", expected_version=1)
    services.care_plan_action_add(
        actor=team.worker,
        goal=goal,
        description="Shelter place",
        due_on=TODAY() + datetime.timedelta(days=due_in_days),
        responsible_agency=team.agency,
        expected_version=2,
    )
    return services.care_plan_submit(actor=team.worker, plan=plan, expected_version=3)


def _closure_requested(team):
    case = f.open_case(actor=team.worker, agency=team.agency, assigned_worker=team.worker)
    f.put_at(case, Stage.SERVICES)
    return services.closure_request(actor=team.worker, case=case, reason="Reintegrated for a year")


def _queue_count(body: str, key: str) -> int | None:
    found = re.search(
        rf'data-testid="queue-{key}".*?data-testid="queue-count"[^>]*>([^<]+)<', body, flags=re.DOTALL
    )
    return int(found.group(1)) if found else None


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def _case_list_count(client, user, **query) -> int:
    client.force_login(user)
    body = client.get(reverse("cases:case_list"), query).content.decode()
    return body.count('data-testid="case-row"')


# --- The queues on the home page -----------------------------------------------------------------


def test_the_cases_queues_are_registered_with_their_permissions():
    registered = {w.key: w for w in worklists.registered()}
    assert registered["case_approvals"].permission == "cases.supervise"
    assert registered["case_incoming"].permission == "cases.edit"
    assert registered["case_overdue"].permission == "cases.view"
    assert registered["case_mine"].url() == "/cases/?queue=mine"


def test_a_supervisor_sees_the_approvals_waiting_and_the_count_agrees_with_the_list(client, team):
    _submitted_plan(team)
    _closure_requested(team)
    body = _home(client, team.supervisor)
    assert "Waiting for you" in body
    assert _queue_count(body, "case_approvals") == 2
    assert reverse("cases:approval_list") in body
    listed = client.get(reverse("cases:approval_list")).content.decode()
    assert listed.count('data-testid="approval-row"') == 2
    # The worker who submitted cannot approve: no such queue for them.
    assert _queue_count(_home(client, team.worker), "case_approvals") is None


def test_approving_empties_the_approvals_queue(client, team):
    plan = _submitted_plan(team)
    assert _queue_count(_home(client, team.supervisor), "case_approvals") == 1
    services.care_plan_approve(actor=team.supervisor, plan=plan, expected_version=plan.version)
    body = _home(client, team.supervisor)
    assert _queue_count(body, "case_approvals") is None
    assert 'data-testid="nothing-waiting"' in body or "queue-case_approvals" not in body


def test_another_agencys_supervisor_sees_none_of_our_approvals(client, team):
    _submitted_plan(team)
    assert _queue_count(_home(client, f.team().supervisor), "case_approvals") is None
    assert selectors.approvals_for(user=f.team().supervisor).count() == 0


def test_my_overdue_actions_count_agrees_with_the_case_list(client, team):
    late = f.open_case(actor=team.worker, agency=team.agency, assigned_worker=team.worker)
    f.approved_plan(late, due_on=TODAY() - datetime.timedelta(days=3), responsible=team.worker)
    on_time = f.open_case(actor=team.worker, agency=team.agency, assigned_worker=team.worker)
    f.approved_plan(on_time, due_on=TODAY() + datetime.timedelta(days=3), responsible=team.worker)
    closed = f.open_case(actor=team.worker, agency=team.agency, assigned_worker=team.worker)
    f.approved_plan(closed, due_on=TODAY() - datetime.timedelta(days=3), responsible=team.worker)
    f.put_at(closed, Stage.CLOSED, prerequisites=False)
    body = _home(client, team.worker)
    assert _queue_count(body, "case_overdue") == 1
    assert "/cases/?queue=overdue" in body
    listed = client.get(reverse("cases:case_list"), {"queue": "overdue"}).content.decode()
    assert listed.count('data-testid="case-row"') == 1
    assert late.reference in listed
    assert f"{reverse('cases:case_detail', args=[late.pk])}?tab=plan" in listed


def test_my_open_cases_by_stage_agree_with_the_case_list(client, team):
    mine = [f.open_case(actor=team.worker, agency=team.agency, assigned_worker=team.worker) for _ in range(3)]
    f.put_at(mine[0], Stage.SERVICES)
    f.put_at(mine[1], Stage.CLOSED, prerequisites=False)
    f.open_case(actor=team.supervisor, agency=team.agency)  # not assigned to the worker
    assert _queue_count(_home(client, team.worker), "case_mine") == 2
    assert _case_list_count(client, team.worker, queue="mine") == 2
    assert _case_list_count(client, team.worker, queue="mine", stage=Stage.SERVICES) == 1
    # The home page splits the queue by stage, each part linking to the list narrowed to it.
    body = _home(client, team.worker)
    assert "/cases/?queue=mine&amp;stage=services" in body
    parts = re.findall(r'data-testid="queue-part">([^<]+)</a> <span class="text-muted">(\d+)<', body)
    assert ("Services", "1") in parts
    assert sum(int(n) for _label, n in parts) == 2


def _transfer_to(receiver_agency, sender):
    case = f.open_case(actor=sender.worker, agency=sender.agency)
    services.consent_record(
        actor=sender.worker,
        case=case,
        scope=ConsentScope.SHARE_WITH_AGENCY,
        shared_with_agency=receiver_agency,
        given_by="person",
        given_on=TODAY(),
    )
    return services.transfer_request(
        actor=sender.worker, case=case, to_agency=receiver_agency, reason="Moved"
    )


def test_a_pending_transfer_to_an_giang_shows_in_an_giangs_incoming_queue(client):
    hanoi = f.team(AgencyFactory.create(province=province("01")))
    an_giang = f.team(AgencyFactory.create(province=province("91")))
    transfer = _transfer_to(an_giang.agency, hanoi)
    body = _home(client, an_giang.worker)
    assert _queue_count(body, "case_incoming") == 1
    assert "/cases/?queue=incoming" in body
    listed = client.get(reverse("cases:case_list"), {"queue": "incoming"}).content.decode()
    assert listed.count('data-testid="case-row"') == 1
    # The row opens the transfer tab, where the transfer is accepted or declined.
    assert f"{reverse('cases:case_detail', args=[transfer.case_id])}?tab=transfer" in listed
    # Not Hà Nội's queue, and gone once answered.
    assert _queue_count(_home(client, hanoi.worker), "case_incoming") is None
    services.transfer_accept(actor=an_giang.worker, transfer=transfer)
    assert _queue_count(_home(client, an_giang.worker), "case_incoming") is None


def test_the_home_page_query_count_does_not_grow_with_the_queues(client, team):
    _submitted_plan(team)
    client.force_login(team.supervisor)
    client.get(HOME)  # the first request of a session does its own bookkeeping
    with CaptureQueriesContext(connection) as few:
        client.get(HOME)
    for _ in range(4):
        _submitted_plan(team)
        _closure_requested(team)
    with CaptureQueriesContext(connection) as many:
        body = client.get(HOME).content.decode()
    assert _queue_count(body, "case_approvals") == 9
    assert len(many) == len(few)
    # 6 for the page, 1 agency tree, 1 for every queue the supervisor may open, 1 for the breakdown of
    # their open cases: the same however many queues the apps register.
    assert len(many) <= 9


def test_a_queue_of_more_than_a_hundred_shows_100_plus():
    waiting = worklists.Waiting(worklists.get("case_mine"), worklists.COUNT_CAP + 1)
    assert (waiting.capped, waiting.shown) == (True, "100+")


# --- The approvals list --------------------------------------------------------------------------


def test_the_approvals_list_shows_both_kinds_links_to_the_tab_and_filters(client, team):
    plan = _submitted_plan(team)
    closure = _closure_requested(team)
    client.force_login(team.supervisor)
    url = reverse("cases:approval_list")
    body = client.get(url).content.decode()
    assert f"{reverse('cases:case_detail', args=[plan.case_id])}?tab=plan" in body
    assert f"{reverse('cases:case_detail', args=[closure.case_id])}?tab=closure" in body
    only_plans = client.get(url, {"kind": "plan"}).content.decode()
    assert plan.case.reference in only_plans
    assert closure.case.reference not in only_plans
    only_closures = client.get(url, {"kind": "closure"}).content.decode()
    assert closure.case.reference in only_closures
    assert plan.case.reference not in only_closures
    found = client.get(url, {"q": closure.case.reference}).content.decode()
    assert found.count('data-testid="approval-row"') == 1
    none = client.get(url, {"q": "NO-SUCH-REF"}).content.decode()
    assert "Nothing waiting matches these filters." in none
    bad = client.get(url, {"kind": "everything"})
    assert bad.status_code == 200
    assert 'data-testid="invalid-filters"' in bad.content.decode()


def test_the_approvals_list_empty_state(client, team):
    client.force_login(team.supervisor)
    assert (
        "Nothing is waiting for your approval." in client.get(reverse("cases:approval_list")).content.decode()
    )


def test_the_approvals_list_query_count_does_not_grow_with_rows(client, team):
    _submitted_plan(team)
    _closure_requested(team)
    client.force_login(team.supervisor)
    url = reverse("cases:approval_list")
    client.get(url)  # the first request of a session does its own bookkeeping
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(3):
        _submitted_plan(team)
        _closure_requested(team)
    with CaptureQueriesContext(connection) as many:
        body = client.get(url).content.decode()
    assert body.count('data-testid="approval-row"') == 8
    assert len(many) == len(few)


def test_the_approvals_list_pages_and_caps_its_count(client, team, monkeypatch):
    from shield.cases.views import queues

    monkeypatch.setattr(queues, "PAGE_SIZE", 2)
    for _ in range(3):
        _submitted_plan(team)
    client.force_login(team.supervisor)
    url = reverse("cases:approval_list")
    first = client.get(url).content.decode()
    assert first.count('data-testid="approval-row"') == 2
    assert client.get(url, {"page": 2}).content.decode().count('data-testid="approval-row"') == 1


# --- Due dates and the warning on approval -------------------------------------------------------


def test_a_due_date_in_the_past_is_refused_by_the_service(team):
    case = f.open_case(actor=team.worker, agency=team.agency)
    f.put_at(case, Stage.CARE_PLAN)
    plan = services.care_plan_create(actor=team.worker, case=case)
    goal = services.care_plan_goal_add(actor=team.worker, plan=plan, description="Safety", expected_version=1)
    with pytest.raises(ValidationFailed) as refused:
        services.care_plan_action_add(
            actor=team.worker,
            goal=goal,
            description="Shelter",
            due_on=datetime.date(2020, 1, 1),
            responsible_agency=team.agency,
            expected_version=2,
        )
    assert "due_on" in refused.value.field_errors
    assert not CarePlanAction.objects.exists()


def test_a_due_date_in_the_past_is_a_field_error_in_the_form(client, team):
    case = f.open_case(actor=team.worker, agency=team.agency)
    f.put_at(case, Stage.CARE_PLAN)
    plan = services.care_plan_create(actor=team.worker, case=case)
    goal = services.care_plan_goal_add(actor=team.worker, plan=plan, description="Safety", expected_version=1)
    client.force_login(team.worker)
    data = {
        "action-version": 2,
        "action-goal": str(goal.pk),
        "action-description": "Shelter",
        "action-due_on": "01/01/2020",
        "action-responsible_agency": str(team.agency.pk),
    }
    response = client.post(reverse("cases:action_add", args=[case.pk, plan.pk]), data)
    assert "The due date is in the past: choose today or a later day." in response.content.decode()
    assert not CarePlanAction.objects.exists()
    data["action-due_on"] = TODAY().strftime("%d/%m/%Y")
    client.post(reverse("cases:action_add", args=[case.pk, plan.pk]), data)
    assert CarePlanAction.objects.count() == 1


def test_a_due_date_in_the_past_is_a_400_in_the_api(team):
    case = f.open_case(actor=team.worker, agency=team.agency)
    f.put_at(case, Stage.CARE_PLAN)
    plan = services.care_plan_create(actor=team.worker, case=case)
    goal = services.care_plan_goal_add(actor=team.worker, plan=plan, description="Safety", expected_version=1)
    api = APIClient()
    api.force_authenticate(team.worker)
    response = api.post(
        f"/api/v1/cases/{case.pk}/care-plan/actions/",
        {
            "goal": str(goal.pk),
            "description": "Shelter",
            "due_on": "2020-01-01",
            "responsible_agency": str(team.agency.pk),
            "version": 2,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["due_on"] == ["The due date is in the past: choose today or a later day."]
    assert not CarePlanAction.objects.exists()


def test_approving_a_plan_with_overdue_actions_warns_and_is_allowed(client, team):
    plan = _submitted_plan(team)
    # Submitted a while ago: its action's date has passed while it waited.
    CarePlanAction.objects.filter(goal__plan=plan).update(due_on=TODAY() - datetime.timedelta(days=2))
    client.force_login(team.supervisor)
    tab = client.get(reverse("cases:case_detail", args=[plan.case_id]), {"tab": "plan"}).content.decode()
    assert 'data-testid="plan-overdue-warning"' in tab
    assert "1 action of this plan is already past its due date." in tab
    listed = client.get(reverse("cases:approval_list")).content.decode()
    assert 'data-testid="approval-overdue"' in listed
    response = client.post(
        reverse("cases:plan_approve", args=[plan.case_id, plan.pk]), {"version": plan.version}, follow=True
    )
    body = response.content.decode()
    assert "The care plan was approved." in body
    assert "1 of its actions is already past its due date" in body
    plan.refresh_from_db()
    assert plan.status == CarePlanStatus.APPROVED


def test_approving_a_plan_on_time_gives_no_warning(client, team):
    plan = _submitted_plan(team)
    client.force_login(team.supervisor)
    tab = client.get(reverse("cases:case_detail", args=[plan.case_id]), {"tab": "plan"}).content.decode()
    assert 'data-testid="plan-overdue-warning"' not in tab
    body = client.post(
        reverse("cases:plan_approve", args=[plan.case_id, plan.pk]), {"version": plan.version}, follow=True
    ).content.decode()
    assert "past its due date" not in body


def test_the_queue_filters_agree_with_the_selector_counts(team):
    f.open_case(actor=team.worker, agency=team.agency, assigned_worker=team.worker)
    counted = worklists.get("case_mine").count(team.worker)
    listed = selectors.case_list_for(user=team.worker, filters=CaseFilters(queue="mine")).count()
    assert counted == listed == 1
    assert not selectors.case_list_for(user=team.worker, filters=CaseFilters(queue="bogus")).exists()
