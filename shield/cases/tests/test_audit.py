"""Every service writes its audit event, naming fields, never the sensitive text."""

import pytest
from django.utils import timezone

from shield.audit.models import AuditEvent
from shield.cases import services
from shield.cases.models import CarePlanAction, ConsentScope, Stage
from shield.cases.services import NeedInput
from shield.cases.tests import factories as f
from shield.core.errors import InvalidTransition, NotFound

pytestmark = pytest.mark.django_db

NOTE = "Em bị ép làm việc 16 tiếng mỗi ngày"
BASIS = "Lời khai và hộ chiếu bị giữ"
NEED_NOTES = "Vết thương ở tay chưa lành"
SUMMARY = "Cần chỗ ở an toàn ngay"
SECRETS = (NOTE, BASIS, NEED_NOTES, SUMMARY)
TODAY = timezone.localdate


def _plan(t, case):
    plan = services.care_plan_create(actor=t.worker, case=case)
    goal = services.care_plan_goal_add(actor=t.worker, plan=plan, description="Safety", expected_version=1)
    services.care_plan_action_add(
        actor=t.worker,
        goal=goal,
        description="Shelter",
        due_on=TODAY(),
        responsible_agency=t.agency,
        expected_version=2,
    )
    return plan


def _submitted(t, case):
    plan = _plan(t, case)
    plan.refresh_from_db()
    return services.care_plan_submit(actor=t.worker, plan=plan, expected_version=plan.version)


def _consent(t, case, agency=None):
    return services.consent_record(
        actor=t.worker,
        case=case,
        scope=ConsentScope.SHARE_WITH_AGENCY if agency else ConsentScope.SERVICES,
        shared_with_agency=agency,
        given_by="person",
        given_on=TODAY(),
    )


def _transfer(t, case):
    other = f.team()
    _consent(t, case, other.agency)
    return other, services.transfer_request(actor=t.worker, case=case, to_agency=other.agency, reason="Moved")


def _assessed(t, case):
    services.assessment_record(actor=t.worker, case=case, needs={"health": "low"})
    return case


# name → (setup, call) where call(team, prepared) returns the audited object and the action.
SCENARIOS = {
    "case_open": (lambda t, c: None, lambda t, p: (f.open_case(actor=t.worker), "create")),
    "case_transition": (
        lambda t, c: c,
        lambda t, c: (
            services.case_transition(
                actor=t.worker, case=c, to_stage=Stage.UNDERGOING_IDENTIFICATION, expected_version=1
            ),
            "transition",
        ),
    ),
    "case_assign": (
        lambda t, c: c,
        lambda t, c: (
            services.case_assign(actor=t.worker, case=c, worker=t.worker, expected_version=1),
            "update",
        ),
    ),
    "case_risk_set": (
        lambda t, c: c,
        lambda t, c: (
            services.case_risk_set(actor=t.worker, case=c, risk_level="high", expected_version=1),
            "update",
        ),
    ),
    "case_update": (
        lambda t, c: c,
        lambda t, c: (
            services.case_update(
                actor=t.worker, case=c, expected_version=1, risk_level="low", assigned_worker=None
            ),
            "update",
        ),
    ),
    "case_open_on_referral": (
        lambda t, c: c,
        lambda t, c: (
            services.case_open_on_referral(
                actor=t.worker,
                person=c.person,
                receiving_agency=t.agency,
                reported_at=timezone.now(),
                reason="Referred after a screening",
            ),
            "create",
        ),
    ),
    "identification_decide": (
        lambda t, c: c,
        lambda t, c: (
            services.identification_decide(
                actor=t.worker,
                case=c,
                status="possible",
                body_name="Biên phòng",
                body_type="border_guard",
                decided_on=TODAY(),
                basis=BASIS,
            ),
            "create",
        ),
    ),
    "trafficking_details_set": (
        lambda t, c: c,
        lambda t, c: (
            services.trafficking_details_set(
                actor=t.worker, case=c, expected_version=0, methods_of_control=["DebtBondage"]
            ),
            "create",
        ),
    ),
    "trafficking_place_add": (
        lambda t, c: c,
        lambda t, c: (
            services.trafficking_place_add(actor=t.worker, case=c, kind="transit", country="CN"),
            "create",
        ),
    ),
    "trafficking_place_remove": (
        lambda t, c: services.trafficking_place_add(actor=t.worker, case=c, kind="transit", country="CN"),
        lambda t, p: (
            services.trafficking_place_remove(actor=t.worker, place=p, reason="Duplicate"),
            "update",
        ),
    ),
    "assessment_record": (
        lambda t, c: c,
        lambda t, c: (
            services.assessment_record(
                actor=t.worker, case=c, needs={"health": NeedInput("high", NEED_NOTES)}, summary=SUMMARY
            ),
            "create",
        ),
    ),
    "care_plan_create": (
        lambda t, c: _assessed(t, c),
        lambda t, c: (services.care_plan_create(actor=t.worker, case=c), "create"),
    ),
    "care_plan_goal_add": (
        lambda t, c: services.care_plan_create(actor=t.worker, case=_assessed(t, c)),
        lambda t, p: (
            services.care_plan_goal_add(actor=t.worker, plan=p, description="Goal", expected_version=1),
            "create",
        ),
    ),
    "care_plan_action_add": (
        lambda t, c: services.care_plan_goal_add(
            actor=t.worker,
            plan=services.care_plan_create(actor=t.worker, case=_assessed(t, c)),
            description="G",
            expected_version=1,
        ),
        lambda t, g: (
            services.care_plan_action_add(
                actor=t.worker,
                goal=g,
                description="A",
                due_on=TODAY(),
                responsible_person=t.worker,
                expected_version=2,
            ),
            "create",
        ),
    ),
    "care_plan_submit": (
        lambda t, c: _plan(t, _assessed(t, c)),
        lambda t, p: (services.care_plan_submit(actor=t.worker, plan=p, expected_version=3), "update"),
    ),
    "care_plan_approve": (
        lambda t, c: _submitted(t, _assessed(t, c)),
        lambda t, p: (
            services.care_plan_approve(actor=t.supervisor, plan=p, expected_version=p.version),
            "update",
        ),
    ),
    "care_plan_return": (
        lambda t, c: _submitted(t, _assessed(t, c)),
        lambda t, p: (
            services.care_plan_return(actor=t.supervisor, plan=p, expected_version=p.version, note="More"),
            "update",
        ),
    ),
    "care_plan_action_complete": (
        lambda t, c: CarePlanAction.objects.get(goal__plan=f.approved_plan(c)),
        lambda t, a: (services.care_plan_action_complete(actor=t.worker, action=a), "update"),
    ),
    "care_plan_action_cancel": (
        lambda t, c: CarePlanAction.objects.get(goal__plan=f.approved_plan(c)),
        lambda t, a: (
            services.care_plan_action_cancel(actor=t.worker, action=a, reason="Not needed"),
            "update",
        ),
    ),
    "note_add": (
        lambda t, c: c,
        lambda t, c: (services.note_add(actor=t.worker, case=c, kind="interview", body=NOTE), "create"),
    ),
    "consent_record": (lambda t, c: c, lambda t, c: (_consent(t, c), "create")),
    "consent_withdraw": (
        lambda t, c: _consent(t, c),
        lambda t, k: (services.consent_withdraw(actor=t.worker, consent=k, reason="Changed mind"), "update"),
    ),
    "transfer_request": (lambda t, c: c, lambda t, c: (_transfer(t, c)[1], "create")),
    "transfer_accept": (
        lambda t, c: _transfer(t, c),
        lambda t, p: (
            services.transfer_accept(actor=p[0].worker, transfer=p[1]) and p[1],
            "update",
        ),
    ),
    "transfer_decline": (
        lambda t, c: _transfer(t, c),
        lambda t, p: (services.transfer_decline(actor=p[0].worker, transfer=p[1]), "update"),
    ),
    "transfer_cancel": (
        lambda t, c: _transfer(t, c),
        lambda t, p: (services.transfer_cancel(actor=t.worker, transfer=p[1]), "update"),
    ),
    "case_access_grant": (
        lambda t, c: (c, f.team().agency),
        lambda t, p: (
            services.case_access_grant(
                actor=t.supervisor, case=p[0], agency=p[1], reason="Joint", legal_basis="Basis", override=True
            ),
            "create",
        ),
    ),
    "case_access_revoke": (
        lambda t, c: services.case_access_grant(
            actor=t.supervisor,
            case=c,
            agency=f.team().agency,
            reason="Joint",
            legal_basis="Basis",
            override=True,
        ),
        lambda t, a: (services.case_access_revoke(actor=t.worker, access=a, reason="Done"), "update"),
    ),
    "closure_request": (
        lambda t, c: c,
        lambda t, c: (services.closure_request(actor=t.worker, case=c, reason="Done"), "create"),
    ),
    "closure_approve": (
        lambda t, c: services.closure_request(actor=t.worker, case=c, reason="Done"),
        lambda t, r: (services.closure_approve(actor=t.supervisor, request=r) and r, "update"),
    ),
    "closure_return": (
        lambda t, c: services.closure_request(actor=t.worker, case=c, reason="Done"),
        lambda t, r: (services.closure_return(actor=t.supervisor, request=r, note="Not yet"), "update"),
    ),
    "case_reopen": (
        lambda t, c: f.put_at(c, Stage.CLOSED),
        lambda t, c: (
            services.case_reopen(actor=t.worker, case=c, reason="Back", expected_version=c.version),
            "transition",
        ),
    ),
}


def test_every_public_service_has_an_audit_scenario():
    assert set(SCENARIOS) == set(services.__all__) - {"NeedInput"}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_each_service_writes_its_audit_event_in_the_same_transaction(name):
    setup, call = SCENARIOS[name]
    team = f.team()
    case = f.open_case(actor=team.worker)
    prepared = setup(team, case)
    before = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0
    obj, action = call(team, prepared)
    events = AuditEvent.objects.filter(sequence__gt=before)
    mine = events.filter(object_id=str(obj.pk), action=action)
    assert mine.exists(), f"{name}: no {action} event for {obj._meta.label_lower}"
    event = mine.first()
    assert event.object_type == obj._meta.label_lower
    assert event.changed_fields, f"{name}: the event names no fields"
    assert event.actor is not None
    for e in events:
        for secret in SECRETS:
            assert secret not in e.reason
            assert all(secret not in str(name) for name in e.changed_fields)


def test_refused_writes_leave_no_audit_event():
    team = f.team()
    case = f.put_at(f.open_case(actor=team.worker), Stage.ASSESSMENT)
    before = AuditEvent.objects.count()
    with pytest.raises(InvalidTransition):
        services.case_transition(
            actor=team.worker, case=case, to_stage=Stage.CARE_PLAN, expected_version=case.version
        )
    with pytest.raises(NotFound):
        services.note_add(actor=f.team().worker, case=case, kind="contact", body=NOTE)
    assert AuditEvent.objects.count() == before
