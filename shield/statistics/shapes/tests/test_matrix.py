"""Every page and API endpoint of the international shapes through the four-actor matrix."""

import io
from typing import Any

import pytest
from django.urls import reverse

from shield.accounts.roles import AgencyKind, Role, Scope
from shield.accounts.tests.factories import member
from shield.accounts.tests.permission_matrix import Actors, Endpoint, assert_matrix, db_snapshot
from shield.statistics.models import HtcdsExport, PopulationFigure, PopulationUpload
from shield.statistics.shapes.exports import htcds_export_request
from shield.statistics.shapes.tests.people import consenting_victim
from shield.statistics.tests.factories import agency

pytestmark = pytest.mark.django_db

snapshot = db_snapshot(HtcdsExport, PopulationUpload, PopulationFigure)
# A national aggregate: a statistician of any agency may have it.
NATIONAL = {"other_agency"}
POPULATION_CSV = b"year,province,sex,age_group,count\n2025,,_T,_T,100000000\n"


class _File(io.BytesIO):
    """An upload the test client can read once per actor."""

    name = "population.csv"

    def read(self, size: int | None = -1) -> bytes:
        self.seek(0)
        return super().read(size)


@pytest.fixture
def actors() -> Actors:
    ministry = agency(kind=AgencyKind.MINISTRY)
    elsewhere = agency("lao_cai", kind=AgencyKind.MINISTRY)
    return Actors(
        permitted=member(Role.STATISTICIAN, agency=ministry, scope=Scope.NATIONAL, username="stat.home"),
        no_permission=member(Role.CASE_WORKER, agency=ministry, username="cw.home"),
        other_agency=member(Role.STATISTICIAN, agency=elsewhere, scope=Scope.NATIONAL, username="stat.far"),
    )


@pytest.fixture
def victims() -> None:
    home = agency()
    for _ in range(3):
        consenting_victim(at=home, forms=["SexualExploitation"])


def _both(url_name: str, api_name: str, **kwargs: Any) -> list[Endpoint]:
    return [
        Endpoint("GET", reverse(url_name), **kwargs),
        Endpoint("GET", reverse(api_name), api=True, **kwargs),
    ]


def test_glotip_and_sdmx_matrix(actors: Actors, victims: None) -> None:
    year = {"year": "2025"}
    for endpoint in [
        *_both("statistics:export_glotip", "statistics-export-glotip", data=year, also_allowed=NATIONAL),
        Endpoint(
            "GET", reverse("statistics:export_glotip"), data={**year, "format": "csv"}, also_allowed=NATIONAL
        ),
    ]:
        assert_matrix(endpoint, actors, secrets=["Detected trafficking victims"], snapshot=snapshot)
    for endpoint in [
        *_both("statistics:export_sdmx", "statistics-export-sdmx", data=year, also_allowed=NATIONAL),
        Endpoint(
            "GET", reverse("statistics:export_sdmx"), data={**year, "format": "csv"}, also_allowed=NATIONAL
        ),
    ]:
        assert_matrix(endpoint, actors, secrets=["VC_HTF_DETV"], snapshot=snapshot)
    table = {"indicator": "victims_detected", "period": "2025", "dimensions": "sex", "format": "csv"}
    assert_matrix(
        Endpoint("GET", reverse("statistics:export_table"), data=table, also_allowed=NATIONAL),
        actors,
        secrets=["Female"],
        snapshot=snapshot,
    )


def test_htcds_matrix(actors: Actors, victims: None) -> None:
    export = htcds_export_request(actor=actors.permitted, year=2025, k=2)
    assert export.status == "done"
    for endpoint in [
        Endpoint("GET", reverse("statistics:export_htcds"), scoped=True),
        Endpoint("GET", reverse("statistics:export_htcds_detail", args=[export.pk])),
        Endpoint("GET", reverse("statistics:export_htcds_download", args=[export.pk])),
        Endpoint("GET", reverse("statistics-export-htcds"), api=True, scoped=True),
        Endpoint("GET", reverse("statistics-export-htcds-detail", args=[export.pk]), api=True),
        Endpoint("GET", reverse("statistics-export-htcds-download", args=[export.pk]), api=True),
    ]:
        # Only the requester sees an export: another agency's statistician is refused (404).
        secret = "prs_Gender" if "download" in endpoint.url else str(export.year)
        if endpoint.url.endswith("/exports/htcds/"):
            secret = str(export.pk)
        assert_matrix(endpoint, actors, secrets=[secret], snapshot=snapshot)


def test_htcds_start_matrix(actors: Actors) -> None:
    page = Endpoint(
        "POST",
        reverse("statistics:export_htcds"),
        data={"year": "2025", "k": "11"},
        permitted_status={302},
        also_allowed={"other_agency"},
    )
    assert_matrix(page, actors, snapshot=snapshot)
    api = Endpoint(
        "POST",
        reverse("statistics-export-htcds"),
        data={"year": 2025},
        api=True,
        permitted_status={202},
        also_allowed={"other_agency"},
    )
    assert_matrix(api, actors, snapshot=snapshot)
    # Any statistician may start one (for themselves): two each.
    assert HtcdsExport.objects.filter(requested_by=actors.permitted).count() == 2
    assert HtcdsExport.objects.filter(requested_by=actors.other_agency).count() == 2


def test_population_matrix(actors: Actors) -> None:
    admin = member(Role.SYSTEM_ADMIN, agency=agency(kind=AgencyKind.MINISTRY), username="sysadmin")
    PopulationUpload.objects.create(number=1, source="GSO projection", years=[2025], uploaded_by=admin)
    assert_matrix(
        Endpoint("GET", reverse("statistics:population"), also_allowed=NATIONAL),
        actors,
        secrets=["GSO projection"],
        snapshot=snapshot,
    )
    assert_matrix(
        Endpoint("GET", reverse("statistics-population"), api=True, also_allowed=NATIONAL),
        actors,
        secrets=["GSO projection"],
        snapshot=snapshot,
    )
    upload = {"file": _File(POPULATION_CSV), "source": "GSO", "on_error": "nothing"}
    assert_matrix(
        Endpoint(
            "POST",
            reverse("statistics:population"),
            data=upload,
            permitted_status={302},
            also_allowed=NATIONAL,
        ),
        actors,
        snapshot=snapshot,
    )
    body = {"csv": POPULATION_CSV.decode(), "source": "GSO"}
    assert_matrix(
        Endpoint(
            "POST",
            reverse("statistics-population"),
            data=body,
            api=True,
            permitted_status={201},
            also_allowed=NATIONAL,
        ),
        actors,
        snapshot=snapshot,
    )
    assert PopulationUpload.objects.count() == 5
