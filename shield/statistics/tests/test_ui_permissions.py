"""Permission matrix of the statistics pages: the dashboard and the pivot need `statistics.view`
(a supervisor of another province gets them, without Hà Nội's figures); table downloads and the
PDF report need `statistics.export`. Nobody denied sees a figure or changes anything."""

import datetime

import pytest
from django.urls import reverse

from shield.accounts.roles import Role, Scope
from shield.accounts.tests.factories import member
from shield.accounts.tests.permission_matrix import Actors, Endpoint, assert_matrix, db_snapshot
from shield.audit.models import AuditAction, AuditEvent
from shield.cases.models import Case
from shield.people.models import Person
from shield.statistics.models import NationalReport
from shield.statistics.models.htcds import ExportStatus
from shield.statistics.tests import factories as f

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 5, 10)
VICTIMS = 13


@pytest.fixture
def world() -> dict[str, object]:
    hanoi = f.agency("ha_noi")
    for _ in range(VICTIMS):
        f.victim(at=hanoi, decided_on=DAY)
    laocai = f.agency("lao_cai")
    return {
        "statistician": f.statistician(),
        "worker": member(Role.CASE_WORKER, agency=hanoi),
        "far_supervisor": member(Role.SUPERVISOR, agency=laocai, scope=Scope.PROVINCE),
        "supervisor": member(Role.SUPERVISOR, agency=hanoi, scope=Scope.PROVINCE),
    }


SNAPSHOT = db_snapshot(Case, Person)


def test_dashboard_and_pivot_matrix(world) -> None:
    actors = Actors(
        permitted=world["statistician"], no_permission=world["worker"], other_agency=world["far_supervisor"]
    )
    dashboard = Endpoint("GET", reverse("statistics:dashboard"), {"year": "2025"}, scoped=True)
    pivot = Endpoint(
        "GET",
        reverse("statistics:pivot"),
        {"indicator": "victims_detected", "period": "2025", "rows": "sex", "cols": "age_unodc"},
        scoped=True,
    )

    assert_matrix(dashboard, actors, secrets=[f"{VICTIMS} records, {VICTIMS} people"], snapshot=SNAPSHOT)
    assert_matrix(pivot, actors, secrets=[f">{VICTIMS}<"], snapshot=SNAPSHOT)
    # The supervisor of Hà Nội sees Hà Nội's figures (their scope) on the same pages.
    supervisor = Actors(permitted=world["supervisor"], no_permission=world["worker"])
    assert_matrix(pivot, supervisor, secrets=[f">{VICTIMS}<"], snapshot=SNAPSHOT)


def test_download_and_report_matrix(world) -> None:
    actors = Actors(
        permitted=world["statistician"],
        no_permission=world["supervisor"],
        other_agency=world["far_supervisor"],
    )
    download = Endpoint(
        "GET",
        reverse("statistics:table_download"),
        {"indicator": "victims_detected", "period": "2025", "dimensions": "sex", "format": "csv"},
    )
    assert_matrix(download, actors, secrets=[f"2025,Total,{VICTIMS}"], snapshot=SNAPSHOT)

    page = Endpoint("GET", reverse("statistics:report"))
    assert_matrix(page, actors, secrets=['data-testid="report-form"'], snapshot=SNAPSHOT)
    # Asking for the report: the task (immediate in tests) builds it; nobody else can ask.
    ask = Endpoint("POST", reverse("statistics:report"), {"year": "2025"}, permitted_status={302})
    assert_matrix(ask, actors, snapshot=db_snapshot(NationalReport))
    built = NationalReport.objects.get()
    assert built.status == ExportStatus.DONE
    assert built.requested_by == world["statistician"]
    detail = Endpoint("GET", reverse("statistics:report_detail", args=[built.pk]))
    pdf = Endpoint("GET", reverse("statistics:report_download", args=[built.pk]))
    assert_matrix(detail, actors, secrets=['data-testid="report-pdf"'], snapshot=SNAPSHOT)
    assert_matrix(pdf, actors, secrets=["%PDF-"], snapshot=SNAPSHOT)
    # Another statistician (national too) does not get someone else's report.
    other = Actors(permitted=world["statistician"], no_permission=f.statistician())
    assert_matrix(pdf, other, secrets=["%PDF-"], snapshot=SNAPSHOT)

    exports = AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=world["statistician"])
    assert sorted(exports.values_list("object_type", flat=True)) == [
        "statistics.nationalreport",
        "statistics.nationalreport",
        "statistics.table",
    ]
