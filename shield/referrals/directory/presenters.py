"""What the directory's pages show: rows of the list, a service's details (address as allowed)."""

from dataclasses import dataclass
from typing import Any

from shield.accounts.models import User
from shield.referrals.directory import access, selectors, taxonomy
from shield.referrals.directory.forms import LANGUAGE_LABELS
from shield.referrals.models import Service, ServiceStatus
from shield.referrals.models.directory import codes_of

STATUS_BADGES: dict[str, str] = {
    ServiceStatus.ACTIVE: "text-bg-success",
    ServiceStatus.TEMPORARILY_CLOSED: "text-bg-warning",
    ServiceStatus.CLOSED: "text-bg-secondary",
}


@dataclass(frozen=True)
class ServiceRow:
    service: Service
    type_label: str
    status_badge: str
    has_capacity: bool
    # A list never shows a redacted address.
    address: str


def service_rows(services: list[Service]) -> list[ServiceRow]:
    return [
        ServiceRow(
            service=s,
            type_label=taxonomy.label_of(s.service_type),
            status_badge=STATUS_BADGES.get(s.status, "text-bg-secondary"),
            has_capacity=selectors.has_capacity_now(s),
            address="" if s.address_redacted else s.address,
        )
        for s in services
    ]


def service_detail(*, user: User, service: Service) -> dict[str, Any]:
    kind = taxonomy.service_type(service.service_type)
    return {
        "service": service,
        "type": kind,
        "type_label": kind.label if kind else service.service_type,
        "status_badge": STATUS_BADGES.get(service.status, "text-bg-secondary"),
        "has_capacity": selectors.has_capacity_now(service),
        "fresh_days": selectors.capacity_fresh_days(),
        "address_visible": access.address_visible_to(user, service),
        "areas": selectors.areas_of(service),
        "languages": [str(LANGUAGE_LABELS.get(c, c)) for c in service.language_codes],
        "can_edit": access.manages_provider(user, service.provider),
        "can_set_capacity": access.may_set_capacity(user, service),
    }


def service_initial(service: Service) -> dict[str, Any]:
    initial: dict[str, Any] = {
        name: getattr(service, name)
        for name in (
            "name",
            "service_type",
            "description",
            "response_hours",
            "min_age",
            "max_age",
            "victim_status",
            "child_friendly",
            "schedule",
            "contact_name",
            "contact_phone",
            "contact_email",
            "address",
            "address_redacted",
            "capacity_unit",
            "capacity_maximum",
        )
    }
    initial.update(
        province=service.province_id,
        commune=service.commune_id,
        sexes=codes_of(service.sexes),
        languages=codes_of(service.languages),
        nationalities=", ".join(codes_of(service.nationalities)),
        areas=[a.province_id for a in service.areas.all()],
        version=service.version,
    )
    return initial
