"""The juvenile-justice indicators 1-11 on a small known dataset: numerators, denominators,
durations, rates with and without an uploaded population, suppression, scope, the page, its CSV
and the API through the permission matrix."""

import datetime

import pytest
from django.test import Client

from shield.accounts.roles import Role, Scope
from shield.accounts.tests.factories import member
from shield.accounts.tests.permission_matrix import Actors, Endpoint, assert_matrix
from shield.audit.models import AuditEvent
from shield.geo.models import Province
from shield.justice.models import DecidingBody, DetentionKind, Diversion, PartyOutcome, PartyRole
from shield.justice.tests import detention_factories as f
from shield.statistics.juvenile_justice import counting
from shield.statistics.models import PopulationFigure, PopulationUpload

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 6, 1)


def _diversion(party, *, by, decided_on):
    return Diversion.objects.create(
        proceeding=party.proceeding,
        party=party,
        deciding_body=DecidingBody.PROCURACY,
        decided_on=decided_on,
        measures=["reprimand"],
        supervision_months=3,
        supervision_ends_on=decided_on + datetime.timedelta(days=90),
        supervisor="Công an xã",
        eligibility_reason="Art. 37",
        decided_by=by,
    )


@pytest.fixture
def data():
    """Six children and an adult in one proceeding held by a police agency of province 01."""
    home = f.police_agency("01")
    jo = f.officer(home)
    p = f.proceeding(agency=home, actor=jo)

    def child(name, **kw):
        return f.party(proceeding=p, full_name=name, **kw)

    c1 = child("Trẻ Một", event_on=D(2025, 3, 1))
    e1 = f.episode(party=c1, recorded_by=jo, started_on=D(2025, 12, 1), separated_from_adults=False)
    f.visit(episode=e1, on=D(2025, 12, 10), by=jo)
    c2 = child(
        "Trẻ Hai",
        event_on=D(2025, 2, 1),
        outcome=PartyOutcome.CONVICTED,
        outcome_on=D(2025, 5, 20),
        sentence_custodial=True,
        sentence_months=12,
    )
    f.episode(
        party=c2,
        recorded_by=jo,
        kind=DetentionKind.POLICE_CUSTODY,
        started_on=D(2025, 2, 2),
        ended_on=D(2025, 2, 4),
        aftercare_received=True,
    )
    f.episode(party=c2, recorded_by=jo, kind=DetentionKind.SENTENCE, started_on=D(2025, 6, 1))
    child("Trẻ Ba", role=PartyRole.VICTIM, event_on=D(2025, 3, 1))
    c4 = child("Trẻ Bốn", event_on=D(2024, 12, 1))
    f.episode(
        party=c4, recorded_by=jo, started_on=D(2025, 1, 10), ended_on=D(2025, 3, 1), died_on=D(2025, 3, 1)
    )
    c5 = child("Trẻ Năm", event_on=D(2025, 4, 1), outcome=PartyOutcome.DIVERTED, outcome_on=D(2025, 6, 1))
    # Indicator 10 counts the children part's diversion decisions, not the party's outcome field.
    _diversion(c5, by=jo, decided_on=D(2025, 6, 1))
    c6 = child(
        "Trẻ Sáu",
        event_on=D(2025, 5, 1),
        outcome=PartyOutcome.CONVICTED,
        outcome_on=D(2025, 8, 1),
        sentence_custodial=False,
    )
    f.episode(
        party=c6, recorded_by=jo, started_on=D(2025, 5, 2), ended_on=D(2025, 7, 31), aftercare_received=False
    )
    # A diversion recorded after the child's sentence is not pre-sentence diversion: not counted.
    _diversion(c6, by=jo, decided_on=D(2025, 9, 1))
    child(
        "Người Lớn",
        is_child=False,
        role=PartyRole.DEFENDANT,
        event_on=D(2025, 3, 1),
        outcome=PartyOutcome.CONVICTED,
        outcome_on=D(2025, 9, 1),
        sentence_custodial=True,
    )
    statistician = member(Role.STATISTICIAN, agency=home, scope=Scope.NATIONAL)
    return home, statistician


def population(by, *, national=400_000, hanoi=200_000, year=2025):
    upload = PopulationUpload.objects.create(number=1, source="GSO", years=[year], uploaded_by=by)
    PopulationFigure.objects.create(upload=upload, year=year, sex="_T", age_group="Y0T17", count=national)
    PopulationFigure.objects.create(
        upload=upload,
        year=year,
        province=Province.objects.get(code="01"),
        sex="_T",
        age_group="Y0T17",
        count=hanoi,
    )
    return upload


def rows(report):
    return {r.indicator.manual_number: {c.province: c for c in r.rows} for r in report.results}


def test_each_indicator_on_a_known_dataset(data, monkeypatch):
    _home, statistician = data
    monkeypatch.setattr(counting, "threshold", lambda: 1)  # no suppression: the raw figures
    population(statistician)
    report = counting.juvenile_justice_for(user=statistician, year=2025, today=TODAY)
    assert report.census_on == D(2025, 12, 31)
    assert report.population_version == 1
    r = rows(report)
    national = {n: cells[""] for n, cells in r.items()}
    # 1: accused children, offence in 2025 (not the victim, not the 2024 offence): 4 per 400,000.
    assert (national[1].numerator, national[1].denominator, national[1].value) == (4, 400_000, 1.0)
    assert r[1]["01"].value == 2.0  # 4 per the province's 200,000
    # 2, 3: in detention / pre-sentence on 31/12/2025.
    assert (national[2].numerator, national[3].numerator) == (2, 1)
    # 4, 5: days since admission on the census date, both days counted.
    assert (national[4].denominator, national[4].value) == (1, 31)
    assert national[5].value == (D(2025, 12, 31) - D(2025, 6, 1)).days + 1
    # 6: one death among the four children detained at some time in 2025: 250 per 1,000.
    assert (national[6].numerator, national[6].denominator, national[6].value) == (1, 4, 250.0)
    # 7, 8: of the two held on the census date, one not separated, one visited in 3 months.
    assert (national[7].numerator, national[7].denominator, national[7].value) == (1, 2, 50.0)
    assert (national[8].numerator, national[8].denominator) == (1, 2)
    # 9: one custodial of two children sentenced (the adult is not counted).
    assert (national[9].numerator, national[9].denominator) == (1, 2)
    # 10: one diverted of three diverted or sentenced.
    assert (national[10].numerator, national[10].denominator) == (1, 3)
    assert round(national[10].value, 1) == 33.3
    # 11: two released (the death is not a release), one with aftercare.
    assert (national[11].numerator, national[11].denominator, national[11].value) == (1, 2, 50.0)


def test_family_contact_counts_only_the_last_three_months():
    assert counting._months_before(D(2025, 12, 31), 3) == D(2025, 9, 30)
    assert counting._months_before(D(2025, 5, 31), 3) == D(2025, 2, 28)


def test_without_population_rates_are_not_invented(data, monkeypatch):
    _home, statistician = data
    monkeypatch.setattr(counting, "threshold", lambda: 1)
    report = counting.juvenile_justice_for(user=statistician, year=2025, today=TODAY)
    assert report.population_version is None
    first = rows(report)[1][""]
    assert first.numerator == 4
    assert first.denominator is None
    assert first.value is None
    assert first.shown_value == "no population figure"
    client = Client()
    client.force_login(statistician)
    body = client.get("/statistics/juvenile-justice/?year=2025", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="no-population"' in body


def test_small_counts_are_suppressed_with_what_they_would_reveal(data):
    _home, statistician = data
    population(statistician)
    report = counting.juvenile_justice_for(user=statistician, year=2025, today=TODAY)
    r = rows(report)
    assert r[1][""].shown_numerator == "<5"
    assert r[1][""].shown_value == "withheld"
    assert r[1][""].value is None
    assert r[7][""].shown_denominator == "<5"
    assert r[7][""].value is None
    assert r[4][""].shown_value == "withheld"
    _header, lines = report.csv_rows()
    assert "31" not in [line[6] for line in lines]  # the median of one child is not printed
    api = counting.report_as_dict(report)
    cell = api["indicators"][0]["rows"][0]
    assert cell["numerator"] is None
    assert cell["suppressed"]
    assert cell["value"] is None


def test_zero_counts_are_printed_and_a_year_not_begun_is_refused(data):
    _home, statistician = data
    report = counting.juvenile_justice_for(user=statistician, year=2023, today=TODAY)
    assert rows(report)[1][""].shown_numerator == "0"
    with pytest.raises(counting.JuvenileJusticeRequestError):
        counting.juvenile_justice_for(user=statistician, year=2027, today=TODAY)


def test_supervisor_counts_only_their_province(data, monkeypatch):
    home, _statistician = data
    monkeypatch.setattr(counting, "threshold", lambda: 1)
    far = member(Role.SUPERVISOR, agency=f.police_agency("79"), scope=Scope.PROVINCE)
    near = member(Role.SUPERVISOR, agency=home, scope=Scope.PROVINCE)
    assert rows(counting.juvenile_justice_for(user=far, year=2025, today=TODAY))[1][""].numerator == 0
    assert rows(counting.juvenile_justice_for(user=near, year=2025, today=TODAY))[1][""].numerator == 4
    with pytest.raises(PermissionError):
        counting.juvenile_justice_for(user=f.officer(home), year=2025, today=TODAY)


def test_every_indicator_is_defined_in_both_languages():
    found = counting.indicators()
    assert [i.manual_number for i in found] == list(range(1, 12))
    for indicator in found:
        assert indicator.text("name", "vi") != indicator.text("name", "en")


def test_page_csv_and_api_matrix(data):
    home, statistician = data
    hanoi = Province.objects.get(code="01").name
    actors = Actors(
        permitted=statistician,
        no_permission=f.officer(home),
        other_agency=member(Role.SUPERVISOR, agency=f.police_agency("79"), scope=Scope.PROVINCE),
    )
    assert_matrix(
        Endpoint("GET", "/statistics/juvenile-justice/?year=2025", scoped=True), actors, secrets=[hanoi]
    )
    assert_matrix(
        Endpoint("GET", "/api/v1/statistics/juvenile-justice/?year=2025", api=True, scoped=True),
        actors,
        secrets=[hanoi],
    )
    # The CSV needs statistics.export: a supervisor (view only) is refused.
    exporters = Actors(permitted=statistician, no_permission=member(Role.SUPERVISOR, agency=home))
    assert_matrix(
        Endpoint("GET", "/statistics/juvenile-justice/?year=2025&format=csv"), exporters, secrets=[hanoi]
    )


def test_csv_is_audited_and_formula_safe(data):
    _home, statistician = data
    client = Client()
    client.force_login(statistician)
    response = client.get("/statistics/juvenile-justice/?year=2025&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert "<5" in text
    assert not any(line.startswith(("=", "+", "-", "@")) for line in text.splitlines())
    event = AuditEvent.objects.get(action="export", object_type="statistics.juvenile_justice")
    assert event.details["year"] == 2025


def test_bad_year_answers_400(data):
    _home, statistician = data
    client = Client()
    client.force_login(statistician)
    assert client.get("/statistics/juvenile-justice/?year=abc").status_code == 400
    assert client.get("/api/v1/statistics/juvenile-justice/?year=1990").status_code == 400
