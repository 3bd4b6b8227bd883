"""On screen, a supervisor (a province or an agency: small numbers are people their colleagues
know) sees the page's tables protected as a release would be; a national statistician sees the
raw aggregates they check and publish (`shield.statistics.screen`)."""

import datetime

import pytest
from django.urls import reverse

from shield.accounts.models import Agency
from shield.accounts.roles import Role, Scope
from shield.accounts.tests.factories import member
from shield.statistics.tests import factories as f

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 5, 10)
PIVOT = reverse("statistics:pivot")
DASHBOARD = reverse("statistics:dashboard")
SEX_BY_AGE = {"indicator": "victims_detected", "period": "2025", "rows": "sex", "cols": "age_unodc"}


@pytest.fixture
def province_data() -> Agency:
    hanoi = f.agency("ha_noi")
    for _ in range(7):
        f.victim(at=hanoi, decided_on=DAY, sex="female")
    for _ in range(2):
        f.victim(at=hanoi, decided_on=DAY, sex="male")
    return hanoi


def _pivot_cells(html: str) -> str:
    return html.split('data-testid="pivot-table"')[1].split("</table>")[0]


def test_a_supervisor_sees_small_pivot_cells_withheld_with_the_legend(client, province_data) -> None:
    client.force_login(member(Role.SUPERVISOR, agency=province_data, scope=Scope.PROVINCE))

    html = client.get(PIVOT, SEX_BY_AGE).content.decode()

    table = _pivot_cells(html)
    assert "&lt;5" in table  # the two men
    assert ">2<" not in table
    assert ">x<" in table  # and a cell withheld so that the two cannot be worked out from the total
    assert 'data-testid="legend"' in html
    assert "records" not in table  # no records behind a cell, no range


def test_a_statistician_sees_the_raw_pivot(client, province_data) -> None:
    client.force_login(f.statistician())

    html = client.get(PIVOT, SEX_BY_AGE).content.decode()

    table = _pivot_cells(html)
    assert ">2<" in table
    assert ">9<" in table
    assert "&lt;5" not in table
    assert 'data-testid="legend"' not in html


def test_a_supervisor_sees_the_dashboard_protected(client, province_data) -> None:
    client.force_login(member(Role.SUPERVISOR, agency=province_data, scope=Scope.AGENCY))

    html = client.get(DASHBOARD, {"year": "2025"}).content.decode()

    breakdown = html.split('data-testid="breakdown-sex"')[1].split("</table>")[0]
    assert "&lt;5" in breakdown
    assert ">2<" not in breakdown
    assert 'data-testid="legend"' in html
    assert (
        "records," not in html.split('data-testid="tile-victims_detected"')[1].split("</div>\n    </div>")[0]
    )


def test_a_statistician_sees_the_dashboard_raw(client, province_data) -> None:
    client.force_login(f.statistician())

    html = client.get(DASHBOARD, {"year": "2025"}).content.decode()

    breakdown = html.split('data-testid="breakdown-sex"')[1].split("</table>")[0]
    assert ">2<" in breakdown
    assert 'data-testid="legend"' not in html
    assert "9 records, 9 people" in html
