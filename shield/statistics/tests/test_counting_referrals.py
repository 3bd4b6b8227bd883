"""Referral and support indicators, counted from the referrals app's skeleton fields only: events
are referrals or deliveries, persons are unique individuals; voided support does not count, and a
supervisor sees only what their agency referred."""

import datetime
from typing import Any

import pytest
from django.utils import timezone

from shield.accounts.models import Agency, User
from shield.accounts.roles import Role, Scope
from shield.accounts.tests.factories import member
from shield.cases.models import Case
from shield.people.models import Person
from shield.referrals.models import Provider, Referral, ReferralStatus, SupportDelivery
from shield.statistics.selectors import TableRequest, table_for, tables_for
from shield.statistics.tables import TOTAL
from shield.statistics.tests import factories as f

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 5, 10)


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def _provider(at: Agency) -> Provider:
    return Provider.objects.create(name="Trung tâm Công tác xã hội", province=at.province)


def referral(
    case: Case,
    *,
    service_type: str = "health_care",
    urgency: str = "urgent",
    sent_on: datetime.date = DAY,
    status: str = ReferralStatus.SENT,
    outcome: str = "",
    closed_on: datetime.date | None = None,
    person: Person | None = None,
) -> Referral:
    by = case.created_by
    return Referral.objects.create(
        reference=f"REF-{Referral.objects.count() + 1}",
        case=case,
        person=person or case.person,
        from_agency=case.owner_agency,
        referred_by=by,
        provider=_provider(case.owner_agency),
        service_type=service_type,
        reason="Cần khám sức khỏe",
        urgency=urgency,
        status=status,
        outcome=outcome,
        sent_at=_at(sent_on),
        respond_by=_at(sent_on) + datetime.timedelta(days=2),
        closed_at=_at(closed_on) if closed_on else None,
        override_by=by,
        legal_basis="Luật 53/2024/QH15",
    )


def delivery(
    case: Case, *, support_type: str = "shelter", on: datetime.date = DAY, **extra: Any
) -> SupportDelivery:
    # A delivery is tied to a referral or a care-plan action (a database rule): here, a referral.
    if "referral" not in extra:
        extra["referral"] = referral(case, service_type=support_type, status=ReferralStatus.IN_SERVICE)
    return SupportDelivery.objects.create(
        case=case,
        person=case.person,
        provider=_provider(case.owner_agency),
        support_type=support_type,
        delivered_on=on,
        recorded_by=case.created_by,
        **extra,
    )


@pytest.fixture
def stats() -> User:
    return f.statistician()


def test_referrals_sent_are_events_by_service_type_urgency_and_referring_province(stats: User) -> None:
    ha_noi, lao_cai = f.agency("ha_noi"), f.agency("lao_cai")
    case = f.victim(at=ha_noi, decided_on=DAY)
    referral(case, service_type="health_care", urgency="urgent")
    referral(case, service_type="legal_aid", urgency="routine")
    referral(f.victim(at=lao_cai, decided_on=DAY), service_type="health_care", urgency="immediate")
    referral(case, sent_on=datetime.date(2024, 12, 31))  # another year

    by_type = table_for(user=stats, indicator="referrals_sent", period="2025", dimensions=["service_type"])
    assert by_type.total.value == by_type.total.records == by_type.total.low == 3
    assert by_type.get(service_type="health_care").value == 2
    assert by_type.get(service_type="legal_aid").value == 1
    by_urgency = table_for(user=stats, indicator="referrals_sent", period="2025", dimensions=["urgency"])
    assert [by_urgency.get(urgency=u).value for u in ("immediate", "urgent", "routine")] == [1, 1, 1]
    provinces = table_for(user=stats, indicator="referrals_sent", period="2025", dimensions=["province"])
    assert provinces.get(province=ha_noi.province.code).value == 2
    assert provinces.get(province=lao_cai.province.code).value == 1


def test_referrals_completed_count_by_outcome_on_the_day_closed(stats: User) -> None:
    case = f.victim(at=f.agency(), decided_on=DAY)
    june = datetime.date(2025, 6, 1)
    referral(case, outcome="successful", status=ReferralStatus.COMPLETED, closed_on=june)
    referral(case, outcome="successful", status=ReferralStatus.COMPLETED, closed_on=june)
    referral(case, outcome="client_refused", status=ReferralStatus.COMPLETED, closed_on=june)
    referral(case, status=ReferralStatus.CANCELLED, closed_on=datetime.date(2025, 6, 1))  # not completed
    referral(case)  # still open
    referral(case, outcome="successful", status=ReferralStatus.COMPLETED, closed_on=datetime.date(2026, 1, 2))

    table = table_for(user=stats, indicator="referrals_completed", period="2025", dimensions=["outcome"])
    assert table.total.value == 3
    assert table.get(outcome="successful").value == 2
    assert table.get(outcome="client_refused").value == 1
    assert table.get(outcome="lack_of_capacity").value == 0
    assert table_for(user=stats, indicator="referrals_completed", period="2025-06").total.value == 3
    assert table_for(user=stats, indicator="referrals_completed", period="2025-05").total.value == 0


def test_persons_referred_counts_each_individual_once_with_records_and_range(stats: User) -> None:
    at = f.agency()
    first, second, third = (f.victim(at=at, decided_on=DAY) for _ in range(3))
    referral(first)
    referral(first, service_type="legal_aid")  # the same person twice
    referral(second)
    referral(third)
    f.same_individual(first.person, second.person)  # two records of one individual
    f.pending_pair(second.person, third.person)  # and maybe the third too

    table = table_for(user=stats, indicator="persons_referred", period="2025", dimensions=["service_type"])
    assert (table.total.value, table.total.records, table.total.low) == (2, 3, 1)
    health = table.get(service_type="health_care")
    assert (health.value, health.records, health.low) == (2, 3, 1)
    legal = table.get(service_type="legal_aid")
    assert (legal.value, legal.records, legal.low) == (1, 1, 1)


def test_support_deliveries_count_events_by_type_and_leave_voided_ones_out(stats: User) -> None:
    case = f.victim(at=f.agency(), decided_on=DAY)
    delivery(case, support_type="shelter")
    delivery(case, support_type="shelter")
    delivery(case, support_type="health_care")
    delivery(case, support_type="shelter", voided_at=timezone.now(), void_reason="Nhập nhầm")
    delivery(case, support_type="shelter", on=datetime.date(2026, 1, 1))

    table = table_for(user=stats, indicator="support_deliveries", period="2025", dimensions=["support_type"])
    assert table.total.value == 3
    assert table.get(support_type="shelter").value == 2
    assert table.get(support_type="health_care").value == 1
    assert table.get(support_type=TOTAL).value == 3


def test_persons_supported_are_unique_individuals_not_voided(stats: User) -> None:
    at = f.agency()
    a, b, c = (f.victim(at=at, decided_on=DAY) for _ in range(3))
    delivery(a)
    delivery(a, support_type="health_care")
    delivery(b)
    delivery(c, voided_at=timezone.now(), void_reason="Nhập nhầm")
    f.same_individual(a.person, b.person)

    table = table_for(user=stats, indicator="persons_supported", period="2025", dimensions=["support_type"])
    assert (table.total.value, table.total.records) == (1, 2)
    assert (table.get(support_type="shelter").value, table.get(support_type="shelter").records) == (1, 2)
    assert table.get(support_type="health_care").records == 1


def test_a_supervisor_counts_only_the_referrals_and_support_of_their_agency(stats: User) -> None:
    mine, other = f.agency("ha_noi"), f.agency("lao_cai")
    supervisor = member(Role.SUPERVISOR, agency=mine, scope=Scope.AGENCY)
    ours, theirs = f.victim(at=mine, decided_on=DAY), f.victim(at=other, decided_on=DAY)
    sent_by_us = referral(ours)
    sent_by_them = referral(theirs)
    referral(theirs)
    delivery(ours, referral=sent_by_us)
    delivery(theirs, referral=sent_by_them)

    requests = [
        TableRequest("referrals_sent", "2025"),
        TableRequest("persons_referred", "2025"),
        TableRequest("support_deliveries", "2025"),
        TableRequest("persons_supported", "2025"),
    ]
    assert [t.total.value for t in tables_for(user=supervisor, requests=requests)] == [1, 1, 1, 1]
    assert [t.total.value for t in tables_for(user=stats, requests=requests)] == [3, 2, 2, 2]


def test_referral_indicators_are_no_longer_planned() -> None:
    import json

    from shield.statistics.indicators import INDICATORS_FILE

    document = json.loads(INDICATORS_FILE.read_text(encoding="utf-8"))
    planned = {entry["code"] for entry in document["planned"]["indicators"]}
    assert not planned & {"referrals", "persons_supported"}
    codes = {entry["code"] for entry in document["indicators"]}
    assert {"referrals_sent", "referrals_completed", "persons_referred", "support_deliveries"} <= codes
