import csv
import datetime
import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from shield.accounts.roles import AgencyKind, Role, Scope
from shield.accounts.tests.factories import member
from shield.audit.models import AuditAction, AuditEvent
from shield.statistics.models import ExportStatus, HtcdsExport, PopulationFigure, PopulationUpload
from shield.statistics.shapes import glotip
from shield.statistics.shapes.tests.people import consenting_victim
from shield.statistics.tests.factories import agency, statistician

pytestmark = pytest.mark.django_db

POPULATION_CSV = """year,province,sex,age_group,count
2025,,_T,_T,100000000
2025,,F,_T,50000000
2025,,F,Y_GE18,40000000
2025,01,_T,_T,8000000
"""


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _victims(n: int = 8) -> None:
    home = agency()
    for i in range(n):
        consenting_victim(at=home, forms=["SexualExploitation"] if i % 2 else ["ForcedLabour"], home="ha_noi")


def test_glotip_page_csv_and_xlsx_are_the_same_rows_and_audited() -> None:
    _victims(8)
    client = _client(statistician())
    page = client.get(reverse("statistics:export_glotip"), {"year": "2025"})
    assert page.status_code == 200
    assert "Detected trafficking victims" in page.content.decode()
    response = client.get(reverse("statistics:export_glotip"), {"year": "2025", "format": "csv"})
    assert response.status_code == 200
    body = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert tuple(rows[0]) == glotip.COLUMNS
    by = {(r[5], r[6], r[7], r[8]): r[11] for r in rows[1:]}
    assert by[("Total", "Total", "Total", "Total")] == "8"
    assert by[("by form of exploitation", "Sexual exploitation", "Total", "Total")] == "<5"
    assert by[("by citizenship", "Viet Nam", "Total", "Total")] == "8"
    xlsx = client.get(reverse("statistics:export_glotip"), {"year": "2025", "format": "xlsx"})
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = zipfile.ZipFile(io.BytesIO(xlsx.content)).read("xl/worksheets/sheet1.xml").decode()
    assert "Iso3_code" in sheet
    assert "Detected trafficking victims" in sheet
    assert "&lt;5" in sheet
    events = AuditEvent.objects.filter(object_type="statistics.glotip")
    assert sorted(events.values_list("action", flat=True)) == [
        AuditAction.EXPORT,
        AuditAction.EXPORT,
        AuditAction.VIEW,
    ]
    assert {e.details["format"] for e in events} == {"page", "csv", "xlsx"}


def test_glotip_year_errors_are_field_errors() -> None:
    client = _client(statistician())
    response = client.get(reverse("statistics:export_glotip"), {"year": "twenty"})
    assert response.status_code == 400
    assert 'data-testid="error-year"' in response.content.decode()
    future = client.get(reverse("statistics:export_glotip"), {"year": str(datetime.date.today().year + 1)})
    assert future.status_code == 400


def test_sdmx_without_population_says_so_and_gives_counts_only() -> None:
    _victims(6)
    client = _client(statistician())
    page = client.get(reverse("statistics:export_sdmx"), {"year": "2025"})
    assert page.status_code == 200
    assert 'data-testid="no-population"' in page.content.decode()
    body = client.get(reverse("statistics:export_sdmx"), {"year": "2025", "format": "csv"}).content
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows
    assert {r["UNIT_MEASURE"] for r in rows} == {"NUMBER"}


def test_sdmx_rate_from_an_uploaded_population() -> None:
    _victims(6)
    user = statistician()
    client = _client(user)
    upload = io.BytesIO(POPULATION_CSV.encode())
    upload.name = "population_2025.csv"
    response = client.post(
        reverse("statistics:population"), {"file": upload, "source": "GSO 2025", "on_error": "nothing"}
    )
    assert response.status_code == 302
    body = client.get(reverse("statistics:export_sdmx"), {"year": "2025", "format": "csv"}).content
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    by = {(r["SERIES"], r["SEX"], r["AGE"], r["UNIT_MEASURE"]): r["OBS_VALUE"] for r in rows}
    assert by[("VC_HTF_DETV", "_T", "_T", "NUMBER")] == "6"
    assert by[("VC_HTF_DETV", "_T", "_T", "PER_100000_POP")] == "0.01"  # 6 per 100 million
    assert by[("VC_HTF_DETV", "F", "Y_GE18", "PER_100000_POP")] == "0.01"  # 6 per 40 million = 0.015
    event = AuditEvent.objects.filter(object_type="statistics.sdmx", action=AuditAction.EXPORT).get()
    assert event.details["population_version"] == 1


def test_population_upload_reports_every_bad_line_and_imports_nothing() -> None:
    client = _client(statistician())
    bad = POPULATION_CSV + "2025,99,_T,_T,5\n2025,,X,_T,5\n2025,,_T,_T,7\nyear,,_T,_T,-1\n"
    upload = io.BytesIO(bad.encode())
    upload.name = "p.csv"
    response = client.post(
        reverse("statistics:population"), {"file": upload, "source": "GSO", "on_error": "nothing"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    for line in ("line 6", "line 7", "line 8", "line 9"):
        assert line in page
    assert "already on line 2" in page
    assert not PopulationUpload.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.IMPORT).exists()


def test_population_upload_of_the_good_rows_only_when_chosen_and_versions_follow() -> None:
    client = _client(statistician())
    first = io.BytesIO((POPULATION_CSV + "2025,99,_T,_T,5\n").encode())
    first.name = "p.csv"
    response = client.post(
        reverse("statistics:population"), {"file": first, "source": "GSO", "on_error": "valid_rows"}
    )
    assert response.status_code == 200
    assert "line 6" in response.content.decode()
    upload = PopulationUpload.objects.get()
    assert (upload.number, upload.row_count, upload.skipped_rows, upload.years) == (1, 4, 1, [2025])
    assert PopulationFigure.objects.filter(upload=upload).count() == 4
    second = io.BytesIO(b"year,province,sex,age_group,count\n2025,,_T,_T,101000000\n")
    second.name = "p2.csv"
    client.post(
        reverse("statistics:population"), {"file": second, "source": "GSO revised", "on_error": "nothing"}
    )
    from shield.statistics.shapes.population import figures_for

    in_force, figures = figures_for(2025)
    assert in_force is not None
    assert in_force.number == 2
    assert figures == {("", "_T", "_T"): 101000000}
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT).count() == 2


def test_population_missing_source_or_file_are_field_errors() -> None:
    client = _client(statistician())
    response = client.post(reverse("statistics:population"), {"source": "", "on_error": "nothing"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="error-file"' in page
    assert 'data-testid="error-source"' in page


def test_htcds_export_runs_as_a_task_and_is_k_anonymous_without_names() -> None:
    home = agency()
    cases = [consenting_victim(at=home, forms=["SexualExploitation"], home="ha_noi") for _ in range(5)]
    consenting_victim(at=home, consent=False)  # no consent to statistics: not exported
    consenting_victim(at=home, sex="male", birth_date=datetime.date(1960, 1, 1))  # an outlier
    user = statistician()
    client = _client(user)
    response = client.post(reverse("statistics:export_htcds"), {"year": 2025, "k": 3})
    export = HtcdsExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("statistics:export_htcds_detail", args=[export.pk])
    assert export.status == ExportStatus.DONE
    assert export.progress == 100
    assert export.report["records_in"] == 6
    assert export.report["achieved_k"] >= 3
    detail = client.get(response["Location"])
    assert 'data-testid="export-download"' in detail.content.decode()
    download = client.get(reverse("statistics:export_htcds_download", args=[export.pk]))
    text = download.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == export.report["records_out"] >= 5
    for case in cases:
        assert case.person.full_name not in text
        assert str(case.person.pk) not in text
    assert {r["prs_Gender"] for r in rows} <= {"Feminine", "*"}
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_id=str(export.pk)).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(export.pk)).count() == 1
    # Another statistician neither sees nor downloads it.
    other = _client(statistician())
    assert other.get(reverse("statistics:export_htcds_detail", args=[export.pk])).status_code == 404
    assert other.get(reverse("statistics:export_htcds_download", args=[export.pk])).status_code == 404


def test_htcds_bad_k_is_a_field_error() -> None:
    client = _client(statistician())
    response = client.post(reverse("statistics:export_htcds"), {"year": 2025, "k": 1})
    assert response.status_code == 400
    assert 'data-testid="error-k"' in response.content.decode()
    assert not HtcdsExport.objects.exists()


def _queries(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_pages_query_count_does_not_grow() -> None:
    user = statistician()
    client = _client(user)
    urls = [reverse("statistics:export_htcds"), reverse("statistics:population")]
    for url in urls:
        client.get(url)  # the first request of a session warms caches
    before = [_queries(client, url) for url in urls]
    for i in range(3):
        HtcdsExport.objects.create(requested_by=user, year=2025, k=11)
        upload = PopulationUpload.objects.create(number=i + 1, source="GSO", years=[2025], uploaded_by=user)
        PopulationFigure.objects.create(upload=upload, year=2025, sex="_T", age_group="_T", count=10)
    after = [_queries(client, url) for url in urls]
    assert after == before
    assert max(after) <= 12


def test_a_system_administrator_may_upload_population_but_not_export() -> None:
    admin = member(Role.SYSTEM_ADMIN, agency=agency(kind=AgencyKind.MINISTRY), scope=Scope.NATIONAL)
    client = _client(admin)
    upload = io.BytesIO(POPULATION_CSV.encode())
    upload.name = "p.csv"
    assert (
        client.post(
            reverse("statistics:population"), {"file": upload, "source": "GSO", "on_error": "nothing"}
        ).status_code
        == 302
    )
    assert client.get(reverse("statistics:export_glotip"), {"year": "2025"}).status_code == 403


def test_any_table_as_csv_and_xlsx_shows_only_what_disclosure_control_lets_out() -> None:
    home = agency()
    for _ in range(6):
        consenting_victim(at=home)
    consenting_victim(at=home, sex="male")
    client = _client(statistician())
    url = reverse("statistics:export_table")
    query = {"indicator": "victims_detected", "period": "2025", "dimensions": "sex"}
    response = client.get(url, {**query, "format": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    by = {row[0]: row[1] for row in rows[1:]}
    assert by["Male"] == "<5"
    assert by["Female"] == "x"  # 6 would give the male cell back from the total of 7
    assert by["Total"] == "7"
    xlsx = client.get(url, {**query, "format": "xlsx"})
    assert xlsx.status_code == 200
    sheet = zipfile.ZipFile(io.BytesIO(xlsx.content)).read("xl/worksheets/sheet1.xml").decode()
    assert "&lt;5" in sheet
    assert ">6<" not in sheet
    assert client.get(url, {**query, "dimensions": "shoe_size", "format": "csv"}).status_code == 400
    assert client.get(url, {**query, "indicator": "nothing", "format": "csv"}).status_code == 400
    assert AuditEvent.objects.filter(object_type="statistics.table", action=AuditAction.EXPORT).count() == 2
