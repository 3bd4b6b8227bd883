import csv
import io

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from shield.audit.models import AuditAction, AuditEvent
from shield.statistics.models import PopulationUpload
from shield.statistics.shapes.tests.people import consenting_victim
from shield.statistics.tests.factories import agency, statistician

pytestmark = pytest.mark.django_db


def _client() -> APIClient:
    client = APIClient()
    client.force_authenticate(statistician())
    return client


def test_population_upload_api_answers_400_with_every_bad_line() -> None:
    client = _client()
    body = {
        "csv": "year,province,sex,age_group,count\n2025,,_T,_T,10\n2025,77,_T,_T,10\n2025,,_T,X,0\n",
        "source": "GSO",
    }
    response = client.post(reverse("statistics-population"), body, format="json")
    assert response.status_code == 400
    assert response.json()["file"] == [
        "line 3: no province has the code 77",
        "line 4: age_group must be _T, Y0T17 or Y_GE18; count must be a whole number above zero",
    ]
    assert not PopulationUpload.objects.exists()
    body["on_error"] = "valid_rows"
    response = client.post(reverse("statistics-population"), body, format="json")
    assert response.status_code == 201
    assert response.json()["rows"] == 1
    assert len(response.json()["errors"]) == 2


def test_glotip_api_rows_and_bad_year() -> None:
    for _ in range(2):
        consenting_victim(at=agency())
    client = _client()
    assert client.get(reverse("statistics-export-glotip"), {"year": "soon"}).status_code == 400
    response = client.get(reverse("statistics-export-glotip"), {"year": "2025"})
    assert response.status_code == 200
    total = [
        r
        for r in response.json()["rows"]
        if r["Dimension"] == "Total" and r["Sex"] == "Total" and r["Age"] == "Total"
    ]
    assert [r["txtVALUE"] for r in total] == ["<5"]
    assert AuditEvent.objects.filter(object_type="statistics.glotip", action=AuditAction.EXPORT).count() == 1


def test_htcds_api_start_progress_and_file() -> None:
    for _ in range(3):
        consenting_victim(at=agency(), forms=["ForcedLabour"])
    client = _client()
    assert (
        client.post(reverse("statistics-export-htcds"), {"year": 2025, "k": 1}, format="json").status_code
        == 400
    )
    started = client.post(reverse("statistics-export-htcds"), {"year": 2025, "k": 3}, format="json")
    assert started.status_code == 202
    export_id = started.json()["id"]
    detail = client.get(reverse("statistics-export-htcds-detail", args=[export_id])).json()
    assert detail["status"] == "done"
    assert detail["progress"] == 100
    assert detail["report"]["achieved_k"] == 3
    file = client.get(reverse("statistics-export-htcds-download", args=[export_id]))
    rows = list(csv.DictReader(io.StringIO(file.content.decode("utf-8-sig"))))
    assert len(rows) == 3
    assert {r["vic_TypeOfExploitation"] for r in rows} <= {"ForcedLabour", "Forced labour", "*"}
