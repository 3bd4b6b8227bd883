"""The HSDS export of the whole directory as a background task: queued and built with its progress,
downloaded by the keeper who asked (audited), out of reach of everyone else."""

import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from shield.accounts.roles import Role
from shield.accounts.tests.factories import member
from shield.accounts.tests.permission_matrix import Actors, Endpoint, assert_matrix, db_snapshot
from shield.audit.models import AuditAction, AuditEvent
from shield.core.errors import NotFound, PermissionRefused
from shield.referrals.directory import hsds_exports
from shield.referrals.models import HsdsExport, HsdsExportStatus, Provider, Service
from shield.referrals.tests.directory_factories import agency_in, provider, service, shelter

pytestmark = pytest.mark.django_db
snapshot = db_snapshot(Provider, Service)


@pytest.fixture
def world():
    home, far = agency_in("home"), agency_in("far", "79")
    p = provider(home, name="Trung tâm Bình An")
    service(p, name="Tư vấn tâm lý Bình An")
    shelter(p)
    keeper = member(Role.AGENCY_ADMIN, agency=home, username="admin.home")
    other_keeper = member(Role.AGENCY_ADMIN, agency=far, username="admin.far")
    reader = member(Role.CASE_WORKER, agency=home, username="cw.home")
    return {"keeper": keeper, "other_keeper": other_keeper, "reader": reader}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_keeper_starts_an_export_that_reports_its_progress_and_is_downloaded_audited(world):
    client = _client(world["keeper"])
    response = client.post(reverse("referrals:hsds_exports"))
    export = HsdsExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:hsds_export_detail", args=[export.pk])
    # The immediate task backend of the tests has built it already.
    assert export.status == HsdsExportStatus.DONE
    assert export.progress == 100
    assert export.services == 2
    assert export.organizations == 1
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(export.pk)).exists()
    page = client.get(
        reverse("referrals:hsds_export_detail", args=[export.pk]), headers={"HX-Request": "true"}
    )
    body = page.content.decode()
    assert 'data-testid="export-download"' in body
    assert "hx-trigger" not in body  # done: no more polling
    download = client.get(reverse("referrals:hsds_export_file", args=[export.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(download.content)).namelist()
    assert "datapackage.json" in names
    assert "services.csv" in names
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_id=str(export.pk)).count() == 1


def test_a_queued_export_polls_and_has_no_file_yet(world):
    export = HsdsExport.objects.create(requested_by=world["keeper"])
    client = _client(world["keeper"])
    body = client.get(reverse("referrals:hsds_export_detail", args=[export.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in body
    assert 'data-testid="export-download"' not in body
    assert client.get(reverse("referrals:hsds_export_file", args=[export.pk])).status_code == 404
    hsds_exports.hsds_export_build(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == HsdsExportStatus.DONE
    assert export.step == "done"
    assert bytes(export.content)[:2] == b"PK"


def test_a_failed_build_is_kept_on_the_row(world, monkeypatch):
    export = HsdsExport.objects.create(requested_by=world["keeper"])

    def broken(**_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(hsds_exports.hsds, "hsds_export", broken)
    with pytest.raises(RuntimeError):
        hsds_exports.hsds_export_build(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == HsdsExportStatus.FAILED
    assert "disk full" in export.error
    body = _client(world["keeper"]).get(reverse("referrals:hsds_export_detail", args=[export.pk]))
    assert 'data-testid="export-error"' in body.content.decode()


def test_only_keepers_start_one_and_only_the_requester_sees_it(world):
    with pytest.raises(PermissionRefused):
        hsds_exports.hsds_export_request(actor=world["reader"])
    export = hsds_exports.hsds_export_request(actor=world["keeper"])
    with pytest.raises(NotFound):
        hsds_exports.hsds_export_get_for(user=world["other_keeper"], export_id=export.pk)
    for url in (
        reverse("referrals:hsds_export_detail", args=[export.pk]),
        reverse("referrals:hsds_export_file", args=[export.pk]),
    ):
        statuses = assert_matrix(
            Endpoint("GET", url),
            Actors(
                permitted=world["keeper"], no_permission=world["reader"], other_agency=world["other_keeper"]
            ),
            snapshot=snapshot,
        )
        assert statuses["permitted"] == 200
    list_statuses = assert_matrix(
        Endpoint("GET", reverse("referrals:hsds_exports")),
        Actors(permitted=world["keeper"], no_permission=world["reader"]),
        snapshot=snapshot,
    )
    assert list_statuses["permitted"] == 200
    before = HsdsExport.objects.count()
    assert _client(world["reader"]).post(reverse("referrals:hsds_exports")).status_code == 403
    assert HsdsExport.objects.count() == before
