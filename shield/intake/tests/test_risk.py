"""The risk rules on the shipped instrument: no database needed."""

import pytest

from shield.intake import instruments, risk
from shield.intake.risk import CHILD_RULE, Outcome, RiskLevel


@pytest.fixture(scope="module")
def definition() -> instruments.Definition:
    return instruments.check_definition(instruments.read_file(instruments.FIRST_INSTRUMENT))


def test_nothing_observed_is_no_concern(definition):
    result = risk.assess(definition, {}, age=30, purpose="tourism")
    assert result.level == RiskLevel.NONE
    assert result.reasons == ()
    assert result.suggested_outcome == Outcome.NO_CONCERN


def test_a_strong_indicator_alone_makes_a_referral(definition):
    result = risk.assess(definition, {"documents_held": True}, age=30, purpose="tourism")
    assert result.level == RiskLevel.HIGH
    assert result.score < definition.referral_threshold
    assert [r.code for r in result.reasons] == ["documents_held"]
    assert result.reasons[0].strong
    assert Outcome.NO_CONCERN not in result.allowed_outcomes
    assert Outcome.ADVICE not in result.allowed_outcomes


def test_weak_indicators_add_up_to_advice_then_referral(definition):
    advice = risk.assess(definition, {"companion_answers": True}, age=30)
    assert advice.level == RiskLevel.MEDIUM
    assert advice.suggested_outcome == Outcome.ADVICE
    referral = risk.assess(definition, {"job_deception": True, "online_offer": True}, age=30)
    assert referral.score == 5
    assert referral.level == RiskLevel.HIGH
    assert {r.code for r in referral.reasons} == {"job_deception", "online_offer"}


def test_a_choice_counts_its_option_weight_and_names_it(definition):
    result = risk.assess(definition, {"who_paid": "recruiter"}, age=30)
    assert result.score == 2
    assert result.reasons[0].option == "recruiter"
    assert risk.assess(definition, {"who_paid": "self"}, age=30).reasons == ()


def test_a_child_travelling_for_work_is_flagged_without_any_means(definition):
    """Law 53/2024 Art. 2: no deception, force or debt is needed for a child."""
    result = risk.assess(definition, {}, age=16, purpose="work")
    assert result.level == RiskLevel.CRITICAL
    assert result.child_moved_for_exploitation
    assert result.reasons[0].code == CHILD_RULE
    assert result.allowed_outcomes == {Outcome.CHILD_PROTECTION}


def test_a_child_recruited_online_is_flagged_whatever_the_stated_purpose(definition):
    result = risk.assess(definition, {"online_offer": True}, age=17, purpose="tourism")
    assert result.level == RiskLevel.CRITICAL


def test_an_adult_with_the_same_answers_is_not_flagged_as_a_child(definition):
    result = risk.assess(definition, {}, age=18, purpose="work")
    assert result.level == RiskLevel.NONE
    assert not result.child_moved_for_exploitation


def test_a_child_on_holiday_with_nothing_observed_is_not_flagged(definition):
    assert risk.assess(definition, {}, age=12, purpose="family").level == RiskLevel.NONE


def test_unknown_answers_are_ignored(definition):
    assert risk.clean_answers(definition, {"made_up": True, "who_paid": "nobody", "injury_fear": "on"}) == {
        "injury_fear": True
    }


def test_a_broken_definition_is_refused_with_every_problem():
    with pytest.raises(instruments.DefinitionError) as caught:
        instruments.check_definition(
            {
                "code": "x",
                "title": {"vi": "X"},
                "sections": [{"code": "a", "indicators": [{"code": "i", "type": "scale"}]}],
            }
        )
    text = " ".join(caught.value.problems)
    assert "en" in text
    assert "boolean or choice" in text
