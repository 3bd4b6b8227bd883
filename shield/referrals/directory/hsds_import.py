"""Importing an HSDS 3.1 tabular data package (zip of CSVs) into the directory: all or nothing.

Read: organizations.csv and services.csv (required); attributes.csv + taxonomy_terms.csv (the
type of service: a term whose `code` is one of `data/service_types.json`), service_areas.csv (the
first area naming a province is the service's province), languages.csv, phones.csv, contacts.csv,
schedules.csv, service_capacities.csv + units.csv, service_at_locations.csv + locations.csv +
addresses.csv (a location without address named "Confidential…" stays redacted).

Every organization becomes an external provider, every service a service of it. Records whose id
is already in the directory are skipped (reported), never overwritten. Every problem is reported
with its file and line (the header is line 1); with any problem nothing is written. A dry run
writes everything inside a transaction and rolls it back, so it finds exactly what the import
would find.
"""

import csv
import io
import uuid
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shield import audit
from shield.accounts.models import User
from shield.audit.models import AuditAction
from shield.core.errors import ApplicationError, PermissionRefused
from shield.geo.models import Province
from shield.people.names import fold_name
from shield.referrals.directory import access, hsds, services, taxonomy
from shield.referrals.models import Provider, Service

MAX_ZIP_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 20_000
MAX_ERRORS = 200


@dataclass
class RowError:
    file: str
    line: int
    message: str


@dataclass
class ImportReport:
    dry_run: bool
    organizations: int = 0
    services: int = 0
    skipped: list[RowError] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    imported: bool = False

    def add(self, file: str, line: int, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(file, line, message))


@dataclass
class Row:
    line: int
    values: dict[str, str]

    def get(self, name: str) -> str:
        return (self.values.get(name) or "").strip()


class _DryRun(Exception):
    pass


def _read_tables(data: bytes, report: ImportReport) -> dict[str, list[Row]]:
    tables: dict[str, list[Row]] = {}
    if len(data) > MAX_ZIP_BYTES:
        report.add("", 0, _("The file is larger than 5 MB."))
        return tables
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        report.add("", 0, _("This is not a zip file."))
        return tables
    with archive:
        infos = [
            i
            for i in archive.infolist()
            if i.filename.rsplit("/", 1)[-1] in {f"{n}.csv" for n in hsds.TABLES}
        ]
        if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
            report.add("", 0, _("The package unpacks to more than 50 MB."))
            return tables
        for info in infos:
            name = info.filename.rsplit("/", 1)[-1][: -len(".csv")]
            try:
                text = archive.read(info).decode("utf-8-sig")
            except UnicodeDecodeError:
                report.add(f"{name}.csv", 0, _("The file is not UTF-8 text."))
                continue
            reader = csv.DictReader(io.StringIO(text))
            rows: list[Row] = []
            for values in reader:
                if len(rows) >= MAX_ROWS:
                    report.add(f"{name}.csv", reader.line_num, _("Too many rows (at most 20,000)."))
                    break
                rows.append(Row(reader.line_num, {k: v for k, v in values.items() if k is not None}))
            tables[name] = rows
    for required in ("organizations", "services"):
        if required not in tables:
            report.add(f"{required}.csv", 0, _("This file is missing from the package."))
    return tables


def _by(rows: list[Row], key: str) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row.get(key)].append(row)
    return grouped


def _province_index() -> dict[str, Province]:
    index: dict[str, Province] = {}
    for province in Province.objects.all():
        folded = fold_name(province.name)
        index[folded] = province
        for prefix in ("thanh pho ", "tinh "):
            if folded.startswith(prefix):
                index[folded[len(prefix) :]] = province
    return index


def _int(row: Row, name: str, report: ImportReport, file: str) -> int | None:
    raw = row.get(name)
    if not raw:
        return None
    try:
        value = int(float(raw))
    except ValueError:
        report.add(file, row.line, _("%(field)s must be a number.") % {"field": name})
        return None
    if value < 0:
        report.add(file, row.line, _("%(field)s cannot be negative.") % {"field": name})
        return None
    return value


def _uuid(row: Row, report: ImportReport, file: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(row.get("id"))
    except ValueError:
        report.add(file, row.line, _("The id is not a UUID."))
        return None


def _write(actor: User, tables: dict[str, list[Row]], report: ImportReport) -> None:
    provinces = _province_index()
    terms = {row.get("id"): row.get("code") for row in tables.get("taxonomy_terms", [])}
    attributes = _by(tables.get("attributes", []), "link_id")
    areas = _by(tables.get("service_areas", []), "service_id")
    languages = _by(tables.get("languages", []), "service_id")
    phones = _by(tables.get("phones", []), "service_id")
    org_phones = _by(tables.get("phones", []), "organization_id")
    contacts = _by(tables.get("contacts", []), "service_id")
    schedules = _by(tables.get("schedules", []), "service_id")
    capacities = _by(tables.get("service_capacities", []), "service_id")
    units = {row.get("id"): row.get("name") for row in tables.get("units", [])}
    at_locations = _by(tables.get("service_at_locations", []), "service_id")
    locations = {row.get("id"): row for row in tables.get("locations", [])}
    addresses = _by(tables.get("addresses", []), "location_id")
    services_of = _by(tables.get("services", []), "organization_id")

    existing_providers = set(Provider.objects.values_list("pk", flat=True))
    existing_services = set(Service.objects.values_list("pk", flat=True))
    for org in tables.get("organizations", []):
        org_id = _uuid(org, report, "organizations.csv")
        if org_id is None:
            continue
        if org_id in existing_providers:
            report.skipped.append(
                RowError("organizations.csv", org.line, _("Already in the directory: skipped."))
            )
            continue
        rows = services_of.get(org.get("id"), [])
        prepared = [_prepare_service(row, provinces, terms, attributes, areas, report) for row in rows]
        first_province = next((p[1] for p in prepared if p and p[1] is not None), None)
        if first_province is None:
            report.add(
                "organizations.csv", org.line, _("No service of this organization names a province served.")
            )
            continue
        phone = next((r.get("number") for r in org_phones.get(org.get("id"), [])), "")
        try:
            with transaction.atomic():
                provider = services.provider_create(
                    actor=actor,
                    name=org.get("name"),
                    province=first_province,
                    description=org.get("description") if org.get("description") != org.get("name") else "",
                    phone=phone,
                    email=org.get("email"),
                    website=org.get("website"),
                    provider_id=org_id,
                )
        except ApplicationError as exc:
            report.add("organizations.csv", org.line, _describe(exc))
            continue
        report.organizations += 1
        for row, ready in zip(rows, prepared, strict=True):
            if ready is None:
                continue
            service_id, province, code, area_list = ready
            if service_id in existing_services:
                report.skipped.append(
                    RowError("services.csv", row.line, _("Already in the directory: skipped."))
                )
                continue
            sid = row.get("id")
            capacity = capacities.get(sid, [])
            data: dict[str, Any] = {
                "name": row.get("name"),
                "service_type": code,
                "province": province,
                "description": row.get("description"),
                "min_age": _int(row, "minimum_age", report, "services.csv"),
                "max_age": _int(row, "maximum_age", report, "services.csv"),
                "contact_email": row.get("email"),
                "languages": [r.get("code") for r in languages.get(sid, []) if r.get("code")],
                "contact_phone": next((r.get("number") for r in phones.get(sid, [])), ""),
                "contact_name": next((r.get("name") for r in contacts.get(sid, [])), ""),
                "schedule": next((r.get("description") for r in schedules.get(sid, [])), ""),
            }
            redacted, address = _address(at_locations.get(sid, []), locations, addresses)
            data["address_redacted"] = redacted
            data["address"] = "" if redacted else address
            available = None
            if capacity:
                data["capacity_unit"] = units.get(capacity[0].get("unit_id"), "")
                data["capacity_maximum"] = _int(capacity[0], "maximum", report, "service_capacities.csv")
                available = _int(capacity[0], "available", report, "service_capacities.csv")
            status = hsds.STATUS_FROM_HSDS.get(row.get("status").lower())
            if status is None:
                report.add(
                    "services.csv",
                    row.line,
                    _("Unknown status: use active, temporarily closed, inactive or defunct."),
                )
                continue
            try:
                with transaction.atomic():
                    created = services.service_create(
                        actor=actor,
                        provider=provider,
                        data=data,
                        areas=area_list,
                        capacity_available=available,
                        service_id=service_id,
                    )
                    if status != created.status:
                        Service.objects.filter(pk=created.pk).update(status=status)
            except ApplicationError as exc:
                report.add("services.csv", row.line, _describe(exc))
                continue
            except IntegrityError:
                report.add("services.csv", row.line, _("This row conflicts with a record already stored."))
                continue
            report.services += 1


def _address(
    links: list[Row], locations: dict[str, Row], addresses: dict[str, list[Row]]
) -> tuple[bool, str]:
    for link in links:
        loc = locations.get(link.get("location_id"))
        if loc is None:
            continue
        found = addresses.get(loc.get("id"), [])
        if not found:
            return loc.get("name").lower().startswith("confidential"), ""
        return False, found[0].get("address_1")
    return False, ""


def _prepare_service(
    row: Row,
    provinces: dict[str, Province],
    terms: dict[str, str],
    attributes: dict[str, list[Row]],
    areas: dict[str, list[Row]],
    report: ImportReport,
) -> tuple[uuid.UUID, Province, str, list[tuple[Province, None]]] | None:
    service_id = _uuid(row, report, "services.csv")
    if service_id is None:
        return None
    codes = [terms.get(a.get("taxonomy_term_id"), "") for a in attributes.get(row.get("id"), [])]
    code = next((c for c in codes if c in taxonomy.codes()), "")
    if not code:
        report.add(
            "services.csv",
            row.line,
            _("No type of service: link a taxonomy term whose code is a Shield service type."),
        )
        return None
    served: list[Province] = []
    for area in areas.get(row.get("id"), []):
        province = provinces.get(fold_name(area.get("name")))
        if province is None:
            report.add(
                "service_areas.csv",
                area.line,
                _("Unknown province: %(name)s") % {"name": area.get("name")[:100]},
            )
            return None
        if province not in served:
            served.append(province)
    if not served:
        report.add("services.csv", row.line, _("No area served names a province."))
        return None
    return service_id, served[0], code, [(p, None) for p in served[1:]]


def _describe(exc: ApplicationError) -> str:
    if exc.field_errors:
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in exc.field_errors.items())
    return exc.message


def hsds_import(*, actor: User, data: bytes, dry_run: bool) -> ImportReport:
    """Check (dry run) or import a package. With any error nothing is written."""
    if not access.manages_everything(actor):
        raise PermissionRefused(_("Only a system administrator imports into the directory."))
    report = ImportReport(dry_run=dry_run)
    tables = _read_tables(data, report)
    if not report.errors:
        try:
            with transaction.atomic():
                _write(actor, tables, report)
                if report.errors or dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        else:
            report.imported = True
    audit.record(
        action=AuditAction.IMPORT,
        actor=actor,
        object_type=Service._meta.label_lower,
        details={
            "format": "hsds-3.1-tabular",
            "dry_run": dry_run,
            "imported": report.imported,
            "organizations": report.organizations,
            "services": report.services,
            "errors": len(report.errors),
            "skipped": len(report.skipped),
        },
    )
    if not report.imported and not dry_run:
        report.organizations = report.services = 0
    return report
