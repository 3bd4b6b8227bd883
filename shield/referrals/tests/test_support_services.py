"""Support delivered: regimes in force, deviations, who records, voiding, the case's totals."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from shield.audit.models import AuditEvent
from shield.cases.tests import factories as case_factories
from shield.core.errors import InvalidTransition, NotFound, PermissionRefused, StaleVersion, ValidationFailed
from shield.referrals.models import ReferralStatus, SupportDelivery
from shield.referrals.support import regimes, selectors, services
from shield.referrals.tests import care_factories as f

pytestmark = pytest.mark.django_db
LAW_53 = datetime.date(2025, 7, 1)


def test_the_regime_in_force_changes_on_its_effective_days():
    old = regimes.regime_for("hardship_allowance", LAW_53 - datetime.timedelta(days=1))
    new = regimes.regime_for("hardship_allowance", LAW_53)
    assert old is not None
    assert new is not None
    assert old.effective_to == datetime.date(2025, 6, 30)
    assert (old.amount_vnd, new.amount_vnd) == (1_000_000, 1_500_000)
    assert regimes.regime_for("hardship_allowance", datetime.date(2013, 2, 28)) is None
    assert regimes.regime_for("hardship_allowance", datetime.date(2013, 3, 1)) == old
    assert new.verified is False


def test_the_suggested_amount_follows_the_quantity_and_a_cap_allows_less():
    meals = regimes.regime_for("travel_home", LAW_53)
    assert meals is not None
    assert meals.kind == "cap"
    assert meals.suggested(Decimal(3)) == 3 * meals.amount_vnd
    assert not meals.deviates(meals.amount_vnd, Decimal(3))
    assert meals.deviates(4 * meals.amount_vnd, Decimal(3))


def _external_world():
    w = f.world()
    clinic = f.provider(name="Phòng khám Hy Vọng")
    health = f.shelter(clinic)
    health.service_type = "health_care"
    health.save()
    return w, clinic, case_factories.approved_plan(w.case).goals.first().actions.first()


def test_a_deviation_from_the_regime_needs_a_reason():
    w = f.world()
    ref = f.referral(w.case, service=w.shelter, status=ReferralStatus.IN_SERVICE)
    day = timezone.localdate()
    with pytest.raises(ValidationFailed) as refused:
        services.support_delivery_record(
            actor=w.staff,
            referral=ref,
            support_type="hardship_allowance",
            delivered_on=day,
            amount_vnd=900_000,
        )
    assert "deviation_reason" in refused.value.field_errors
    delivery = services.support_delivery_record(
        actor=w.staff,
        referral=ref,
        support_type="hardship_allowance",
        delivered_on=day,
        amount_vnd=900_000,
        deviation_reason="Part paid in kind",
    )
    assert delivery.suggested_amount_vnd == 1_500_000
    assert delivery.unit == "person"
    exact = services.support_delivery_record(
        actor=w.staff, referral=ref, support_type="hardship_allowance", delivered_on=day, amount_vnd=1_500_000
    )
    assert exact.deviation_reason == ""
    assert AuditEvent.objects.filter(object_id=str(exact.pk), action="create").exists()


def test_money_support_needs_its_amount_and_support_in_kind_does_not():
    w = f.world()
    ref = f.referral(w.case, service=w.shelter, status=ReferralStatus.IN_SERVICE)
    with pytest.raises(ValidationFailed) as refused:
        services.support_delivery_record(
            actor=w.staff, referral=ref, support_type="hardship_allowance", delivered_on=timezone.localdate()
        )
    assert "amount_vnd" in refused.value.field_errors
    session = services.support_delivery_record(
        actor=w.staff, referral=ref, support_type="psychological_support", delivered_on=timezone.localdate()
    )
    assert session.amount_vnd is None
    assert session.unit == "session"


def test_a_delivery_is_tied_to_a_referral_or_an_action():
    w = f.world()
    with pytest.raises(ValidationFailed):
        services.support_delivery_record(
            actor=w.worker,
            support_type="psychological_support",
            delivered_on=timezone.localdate(),
            provider=w.provider,
        )


def test_the_case_worker_records_for_an_external_provider_only():
    w, clinic, action = _external_world()
    delivery = services.support_delivery_record(
        actor=w.worker,
        care_plan_action=action,
        provider=clinic,
        support_type="psychological_support",
        delivered_on=timezone.localdate(),
    )
    assert delivery.case == w.case
    assert delivery.person == w.case.person
    with pytest.raises(PermissionRefused):
        services.support_delivery_record(
            actor=w.worker,
            care_plan_action=action,
            provider=w.provider,
            support_type="psychological_support",
            delivered_on=timezone.localdate(),
        )


def test_provider_staff_of_another_agency_get_not_found():
    w = f.world()
    other = f.world(province_code="79")
    ref = f.referral(w.case, service=w.shelter, status=ReferralStatus.IN_SERVICE)
    with pytest.raises(NotFound):
        services.support_delivery_record(
            actor=other.staff,
            referral=ref,
            support_type="psychological_support",
            delivered_on=timezone.localdate(),
        )
    assert not SupportDelivery.objects.exists()


def test_support_waits_for_the_provider_to_accept():
    w = f.world()
    ref = f.referral(w.case, service=w.shelter, status=ReferralStatus.SENT)
    with pytest.raises(InvalidTransition):
        services.support_delivery_record(
            actor=w.staff,
            referral=ref,
            support_type="psychological_support",
            delivered_on=timezone.localdate(),
        )


def test_voiding_keeps_the_record_out_of_the_totals():
    w = f.world()
    ref = f.referral(w.case, service=w.shelter, status=ReferralStatus.IN_SERVICE)
    day = timezone.localdate()
    kept = services.support_delivery_record(
        actor=w.staff, referral=ref, support_type="hardship_allowance", delivered_on=day, amount_vnd=1_500_000
    )
    wrong = services.support_delivery_record(
        actor=w.staff, referral=ref, support_type="hardship_allowance", delivered_on=day, amount_vnd=1_500_000
    )
    with pytest.raises(StaleVersion):
        services.support_delivery_void(
            actor=w.staff, delivery=wrong, version=wrong.version + 1, reason="twice"
        )
    with pytest.raises(ValidationFailed):
        services.support_delivery_void(actor=w.staff, delivery=wrong, version=wrong.version, reason=" ")
    services.support_delivery_void(
        actor=w.staff, delivery=wrong, version=wrong.version, reason="Recorded twice"
    )
    wrong.refresh_from_db()
    assert wrong.voided_at is not None
    assert wrong.voided_by == w.staff
    assert SupportDelivery.objects.count() == 2
    latest, totals = selectors.case_support_for(case=w.case)
    assert {d.pk for d in latest} == {kept.pk, wrong.pk}
    assert [(t.support_type, t.deliveries, t.amount_vnd) for t in totals] == [
        ("hardship_allowance", 1, 1_500_000)
    ]
    with pytest.raises(InvalidTransition):
        services.support_delivery_void(actor=w.staff, delivery=wrong, version=wrong.version, reason="again")


def test_the_case_totals_take_two_queries_whatever_the_number_of_deliveries(django_assert_max_num_queries):
    w = f.world()
    ref = f.referral(w.case, service=w.shelter, status=ReferralStatus.IN_SERVICE)
    for kind in ["psychological_support", "legal_aid", "psychological_support", "employment_counselling"] * 3:
        services.support_delivery_record(
            actor=w.staff, referral=ref, support_type=kind, delivered_on=timezone.localdate()
        )
    with django_assert_max_num_queries(2):
        latest, totals = selectors.case_support_for(case=w.case)
    assert len(latest) == 12
    assert {t.support_type: t.deliveries for t in totals}["psychological_support"] == 6
