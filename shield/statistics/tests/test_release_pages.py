"""Release pages and downloads: the list, assembling, the page with the tables and the audit, the
confirmed actions, and downloads that re-verify the hash; reads and downloads audited."""

import io
import json
import zipfile

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shield.audit.models import AuditAction, AuditEvent
from shield.statistics.models import Release, ReleaseStatus
from shield.statistics.services import releases as services
from shield.statistics.tests import release_fixtures

pytestmark = pytest.mark.django_db

# The shared fixtures of the release tests.
counts, ministry, statisticians = (
    release_fixtures.counts,
    release_fixtures.ministry,
    release_fixtures.statisticians,
)


def counted(context):
    """Queries that reach the data (savepoints are the test transaction's, not the page's)."""
    return [q for q in context.captured_queries if "SAVEPOINT" not in q["sql"]]


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def approved(first, second, period="2025"):
    release = services.release_create(
        actor=first, period=period, title_vi="Nạn nhân", title_en="Victims", table_set="glotip"
    )
    release = services.release_submit(actor=first, release=release, expected_version=release.version)
    return services.release_approve(actor=second, release=release, expected_version=release.version)


def test_assemble_submit_approve_through_the_pages(counts, statisticians):
    first, second = statisticians
    one, two = client_for(first), client_for(second)
    assert one.get("/statistics/releases/new/").status_code == 200
    bad = one.post(
        "/statistics/releases/new/",
        {"period": "2025-Q5", "table_set": "glotip", "title_vi": "", "title_en": "t"},
    )
    assert bad.status_code == 400
    assert "A year (2025)" in bad.content.decode() or "Give a year" in bad.content.decode()
    response = one.post(
        "/statistics/releases/new/",
        {"period": "2025", "table_set": "glotip", "title_vi": "Nạn nhân 2025", "title_en": "Victims 2025"},
    )
    assert response.status_code == 302
    release = Release.objects.get()
    page = one.get(f"/statistics/releases/{release.pk}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert release.content_hash in body
    assert 'data-testid="audit-row"' in body
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=str(release.pk)).exists()

    confirm = one.get(f"/statistics/releases/{release.pk}/submit/")
    assert confirm.status_code == 200
    assert release.content_hash in confirm.content.decode()
    assert (
        one.post(f"/statistics/releases/{release.pk}/submit/", {"version": release.version}).status_code
        == 302
    )
    release.refresh_from_db()
    refused = one.post(f"/statistics/releases/{release.pk}/approve/", {"version": release.version})
    assert refused.status_code == 403
    assert "A second person must approve" in refused.content.decode()
    assert (
        two.post(f"/statistics/releases/{release.pk}/approve/", {"version": release.version}).status_code
        == 302
    )
    release.refresh_from_db()
    assert release.status == ReleaseStatus.APPROVED
    assert release.approved_by == second


def test_a_stale_action_keeps_the_page_and_says_why(counts, statisticians):
    first, _ = statisticians
    release = services.release_create(
        actor=first, period="2025", title_vi="t", title_en="t", table_set="glotip"
    )
    response = client_for(first).post(
        f"/statistics/releases/{release.pk}/submit/", {"version": release.version + 3}
    )
    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()
    release.refresh_from_db()
    assert release.status == ReleaseStatus.DRAFT


def test_downloads_carry_the_frozen_tables_and_are_audited(counts, statisticians):
    first, second = statisticians
    release = approved(first, second)
    client = client_for(first)
    document = json.loads(client.get(f"/statistics/releases/{release.pk}/download.json").content)
    assert document["content_hash"] == release.content_hash == services.hash_of(release)
    archive = zipfile.ZipFile(
        io.BytesIO(client.get(f"/statistics/releases/{release.pk}/download.csv").content)
    )
    names = archive.namelist()
    assert "SHA256.txt" in names
    assert len(names) == 3
    first_csv = archive.read(names[0]).decode("utf-8-sig")
    assert first_csv.splitlines()[0] == "indicator,unit,period,dimension,category,value,status"
    book = zipfile.ZipFile(io.BytesIO(client.get(f"/statistics/releases/{release.pk}/download.xlsx").content))
    sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert "victims_detected" in sheet
    assert "&lt;5" in sheet
    exports = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_id=str(release.pk))
    assert sorted(e.details["format"] for e in exports) == ["csv", "json", "xlsx"]


def test_a_draft_cannot_be_downloaded(counts, statisticians):
    first, _ = statisticians
    release = services.release_create(
        actor=first, period="2025", title_vi="t", title_en="t", table_set="glotip"
    )
    assert client_for(first).get(f"/statistics/releases/{release.pk}/download.json").status_code == 404


def test_a_row_changed_through_the_orm_is_refused_on_download(counts, statisticians):
    first, second = statisticians
    release = approved(first, second)
    content = release.content
    published = next(c for c in content["tables"][1]["cells"] if c["status"] == "published")
    published["display"], published["value"] = "7", 7
    Release.objects.filter(pk=release.pk).update(content=content)
    for fmt in ("json", "csv", "xlsx"):
        response = client_for(first).get(f"/statistics/releases/{release.pk}/download.{fmt}")
        assert response.status_code == 409
        assert "does not match its hash" in response.content.decode()
    refusals = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_id=str(release.pk))
    assert refusals.count() == 3
    assert all(e.details["refused"] for e in refusals)


def test_a_superseded_release_links_to_its_correction(counts, statisticians):
    first, second = statisticians
    original = approved(first, second)
    correction = services.release_correct(actor=first, release=original, reason="Late data")
    correction = services.release_submit(actor=first, release=correction, expected_version=correction.version)
    services.release_approve(actor=second, release=correction, expected_version=correction.version)
    body = client_for(first).get(f"/statistics/releases/{original.pk}/").content.decode()
    assert 'data-testid="superseded"' in body
    assert str(correction.pk) in body
    body = client_for(first).get(f"/statistics/releases/{correction.pk}/").content.decode()
    assert 'data-testid="replaces"' in body
    assert str(original.pk) in body


def test_the_list_filters_by_status_and_its_queries_do_not_grow(counts, statisticians):
    first, second = statisticians
    client = client_for(first)
    approved(first, second, "2023")
    services.release_create(
        actor=first, period="2024", title_vi="t", title_en="draft-2024", table_set="glotip"
    )
    client.get("/statistics/releases/")  # the first request of a session does more
    with CaptureQueriesContext(connection) as few:
        response = client.get("/statistics/releases/")
    assert response.status_code == 200
    for year in ("2019", "2020", "2021", "2022"):
        approved(first, second, year)
    with CaptureQueriesContext(connection) as many:
        client.get("/statistics/releases/")
    assert len(counted(many)) == len(counted(few)) <= 12
    only_drafts = client.get("/statistics/releases/", {"status": "draft"}).content.decode()
    assert "draft-2024" in only_drafts
    assert only_drafts.count('data-testid="release-row"') == 1


def test_the_detail_page_queries_do_not_grow_with_tables(counts, statisticians):
    first, second = statisticians
    release = approved(first, second)
    client = client_for(first)
    client.get(f"/statistics/releases/{release.pk}/")  # the first request of a session does more
    with CaptureQueriesContext(connection) as few:
        client.get(f"/statistics/releases/{release.pk}/")
    counts.by_sex_age[("other", "18+")] = 9
    bigger = services.release_create(
        actor=first, period="2024", title_vi="t", title_en="t", table_set="glotip"
    )
    with CaptureQueriesContext(connection) as many:
        client.get(f"/statistics/releases/{bigger.pk}/")
    assert len(counted(many)) == len(counted(few)) <= 12


def test_a_yearly_release_gives_viet_nams_glotip_rows_as_printed(counts, statisticians):
    first, second = statisticians
    release = approved(first, second)
    response = client_for(first).get(f"/statistics/releases/{release.pk}/download.glotip")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Iso3_code,Country,Region,Subregion,Indicator,Dimension,Category,Sex,Age")
    assert any(",Female,0 to 17 years,2025,Counts,<5," in line for line in lines)
    assert any(",Total,Total,2025,Counts,82," in line for line in lines)
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_id=str(release.pk)).exists()
