"""HSDS 3.1: the read endpoints (valid, paged, never a hidden address), the export, the import."""

import csv
import datetime
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from shield.accounts.roles import Role
from shield.accounts.tests.factories import member
from shield.accounts.tests.permission_matrix import Actors, Endpoint, assert_matrix, db_snapshot
from shield.audit.models import AuditAction, AuditEvent
from shield.referrals.directory import hsds, hsds_import
from shield.referrals.directory.hsds_views import directory_export
from shield.referrals.models import Provider, Service, ServiceArea
from shield.referrals.tests.directory_factories import SHELTER_ADDRESS, agency_in, provider, service, shelter

pytestmark = pytest.mark.django_db

snapshot = db_snapshot(Provider, Service, ServiceArea)


@pytest.fixture
def world():
    home, far = agency_in("home"), agency_in("far", "79")
    p = provider(home, name="Trung tâm Bình An", email="lienhe@binhan.vn", phone="024 1111")
    s = service(
        p,
        name="Tư vấn tâm lý Bình An",
        languages=["vi", "en"],
        min_age=12,
        contact_phone="024 2222",
        schedule="Thứ Hai - Thứ Sáu",
        address="Số 5 phố Huế",
    )
    bed = shelter(p)
    root = member(Role.SYSTEM_ADMIN, agency=home, scope="national", username="root")
    readers = Actors(
        permitted=member(Role.CASE_WORKER, agency=home, username="cw.home"),
        no_permission=member(Role.AUDITOR, agency=home, username="aud.home"),
        other_agency=member(Role.CASE_WORKER, agency=far, username="cw.far"),
    )
    return {"provider": p, "service": s, "shelter": bed, "root": root, "readers": readers}


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_hsds_endpoints_matrix(world):
    s, p = world["service"], world["provider"]
    for url, secrets in (
        ("/hsds/", []),
        ("/hsds/services", [s.name]),
        (f"/hsds/services/{s.pk}", [s.name, p.name]),
        ("/hsds/organizations", [p.name]),
        (f"/hsds/organizations/{p.pk}", [p.name]),
    ):
        assert_matrix(
            Endpoint("GET", url, api=True, also_allowed={"other_agency"}),
            world["readers"],
            secrets=secrets,
            snapshot=snapshot,
        )


def test_hsds_output_is_valid_against_the_31_schema(world):
    client = client_for(world["readers"].permitted)
    listed = client.get("/hsds/services").json()
    assert hsds.schema_errors("page", listed) == []
    assert listed["total_items"] == 2
    for item in listed["contents"]:
        assert hsds.schema_errors("service", item) == []
    one = client.get(f"/hsds/services/{world['service'].pk}").json()
    assert hsds.schema_errors("service", one) == []
    assert one["organization"]["name"] == world["provider"].name
    assert one["capacities"] == []
    assert [lang["code"] for lang in one["languages"]] == ["en", "vi"]
    orgs = client.get("/hsds/organizations").json()
    assert hsds.schema_errors("page", orgs) == []
    assert all(hsds.schema_errors("organization", o) == [] for o in orgs["contents"])


def test_the_schema_check_can_fail(world):
    item = hsds.service(world["service"])
    item["status"] = "open"
    del item["name"]
    assert len(hsds.schema_errors("service", item)) == 2


def test_hsds_never_carries_a_shelter_address_even_for_its_keepers(world):
    bed = world["shelter"]
    client = client_for(world["root"])
    for url in ("/hsds/services", f"/hsds/services/{bed.pk}"):
        assert SHELTER_ADDRESS not in client.get(url).content.decode()
    one = client.get(f"/hsds/services/{bed.pk}").json()
    location = one["service_at_locations"][0]["location"]
    assert location["addresses"] == []
    assert "latitude" not in location
    assert one["capacities"][0]["unit"]["name"] == "beds"
    assert hsds.schema_errors("service", one) == []


def test_paging_and_modified_after(world):
    client = client_for(world["readers"].permitted)
    first = client.get("/hsds/services", {"per_page": 1}).json()
    assert (first["total_pages"], first["first_page"], first["last_page"], first["size"]) == (
        2,
        True,
        False,
        1,
    )
    second = client.get("/hsds/services", {"per_page": 1, "page": 2}).json()
    assert second["last_page"] is True
    assert second["contents"][0]["id"] != first["contents"][0]["id"]
    assert client.get("/hsds/services", {"per_page": 5000}).json()["size"] == hsds.MAX_PAGE_SIZE
    Service.objects.filter(pk=world["service"].pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=3)
    )
    since = (timezone.now() - datetime.timedelta(days=1)).date().isoformat()
    recent = client.get("/hsds/services", {"modified_after": since}).json()
    assert [c["name"] for c in recent["contents"]] == [world["shelter"].name]
    assert client.get("/hsds/services", {"modified_after": "yesterday"}).status_code == 400


def tables_of(data: bytes) -> dict[str, list[dict[str, str]]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            name[: -len(".csv")]: list(csv.DictReader(io.StringIO(archive.read(name).decode())))
            for name in archive.namelist()
            if name.endswith(".csv")
        }


def test_export_is_a_datapackage_without_hidden_addresses_and_is_audited(world):
    data = directory_export(user=world["root"])
    assert SHELTER_ADDRESS.encode() not in data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        package = json.loads(archive.read("datapackage.json"))
        raw = b"".join(archive.read(n) for n in archive.namelist())
    assert SHELTER_ADDRESS.encode() not in raw
    assert {r["name"] for r in package["resources"]} == set(hsds.TABLES)
    tables = tables_of(data)
    assert len(tables["services"]) == 2
    assert [a["address_1"] for a in tables["addresses"]] == ["Số 5 phố Huế"]
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def rewrite(data: bytes, change) -> bytes:
    tables = tables_of(data)
    change(tables)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, rows in tables.items():
            text = io.StringIO()
            writer = csv.DictWriter(text, fieldnames=hsds.TABLES[name], lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
            archive.writestr(f"{name}.csv", text.getvalue())
    return out.getvalue()


def moved_away(world) -> bytes:
    """The directory's own export, then emptied: the records come back as new ones on import."""
    data = directory_export(user=world["root"])
    Service.objects.all().delete()
    Provider.objects.all().delete()
    return data


def test_import_dry_run_writes_nothing_then_the_import_writes_everything(world):
    data = moved_away(world)
    report = hsds_import.hsds_import(actor=world["root"], data=data, dry_run=True)
    assert report.errors == []
    assert (report.organizations, report.services, report.imported) == (1, 2, False)
    assert not Service.objects.exists()
    done = hsds_import.hsds_import(actor=world["root"], data=data, dry_run=False)
    assert done.imported
    assert Service.objects.count() == 2
    bed = Service.objects.get(service_type="shelter")
    assert bed.address_redacted
    assert bed.address == ""
    assert bed.capacity_unit == "beds"
    again = hsds_import.hsds_import(actor=world["root"], data=data, dry_run=False)
    assert again.services == 0
    assert len(again.skipped) == 1
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT).count() == 3


def test_import_reports_row_errors_with_line_numbers_and_imports_nothing(world):
    def spoil(tables):
        tables["services"][1]["status"] = "open"
        tables["service_areas"][0]["name"] = "Atlantis"

    data = rewrite(moved_away(world), spoil)
    report = hsds_import.hsds_import(actor=world["root"], data=data, dry_run=False)
    assert not report.imported
    where = {(e.file, e.line) for e in report.errors}
    assert ("service_areas.csv", 2) in where
    assert any(
        e.file == "services.csv" and e.line == 3 and "status" in e.message.lower() for e in report.errors
    )
    assert not Service.objects.exists()
    assert not Provider.objects.exists()


def test_import_refuses_what_is_not_a_package(world):
    report = hsds_import.hsds_import(actor=world["root"], data=b"not a zip", dry_run=True)
    assert report.errors
    assert report.errors[0].message


def test_import_page_checks_first_then_imports(world):
    data = moved_away(world)
    keeper = Actors(permitted=world["root"], no_permission=world["readers"].permitted)
    assert_matrix(Endpoint("GET", "/referrals/directory/hsds/import/"), keeper, snapshot=snapshot)
    client = client_for(world["root"])
    check = client.post(
        "/referrals/directory/hsds/import/",
        {"action": "check", "datapackage": SimpleUploadedFile("p.zip", data, "application/zip")},
    )
    body = check.content.decode()
    assert 'data-testid="import-checked"' in body
    assert not Service.objects.exists()
    token = check.context["checked"]
    unchecked = client.post(
        "/referrals/directory/hsds/import/",
        {"action": "import", "datapackage": SimpleUploadedFile("p.zip", data, "application/zip")},
    )
    assert not unchecked.context["report"]
    assert not Service.objects.exists()
    client.post(
        "/referrals/directory/hsds/import/",
        {
            "action": "import",
            "token": token,
            "datapackage": SimpleUploadedFile("p.zip", data, "application/zip"),
        },
    )
    assert Service.objects.count() == 2


def test_export_download_for_keepers(world):
    keeper = Actors(
        permitted=member(Role.AGENCY_ADMIN, agency=world["provider"].agency, username="admin.home"),
        no_permission=world["readers"].permitted,
    )
    statuses = assert_matrix(Endpoint("GET", "/referrals/directory/hsds/export/"), keeper, snapshot=snapshot)
    assert statuses["permitted"] == 200


def test_command_imports_and_exports(world, tmp_path):
    target = tmp_path / "dir.zip"
    call_command("directory_hsds", "export", str(target), user="root")
    Service.objects.all().delete()
    Provider.objects.all().delete()
    out = io.StringIO()
    call_command("directory_hsds", "import", str(target), user="root", dry_run=True, stdout=out)
    assert "would import 1 providers and 2 services" in out.getvalue()
    assert not Service.objects.exists()
    call_command("directory_hsds", "import", str(target), user="root", stdout=out)
    assert Service.objects.count() == 2
