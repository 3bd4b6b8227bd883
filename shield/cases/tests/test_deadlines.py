"""The 3-day initial verification of Law 53/2024, kept as dated configuration."""

import datetime
import json
import zoneinfo

import pytest
from django.utils import timezone

from shield.cases import deadlines, services
from shield.cases.deadlines import DeadlineRule, is_verification_overdue, verification_deadline
from shield.cases.models import CaseType, Stage
from shield.cases.tests import factories as f

pytestmark = pytest.mark.django_db

HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def _at(*args):
    return datetime.datetime(*args, tzinfo=HANOI)


def test_the_rule_file_holds_law_53_2024_from_1_july_2025_with_3_days():
    raw = json.loads(deadlines.DEFAULT_RULES.read_text(encoding="utf-8"))["initial_verification"]
    (rule,) = [r for r in raw if "53/2024" in r["law"]]
    assert (rule["effective_from"], rule["days"]) == ("2025-07-01", 3)
    assert {"law", "article", "effective_from", "days", "description"} <= set(rule)


def test_a_case_reported_under_law_53_is_due_3_days_after_the_report():
    reported = _at(2025, 7, 1, 9, 30)
    case = f.open_case(reported_at=reported)
    assert verification_deadline(case) == reported + datetime.timedelta(days=3)


def test_a_case_reported_before_the_law_took_effect_has_no_tracked_deadline():
    case = f.open_case(reported_at=_at(2025, 6, 30, 23, 59))
    assert verification_deadline(case) is None
    assert not is_verification_overdue(case)


def test_the_rule_is_chosen_by_the_report_date_not_today():
    rules = [
        DeadlineRule(
            "Law 53/2024/QH15", "", datetime.date(2025, 7, 1), 3, frozenset({"trafficking_victim"}), ""
        ),
        DeadlineRule(
            "A later decree", "", datetime.date(2026, 1, 1), 5, frozenset({"trafficking_victim"}), ""
        ),
    ]
    old = f.open_case(reported_at=_at(2025, 12, 31, 22, 0))
    new = f.open_case(reported_at=_at(2026, 1, 1, 0, 30))
    assert verification_deadline(old, rules=rules) == old.reported_at + datetime.timedelta(days=3)
    assert verification_deadline(new, rules=rules) == new.reported_at + datetime.timedelta(days=5)


def test_the_deadline_applies_only_to_the_case_types_the_rule_names():
    case = f.open_case(reported_at=_at(2025, 8, 1, 8, 0), case_type=CaseType.CHILD_IN_CONFLICT)
    assert verification_deadline(case) is None
    identification = f.open_case(
        reported_at=_at(2025, 8, 1, 8, 0), case_type=CaseType.UNDERGOING_IDENTIFICATION
    )
    assert verification_deadline(identification) is not None


def test_an_unverified_report_is_overdue_after_the_deadline_and_not_before():
    reported = timezone.now() - datetime.timedelta(days=4)
    case = f.open_case(reported_at=reported)
    assert is_verification_overdue(case)
    assert not is_verification_overdue(case, now=reported + datetime.timedelta(days=2, hours=23))
    assert is_verification_overdue(case, now=reported + datetime.timedelta(days=3, seconds=1))


def test_starting_identification_ends_the_overdue_state():
    team = f.team()
    case = f.open_case(actor=team.worker, reported_at=timezone.now() - datetime.timedelta(days=5))
    case = services.case_transition(
        actor=team.worker, case=case, to_stage=Stage.UNDERGOING_IDENTIFICATION, expected_version=case.version
    )
    assert not is_verification_overdue(case)


def test_a_deployment_can_point_at_its_own_rule_file(settings, tmp_path):
    path = tmp_path / "rules.json"
    path.write_text(
        json.dumps(
            {
                "initial_verification": [
                    {
                        "law": "Test law",
                        "effective_from": "2020-01-01",
                        "days": 1,
                        "case_types": ["trafficking_victim"],
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    settings.SHIELD_CASE_DEADLINE_RULES = str(path)
    case = f.open_case(reported_at=_at(2024, 5, 1, 12, 0))
    assert verification_deadline(case) == case.reported_at + datetime.timedelta(days=1)
