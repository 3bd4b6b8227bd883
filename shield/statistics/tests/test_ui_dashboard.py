"""The statistics dashboard: tiles, charts beside their tables, scope, empty state, query count."""

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shield.accounts.models import Agency
from shield.accounts.roles import AgencyKind, Role, Scope
from shield.accounts.tests.factories import member
from shield.audit.models import AuditAction, AuditEvent
from shield.cases.models import Case
from shield.statistics.facts import facts_refresh
from shield.statistics.tests import factories as f

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 5, 10)
URL = reverse("statistics:dashboard")


def _victims(n: int, *, at: Agency, **fields: Any) -> list[Case]:
    return [f.victim(at=at, decided_on=DAY, **fields) for _ in range(n)]


def test_statistician_sees_tiles_with_people_and_records_and_the_range(client) -> None:
    hanoi = f.agency("ha_noi")
    a, b, c = _victims(3, at=hanoi)
    f.same_individual(a.person, b.person)  # two records of one individual
    d = f.victim(at=f.agency("lao_cai"), decided_on=DAY, sex="male")
    f.pending_pair(c.person, d.person)
    client.force_login(f.statistician())

    response = client.get(URL, {"year": "2025"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="tile-victims_detected"' in html
    tile = html.split('data-testid="tile-victims_detected"')[1].split("</div>\n    </div>")[0]
    assert "4 records, 3 people" in tile
    assert "2\u20133" in tile  # the pending pair may join two of the three
    assert "<script" not in html.split("<main")[-1] if "<main" in html else True
    assert html.count("<svg") >= 3  # series, breakdowns, published series
    assert 'aria-hidden="true"' in html
    assert "938" in html  # UNODC's 2007 figure beside Shield's years
    assert "UNODC" in html
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_type="statistics.dashboard").exists()


def test_the_year_picker_changes_the_year_and_an_empty_year_says_so(client) -> None:
    _victims(2, at=f.agency("ha_noi"))
    client.force_login(f.statistician())

    response = client.get(URL, {"year": "2024"})

    assert response.status_code == 200
    assert 'data-testid="empty-state"' in response.content.decode()
    assert 'data-testid="empty-state"' not in client.get(URL, {"year": "2025"}).content.decode()


def test_supervisor_sees_their_province_only_and_the_page_says_so(client) -> None:
    hanoi = f.agency("ha_noi")
    _victims(2, at=hanoi)
    _victims(5, at=f.agency("lao_cai"))
    supervisor = member(Role.SUPERVISOR, agency=hanoi, scope=Scope.PROVINCE)
    client.force_login(supervisor)

    html = client.get(URL, {"year": "2025"}).content.decode()

    tile = html.split('data-testid="tile-victims_detected"')[1].split('data-testid="tile-value">')[1]
    assert tile.startswith("&lt;5<")  # 2 in their province: withheld on a supervisor's screen
    assert hanoi.province.name in html.split('data-testid="scope"')[1].split("</p>")[0]


def test_a_bad_choice_falls_back_with_a_field_error(client) -> None:
    client.force_login(f.statistician())

    response = client.get(URL, {"year": "1066", "indicator": "nonsense"})

    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()


def test_query_count_is_fixed_and_small_once_counted(client) -> None:
    """Cold (counts cached per user, so a second statistician counts afresh): the queries do not
    grow with the data. Warm (counted within the last minute): at most 12."""
    hanoi = f.agency("ha_noi")
    _victims(1, at=hanoi)
    first, second = f.statistician(), f.statistician()
    client.force_login(first)
    facts_refresh()  # both measures start with the facts up to date (core refreshes them on read)
    with CaptureQueriesContext(connection) as few:
        client.get(URL, {"year": "2025"})
    _victims(6, at=hanoi, sex="male")
    _victims(3, at=f.agency("lao_cai", kind=AgencyKind.POLICE_PROVINCIAL), nationality="CN")
    client.force_login(second)
    facts_refresh()
    with CaptureQueriesContext(connection) as many:
        client.get(URL, {"year": "2025"})
    with CaptureQueriesContext(connection) as warm:
        response = client.get(URL, {"year": "2025"})

    assert len(many) == len(few)
    assert len(warm) <= 12
    assert response.status_code == 200


def test_a_cold_dashboard_reads_every_source_in_one_query_whatever_the_data(client, settings) -> None:
    """Nothing cached (a new statistician, the cache cleared): the tables of every indicator,
    the series, breakdowns, provinces and years come from one statement, so the page costs a
    fixed, small number of queries (facts already fresh: the refresh is throttled)."""
    from django.core.cache import cache

    settings.SHIELD_STATISTICS_REFRESH_SECONDS = 300
    hanoi = f.agency("ha_noi")
    _victims(1, at=hanoi)
    facts_refresh()
    counts = []
    for more in (0, 8):
        _victims(more, at=f.agency("lao_cai", kind=AgencyKind.POLICE_PROVINCIAL), nationality="CN")
        facts_refresh()
        client.force_login(f.statistician())
        client.get(URL, {"year": "2024"})  # the session settled (a login rewrites it once)
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            response = client.get(URL, {"year": "2025"})
        assert response.status_code == 200
        counts.append(len(cold))
    assert counts[0] == counts[1]
    # PostgreSQL adds the counting's savepoint, `SET LOCAL jit = off` and its release, and the
    # audit chain's advisory lock.
    assert counts[0] <= (17 if connection.vendor == "postgresql" else 13)


def test_the_home_page_leads_statisticians_and_supervisors_to_the_dashboard(client) -> None:
    hanoi = f.agency("ha_noi")
    link = 'data-testid="home-statistics-dashboard"'
    for user, sees in [
        (f.statistician(), True),
        (member(Role.SUPERVISOR, agency=hanoi, scope=Scope.PROVINCE), True),
        (member(Role.CASE_WORKER, agency=hanoi), False),
    ]:
        client.force_login(user)
        assert (link in client.get(reverse("home")).content.decode()) is sees


def test_a_long_dimension_lists_only_the_categories_where_someone_was_counted(client) -> None:
    """Citizenship has some 250 categories: the page lists those with someone counted and says
    how many are left out; the download keeps every row."""
    hanoi = f.agency("ha_noi")
    _victims(2, at=hanoi)
    _victims(1, at=hanoi, nationality="LA")
    client.force_login(f.statistician())

    html = client.get(URL, {"year": "2025", "indicator": "victims_detected"}).content.decode()

    table = html.split('data-testid="breakdown-citizenship"')[1].split("</section>")[0]
    assert table.count('<th scope="row"') == 3  # Viet Nam, Laos and the total
    assert 'data-testid="zeros-left-out"' in table
