"""Factories for the lifecycle part's tests: providers and services (directly, the directory part
builds its own), consents, and referrals sent through the service (as production does)."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from shield.accounts.models import Agency, User
from shield.accounts.roles import Role
from shield.accounts.tests.factories import AgencyFactory, member, province
from shield.cases.models import Case, Consent, ConsentGivenBy, ConsentScope
from shield.cases.tests import factories as case_factories
from shield.people.tests import factories as people_factories
from shield.referrals.lifecycle import services
from shield.referrals.models import Provider, Referral, ReferralUrgency, Service


def provider(*, agency: Agency | None = None, name: str = "", **fields: Any) -> Provider:
    """A provider for `agency`, or an external one (no agency) when none is given."""
    return Provider.objects.create(
        agency=agency,
        name=name or (agency.name_en if agency else "Phòng khám Hòa Bình"),
        province=fields.pop("province", None) or (agency.province if agency else province("01")),
        **fields,
    )


def service(prov: Provider, *, service_type: str = "psychological_support", **fields: Any) -> Service:
    return Service.objects.create(
        provider=prov,
        name=fields.pop("name", f"{service_type} at {prov.name}"),
        service_type=service_type,
        province=fields.pop("province", prov.province),
        **fields,
    )


def consent(case: Case, *, agency: Agency | None = None, scope: str = "") -> Consent:
    """An active consent: to share with `agency`, or (none given) to receive services."""
    return Consent.objects.create(
        case=case,
        person=case.person,
        scope=scope or (ConsentScope.SHARE_WITH_AGENCY if agency else ConsentScope.SERVICES),
        shared_with_agency=agency,
        given_by=ConsentGivenBy.PERSON,
        given_on=timezone.localdate(),
        recorded_by=case.created_by,
    )


@dataclass
class Loop:
    """A referring team with a case, and a receiving agency (a provider with a service) whose
    service-provider staff and case worker answer referrals."""

    sender: case_factories.Team
    case: Case
    receiver_agency: Agency
    provider_staff: User
    receiver_worker: User
    provider: Provider
    service: Service


def loop(
    *, person_fields: dict[str, Any] | None = None, receiving_province: str = "01", **service_fields: Any
) -> Loop:
    sender = case_factories.team()
    subject = people_factories.person(
        actor=sender.worker, owner_agency=sender.agency, **(person_fields or {})
    )
    case = case_factories.open_case(
        actor=sender.worker, agency=sender.agency, person_=subject, assigned_worker=sender.worker
    )
    receiving = AgencyFactory.create(province=province(receiving_province))
    prov = provider(agency=receiving)
    return Loop(
        sender=sender,
        case=case,
        receiver_agency=receiving,
        provider_staff=member(Role.SERVICE_PROVIDER, agency=receiving),
        receiver_worker=member(Role.CASE_WORKER, agency=receiving),
        provider=prov,
        service=service(prov, **service_fields),
    )


def send(
    world: Loop,
    *,
    urgency: str = ReferralUrgency.ROUTINE,
    with_consent: bool = True,
    to: Provider | None = None,
    svc: Service | None = None,
    actor: User | None = None,
    **fields: Any,
) -> Referral:
    target = to or world.provider
    if with_consent:
        consent(world.case, agency=target.agency)
    return services.referral_send(
        actor=actor or world.sender.worker,
        case=world.case,
        provider=target,
        service=svc if svc is not None else (world.service if to is None else None),
        reason=fields.pop("reason", "Needs counselling after return"),
        urgency=urgency,
        **fields,
    )


def at(referral: Referral, **fields: Any) -> Referral:
    """Move a referral's dates directly (tests of deadlines)."""
    Referral.objects.filter(pk=referral.pk).update(**fields)
    referral.refresh_from_db()
    return referral


def hours_ago(hours: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=hours)
