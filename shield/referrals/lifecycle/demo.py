"""Demo data of the lifecycle part: referrals in every state from the demo cases, some overdue.

Made through the real services as the demo accounts (cw.hanoi refers, sup.hanoi supervises), so
timelines, queues, notifications and the audit trail are the application's own. Uses the
directory demo's providers when there are any; otherwise adds a few minimal ones so this part
stands alone. Runs once: a second run finds cw.hanoi's referrals and adds nothing.
"""

import contextlib
import datetime
from typing import Any, TextIO

from django.db.models import Q
from django.utils import timezone

from shield.accounts.models import Agency, Membership, User
from shield.accounts.roles import ROLE_PERMISSIONS, AgencyKind
from shield.cases.models import Case, ConsentGivenBy, ConsentScope
from shield.cases.services.consent import consent_record
from shield.core.errors import ApplicationError
from shield.referrals.lifecycle import services
from shield.referrals.lifecycle.selectors import ANSWER_PERMISSIONS
from shield.referrals.models import (
    Provider,
    Referral,
    ReferralOutcome,
    ReferralUrgency,
    Service,
    ServiceStatus,
)

# What each demo referral goes through after it is sent.
PLAN = [
    ("sent", ReferralUrgency.URGENT, False),
    ("sent", ReferralUrgency.IMMEDIATE, True),  # not answered in time
    ("waitlisted", ReferralUrgency.ROUTINE, False),
    ("accepted", ReferralUrgency.ROUTINE, False),
    ("accepted", ReferralUrgency.URGENT, True),  # no outcome in time
    ("in_service", ReferralUrgency.ROUTINE, False),
    ("successful", ReferralUrgency.ROUTINE, False),
    ("client_refused", ReferralUrgency.ROUTINE, False),
    ("declined", ReferralUrgency.ROUTINE, False),
    ("cancelled", ReferralUrgency.ROUTINE, False),
    ("revoked", ReferralUrgency.URGENT, False),
    ("external", ReferralUrgency.ROUTINE, False),
]


ANSWER_ROLES = [r for r, perms in ROLE_PERMISSIONS.items() if any(p in perms for p in ANSWER_PERMISSIONS)]


def _answering_agencies() -> list[Any]:
    return list(
        Membership.objects.filter(is_active=True, user__is_active=True, role__in=ANSWER_ROLES)
        .values_list("agency_id", flat=True)
        .distinct()
    )


def _answerer(agency: Agency | None, fallback: User) -> User:
    if agency is None:
        return fallback
    membership = (
        Membership.objects.filter(agency=agency, is_active=True, user__is_active=True, role__in=ANSWER_ROLES)
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    return membership.user if membership else fallback


def _services(home: Agency) -> tuple[list[Service], Service | None]:
    """Active services of other agencies that have someone to answer, and one external service."""
    active = Service.objects.filter(status=ServiceStatus.ACTIVE, provider__is_active=True).select_related(
        "provider", "provider__agency"
    )
    answering = _answering_agencies()
    agency_services = list(
        active.filter(provider__agency__in=answering).exclude(provider__agency=home).order_by("name")[:40]
    )
    external = active.filter(provider__agency__isnull=True).order_by("name").first()
    if agency_services and external:
        return agency_services, external
    # No directory yet: a few minimal providers so the lifecycle demo stands alone.
    for agency in (
        Agency.objects.filter(
            Q(kind=AgencyKind.SOCIAL_PROTECTION) | Q(kind=AgencyKind.WOMENS_UNION),
            is_active=True,
            pk__in=answering,
        )
        .exclude(pk=home.pk)
        .order_by("code")[:3]
    ):
        provider, _created = Provider.objects.get_or_create(
            agency=agency, defaults={"name": agency.name, "province": agency.province}
        )
        agency_services.append(
            Service.objects.create(
                provider=provider,
                name=f"Tư vấn tâm lý — {agency.name}"[:200],
                service_type="psychological_support",
                province=agency.province,
            )
        )
    if external is None:
        clinic = Provider.objects.create(name="Phòng khám Đa khoa Hòa Bình", province=home.province)
        external = Service.objects.create(
            provider=clinic, name="Khám sức khỏe", service_type="health_care", province=home.province
        )
    return agency_services, external


def _send(worker: User, supervisor: User, case: Case, service: Service, urgency: str) -> Referral:
    # Already recorded, or not possible: the send below falls back to an override.
    with contextlib.suppress(ApplicationError):
        consent_record(
            actor=worker,
            case=case,
            scope=ConsentScope.SHARE_WITH_AGENCY if service.provider.agency else ConsentScope.SERVICES,
            shared_with_agency=service.provider.agency,
            given_by=ConsentGivenBy.GUARDIAN,
            guardian_name="Nguyễn Văn An",
            given_on=timezone.localdate(),
        )
    try:
        return services.referral_send(
            actor=worker,
            case=case,
            provider=service.provider,
            service=service,
            reason="Cần hỗ trợ sau khi trở về.",
            urgency=urgency,
        )
    except ApplicationError:
        return services.referral_send(
            actor=supervisor,
            case=case,
            provider=service.provider,
            service=service,
            reason="Cần hỗ trợ khẩn cấp.",
            urgency=urgency,
            legal_basis="Luật Phòng, chống mua bán người 53/2024/QH15",
            override=True,
        )


def _walk(referral: Referral, state: str, answerer: User, worker: User, supervisor: User) -> None:
    def v() -> int:
        referral.refresh_from_db(fields=["version"])
        return referral.version

    if state == "waitlisted":
        services.referral_waitlist(actor=answerer, referral=referral, version=v(), note="Hết chỗ tuần này.")
    elif state in ("accepted", "in_service", "successful", "client_refused"):
        services.referral_accept(actor=answerer, referral=referral, version=v())
        if state in ("in_service", "successful"):
            services.referral_start_service(actor=answerer, referral=referral, version=v())
        if state == "successful":
            services.referral_complete(
                actor=answerer, referral=referral, version=v(), outcome=ReferralOutcome.SUCCESSFUL
            )
        if state == "client_refused":
            services.referral_complete(
                actor=worker, referral=referral, version=v(), outcome=ReferralOutcome.CLIENT_REFUSED
            )
    elif state == "declined":
        services.referral_decline(actor=answerer, referral=referral, version=v(), reason="Không đủ chỗ.")
    elif state == "cancelled":
        services.referral_cancel(actor=worker, referral=referral, version=v(), reason="Gia đình đã đón về.")
    elif state == "revoked":
        services.referral_revoke(
            actor=supervisor, referral=referral, version=v(), reason="Cơ sở không an toàn."
        )
    elif state == "external":
        services.referral_accept(actor=worker, referral=referral, version=v(), note="Phòng khám đã nhận.")


def load(*, options: dict[str, Any], out: TextIO) -> None:
    worker = User.objects.filter(username="cw.hanoi").first()
    supervisor = User.objects.filter(username="sup.hanoi").first()
    if worker is None or supervisor is None or worker.primary_agency is None:
        return
    if Referral.objects.filter(referred_by__in=[worker, supervisor]).exists():
        out.write("Referrals: demo referrals already there.\n")
        return
    home = worker.primary_agency
    cases = list(
        Case.objects.filter(owner_agency=home, closed_at__isnull=True).order_by("reference")[: len(PLAN)]
    )
    agency_services, external = _services(home)
    if not cases or not agency_services or external is None:
        out.write("Referrals: no demo cases or services; no referrals added.\n")
        return
    made = 0
    now = timezone.now()
    for index, (state, urgency, late) in enumerate(PLAN):
        case = cases[index % len(cases)]
        service = external if state == "external" else agency_services[index % len(agency_services)]
        try:
            referral = _send(worker, supervisor, case, service, urgency)
            answerer = _answerer(service.provider.agency, worker)
            _walk(referral, state, answerer, worker, supervisor)
        except ApplicationError as error:
            out.write(f"Referrals: skipped one demo referral ({error.message}).\n")
            continue
        if late and state == "sent":
            Referral.objects.filter(pk=referral.pk).update(
                sent_at=now - datetime.timedelta(hours=5), respond_by=now - datetime.timedelta(hours=4)
            )
        if late and state == "accepted":
            Referral.objects.filter(pk=referral.pk).update(outcome_due_by=now - datetime.timedelta(days=2))
        made += 1
    out.write(f"Referrals: {made} demo referrals in every state ({sum(1 for p in PLAN if p[2])} overdue).\n")
