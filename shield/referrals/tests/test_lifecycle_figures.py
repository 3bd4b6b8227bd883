"""Supervisor figures on a small known dataset, and the escalation of breaches (once each)."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from shield.accounts.tests.factories import AgencyFactory, province
from shield.cases.tests import factories as case_factories
from shield.notifications.models import Kind, Notification
from shield.referrals.lifecycle import deadlines, figures, services
from shield.referrals.lifecycle.notices import referrals_overdue_notify
from shield.referrals.models import Referral, ReferralOutcome, ReferralStatus
from shield.referrals.tests import lifecycle_factories as f

pytestmark = pytest.mark.django_db
H = datetime.timedelta(hours=1)


def _accepted_after(world: f.Loop, hours: float) -> Referral:
    referral = f.send(world, with_consent=not Referral.objects.filter(case=world.case).exists())
    referral = services.referral_accept(
        actor=world.provider_staff, referral=referral, version=referral.version
    )
    return f.at(referral, accepted_at=referral.sent_at + datetime.timedelta(hours=hours))


def test_figures_on_a_known_dataset() -> None:
    world = f.loop()  # routine: 72 hours to answer
    a = _accepted_after(world, 2)
    _accepted_after(world, 10)
    _accepted_after(world, 100)  # accepted after its deadline
    declined = f.send(world, with_consent=False)
    services.referral_decline(
        actor=world.provider_staff, referral=declined, version=declined.version, reason="Full"
    )
    waiting = f.send(world, with_consent=False)  # still within its deadline: not counted as due
    assert waiting.status == ReferralStatus.SENT
    a = services.referral_start_service(actor=world.provider_staff, referral=a, version=a.version)
    services.referral_complete(
        actor=world.provider_staff, referral=a, version=a.version, outcome=ReferralOutcome.SUCCESSFUL
    )
    b = Referral.objects.filter(status=ReferralStatus.ACCEPTED).order_by("accepted_at").first()
    assert b is not None
    services.referral_complete(
        actor=world.provider_staff, referral=b, version=b.version, outcome=ReferralOutcome.CLIENT_REFUSED
    )
    # Another supervisor's agency: outside the scope.
    f.send(f.loop())

    result = figures.overall(figures.scoped_for(world.sender.supervisor))
    assert result.total == 5
    assert result.by_state[ReferralStatus.COMPLETED] == 2
    assert result.by_state[ReferralStatus.DECLINED] == 1
    assert result.by_state[ReferralStatus.SENT] == 1
    assert result.answer_due == 4
    assert result.accepted_in_time == 2
    assert result.accepted_in_time_pct == 50.0
    assert result.median_to_accept == datetime.timedelta(hours=10)
    assert result.successful_pct == 50.0
    by_type = figures.by_group(figures.scoped_for(world.sender.supervisor), "service_type")
    assert [(g.label, g.total, g.median_to_accept) for g in by_type] == [
        ("psychological_support", 5, datetime.timedelta(hours=10))
    ]


def test_the_median_of_an_even_count_is_the_mean_of_the_middle_two() -> None:
    world = f.loop()
    _accepted_after(world, 2)
    _accepted_after(world, 4)
    result = figures.overall(figures.scoped_for(world.sender.supervisor))
    assert result.median_to_accept == datetime.timedelta(hours=3)


def test_figures_by_province_of_the_referring_agency() -> None:
    world = f.loop()
    f.send(world)
    rows = figures.by_group(figures.scoped_for(world.sender.supervisor), "from_agency__province__name")
    assert [(r.label, r.total) for r in rows] == [(world.sender.agency.province.name, 1)]


def test_figures_page_counts_in_a_fixed_number_of_queries(django_assert_max_num_queries) -> None:
    from django.test import Client

    world = f.loop()
    for _ in range(3):
        _accepted_after(world, 5)
    client = Client()
    client.force_login(world.sender.supervisor)
    client.get("/referrals/figures/")
    with django_assert_max_num_queries(16):
        assert client.get("/referrals/figures/").status_code == 200


def test_a_breach_notifies_the_senders_supervisors_once() -> None:
    world = f.loop()
    late = f.at(f.send(world), respond_by=timezone.now() - H)
    f.send(world, with_consent=False)  # not late
    first = referrals_overdue_notify()
    again = referrals_overdue_notify()
    told = set(
        Notification.objects.filter(kind=Kind.REFERRAL_NO_ANSWER, target_id=str(late.pk)).values_list(
            "recipient", flat=True
        )
    )
    assert told == {world.sender.supervisor.pk, world.sender.worker.pk}
    assert first == 2
    assert again == 0


def test_an_accepted_referral_without_outcome_escalates_once_by_the_command() -> None:
    world = f.loop()
    referral = f.send(world)
    referral = services.referral_accept(
        actor=world.provider_staff, referral=referral, version=referral.version
    )
    f.at(referral, outcome_due_by=timezone.now() - H)
    call_command("notify_referrals_overdue", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("notify_referrals_overdue", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (
        Notification.objects.filter(kind=Kind.REFERRAL_NO_OUTCOME, recipient=world.sender.supervisor).count()
        == 1
    )


def test_the_deadline_rules_come_from_the_dated_file() -> None:
    sent = timezone.now()
    assert deadlines.response_hours(urgency="immediate", sent_at=sent) == 1
    assert deadlines.response_hours(urgency="urgent", sent_at=sent) == 24
    assert deadlines.response_hours(urgency="routine", sent_at=sent) == 72
    assert deadlines.response_hours(urgency="routine", sent_at=sent, service_hours=6) == 6
    assert deadlines.outcome_due_days(sent) == 30
    # Before the first rule: the fallback.
    old = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    assert deadlines.response_hours(urgency="immediate", sent_at=old) == deadlines.FALLBACK_RESPONSE_HOURS


def test_other_provinces_receiving_agencies_are_not_in_scope() -> None:
    case_factories.team(AgencyFactory.create(province=province("79")))
    world = f.loop()
    assert figures.overall(figures.scoped_for(world.provider_staff)).total == 0
