"""The stage machine as data, without a database: the table, the guards and their messages."""

import itertools

import pytest

from shield.cases import stages
from shield.cases.stages import CaseFacts, Stage
from shield.core.errors import InvalidTransition

ALL_SATISFIED = CaseFacts(
    case_type="child_victim_abuse",
    identification_status="identified",
    has_assessment=True,
    has_approved_plan=True,
    closure_approved=True,
    reason="New information",
)

EXPECTED_TABLE = {
    (Stage.REGISTERED, Stage.UNDERGOING_IDENTIFICATION),
    (Stage.REGISTERED, Stage.ASSESSMENT),
    (Stage.UNDERGOING_IDENTIFICATION, Stage.IDENTIFIED_VICTIM),
    (Stage.UNDERGOING_IDENTIFICATION, Stage.NOT_A_VICTIM),
    (Stage.IDENTIFIED_VICTIM, Stage.ASSESSMENT),
    (Stage.ASSESSMENT, Stage.CARE_PLAN),
    (Stage.CARE_PLAN, Stage.SERVICES),
    (Stage.SERVICES, Stage.REINTEGRATION),
    (Stage.SERVICES, Stage.CARE_PLAN),
    (Stage.REINTEGRATION, Stage.SERVICES),
    *((s, Stage.CLOSED) for s in Stage if s != Stage.CLOSED),
    (Stage.CLOSED, Stage.REOPENED),
    (Stage.REOPENED, Stage.UNDERGOING_IDENTIFICATION),
    (Stage.REOPENED, Stage.ASSESSMENT),
    (Stage.REOPENED, Stage.CARE_PLAN),
    (Stage.REOPENED, Stage.SERVICES),
    (Stage.REOPENED, Stage.REINTEGRATION),
}

PAIRS = list(itertools.product(Stage, Stage))


def test_the_table_holds_exactly_the_designed_moves():
    assert {(t.source, t.target) for t in stages.TRANSITIONS} == EXPECTED_TABLE
    assert len(stages.TRANSITIONS) == len(EXPECTED_TABLE), "a move is listed twice"


@pytest.mark.parametrize(("source", "target"), PAIRS, ids=[f"{s}->{t}" for s, t in PAIRS])
def test_every_pair_is_allowed_exactly_when_the_table_has_it(source, target):
    # Identification outcomes need the matching decision; give it for the pair being checked.
    status = "not_a_victim" if target == Stage.NOT_A_VICTIM else "identified"
    facts = CaseFacts(**{**ALL_SATISFIED.__dict__, "identification_status": status})
    if (source, target) in EXPECTED_TABLE:
        assert stages.check(source, target, facts).target == target
    else:
        with pytest.raises(InvalidTransition) as refused:
            stages.check(source, target, facts)
        assert refused.value.message
        assert refused.value.message != str(InvalidTransition.default_message)


@pytest.mark.parametrize(
    ("source", "target", "facts", "message"),
    [
        (
            Stage.ASSESSMENT,
            Stage.CARE_PLAN,
            CaseFacts("trafficking_victim", has_assessment=False),
            "A care plan needs an assessment first.",
        ),
        (
            Stage.CARE_PLAN,
            Stage.SERVICES,
            CaseFacts("trafficking_victim", has_approved_plan=False),
            "Services start once a supervisor has approved the care plan.",
        ),
        (
            Stage.SERVICES,
            Stage.CLOSED,
            CaseFacts("trafficking_victim"),
            "Closing needs a supervisor's approval: request closure instead.",
        ),
        (
            Stage.CLOSED,
            Stage.REOPENED,
            CaseFacts("trafficking_victim", reason="  "),
            "Reopening needs a reason.",
        ),
        (
            Stage.REGISTERED,
            Stage.ASSESSMENT,
            CaseFacts("trafficking_victim"),
            "A possible trafficking victim is identified before assessment: start identification first.",
        ),
        (
            Stage.UNDERGOING_IDENTIFICATION,
            Stage.IDENTIFIED_VICTIM,
            CaseFacts("trafficking_victim", identification_status="possible"),
            "A case becomes an identified victim only through an identification decision that says so.",
        ),
        (
            Stage.UNDERGOING_IDENTIFICATION,
            Stage.NOT_A_VICTIM,
            CaseFacts("trafficking_victim", identification_status="identified"),
            "A case becomes 'not a victim' only through an identification decision that says so.",
        ),
        (
            Stage.REOPENED,
            Stage.ASSESSMENT,
            CaseFacts("trafficking_victim", identification_status="not_a_victim"),
            "The latest identification decision says this person is not a victim: "
            "start identification again if there is new information.",
        ),
    ],
)
def test_guards_refuse_with_a_sentence_that_says_why(source, target, facts, message):
    with pytest.raises(InvalidTransition) as refused:
        stages.check(source, target, facts)
    assert refused.value.message == message
    assert refused.value.status_code == 409


@pytest.mark.parametrize(
    ("source", "target", "message"),
    [
        (
            Stage.NOT_A_VICTIM,
            Stage.ASSESSMENT,
            "A case identified as not a victim cannot go to “Assessment”.",
        ),
        (Stage.REGISTERED, Stage.CARE_PLAN, "A care plan needs an assessment first."),
        (Stage.CLOSED, Stage.SERVICES, "A closed case must be reopened first."),
        (Stage.SERVICES, Stage.REOPENED, "Only a closed case can be reopened."),
        (Stage.SERVICES, Stage.REGISTERED, "A case cannot go back to “Registered”."),
        (
            Stage.ASSESSMENT,
            Stage.IDENTIFIED_VICTIM,
            "Only a case undergoing identification can be decided on.",
        ),
        (Stage.CARE_PLAN, Stage.CARE_PLAN, "The case is already at the stage “Care plan”."),
        (Stage.UNDERGOING_IDENTIFICATION, Stage.ASSESSMENT, "Record the identification decision first."),
        (Stage.REGISTERED, Stage.SERVICES, "Services follow an approved care plan."),
        (Stage.ASSESSMENT, Stage.REINTEGRATION, "Reintegration and follow-up come after services."),
        (
            Stage.REINTEGRATION,
            Stage.ASSESSMENT,
            "A case cannot move from “Reintegration and follow-up” to “Assessment”.",
        ),
    ],
)
def test_moves_outside_the_table_are_refused_with_a_reason(source, target, message):
    with pytest.raises(InvalidTransition) as refused:
        stages.check(source, target, ALL_SATISFIED)
    assert refused.value.message == message


def test_case_types_outside_trafficking_may_go_straight_to_assessment():
    for case_type in ("child_victim_abuse", "child_in_conflict", "child_witness", "at_risk_migrant"):
        assert stages.refusal(Stage.REGISTERED, Stage.ASSESSMENT, CaseFacts(case_type)) is None
    for case_type in ("trafficking_victim", "undergoing_identification"):
        assert stages.refusal(Stage.REGISTERED, Stage.ASSESSMENT, CaseFacts(case_type)) is not None


def test_closing_is_in_the_table_from_every_open_stage_and_always_needs_approval():
    for source in stages.OPEN_STAGES:
        assert stages.transition_for(source, Stage.CLOSED) is not None
        assert stages.refusal(source, Stage.CLOSED, CaseFacts("trafficking_victim")) == (
            "Closing needs a supervisor's approval: request closure instead."
        )


def test_options_list_the_table_moves_with_their_refusals():
    options = stages.options(Stage.ASSESSMENT, CaseFacts("trafficking_victim"))
    by_target = {o.target: o for o in options}
    assert set(by_target) == {Stage.CARE_PLAN, Stage.CLOSED}
    assert not by_target[Stage.CARE_PLAN].allowed
    assert by_target[Stage.CARE_PLAN].refused_because == "A care plan needs an assessment first."
    options = stages.options(Stage.ASSESSMENT, CaseFacts("trafficking_victim", has_assessment=True))
    assert {o.target for o in options if o.allowed} == {Stage.CARE_PLAN}


def test_unknown_stage_is_refused():
    with pytest.raises(InvalidTransition):
        stages.check("registered", "nowhere", ALL_SATISFIED)
