"""Shelter beds, admissions, discharges and holds through the services."""

import datetime

import pytest
from django.utils import timezone

from shield.accounts.roles import Role, Scope
from shield.accounts.tests.factories import member
from shield.audit.models import AuditEvent
from shield.core.errors import InvalidTransition, PermissionRefused, StaleVersion, ValidationFailed
from shield.referrals.models import BedHold, HoldStatus, ReferralStatus, ReferralStep, Service, ShelterStay
from shield.referrals.shelters import selectors, services
from shield.referrals.tests import care_factories as f

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_occupancy_comes_from_stays_not_typed_counts():
    w = f.world(beds={"women": 3})
    f.stay(w.shelter, case=w.case, admitted_on=TODAY() - datetime.timedelta(days=5))
    f.stay(
        w.shelter,
        case=f.another_case(w),
        admitted_on=TODAY() - datetime.timedelta(days=9),
        discharged_on=TODAY() - datetime.timedelta(days=1),
    )
    Service.objects.filter(pk=w.shelter.pk).update(capacity_available=99, capacity_maximum=99)
    women = next(c for c in selectors.beds_today(w.shelter) if c.category == "women")
    assert (women.beds, women.occupied, women.free) == (3, 1, 2)


def test_the_total_is_the_sum_of_the_categories_and_a_new_inventory_supersedes():
    w = f.world(beds={"women": 2, "girls": 3, "families": 1})
    old = selectors.inventory_on(w.shelter, TODAY())
    assert old.total == 6
    newer = services.bed_inventory_record(
        actor=w.staff, service=w.shelter, effective_from=TODAY(), beds={"women": 4, "boys": 2}
    )
    assert selectors.inventory_on(w.shelter, TODAY()) == newer
    assert selectors.inventory_on(w.shelter, TODAY() - datetime.timedelta(days=1)) == old
    w.shelter.refresh_from_db()
    assert (w.shelter.capacity_maximum, w.shelter.capacity_available) == (6, 6)


def test_a_case_worker_may_not_keep_a_shelters_beds():
    w = f.world()
    with pytest.raises(PermissionRefused):
        services.bed_inventory_record(
            actor=w.worker, service=w.shelter, effective_from=TODAY(), beds={"women": 9}
        )


def test_admission_moves_the_referral_to_in_service_and_updates_capacity():
    w = f.world(beds={"women": 2})
    referral = f.referral(w.case, service=w.shelter)
    stay = services.shelter_admit(actor=w.staff, referral=referral, category="women", planned_exit_on=TODAY())
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.IN_SERVICE
    assert ReferralStep.objects.filter(referral=referral, to_status=ReferralStatus.IN_SERVICE).exists()
    w.shelter.refresh_from_db()
    assert (w.shelter.capacity_maximum, w.shelter.capacity_available) == (2, 1)
    assert AuditEvent.objects.filter(object_id=str(stay.pk), action="create").exists()


def test_only_an_accepted_referral_leads_to_an_admission():
    w = f.world()
    referral = f.referral(w.case, service=w.shelter, status=ReferralStatus.SENT)
    with pytest.raises(InvalidTransition):
        services.shelter_admit(actor=w.staff, referral=referral, category="women")
    assert not ShelterStay.objects.exists()


def test_over_capacity_is_refused_then_allowed_with_a_supervisors_override():
    """The rule: the shelter's staff admit; beyond capacity a supervisor whose scope reaches the
    shelter overrides (and the lifecycle's start of service agrees, so nothing is rolled back); the
    referring side's supervisor does not admit to another agency's shelter."""
    w = f.world(beds={"women": 1})
    shelter_supervisor = member(Role.SUPERVISOR, agency=w.shelter_agency, scope=Scope.AGENCY)
    f.stay(w.shelter, case=f.another_case(w), admitted_on=TODAY())
    referral = f.referral(w.case, service=w.shelter)
    with pytest.raises(ValidationFailed) as refused:
        services.shelter_admit(actor=w.staff, referral=referral, category="women")
    assert "override_reason" in refused.value.field_errors
    with pytest.raises(PermissionRefused):
        services.shelter_admit(
            actor=w.staff, referral=referral, category="women", override_reason="Emergency"
        )
    with pytest.raises(PermissionRefused):
        services.shelter_admit(
            actor=w.supervisor, referral=referral, category="women", override_reason="Emergency"
        )
    assert ShelterStay.objects.filter(referral=referral).count() == 0
    stay = services.shelter_admit(
        actor=shelter_supervisor,
        referral=referral,
        category="women",
        override_reason="Night emergency, no other place",
    )
    assert stay.override_by == shelter_supervisor
    assert stay.override_reason == "Night emergency, no other place"
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.IN_SERVICE
    assert ReferralStep.objects.filter(referral=referral, to_status=ReferralStatus.IN_SERVICE).count() == 1


def test_a_live_hold_counts_as_occupied_and_is_used_by_its_admission():
    w = f.world(beds={"women": 1})
    held_for = f.referral(w.case, service=w.shelter, status=ReferralStatus.SENT)
    hold = services.bed_hold_place(
        actor=w.worker,
        referral=held_for,
        category="women",
        held_until=timezone.now() + datetime.timedelta(days=1),
    )
    other = f.referral(f.another_case(w), service=w.shelter)
    with pytest.raises(ValidationFailed):
        services.shelter_admit(actor=w.staff, referral=other, category="women")
    type(held_for).objects.filter(pk=held_for.pk).update(status=ReferralStatus.ACCEPTED)
    services.shelter_admit(actor=w.staff, referral=held_for, category="women")
    hold.refresh_from_db()
    assert hold.status == HoldStatus.ADMITTED


def test_an_expired_hold_no_longer_counts():
    w = f.world(beds={"women": 1})
    held_for = f.referral(w.case, service=w.shelter, status=ReferralStatus.SENT)
    hold = services.bed_hold_place(
        actor=w.worker,
        referral=held_for,
        category="women",
        held_until=timezone.now() + datetime.timedelta(hours=2),
    )
    women = next(c for c in selectors.beds_today(w.shelter) if c.category == "women")
    assert (women.held, women.free) == (1, 0)
    BedHold.objects.filter(pk=hold.pk).update(held_until=timezone.now() - datetime.timedelta(minutes=1))
    women = next(c for c in selectors.beds_today(w.shelter) if c.category == "women")
    assert (women.held, women.free) == (0, 1)
    other = f.referral(f.another_case(w), service=w.shelter)
    services.shelter_admit(actor=w.staff, referral=other, category="women")


def test_a_full_category_cannot_be_held_and_a_hold_is_released_with_its_version():
    w = f.world(beds={"women": 1})
    first = f.referral(w.case, service=w.shelter, status=ReferralStatus.SENT)
    until = timezone.now() + datetime.timedelta(days=1)
    hold = services.bed_hold_place(actor=w.worker, referral=first, category="women", held_until=until)
    second = f.referral(f.another_case(w), service=w.shelter, status=ReferralStatus.SENT)
    with pytest.raises(ValidationFailed):
        services.bed_hold_place(actor=w.worker, referral=second, category="women", held_until=until)
    with pytest.raises(StaleVersion):
        services.bed_hold_release(actor=w.worker, hold=hold, version=hold.version + 1)
    services.bed_hold_release(actor=w.worker, hold=hold, version=hold.version, reason="Went home instead")
    services.bed_hold_place(actor=w.worker, referral=second, category="women", held_until=until)


def test_a_hold_lasts_at_most_fourteen_days():
    w = f.world()
    ref = f.referral(w.case, service=w.shelter, status=ReferralStatus.SENT)
    with pytest.raises(ValidationFailed):
        services.bed_hold_place(
            actor=w.worker,
            referral=ref,
            category="women",
            held_until=timezone.now() + datetime.timedelta(days=15),
        )


def test_discharge_frees_the_bed_and_is_version_checked():
    w = f.world(beds={"women": 1})
    stay = services.shelter_admit(
        actor=w.staff, referral=f.referral(w.case, service=w.shelter), category="women"
    )
    with pytest.raises(StaleVersion):
        services.shelter_discharge(
            actor=w.staff,
            stay=stay,
            version=stay.version + 1,
            discharged_on=TODAY(),
            destination="family",
            reason="x",
        )
    with pytest.raises(ValidationFailed) as bad:
        services.shelter_discharge(
            actor=w.staff,
            stay=stay,
            version=stay.version,
            discharged_on=TODAY() - datetime.timedelta(days=3),
            destination="nowhere",
            reason="",
        )
    assert set(bad.value.field_errors) == {"discharged_on", "destination", "reason"}
    services.shelter_discharge(
        actor=w.staff,
        stay=stay,
        version=stay.version,
        discharged_on=TODAY(),
        destination="family",
        reason="Reunited",
    )
    stay.refresh_from_db()
    assert stay.discharged_on == TODAY()
    assert stay.discharge_reason == "Reunited"
    w.shelter.refresh_from_db()
    assert w.shelter.capacity_available == 1
    with pytest.raises(InvalidTransition):
        services.shelter_discharge(
            actor=w.staff,
            stay=stay,
            version=stay.version,
            discharged_on=TODAY(),
            destination="family",
            reason="y",
        )


def test_utilisation_of_a_known_month():
    w = f.world(beds={"women": 10})
    march = datetime.date(2026, 3, 1)
    f.stay(
        w.shelter,
        case=w.case,
        admitted_on=datetime.date(2026, 3, 1),
        discharged_on=datetime.date(2026, 3, 11),
    )
    f.stay(
        w.shelter,
        case=f.another_case(w),
        admitted_on=datetime.date(2026, 2, 25),
        discharged_on=datetime.date(2026, 3, 3),
    )
    f.stay(w.shelter, case=f.another_case(w), admitted_on=datetime.date(2026, 3, 30))
    months = selectors.utilisation_for(service=w.shelter, months=4, today=datetime.date(2026, 5, 15))
    by_month = {m.month: m for m in months}
    # 10 + 2 + 2 nights over 10 beds x 31 nights.
    assert by_month[march].bed_nights == 14
    assert by_month[march].capacity_nights == 310
    assert by_month[march].percent == "4.5%"
    # February: 4 nights (25 to 28) of the second stay; May so far: 14 nights of the open stay.
    assert by_month[datetime.date(2026, 2, 1)].bed_nights == 4
    assert by_month[datetime.date(2026, 5, 1)].bed_nights == 14
    assert by_month[datetime.date(2026, 5, 1)].capacity_nights == 140
