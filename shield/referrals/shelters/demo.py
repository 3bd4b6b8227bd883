"""Demo data of the shelters part, loaded by shield/referrals/demo.py after the directory and the
referrals: shelters (the directory's, or three made here when it has none) with bed inventories,
a staff account each, stays of demo cases (some current, some discharged) and bed holds.

Stays are written directly with referrals of their own, in bulk, like the other demo loaders:
demo data is synthetic, and going through the services would write an audit event per row.
"""

import datetime
import random
from typing import Any, TextIO

from django.utils import timezone

from shield.accounts import services as account_services
from shield.accounts.models import Agency, Membership, User
from shield.accounts.roles import Role, Scope
from shield.cases.models import Case
from shield.referrals.models import (
    SHELTER_SERVICE_TYPE,
    BedCategory,
    BedHold,
    BedInventory,
    DischargeDestination,
    Provider,
    Referral,
    ReferralOutcome,
    ReferralStatus,
    ReferralUrgency,
    Service,
    ShelterStay,
)
from shield.referrals.shelters.services import refresh_capacity

# (agency code, shelter name, beds by category, staff username)
SHELTERS = [
    (
        "wu-peaceful-house",
        "Ngôi nhà Bình yên — Hà Nội",
        {"girls": 8, "women": 12, "families": 2},
        "shelter.hanoi",
    ),
    (
        "ngo-hope-shelter",
        "Mái ấm Hy Vọng — TP Hồ Chí Minh",
        {"girls": 6, "boys": 6, "women": 6},
        "shelter.hcm",
    ),
    ("spc-an-giang", "Nhà tạm lánh An Giang", {"women": 6, "men": 4, "boys": 2}, "shelter.angiang"),
]
STAYS_PER_SHELTER = 18


def _staff(username: str, agency: Agency, password: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = account_services.user_create(
            actor=None, username=username, password=password, first_name="Nhân viên", last_name="nhà tạm lánh"
        )
    if not Membership.objects.filter(
        user=user, agency=agency, role=Role.SERVICE_PROVIDER, is_active=True
    ).exists():
        account_services.membership_grant(
            actor=None, user=user, agency=agency, role=Role.SERVICE_PROVIDER, scope=Scope.AGENCY
        )
    return user


def _shelters(password: str) -> list[tuple[Service, User]]:
    found = []
    for code, name, beds, username in SHELTERS:
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            continue
        provider = Provider.objects.filter(agency=agency).first() or Provider.objects.create(
            agency=agency, name=agency.name_vi, province=agency.province
        )
        service = Service.objects.filter(provider=provider, service_type=SHELTER_SERVICE_TYPE).first()
        if service is None:
            service = Service.objects.create(
                provider=provider, name=name, service_type=SHELTER_SERVICE_TYPE, province=provider.province
            )
        staff = _staff(username, agency, password)
        if not BedInventory.objects.filter(service=service).exists():
            today = timezone.localdate()
            smaller = {c: max(n - 2, 0) for c, n in beds.items()}
            BedInventory.objects.create(
                service=service,
                effective_from=today - datetime.timedelta(days=400),
                recorded_by=staff,
                **smaller,
            )
            BedInventory.objects.create(
                service=service,
                effective_from=today - datetime.timedelta(days=90),
                recorded_by=staff,
                note="Thêm giường sau khi sửa chữa",
                **beds,
            )
        found.append((service, staff))
    # Shelters of the directory's demo (its own agencies' staff answer them).
    for service in Service.objects.filter(service_type=SHELTER_SERVICE_TYPE).exclude(
        pk__in=[s.pk for s, _u in found]
    ):
        if not BedInventory.objects.filter(service=service).exists() and service.provider.agency_id is None:
            continue
        if not BedInventory.objects.filter(service=service).exists():
            admin = User.objects.filter(is_staff=True).order_by("date_joined").first()
            if admin is None:
                continue
            BedInventory.objects.create(
                service=service,
                effective_from=timezone.localdate() - datetime.timedelta(days=200),
                recorded_by=admin,
                women=6,
                girls=4,
            )
    return found


def _category(case: Case, rng: random.Random) -> str:
    child = case.person.is_child() is not False
    female = case.person.sex == "female"
    if rng.random() < 0.08:
        return BedCategory.FAMILIES
    if child:
        return BedCategory.GIRLS if female else BedCategory.BOYS
    return BedCategory.WOMEN if female else BedCategory.MEN


def _referral(case: Case, service: Service, status: str, sent: datetime.datetime, number: int) -> Referral:
    sender = case.assigned_worker or case.created_by
    accepted = status in (ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE, ReferralStatus.COMPLETED)
    return Referral(
        reference=f"DEMO-SH-{number:06d}",
        case=case,
        person=case.person,
        from_agency=case.owner_agency,
        referred_by=sender,
        provider=service.provider,
        service=service,
        to_agency=service.provider.agency,
        service_type=SHELTER_SERVICE_TYPE,
        reason="Cần nơi ở an toàn",
        urgency=ReferralUrgency.URGENT,
        status=status,
        sent_at=sent,
        respond_by=sent + datetime.timedelta(days=1),
        answered_at=sent + datetime.timedelta(hours=5) if accepted else None,
        accepted_at=sent + datetime.timedelta(hours=5) if accepted else None,
        closed_at=sent + datetime.timedelta(days=30) if status == ReferralStatus.COMPLETED else None,
        outcome=ReferralOutcome.SUCCESSFUL if status == ReferralStatus.COMPLETED else "",
        override_by=sender,
        legal_basis="Luật Phòng, chống mua bán người 2024, Điều 44",
    )


def load(*, options: dict[str, Any], out: TextIO) -> None:
    if ShelterStay.objects.filter(referral__reference__startswith="DEMO-SH-").exists():
        out.write("Shelters: demo stays already loaded.\n")
        return
    shelters = _shelters(str(options.get("password") or "shield-demo-2026"))
    if not shelters:
        out.write("Shelters: no shelter agency in the demo; nothing added.\n")
        return
    rng = random.Random(16)  # noqa: S311 (synthetic data)
    cases = list(
        Case.objects.filter(closed_at__isnull=True)
        .select_related("person", "owner_agency", "assigned_worker", "created_by")
        .order_by("reference")[: STAYS_PER_SHELTER * len(shelters) + 12]
    )
    today, now = timezone.localdate(), timezone.now()
    referrals: list[Referral] = []
    stays: list[ShelterStay] = []
    holds: list[BedHold] = []
    number = 0
    for index, case in enumerate(cases):
        service, staff = shelters[index % len(shelters)]
        number += 1
        if index >= STAYS_PER_SHELTER * len(shelters):
            # The last few: open referrals holding a bed.
            ref = _referral(case, service, ReferralStatus.ACCEPTED, now - datetime.timedelta(hours=6), number)
            referrals.append(ref)
            holds.append(
                BedHold(
                    service=service,
                    referral=ref,
                    category=_category(case, rng),
                    held_until=now + datetime.timedelta(days=rng.randint(1, 3)),
                    held_by=staff,
                )
            )
            continue
        admitted = today - datetime.timedelta(days=rng.randint(2, 300))
        current = rng.random() < 0.4
        discharged = None if current else min(admitted + datetime.timedelta(days=rng.randint(3, 60)), today)
        status = ReferralStatus.IN_SERVICE if current else ReferralStatus.COMPLETED
        ref = _referral(
            case,
            service,
            status,
            timezone.make_aware(datetime.datetime.combine(admitted, datetime.time(9))),
            number,
        )
        referrals.append(ref)
        stays.append(
            ShelterStay(
                service=service,
                referral=ref,
                case=case,
                person=case.person,
                category=_category(case, rng),
                admitted_on=admitted,
                admitted_by=staff,
                planned_exit_on=admitted + datetime.timedelta(days=60),
                discharged_on=discharged,
                discharged_by=staff if discharged else None,
                discharge_destination=rng.choice(DischargeDestination.values[:3]) if discharged else "",
                discharge_reason="Đoàn tụ gia đình" if discharged else "",
            )
        )
    Referral.objects.bulk_create(referrals)
    ShelterStay.objects.bulk_create(stays)
    BedHold.objects.bulk_create(holds)
    for service, _staff_user in shelters:
        refresh_capacity(service)
    open_stays = sum(1 for s in stays if s.discharged_on is None)
    out.write(
        f"Shelters: {len(shelters)} shelters with beds, {len(stays)} stays ({open_stays} current), "
        f"{len(holds)} bed holds. Staff accounts: {', '.join(s[3] for s in SHELTERS)}.\n"
    )
