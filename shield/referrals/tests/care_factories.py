"""Factories for the care part's tests: shelters with beds, referrals in the state a test needs
(written directly, since the lifecycle is another part), stays and deliveries."""

import datetime
import itertools
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from shield.accounts.models import Agency, User
from shield.accounts.roles import AgencyKind, Role, Scope
from shield.accounts.tests.factories import AgencyFactory, member, province
from shield.cases.models import Case
from shield.cases.tests import factories as case_factories
from shield.referrals.models import (
    SHELTER_SERVICE_TYPE,
    BedInventory,
    Provider,
    Referral,
    ReferralStatus,
    ReferralUrgency,
    Service,
    ShelterStay,
)

_numbers = itertools.count(1)


@dataclass
class World:
    """A referring agency (worker, supervisor) with a case, and a shelter agency with its staff."""

    home: Agency
    worker: User
    supervisor: User
    case: Case
    shelter_agency: Agency
    staff: User
    provider: Provider
    shelter: Service


def provider(*, agency: Agency | None = None, name: str = "", province_code: str = "01") -> Provider:
    return Provider.objects.create(
        agency=agency, name=name or f"Provider {next(_numbers)}", province=province(province_code)
    )


def shelter(
    prov: Provider, *, name: str = "", beds: dict[str, int] | None = None, since: datetime.date | None = None
) -> Service:
    service = Service.objects.create(
        provider=prov,
        name=name or f"Shelter {next(_numbers)}",
        service_type=SHELTER_SERVICE_TYPE,
        province=prov.province,
    )
    if beds is not None:
        inventory(service, since or timezone.localdate() - datetime.timedelta(days=400), **beds)
    return service


def inventory(service: Service, effective_from: datetime.date, **beds: int) -> BedInventory:
    by = User.objects.order_by("date_joined").first() or member(Role.AGENCY_ADMIN)
    return BedInventory.objects.create(service=service, effective_from=effective_from, recorded_by=by, **beds)


def referral(
    case: Case,
    *,
    service: Service,
    status: str = ReferralStatus.ACCEPTED,
    by: User | None = None,
) -> Referral:
    """A referral of the case's person to `service`, written directly in `status`."""
    sender = by or case.assigned_worker or case.created_by
    now = timezone.now()
    accepted = status in (ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE, ReferralStatus.COMPLETED)
    return Referral.objects.create(
        reference=f"REF-{next(_numbers):06d}",
        case=case,
        person=case.person,
        from_agency=case.owner_agency,
        referred_by=sender,
        provider=service.provider,
        service=service,
        to_agency=service.provider.agency,
        service_type=service.service_type,
        reason="Needs a safe place",
        urgency=ReferralUrgency.URGENT,
        status=status,
        sent_at=now,
        respond_by=now + datetime.timedelta(days=1),
        accepted_at=now if accepted else None,
        outcome="successful" if status == ReferralStatus.COMPLETED else "",
        override_by=sender,
        legal_basis="Law 53/2024/QH15",
    )


def stay(
    service: Service,
    *,
    case: Case,
    category: str = "women",
    admitted_on: datetime.date,
    discharged_on: datetime.date | None = None,
) -> ShelterStay:
    ref = referral(case, service=service, status=ReferralStatus.IN_SERVICE)
    return ShelterStay.objects.create(
        service=service,
        referral=ref,
        case=case,
        person=case.person,
        category=category,
        admitted_on=admitted_on,
        admitted_by=ref.referred_by,
        discharged_on=discharged_on,
        discharged_by=ref.referred_by if discharged_on else None,
        discharge_destination="family" if discharged_on else "",
        discharge_reason="Went home" if discharged_on else "",
    )


def world(*, beds: dict[str, int] | None = None, province_code: str = "01", **kw: Any) -> World:
    home = AgencyFactory.create(province=province(province_code))
    team = case_factories.team(home)
    case = case_factories.open_case(actor=team.worker, assigned_worker=team.worker)
    shelter_agency = AgencyFactory.create(kind=AgencyKind.WOMENS_UNION, province=province(province_code))
    staff = member(Role.SERVICE_PROVIDER, agency=shelter_agency, scope=Scope.AGENCY)
    prov = provider(agency=shelter_agency, name="Ngôi nhà Bình yên", province_code=province_code)
    service = shelter(
        prov, name="Nhà tạm lánh Bình yên", beds=beds if beds is not None else {"women": 2, "girls": 1}
    )
    return World(home, team.worker, team.supervisor, case, shelter_agency, staff, prov, service)


def another_case(w: World) -> Case:
    return case_factories.open_case(actor=w.worker, assigned_worker=w.worker)
