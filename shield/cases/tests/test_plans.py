import datetime

import pytest
from django.utils import timezone

from shield.accounts.roles import Role, Scope
from shield.accounts.tests.factories import AgencyFactory, member, province
from shield.cases import selectors, services
from shield.cases.models import (
    ActionStatus,
    AssessmentNeed,
    CarePlan,
    CarePlanAction,
    CarePlanStatus,
    NeedDomain,
    Stage,
)
from shield.cases.services import NeedInput
from shield.cases.tests import factories as f
from shield.core.errors import (
    InvalidTransition,
    NotFound,
    PermissionRefused,
    StaleVersion,
    ValidationFailed,
    VersionRequired,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _assessed(team):
    case = f.open_case(actor=team.worker, case_type="child_victim_abuse")
    services.assessment_record(
        actor=team.worker,
        case=case,
        needs={
            NeedDomain.SAFETY: NeedInput("high", "Trafficker knows the home address"),
            NeedDomain.HEALTH: "medium",
        },
        summary="Needs a safe place first",
    )
    return case


def _submitted_plan(team, case=None):
    case = case or _assessed(team)
    plan = services.care_plan_create(actor=team.worker, case=case)
    goal = services.care_plan_goal_add(
        actor=team.worker, plan=plan, description="Safe housing", domain="safety", expected_version=1
    )
    services.care_plan_action_add(
        actor=team.worker,
        goal=goal,
        description="Place in the Peaceful House",
        due_on=TODAY() + datetime.timedelta(days=3),
        responsible_agency=team.agency,
        expected_version=2,
    )
    return services.care_plan_submit(actor=team.worker, plan=plan, expected_version=3)


def test_an_assessment_records_needs_by_domain_with_notes_encrypted():
    team = f.team()
    case = _assessed(team)
    need = AssessmentNeed.objects.get(assessment__case=case, domain="safety")
    assert (need.level, need.notes) == ("high", "Trafficker knows the home address")
    assert "home address" not in f.raw_value(AssessmentNeed, "notes", need.pk)
    assert AssessmentNeed.objects.filter(assessment__case=case).count() == 2


def test_an_assessment_refuses_unknown_domains_and_levels():
    team = f.team()
    case = f.open_case(actor=team.worker)
    with pytest.raises(ValidationFailed) as refused:
        services.assessment_record(
            actor=team.worker, case=case, needs={"wealth": "high", "health": "extreme"}
        )
    assert set(refused.value.field_errors) == {"needs", "needs.health"}
    with pytest.raises(ValidationFailed):
        services.assessment_record(actor=team.worker, case=case, needs={})


def test_a_care_plan_needs_an_assessment_first():
    team = f.team()
    with pytest.raises(InvalidTransition) as refused:
        services.care_plan_create(actor=team.worker, case=f.open_case(actor=team.worker))
    assert refused.value.message == "A care plan needs an assessment first."


def test_one_plan_in_the_works_at_a_time():
    team = f.team()
    case = _assessed(team)
    services.care_plan_create(actor=team.worker, case=case)
    with pytest.raises(ValidationFailed):
        services.care_plan_create(actor=team.worker, case=case)


def test_goals_and_actions_raise_the_plan_version_so_a_stale_editor_is_refused():
    team = f.team()
    plan = services.care_plan_create(actor=team.worker, case=_assessed(team))
    services.care_plan_goal_add(actor=team.worker, plan=plan, description="School", expected_version=1)
    with pytest.raises(StaleVersion):
        services.care_plan_goal_add(actor=team.supervisor, plan=plan, description="Work", expected_version=1)
    with pytest.raises(VersionRequired):
        services.care_plan_goal_add(
            actor=team.supervisor, plan=plan, description="Work", expected_version=None
        )
    plan.refresh_from_db()
    assert plan.version == 2
    assert [g.description for g in plan.goals.all()] == ["School"]


def test_an_action_needs_someone_responsible():
    team = f.team()
    plan = services.care_plan_create(actor=team.worker, case=_assessed(team))
    goal = services.care_plan_goal_add(actor=team.worker, plan=plan, description="School", expected_version=1)
    with pytest.raises(ValidationFailed) as refused:
        services.care_plan_action_add(
            actor=team.worker, goal=goal, description="Enrol", due_on=TODAY(), expected_version=2
        )
    assert "responsible_agency" in refused.value.field_errors


def test_a_plan_without_actions_cannot_be_submitted():
    team = f.team()
    plan = services.care_plan_create(actor=team.worker, case=_assessed(team))
    with pytest.raises(ValidationFailed):
        services.care_plan_submit(actor=team.worker, plan=plan, expected_version=1)


def test_a_supervisor_approves_a_submitted_plan_and_services_may_start():
    team = f.team()
    plan = _submitted_plan(team)
    with pytest.raises(InvalidTransition):
        services.care_plan_goal_add(
            actor=team.worker, plan=plan, description="Late", expected_version=plan.version
        )
    approved = services.care_plan_approve(actor=team.supervisor, plan=plan, expected_version=plan.version)
    assert (approved.status, approved.approved_by) == (CarePlanStatus.APPROVED, team.supervisor)
    case = f.put_at(plan.case, Stage.CARE_PLAN, prerequisites=False)
    case = services.case_transition(
        actor=team.worker, case=case, to_stage=Stage.SERVICES, expected_version=case.version
    )
    assert case.stage == Stage.SERVICES


def test_a_case_worker_cannot_approve_a_plan():
    team = f.team()
    plan = _submitted_plan(team)
    with pytest.raises(PermissionRefused):
        services.care_plan_approve(actor=team.worker, plan=plan, expected_version=plan.version)
    assert CarePlan.objects.get(pk=plan.pk).status == CarePlanStatus.SUBMITTED


def test_a_supervisor_cannot_approve_a_plan_they_submitted():
    team = f.team()
    plan = services.care_plan_create(actor=team.supervisor, case=_assessed(team))
    goal = services.care_plan_goal_add(actor=team.supervisor, plan=plan, description="x", expected_version=1)
    services.care_plan_action_add(
        actor=team.supervisor,
        goal=goal,
        description="y",
        due_on=TODAY(),
        responsible_person=team.worker,
        expected_version=2,
    )
    plan = services.care_plan_submit(actor=team.supervisor, plan=plan, expected_version=3)
    with pytest.raises(PermissionRefused):
        services.care_plan_approve(actor=team.supervisor, plan=plan, expected_version=plan.version)
    assert CarePlan.objects.get(pk=plan.pk).status == CarePlanStatus.SUBMITTED


def test_supervisors_by_province_or_national_scope_approve_and_others_do_not_see_it():
    team = f.team(province=province("01"))
    plan = _submitted_plan(team)
    provincial = member(Role.SUPERVISOR, agency=AgencyFactory(province=province("01")), scope=Scope.PROVINCE)
    assert list(selectors.pending_care_plans_for(user=provincial)) == [plan]
    services.care_plan_approve(actor=provincial, plan=plan, expected_version=plan.version)
    second = _submitted_plan(team)
    national = member(Role.SUPERVISOR, scope=Scope.NATIONAL)
    services.care_plan_approve(actor=national, plan=second, expected_version=second.version)
    third = _submitted_plan(team)
    with pytest.raises(NotFound):
        services.care_plan_approve(actor=f.team().supervisor, plan=third, expected_version=third.version)


def test_a_returned_plan_can_be_changed_and_resubmitted():
    team = f.team()
    plan = _submitted_plan(team)
    with pytest.raises(ValidationFailed):
        services.care_plan_return(actor=team.supervisor, plan=plan, expected_version=plan.version, note="")
    plan = services.care_plan_return(
        actor=team.supervisor, plan=plan, expected_version=plan.version, note="Add schooling"
    )
    assert (plan.status, plan.decision_note) == (CarePlanStatus.RETURNED, "Add schooling")
    services.care_plan_goal_add(
        actor=team.worker, plan=plan, description="School", expected_version=plan.version
    )
    plan.refresh_from_db()
    plan = services.care_plan_submit(actor=team.worker, plan=plan, expected_version=plan.version)
    assert plan.status == CarePlanStatus.SUBMITTED


def test_approving_a_newer_plan_supersedes_the_older_one():
    team = f.team()
    first = _submitted_plan(team)
    first = services.care_plan_approve(actor=team.supervisor, plan=first, expected_version=first.version)
    second = _submitted_plan(team, case=first.case)
    services.care_plan_approve(actor=team.supervisor, plan=second, expected_version=second.version)
    first.refresh_from_db()
    assert first.status == CarePlanStatus.SUPERSEDED
    assert CarePlan.objects.filter(case=first.case, status=CarePlanStatus.APPROVED).get() == second


def test_actions_are_completed_in_the_approved_plan_by_the_team_or_the_person_responsible():
    team = f.team()
    helper = member(Role.SERVICE_PROVIDER)  # in another agency, cannot see the case
    case = f.open_case(actor=team.worker)
    plan = f.approved_plan(case, responsible=helper)
    action = CarePlanAction.objects.get(goal__plan=plan)
    done = services.care_plan_action_complete(actor=helper, action=action)
    assert (done.status, done.done_on, done.closed_by) == (ActionStatus.DONE, TODAY(), helper)
    with pytest.raises(InvalidTransition):
        services.care_plan_action_complete(actor=team.worker, action=done)


def test_an_action_of_a_draft_plan_cannot_be_completed():
    team = f.team()
    plan = services.care_plan_create(actor=team.worker, case=_assessed(team))
    goal = services.care_plan_goal_add(actor=team.worker, plan=plan, description="School", expected_version=1)
    action = services.care_plan_action_add(
        actor=team.worker,
        goal=goal,
        description="Enrol",
        due_on=TODAY(),
        responsible_agency=team.agency,
        expected_version=2,
    )
    with pytest.raises(InvalidTransition):
        services.care_plan_action_complete(actor=team.worker, action=action)


# --- Overdue actions -----------------------------------------------------------------------------


def _overdue_case(team, *, days_late=2, responsible=None):
    case = f.open_case(actor=team.worker)
    services.case_assign(actor=team.supervisor, case=case, worker=team.worker, expected_version=case.version)
    case.refresh_from_db()
    plan = f.approved_plan(case, due_on=TODAY() - datetime.timedelta(days=days_late), responsible=responsible)
    return case, CarePlanAction.objects.get(goal__plan=plan)


def test_overdue_actions_are_open_and_past_due_in_my_cases_or_my_responsibility():
    team = f.team()
    _case, late = _overdue_case(team, days_late=5)
    _case2, later = _overdue_case(team, days_late=1)
    _overdue_case(team, days_late=-3)  # not due yet
    assert list(selectors.overdue_actions_for(user=team.worker)) == [late, later]
    # The person responsible sees it too, even without seeing the case.
    helper = member(Role.SERVICE_PROVIDER)
    _case4, theirs = _overdue_case(team, responsible=helper)
    assert list(selectors.overdue_actions_for(user=helper)) == [theirs]
    assert not selectors.overdue_actions_for(user=f.team().worker).exists()


def test_done_cancelled_superseded_and_closed_are_not_overdue():
    team = f.team()
    _case, done = _overdue_case(team)
    _case, cancelled = _overdue_case(team)
    _case, superseded = _overdue_case(team)
    closed_case, _action = _overdue_case(team)
    assert selectors.overdue_actions_for(user=team.worker).count() == 4
    services.care_plan_action_complete(actor=team.worker, action=done)
    services.care_plan_action_cancel(actor=team.worker, action=cancelled, reason="No longer needed")
    CarePlan.objects.filter(pk=superseded.goal.plan_id).update(status=CarePlanStatus.SUPERSEDED)
    f.put_at(closed_case, Stage.CLOSED, prerequisites=False)
    assert not selectors.overdue_actions_for(user=team.worker).exists()
