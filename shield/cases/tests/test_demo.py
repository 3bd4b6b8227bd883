"""`manage.py demo_data`: cases for about 30% of the demo people, consistent with their stages."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count

from shield.accounts.models import User
from shield.audit.models import AuditEvent
from shield.cases import selectors, services
from shield.cases.models import (
    CarePlan,
    CarePlanStatus,
    Case,
    CaseStageChange,
    CaseTransfer,
    CaseType,
    IdentificationDecision,
    Stage,
)
from shield.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("demo_data", stdout=out, stderr=io.StringIO(), persons=400, up_to="cases")
    return out.getvalue()


def test_about_a_third_of_the_demo_people_get_a_case_spread_across_stages(demo):
    assert "Cases:" in demo
    cases = Case.objects.count()
    assert 0.2 * 400 <= cases <= 0.4 * 400
    assert Case.objects.values("person").distinct().count() == cases
    stages = set(Case.objects.values_list("stage", flat=True))
    assert len(stages) >= 8
    assert Stage.CLOSED in stages and Stage.SERVICES in stages  # noqa: PT018
    assert set(Case.objects.values_list("case_type", flat=True)) >= {
        CaseType.TRAFFICKING_VICTIM,
        CaseType.AT_RISK_MIGRANT,
    }
    assert AuditEvent.objects.filter(action="import", object_type="cases.case").exists()


def test_each_demo_case_carries_what_its_stage_presupposes(demo):
    for case in Case.objects.all():
        moves = list(
            CaseStageChange.objects.filter(case=case)
            .order_by("changed_at")
            .values_list("to_stage", flat=True)
        )
        if case.stage == Stage.REGISTERED:
            assert moves == []
        else:
            assert moves[-1] == case.stage
        if case.stage in (Stage.IDENTIFIED_VICTIM, Stage.NOT_A_VICTIM):
            latest = selectors.latest_identification(case)
            assert latest is not None
            assert latest.status == (
                "identified" if case.stage == Stage.IDENTIFIED_VICTIM else "not_a_victim"
            )
        if case.stage == Stage.SERVICES:
            assert CarePlan.objects.filter(case=case, status=CarePlanStatus.APPROVED).exists()
        if case.stage == Stage.CARE_PLAN:
            assert case.assessments.exists()
        assert (case.stage == Stage.CLOSED) == (case.closed_at is not None)
    duplicates = Case.objects.values("reference").annotate(n=Count("id")).filter(n__gt=1)
    assert not duplicates.exists()
    assert IdentificationDecision.objects.exists()


def test_the_demo_accounts_have_work_waiting(demo):
    worker = User.objects.get(username="cw.hanoi")
    supervisor = User.objects.get(username="sup.hanoi")
    receiver = User.objects.get(username="cw.angiang")
    assert selectors.overdue_actions_for(user=worker).exists()
    assert selectors.pending_care_plans_for(user=supervisor).exists()
    assert selectors.pending_closures_for(user=supervisor).exists()
    assert selectors.incoming_transfers_for(user=receiver).exists()
    assert Case.objects.filter(stage=Stage.REOPENED).exists()
    assert selectors.case_list_for(user=worker).exists()
    assert not selectors.case_list_for(user=User.objects.get(username="stats")).exists()
    # Walked through the services: their audit trail is the application's own.
    walked = CaseTransfer.objects.get().case
    assert AuditEvent.objects.filter(object_id=str(walked.pk), action="create").exists()


def test_references_continue_after_the_demo(demo):
    worker = User.objects.get(username="cw.hanoi")
    person = Person.objects.filter(owner_agency=worker.primary_agency, cases__isnull=True).first()
    case = services.case_open(
        actor=worker, person=person, case_type=CaseType.CHILD_WITNESS, owner_agency=worker.primary_agency
    )
    assert Case.objects.filter(reference=case.reference).count() == 1
