"""Event indicators (tips, screenings, cases opened and closed), screened possible victims, the
first-contact channel, and freshness: what is recorded now counts in the next table."""

import datetime

import pytest
from django.utils import timezone

from shield.cases.models import Case, IdentificationStatus
from shield.intake import services as intake_services
from shield.intake.models import Screening
from shield.intake.risk import Outcome
from shield.intake.tests.factories import Gate, draft, gate_post, tip
from shield.statistics import tables
from shield.statistics.selectors import table_for
from shield.statistics.tests import factories as f

pytestmark = pytest.mark.django_db


def _this_year() -> str:
    return str(timezone.localdate().year)


def test_tips_are_events_by_channel() -> None:
    gate = gate_post()
    tip(gate.officer, channel="hotline")
    tip(gate.officer, channel="hotline")
    tip(gate.officer, channel="online")

    table = table_for(user=f.statistician(), indicator="tips", period=_this_year(), dimensions=["channel"])

    assert table.get(channel="hotline") == tables.Count.events(2)
    assert table.get(channel="online") == tables.Count.events(1)
    assert table.get(channel="walk_in") == tables.ZERO
    assert table.total == tables.Count.events(3)


def test_a_tip_late_on_31_december_in_viet_nam_counts_in_that_year() -> None:
    gate = gate_post()
    late = tip(gate.officer)
    # 23:30 on 31 December 2024 in Viet Nam is 16:30 UTC.
    type(late).objects.filter(pk=late.pk).update(
        received_at=datetime.datetime(2024, 12, 31, 16, 30, tzinfo=datetime.UTC)
    )
    user = f.statistician()

    assert table_for(user=user, indicator="tips", period="2024").total.value == 1
    assert table_for(user=user, indicator="tips", period="2025").total.value == 0


def _referred(gate: Gate, **answers: bool) -> Screening:
    screening = draft(
        gate.officer,
        traveller_name="Nguyễn Thị Hoa",
        traveller_sex="female",
        traveller_birth_date=datetime.date(1999, 2, 1),
        answers=answers or {"movement_controlled": True, "online_offer": True},
    )
    return intake_services.screening_complete(
        actor=gate.officer,
        screening=screening,
        expected_version=screening.version,
        outcome=Outcome.REFERRED,
        receiving_agency=gate.receiver,
    )


def test_screened_possible_victims_and_the_border_screening_channel() -> None:
    gate = gate_post()
    referred = _referred(gate)
    calm = draft(gate.officer, traveller_name="Trần Văn An")
    intake_services.screening_complete(
        actor=gate.officer, screening=calm, expected_version=calm.version, outcome=Outcome.NO_CONCERN
    )
    user = f.statistician()

    flagged = table_for(
        user=user, indicator="screened_possible_victims", period=_this_year(), dimensions=["sex"]
    )
    screenings = table_for(user=user, indicator="screenings", period=_this_year())
    opened = table_for(user=user, indicator="cases_opened", period=_this_year(), dimensions=["channel"])

    assert flagged.get(sex="female") == tables.Count(1, 1, 1)
    assert flagged.total.value == 1
    assert screenings.total == tables.Count.events(2)
    assert opened.get(channel="border_screening").value == 1
    assert referred.case is not None

    # The referred person identified by the receiving agency counts as detected, by channel.
    f.decide(referred.case, IdentificationStatus.POSSIBLE, timezone.localdate())
    detected = table_for(user=user, indicator="victims_detected", period=_this_year(), dimensions=["channel"])
    assert detected.get(channel="border_screening").value == 1


def test_cases_opened_and_closed_are_events() -> None:
    hanoi = f.agency()
    cases = [f.victim(at=hanoi, decided_on=timezone.localdate()) for _ in range(3)]
    now = timezone.now()
    Case.objects.filter(pk=cases[0].pk).update(stage="closed", closed_at=now)
    # Two cases of one person are two events.
    f.victim(at=hanoi, decided_on=timezone.localdate(), person=cases[1].person)
    user = f.statistician()

    assert table_for(user=user, indicator="cases_opened", period=_this_year()).total == tables.Count.events(4)
    assert table_for(user=user, indicator="cases_closed", period=_this_year()).total == tables.Count.events(1)
    # ...and one person.
    assert table_for(user=user, indicator="victims_detected", period=_this_year()).total.value == 3


def test_a_case_from_a_tip_takes_the_tip_channel() -> None:
    gate = gate_post()
    hanoi = f.agency()
    case = f.victim(at=hanoi, decided_on=timezone.localdate())
    received = tip(gate.officer, channel="walk_in")
    type(received).objects.filter(pk=received.pk).update(case=case)

    table = table_for(
        user=f.statistician(), indicator="victims_detected", period=_this_year(), dimensions=["channel"]
    )

    assert table.get(channel="walk_in").value == 1
    assert table.get(channel="direct").value == 0


def test_a_victim_identified_now_counts_at_once() -> None:
    """Freshness: counting reads the source tables, so the next table shows the decision."""
    user = f.statistician()
    before = table_for(user=user, indicator="victims_identified", period=_this_year()).total.value

    f.victim(at=f.agency(), decided_on=timezone.localdate())

    assert table_for(user=user, indicator="victims_identified", period=_this_year()).total.value == before + 1
