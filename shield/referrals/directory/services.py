"""Keeping the directory: providers, services, capacity and status. Every write audited.

Who may do what is `access` (an agency administrator keeps their own agency's provider, a system
administrator everything; capacity also by the provider's own staff). Edits name the version they
were based on (412 when stale, 428 when missing); nothing is deleted: a service is closed, a
provider deactivated.
"""

import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shield import audit
from shield.accounts.models import Agency, User
from shield.audit.models import AuditAction
from shield.core.concurrency import save_versioned
from shield.core.errors import PermissionRefused, StaleVersion, ValidationFailed, VersionRequired
from shield.geo.models import Commune, Province
from shield.people.models import Sex
from shield.people.names import fold_name
from shield.referrals.directory import access, taxonomy
from shield.referrals.models import Provider, Service, ServiceArea, ServiceStatus
from shield.referrals.models.directory import codes_field, codes_of

PROVIDER_FIELDS = ("name", "province", "kind", "description", "phone", "email", "website", "is_active")
SERVICE_FIELDS = (
    "name",
    "service_type",
    "province",
    "description",
    "response_hours",
    "min_age",
    "max_age",
    "sexes",
    "victim_status",
    "nationalities",
    "languages",
    "child_friendly",
    "schedule",
    "contact_name",
    "contact_phone",
    "contact_email",
    "address",
    "commune",
    "address_redacted",
    "capacity_unit",
    "capacity_maximum",
)
LIST_FIELDS = frozenset({"sexes", "nationalities", "languages"})
# Fields a user enters; `search_text` and the versioning fields are the service's own.
_NOT_CHECKED = ["id", "version", "created_at", "updated_at", "search_text", "provider", "agency"]


def check_expected(record: Provider | Service, expected_version: int | None) -> None:
    """A versioned write's refusals before anything else: 428 with no version, 412 when stale."""
    if expected_version is None:
        raise VersionRequired()
    if record.version != expected_version:
        raise StaleVersion()


def _check_fields(instance: Provider | Service) -> None:
    """Model-level checks (max lengths, choices, e-mail and URL shapes) as field errors."""
    try:
        instance.clean_fields(exclude=_NOT_CHECKED)
    except ValidationError as exc:
        raise ValidationFailed(
            field_errors={
                name: [str(m) for e in errors for m in e.messages] for name, errors in exc.error_dict.items()
            }
        ) from exc


def search_text_of(service: Service, provider: Provider | None = None) -> str:
    """The folded words a search matches: name, provider, type (both languages), province, commune."""
    provider = provider or service.provider
    kind = taxonomy.service_type(service.service_type)
    parts = [service.name, provider.name, service.service_type.replace("_", " ")]
    if kind:
        parts += [kind.label_vi, kind.label_en]
    parts.append(service.province.name)
    if service.commune_id and service.commune:
        parts.append(service.commune.name)
    words = list(dict.fromkeys(fold_name(" ".join(parts)).split()))
    return " " + " ".join(words)[:1190] + " "


def _refuse_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionRefused(_("You do not keep this part of the service directory."))


def _apply_provider(provider: Provider, changes: Mapping[str, Any]) -> list[str]:
    changed: list[str] = []
    for name, value in changes.items():
        if name not in PROVIDER_FIELDS:
            raise ValidationFailed(field_errors={name: [_("This field cannot be changed here.")]})
        if name == "province":
            if not isinstance(value, Province):
                raise ValidationFailed(field_errors={"province": [_("Choose a province.")]})
            if provider.province_id != value.pk:
                provider.province = value
                changed.append("province")
            continue
        if isinstance(value, str):
            value = value.strip()
        if getattr(provider, name) != value:
            setattr(provider, name, value)
            changed.append(name)
    if not provider.name:
        raise ValidationFailed(field_errors={"name": [_("Give the provider's name.")]})
    _check_fields(provider)
    return changed


@transaction.atomic
def provider_create(
    *,
    actor: User | None,
    name: str,
    province: Province,
    agency: Agency | None = None,
    kind: str = "",
    description: str = "",
    phone: str = "",
    email: str = "",
    website: str = "",
    provider_id: uuid.UUID | None = None,
) -> Provider:
    """A directory entry for a Shield agency (one per agency) or an external provider. `actor`
    None: the system (demo data). `provider_id`: keep an imported record's identifier."""
    if actor is not None:
        _refuse_unless(access.may_create_provider_for(actor, agency))
    if agency is not None and Provider.objects.filter(agency=agency).exists():
        raise ValidationFailed(field_errors={"agency": [_("This agency already has a directory entry.")]})
    provider = Provider(agency=agency, province=province, kind=kind or (agency.kind if agency else ""))
    if provider_id is not None:
        provider.pk = provider_id
    _apply_provider(
        provider,
        {"name": name, "description": description, "phone": phone, "email": email, "website": website},
    )
    provider.save()
    audit.record(action=AuditAction.CREATE, actor=actor, agency=agency, obj=provider)
    return provider


@transaction.atomic
def provider_update(
    *, actor: User, provider: Provider, expected_version: int | None, changes: Mapping[str, Any]
) -> Provider:
    _refuse_unless(access.manages_provider(actor, provider))
    check_expected(provider, expected_version)
    changed = _apply_provider(provider, changes)
    if not changed:
        return provider
    save_versioned(provider, expected_version=expected_version, fields=changed)
    if "name" in changed or "province" in changed:
        for service in Service.objects.filter(provider=provider).select_related("province", "commune"):
            service.search_text = search_text_of(service, provider)
            service.save(update_fields=["search_text"])
    audit.record(
        action=AuditAction.UPDATE, actor=actor, agency=provider.agency, obj=provider, changed_fields=changed
    )
    return provider


def _set_service_field(service: Service, name: str, value: Any) -> bool:
    if name in ("province", "commune"):
        model = Province if name == "province" else Commune
        if value is not None and not isinstance(value, model):
            raise ValidationFailed(field_errors={name: [_("Choose a value from the list.")]})
        if getattr(service, f"{name}_id") == (value.pk if value else None):
            return False
        setattr(service, name, value)
        return True
    if name in LIST_FIELDS:
        items = value.split(",") if isinstance(value, str) else list(value or [])
        value = codes_field(
            str(v).strip().lower() if name != "nationalities" else str(v).strip().upper() for v in items
        )
    elif isinstance(value, str):
        value = value.strip()
    if getattr(service, name) == value:
        return False
    setattr(service, name, value)
    return True


def _validate_service(service: Service) -> None:
    errors: dict[str, list[str]] = {}
    if not service.name:
        errors["name"] = [_("Give the service's name.")]
    if service.service_type not in taxonomy.codes():
        errors["service_type"] = [_("Choose a type of service from the list.")]
    if service.min_age is not None and service.max_age is not None and service.min_age > service.max_age:
        errors["max_age"] = [_("The maximum age cannot be below the minimum age.")]
    if any(code not in Sex.values for code in service.sex_codes):
        errors["sexes"] = [_("Unknown sex: use female, male, other or unknown.")]
    if any(len(code) != 2 or not code.isalpha() for code in service.nationality_codes):
        errors["nationalities"] = [_("Use two-letter country codes (VN, KH, LA, CN).")]
    if any(not 2 <= len(code) <= 3 or not code.isalpha() for code in service.language_codes):
        errors["languages"] = [_("Use two- or three-letter language codes (vi, en, km, hmn).")]
    if service.commune_id and service.commune and service.commune.province_id != service.province_id:
        errors["commune"] = [_("This commune is not in the service's province.")]
    if (
        service.capacity_maximum is not None
        and service.capacity_available is not None
        and service.capacity_available > service.capacity_maximum
    ):
        errors["capacity_maximum"] = [_("The maximum cannot be below what is available now.")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    _check_fields(service)


def _apply_service(service: Service, changes: Mapping[str, Any]) -> list[str]:
    changed: list[str] = []
    for name, value in changes.items():
        if name not in SERVICE_FIELDS:
            raise ValidationFailed(field_errors={name: [_("This field cannot be changed here.")]})
        if _set_service_field(service, name, value):
            changed.append(name)
    # A shelter's address is never shown to everyone (HSDS 3.1 location redaction).
    if taxonomy.is_shelter(service.service_type) and not service.address_redacted:
        service.address_redacted = True
        changed.append("address_redacted")
    _validate_service(service)
    return changed


def _set_areas(service: Service, areas: Iterable[tuple[Province, Commune | None]]) -> bool:
    wanted = {(p.pk, c.pk if c else None) for p, c in areas}
    for province_id, commune_id in wanted:
        if (
            commune_id is not None
            and not Commune.objects.filter(pk=commune_id, province_id=province_id).exists()
        ):
            raise ValidationFailed(
                field_errors={"areas": [_("A commune served is not in the province given.")]}
            )
    current = {(a.province_id, a.commune_id): a for a in service.areas.all()}
    if set(current) == wanted:
        return False
    ServiceArea.objects.filter(pk__in=[a.pk for key, a in current.items() if key not in wanted]).delete()
    ServiceArea.objects.bulk_create(
        [
            ServiceArea(service=service, province_id=p, commune_id=c)
            for p, c in wanted
            if (p, c) not in current
        ]
    )
    return True


@transaction.atomic
def service_create(
    *,
    actor: User | None,
    provider: Provider,
    data: Mapping[str, Any],
    areas: Sequence[tuple[Province, Commune | None]] = (),
    capacity_available: int | None = None,
    service_id: uuid.UUID | None = None,
) -> Service:
    """A new service of `provider`; `data` holds fields of SERVICE_FIELDS (`name`, `service_type`
    and `province` required)."""
    if actor is not None:
        _refuse_unless(access.manages_provider(actor, provider))
    service = Service(provider=provider, status=ServiceStatus.ACTIVE)
    if service_id is not None:
        service.pk = service_id
    if "province" not in data or data["province"] is None:
        raise ValidationFailed(field_errors={"province": [_("Choose a province.")]})
    _apply_service(service, data)
    if capacity_available is not None:
        service.capacity_available = capacity_available
        service.capacity_updated_at = timezone.now()
        _validate_service(service)
    service.search_text = search_text_of(service, provider)
    service.save()
    _set_areas(service, areas)
    audit.record(action=AuditAction.CREATE, actor=actor, agency=provider.agency, obj=service)
    return service


@transaction.atomic
def service_update(
    *,
    actor: User,
    service: Service,
    expected_version: int | None,
    changes: Mapping[str, Any],
    areas: Sequence[tuple[Province, Commune | None]] | None = None,
) -> Service:
    _refuse_unless(access.manages_provider(actor, service.provider))
    check_expected(service, expected_version)
    changed = _apply_service(service, changes)
    if areas is not None and _set_areas(service, areas):
        changed.append("areas")
    if not changed:
        return service
    service.search_text = search_text_of(service)
    fields = [f for f in changed if f != "areas"] + ["search_text"]
    save_versioned(service, expected_version=expected_version, fields=fields)
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        agency=service.provider.agency,
        obj=service,
        changed_fields=changed,
    )
    return service


@transaction.atomic
def service_capacity_set(
    *,
    actor: User,
    service: Service,
    expected_version: int | None,
    available: int,
    maximum: int | None = None,
    unit: str | None = None,
) -> Service:
    """Today's count: what is available now (and the maximum and unit if given), stamped now."""
    _refuse_unless(access.may_set_capacity(actor, service))
    check_expected(service, expected_version)
    if available is None or available < 0:
        raise ValidationFailed(field_errors={"capacity_available": [_("Give a number of zero or more.")]})
    service.capacity_available = available
    fields = ["capacity_available", "capacity_updated_at"]
    if maximum is not None:
        service.capacity_maximum = maximum
        fields.append("capacity_maximum")
    if unit is not None:
        service.capacity_unit = unit.strip()
        fields.append("capacity_unit")
    if service.capacity_maximum is not None and available > service.capacity_maximum:
        raise ValidationFailed(
            field_errors={"capacity_available": [_("What is available cannot exceed the maximum.")]}
        )
    _check_fields(service)
    service.capacity_updated_at = timezone.now()
    save_versioned(service, expected_version=expected_version, fields=fields)
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        agency=service.provider.agency,
        obj=service,
        changed_fields=fields,
    )
    return service


@transaction.atomic
def service_status_set(
    *, actor: User, service: Service, expected_version: int | None, status: str, reason: str = ""
) -> Service:
    """Open, close for a while, or close a service (never deleted: referrals keep pointing at it)."""
    _refuse_unless(access.manages_provider(actor, service.provider))
    check_expected(service, expected_version)
    if status not in ServiceStatus.values:
        raise ValidationFailed(field_errors={"status": [_("Choose a status from the list.")]})
    if status == service.status:
        return service
    service.status = status
    save_versioned(service, expected_version=expected_version, fields=["status"])
    audit.record(
        action=AuditAction.TRANSITION,
        actor=actor,
        agency=service.provider.agency,
        obj=service,
        changed_fields=["status"],
        reason=(reason or "").strip()[:500],
        details={"status": status},
    )
    return service


def codes_text(value: str) -> str:
    """`|en|vi|` → `en, vi` for a form's initial value."""
    return ", ".join(codes_of(value))
