"""Shelter writes: bed inventories, admissions (within capacity, or beyond it with a supervisor's
override), discharges and bed holds.

Occupancy is counted from stays and live holds, never typed. Every write that changes it locks the
shelter's `Service` row first (SELECT ... FOR UPDATE), so two admissions for the last bed queue up
and the second sees the first: it is refused unless overridden, never admitted silently. In the
same transaction the directory's `Service.capacity_available` / `capacity_maximum` are set from
the counts (beds in force today minus occupied and held), so the directory and the board agree.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shield import audit
from shield.accounts.models import User
from shield.audit import reasons
from shield.audit.models import AuditAction
from shield.cases import selectors as case_selectors
from shield.cases.services.access import check_version
from shield.core.concurrency import save_versioned
from shield.core.errors import InvalidTransition, NotFound, PermissionRefused, ValidationFailed
from shield.referrals.lifecycle import selectors as lifecycle_selectors
from shield.referrals.lifecycle import services as lifecycle_services
from shield.referrals.models import (
    SHELTER_SERVICE_TYPE,
    BedCategory,
    BedHold,
    BedInventory,
    DischargeDestination,
    HoldStatus,
    Referral,
    ReferralStatus,
    Service,
    ShelterStay,
)
from shield.referrals.shelters import selectors
from shield.referrals.support import access

MAX_BEDS = 10_000
MAX_HOLD_DAYS = 14
HOLDABLE_STATUSES = frozenset({ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.WAITLISTED})


def _lock_shelter(service: Service) -> Service:
    """The shelter's row, locked for this transaction: admissions, holds and inventories queue."""
    locked = (
        Service.objects.select_for_update(of=("self",))
        .select_related("provider", "provider__agency")
        .get(pk=service.pk)
    )
    if locked.service_type != SHELTER_SERVICE_TYPE:
        raise ValidationFailed(_("This service is not a shelter."))
    return locked


def refresh_capacity(service: Service) -> None:
    """Write today's free beds into the directory's capacity fields (inside the caller's lock)."""
    beds = selectors.beds_today(service)
    maximum = sum(c.beds for c in beds)
    available = min(sum(c.free for c in beds), maximum)
    Service.objects.filter(pk=service.pk).update(
        capacity_unit="beds",
        capacity_available=available,
        capacity_maximum=maximum,
        capacity_updated_at=timezone.now(),
    )


def _category(value: str) -> str:
    if value not in BedCategory.values:
        raise ValidationFailed(field_errors={"category": [_("Choose a bed category from the list.")]})
    return value


# --- Beds ----------------------------------------------------------------------------------------


def may_keep_beds(user: User, service: Service) -> bool:
    """Directory managers reaching the provider's agency (system administrators: every shelter),
    or the shelter's own staff."""
    if access.is_provider_staff(user, service.provider):
        return True
    if user.has_perm("accounts.manage_system") and user.has_perm(access.MANAGE_DIRECTORY):
        return True
    return access.reaches_agency(user, access.MANAGE_DIRECTORY, service.provider.agency)


@transaction.atomic
def bed_inventory_record(
    *, actor: User, service: Service, effective_from: datetime.date, beds: dict[str, int], note: str = ""
) -> BedInventory:
    """A new inventory of the shelter's beds by category from `effective_from` (superseding the one
    in force before); the total is the sum of the categories."""
    service = _lock_shelter(service)
    if not may_keep_beds(actor, service):
        raise PermissionRefused(_("Only directory managers or the shelter's own staff keep its beds."))
    errors: dict[str, list[str]] = {}
    counts = {c: int(beds.get(c) or 0) for c in BedCategory.values}
    for c, n in counts.items():
        if not 0 <= n <= MAX_BEDS:
            errors[c] = [_("Enter a number of beds between 0 and 10,000.")]
    if BedInventory.objects.filter(service=service, effective_from=effective_from).exists():
        errors["effective_from"] = [_("An inventory already starts on this day: choose another day.")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    inventory = BedInventory.objects.create(
        service=service, effective_from=effective_from, note=note.strip()[:500], recorded_by=actor, **counts
    )
    refresh_capacity(service)
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        agency=service.provider.agency,
        obj=inventory,
        details={"total": inventory.total},
    )
    return inventory


# --- Admission and discharge ----------------------------------------------------------------------


def _capacity_refusal(category: str, beds: int, occupied: int, held: int) -> str:
    return _(
        "No free bed in this category: %(beds)s beds, %(occupied)s occupied, %(held)s held. "
        "A supervisor may admit beyond capacity with a reason."
    ) % {"beds": beds, "occupied": occupied, "held": held}


@transaction.atomic
def shelter_admit(
    *,
    actor: User,
    referral: Referral,
    category: str,
    admitted_on: datetime.date | None = None,
    planned_exit_on: datetime.date | None = None,
    override_reason: str = "",
) -> ShelterStay:
    """Admit the person of an accepted shelter referral. The referral moves to `in_service` and its
    bed hold is used. Beyond capacity (occupied + held ≥ beds of the category that day) only a
    supervisor (`referrals.supervise`) admits, with `override_reason`."""
    referral = Referral.objects.select_related("case", "case__owner_agency", "service", "provider").get(
        pk=referral.pk
    )
    if referral.service is None or referral.service.service_type != SHELTER_SERVICE_TYPE:
        raise ValidationFailed(_("This referral is not to a shelter."))
    service = _lock_shelter(referral.service)
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("case", "case__owner_agency")
        .get(pk=referral.pk)
    )
    case = referral.case
    # One rule with the lifecycle's `referral_start_service`: whoever answers the referral (the
    # shelter's staff; for an external shelter the referring side) admits, and a supervisor whose
    # scope reaches the shelter (`supervises_receiver`) admits too, beyond capacity with a reason.
    supervisor = lifecycle_selectors.supervises_receiver(actor, referral)
    if not (lifecycle_selectors.may_answer(actor, referral) or supervisor):
        if not case_selectors.can_view(user=actor, case=case):
            raise NotFound()
        raise PermissionRefused(_("Only the shelter's staff or a supervisor admit to this shelter."))
    if referral.status != ReferralStatus.ACCEPTED:
        raise InvalidTransition(_("Only an accepted referral leads to an admission."))
    if ShelterStay.objects.filter(referral=referral).exists():
        raise InvalidTransition(_("This referral already led to an admission."))
    category = _category(category)
    today = timezone.localdate()
    day = admitted_on or today
    errors: dict[str, list[str]] = {}
    if day > today:
        errors["admitted_on"] = [_("The admission date cannot be in the future.")]
    if planned_exit_on is not None and planned_exit_on < day:
        errors["planned_exit_on"] = [_("The planned exit cannot be before the admission.")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    hold = BedHold.objects.filter(
        referral=referral, status=HoldStatus.ACTIVE, held_until__gt=timezone.now(), category=category
    ).first()
    inventory = selectors.inventory_on(service, day)
    beds = inventory.beds(category) if inventory else 0
    occupied = selectors.occupied_on(service, day).get(category, 0)
    held = selectors.live_holds(service, excluding=hold.pk if hold else None).get(category, 0)
    reason = override_reason.strip()
    over = occupied + held >= beds
    if over:
        if not reason:
            raise ValidationFailed(
                field_errors={"override_reason": [_capacity_refusal(category, beds, occupied, held)]}
            )
        if not supervisor:
            raise PermissionRefused(_("Only a supervisor may admit beyond the shelter's capacity."))
    stay = ShelterStay.objects.create(
        service=service,
        referral=referral,
        case=case,
        person_id=referral.person_id,
        category=category,
        admitted_on=day,
        admitted_by=actor,
        planned_exit_on=planned_exit_on,
        override_by=actor if over else None,
        override_reason=reason[:500] if over else "",
    )
    if hold is not None:
        hold.status, hold.released_at = HoldStatus.ADMITTED, timezone.now()
        save_versioned(hold, expected_version=hold.version, fields=["status", "released_at"])
    lifecycle_services.referral_start_service(actor=actor, referral=referral, version=referral.version)
    refresh_capacity(service)
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        agency=case.owner_agency,
        obj=stay,
        details={"category": category, "over_capacity": over},
    )
    return stay


@transaction.atomic
def shelter_discharge(
    *,
    actor: User,
    stay: ShelterStay,
    version: int | None,
    discharged_on: datetime.date,
    destination: str,
    reason: str,
) -> ShelterStay:
    """Discharge a resident: the date (not before admission, not in the future), where they went
    and why. The bed is free from that night."""
    service = _lock_shelter(stay.service)
    stay = (
        ShelterStay.objects.select_for_update(of=("self",))
        .select_related("case", "case__owner_agency")
        .get(pk=stay.pk)
    )
    if not (
        access.may_record_for(actor, provider=service.provider, case=stay.case)
        or access.may_supervise(actor, provider=service.provider, case=stay.case)
    ):
        raise PermissionRefused(_("Only the shelter's staff or a supervisor discharge its residents."))
    check_version(stay.version, version)
    if stay.discharged_on is not None:
        raise InvalidTransition(_("This stay has already ended."))
    errors: dict[str, list[str]] = {}
    if discharged_on < stay.admitted_on:
        errors["discharged_on"] = [_("The discharge cannot be before the admission.")]
    elif discharged_on > timezone.localdate():
        errors["discharged_on"] = [_("The discharge date cannot be in the future.")]
    if destination not in DischargeDestination.values:
        errors["destination"] = [_("Choose where the person went.")]
    text = reason.strip()
    if not text:
        errors["reason"] = [_("Say why the stay ended.")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    stay.discharged_on, stay.discharged_by = discharged_on, actor
    stay.discharge_destination, stay.discharge_reason = destination, text[:2000]
    fields = ["discharged_on", "discharged_by", "discharge_destination", "discharge_reason"]
    save_versioned(stay, expected_version=version, fields=fields)
    refresh_capacity(service)
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        agency=stay.case.owner_agency,
        obj=stay,
        changed_fields=fields,
        reason=reasons.reference(stay, "discharge_reason"),
    )
    return stay


# --- Holds ---------------------------------------------------------------------------------------


def _may_hold(actor: User, referral: Referral, service: Service) -> bool:
    """The referring side (`referrals.make` reaching the referring agency) or the shelter's staff."""
    return access.reaches_agency(actor, access.MAKE, referral.from_agency) or access.is_provider_staff(
        actor, service.provider
    )


@transaction.atomic
def bed_hold_place(
    *, actor: User, referral: Referral, category: str, held_until: datetime.datetime
) -> BedHold:
    """Keep a bed of `category` for an open shelter referral until `held_until` (at most 14 days).
    Only a free bed may be held; the hold counts as occupied until admission, release or expiry."""
    referral = Referral.objects.select_related("service", "from_agency", "case").get(pk=referral.pk)
    if referral.service is None or referral.service.service_type != SHELTER_SERVICE_TYPE:
        raise ValidationFailed(_("This referral is not to a shelter."))
    service = _lock_shelter(referral.service)
    if not _may_hold(actor, referral, service):
        if not case_selectors.can_view(user=actor, case=referral.case):
            raise NotFound()
        raise PermissionRefused(_("Only the referring agency or the shelter's staff hold a bed."))
    if referral.status not in HOLDABLE_STATUSES:
        raise InvalidTransition(_("Only an open referral waiting for admission may hold a bed."))
    category = _category(category)
    now = timezone.now()
    if not now < held_until <= now + datetime.timedelta(days=MAX_HOLD_DAYS):
        raise ValidationFailed(field_errors={"held_until": [_("Hold a bed for up to 14 days from now.")]})
    if BedHold.objects.filter(referral=referral, status=HoldStatus.ACTIVE, held_until__gt=now).exists():
        raise InvalidTransition(_("This referral already holds a bed."))
    beds = next(c for c in selectors.beds_today(service) if c.category == category)
    if beds.free <= 0:
        raise ValidationFailed(
            field_errors={"category": [_("No free bed in this category to hold.")]},
        )
    hold = BedHold.objects.create(
        service=service, referral=referral, category=category, held_until=held_until, held_by=actor
    )
    refresh_capacity(service)
    audit.record(action=AuditAction.CREATE, actor=actor, agency=referral.from_agency, obj=hold)
    return hold


@transaction.atomic
def bed_hold_release(*, actor: User, hold: BedHold, version: int | None, reason: str = "") -> BedHold:
    """Release a hold before its deadline (the referral was cancelled, the person went elsewhere)."""
    service = _lock_shelter(hold.service)
    hold = (
        BedHold.objects.select_for_update(of=("self",))
        .select_related("referral", "referral__from_agency")
        .get(pk=hold.pk)
    )
    if not _may_hold(actor, hold.referral, service):
        raise PermissionRefused(_("Only the referring agency or the shelter's staff release a hold."))
    check_version(hold.version, version)
    if hold.status != HoldStatus.ACTIVE:
        raise InvalidTransition(_("This hold is no longer active."))
    hold.status, hold.released_at, hold.release_reason = (
        HoldStatus.CANCELLED,
        timezone.now(),
        reason.strip()[:500],
    )
    save_versioned(hold, expected_version=version, fields=["status", "released_at", "release_reason"])
    refresh_capacity(service)
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        agency=hold.referral.from_agency,
        obj=hold,
        changed_fields=["status", "released_at", "release_reason"],
    )
    return hold
