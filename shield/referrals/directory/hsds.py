"""The directory in Open Referral HSDS 3.1 shape: services, organizations, the paged list, the export.

- A service is HSDS's compiled `service` object: phones, schedules, service_areas, languages,
  capacities (`service_capacity` with its `unit`), service_at_locations with their `location`, and
  the type of service as an `attribute` whose `taxonomy_term` comes from `data/service_types.json`.
- A redacted location (a shelter) has no address and no coordinates, wherever it is written: the
  JSON endpoints and the export never carry a hidden address, whoever asks.
- Identifiers are the records' UUIDs; child objects get stable UUIDs derived from their parent
  (uuid5), so the same directory always gives the same document.
- `hsds_export` writes the whole directory as an HSDS tabular data package: a zip of one CSV per
  table and its `datapackage.json`.
"""

import csv
import datetime
import hashlib
import io
import json
import uuid
import zipfile
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from shield.referrals.directory import taxonomy
from shield.referrals.directory.taxonomy import LANGUAGE_NAMES
from shield.referrals.models import Provider, Service, ServiceArea, ServiceStatus
from shield.referrals.models.directory import codes_of

HSDS_VERSION = "3.1"
PROFILE = "https://openreferral.org/imports/hsds/"
TAXONOMY_ID = uuid.UUID("5f0f3b8e-0c43-5c6a-9f0e-4b1f6a2d6a10")
TAXONOMY_NAME = "Shield service types (Law 53/2024/QH15 Ch. V)"
# HSDS service status for each of ours: HSDS has no "closed", its nearest is "inactive".
STATUS: dict[str, str] = {
    ServiceStatus.ACTIVE: "active",
    ServiceStatus.TEMPORARILY_CLOSED: "temporarily closed",
    ServiceStatus.CLOSED: "inactive",
}
STATUS_FROM_HSDS = {"active": ServiceStatus.ACTIVE, "temporarily closed": ServiceStatus.TEMPORARILY_CLOSED}
STATUS_FROM_HSDS |= {"inactive": ServiceStatus.CLOSED, "defunct": ServiceStatus.CLOSED}
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 50


def child_id(parent: uuid.UUID, kind: str, key: object = "") -> str:
    """`str(uuid.uuid5(parent, f"{kind}:{key}"))`, written out: an export makes tens of thousands
    and `uuid.UUID` objects cost more than the hashing."""
    h = hashlib.sha1(parent.bytes + f"{kind}:{key}".encode(), usedforsecurity=False).hexdigest()
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:32]}"


def term_id(code: str) -> str:
    return str(uuid.uuid5(TAXONOMY_ID, code))


def unit_id(name: str) -> str:
    return str(uuid.uuid5(TAXONOMY_ID, f"unit:{name}"))


def _iso(when: datetime.datetime | None) -> str | None:
    """RFC 3339 in UTC (stored times are aware UTC), with milliseconds as HSDS asks."""
    return when.astimezone(datetime.UTC).isoformat(timespec="milliseconds") if when else None


def services_for_hsds(services: QuerySet[Service]) -> QuerySet[Service]:
    """The queryset with what HSDS output reads, in a fixed number of queries."""
    return services.select_related("provider", "province", "commune").prefetch_related(
        Prefetch("areas", queryset=ServiceArea.objects.select_related("province", "commune"))
    )


def organization(provider: Provider) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(provider.pk),
        "name": provider.name,
        "description": provider.description or provider.name,
    }
    if provider.email:
        data["email"] = provider.email
    if provider.website:
        data["website"] = provider.website
    data["phones"] = (
        [
            {
                "id": child_id(provider.pk, "phone"),
                "organization_id": str(provider.pk),
                "number": provider.phone,
            }
        ]
        if provider.phone
        else []
    )
    return data


def _eligibility(service: Service) -> str:
    parts: list[str] = []
    if service.sexes:
        parts.append("sex: " + ", ".join(codes_of(service.sexes)))
    if service.nationalities:
        parts.append("nationality: " + ", ".join(codes_of(service.nationalities)))
    if service.victim_status != "any":
        parts.append(f"victim status: {service.victim_status}")
    if service.child_friendly:
        parts.append("child-friendly")
    return "; ".join(parts)


def location(service: Service) -> dict[str, Any]:
    """The service's place. Redacted: named by its province only, no address, no coordinates."""
    sid = service.pk
    data: dict[str, Any] = {
        "id": child_id(sid, "location"),
        "location_type": "physical",
        "organization_id": str(service.provider_id),
    }
    if service.address_redacted:
        data["name"] = f"Confidential location ({service.province.name})"
        data["description"] = "Address withheld (redacted): ask the provider."
        data["addresses"] = []
        return data
    data["name"] = service.name
    data["addresses"] = (
        [
            {
                "id": child_id(sid, "address"),
                "location_id": data["id"],
                "address_1": service.address,
                "city": service.commune.name
                if service.commune_id and service.commune
                else service.province.name,
                "state_province": service.province.name,
                "postal_code": "",
                "country": "VN",
                "address_type": "physical",
            }
        ]
        if service.address
        else []
    )
    return data


def _areas(service: Service) -> list[dict[str, Any]]:
    areas = [
        {"id": child_id(service.pk, "area"), "service_id": str(service.pk), "name": service.province.name}
    ]
    for area in service.areas.all():
        entry = {
            "id": child_id(service.pk, "area", area.pk),
            "service_id": str(service.pk),
            "name": area.province.name,
        }
        if area.commune_id and area.commune:
            entry["description"] = area.commune.name
        areas.append(entry)
    return areas


def service(service: Service, *, with_organization: bool = False) -> dict[str, Any]:
    sid = service.pk
    kind = taxonomy.service_type(service.service_type)
    data: dict[str, Any] = {
        "id": str(sid),
        "organization_id": str(service.provider_id),
        "name": service.name,
        "description": service.description,
        "status": STATUS.get(service.status, "inactive"),
        "eligibility_description": _eligibility(service),
        "last_modified": _iso(service.updated_at),
    }
    if service.contact_email:
        data["email"] = service.contact_email
    if service.min_age is not None:
        data["minimum_age"] = service.min_age
    if service.max_age is not None:
        data["maximum_age"] = service.max_age
    data["phones"] = (
        [{"id": child_id(sid, "phone"), "service_id": str(sid), "number": service.contact_phone}]
        if service.contact_phone
        else []
    )
    data["contacts"] = (
        [{"id": child_id(sid, "contact"), "service_id": str(sid), "name": service.contact_name}]
        if service.contact_name
        else []
    )
    data["schedules"] = (
        [{"id": child_id(sid, "schedule"), "service_id": str(sid), "description": service.schedule}]
        if service.schedule
        else []
    )
    data["service_areas"] = _areas(service)
    data["languages"] = [
        {
            "id": child_id(sid, "language", code),
            "service_id": str(sid),
            "code": code,
            "name": LANGUAGE_NAMES.get(code, code),
        }
        for code in codes_of(service.languages)
    ]
    data["capacities"] = (
        [
            {
                "id": child_id(sid, "capacity"),
                "service_id": str(sid),
                "unit": {
                    "id": unit_id(service.capacity_unit or "places"),
                    "name": service.capacity_unit or "places",
                },
                "available": service.capacity_available or 0,
                **({"maximum": service.capacity_maximum} if service.capacity_maximum is not None else {}),
                "updated": _iso(service.capacity_updated_at),
            }
        ]
        if service.capacity_updated_at is not None
        else []
    )
    data["attributes"] = [
        {
            "id": child_id(sid, "attribute"),
            "link_id": str(sid),
            "link_type": "service",
            "taxonomy_term_id": term_id(service.service_type),
            "taxonomy_term": taxonomy_term(service.service_type),
            "value": kind.htcds if kind else "",
        }
    ]
    loc = location(service)
    data["service_at_locations"] = [
        {
            "id": child_id(sid, "service_at_location"),
            "service_id": str(sid),
            "location_id": loc["id"],
            "location": loc,
        }
    ]
    if with_organization:
        data["organization"] = organization(service.provider)
    return data


def taxonomy_term(code: str) -> dict[str, Any]:
    kind = taxonomy.service_type(code)
    return {
        "id": term_id(code),
        "code": code,
        "name": kind.label_en if kind else code,
        "description": kind.law53 if kind else "",
        "taxonomy": TAXONOMY_NAME,
        "language": "en",
    }


def page(items: list[dict[str, Any]], *, total: int, number: int, size: int) -> dict[str, Any]:
    """HSDS's paged answer."""
    pages = max(1, -(-total // size)) if size else 1
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": number,
        "size": size,
        "first_page": number == 1,
        "last_page": number >= pages,
        "empty": not items,
        "contents": items,
    }


# --- The tabular data package ------------------------------------------------------------------

TABLES: dict[str, list[str]] = {
    "organizations": ["id", "name", "description", "email", "website"],
    "services": [
        "id",
        "organization_id",
        "name",
        "description",
        "email",
        "status",
        "eligibility_description",
        "minimum_age",
        "maximum_age",
        "last_modified",
    ],
    "locations": ["id", "location_type", "organization_id", "name", "description"],
    "addresses": [
        "id",
        "location_id",
        "address_1",
        "city",
        "state_province",
        "postal_code",
        "country",
        "address_type",
    ],
    "service_at_locations": ["id", "service_id", "location_id"],
    "phones": ["id", "organization_id", "service_id", "number"],
    "contacts": ["id", "service_id", "name"],
    "schedules": ["id", "service_id", "description"],
    "service_areas": ["id", "service_id", "name", "description"],
    "languages": ["id", "service_id", "name", "code"],
    "units": ["id", "name"],
    "service_capacities": ["id", "service_id", "unit_id", "available", "maximum", "updated"],
    "taxonomy_terms": ["id", "code", "name", "description", "taxonomy", "language"],
    "attributes": ["id", "link_id", "link_type", "taxonomy_term_id", "value"],
}


def _rows(services: Iterable[Service], providers: Iterable[Provider]) -> dict[str, list[dict[str, Any]]]:
    tables: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    for provider in providers:
        org = organization(provider)
        tables["organizations"].append(org)
        tables["phones"].extend(org["phones"])
    units: dict[str, dict[str, Any]] = {}
    for item in services:
        data = service(item)
        tables["services"].append(data)
        for name in ("phones", "contacts", "schedules", "service_areas", "languages", "attributes"):
            tables[name].extend(data[name])
        for capacity in data["capacities"]:
            units[capacity["unit"]["id"]] = capacity["unit"]
            tables["service_capacities"].append({**capacity, "unit_id": capacity["unit"]["id"]})
        for link in data["service_at_locations"]:
            tables["service_at_locations"].append(link)
            tables["locations"].append(link["location"])
            tables["addresses"].extend(link["location"]["addresses"])
    tables["units"] = list(units.values())
    tables["taxonomy_terms"] = [taxonomy_term(t.code) for t in taxonomy.service_types()]
    return tables


def _csv(columns: list[str], rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in columns])
    return out.getvalue().encode("utf-8")


def _cell(value: Any) -> str:
    """A CSV cell; text starting like a formula is prefixed with ' (spreadsheets would run it)."""
    if value is None:
        return ""
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def datapackage(counts: dict[str, int]) -> dict[str, Any]:
    return {
        "name": "shield-service-directory",
        "title": "Shield service directory",
        "profile": "tabular-data-package",
        "hsds_version": HSDS_VERSION,
        "created": _iso(timezone.now()),
        "resources": [
            {
                "name": name,
                "path": f"{name}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "profile": "tabular-data-resource",
                "rows": counts[name],
                "schema": {"fields": [{"name": c, "type": "string"} for c in columns]},
            }
            for name, columns in TABLES.items()
        ],
    }


def hsds_export(
    *,
    services: QuerySet[Service],
    providers: QuerySet[Provider],
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """The given services and providers as an HSDS tabular data package (zip bytes). Redacted
    addresses are never written. `progress(done, total)` is called per table."""
    tables = _rows(services_for_hsds(services).iterator(chunk_size=500), providers.iterator(chunk_size=500))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        total = len(TABLES) + 1
        for done, (name, columns) in enumerate(TABLES.items(), start=1):
            archive.writestr(f"{name}.csv", _csv(columns, tables[name]))
            if progress:
                progress(done, total)
        archive.writestr(
            "datapackage.json",
            json.dumps(datapackage({n: len(r) for n, r in tables.items()}), ensure_ascii=False, indent=2),
        )
        if progress:
            progress(total, total)
    return buffer.getvalue()


def iter_services(services: QuerySet[Service]) -> Iterator[dict[str, Any]]:
    for item in services_for_hsds(services):
        yield service(item)


SCHEMA_FILE = Path(__file__).resolve().parent.parent / "data" / "hsds" / "hsds_3_1_subset.schema.json"


@cache
def _schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return loaded


def schema_errors(kind: str, document: Any) -> list[str]:
    """Where `document` breaks the HSDS 3.1 subset's `kind` (service, organization, page, ...)."""
    from jsonschema import Draft202012Validator

    schema = {**_schema(), "$ref": f"#/$defs/{kind}"}
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message}"
        for error in validator.iter_errors(document)
    ]
