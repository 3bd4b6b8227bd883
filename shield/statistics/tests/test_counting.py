"""Counting unique individuals, records and ranges; margins; zeros; scope; age at identification."""

import datetime

import pytest

from shield.accounts.roles import AgencyKind, Role, Scope
from shield.accounts.tests.factories import member
from shield.cases.models import IdentificationStatus
from shield.linkage.models import PairStatus
from shield.statistics import tables
from shield.statistics.selectors import StatisticsRequestError, table_for
from shield.statistics.tables import TOTAL
from shield.statistics.tests import factories as f

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 5, 10)


def test_two_records_of_one_individual_count_once_and_a_person_without_one_counts_once() -> None:
    hanoi = f.agency("ha_noi")
    first = f.victim(at=hanoi, decided_on=DAY)
    second = f.victim(at=f.agency("lao_cai"), decided_on=DAY)
    f.same_individual(first.person, second.person)
    f.victim(at=hanoi, decided_on=DAY)  # registered since the last run: no individual yet

    table = table_for(user=f.statistician(), indicator="victims_detected", period="2025")

    assert table.total == tables.Count(value=2, records=3, low=2)


def test_pending_review_pairs_give_the_range_and_a_rejected_pair_does_not() -> None:
    hanoi = f.agency("ha_noi")
    a, b, c = (f.victim(at=hanoi, decided_on=DAY) for _ in range(3))
    f.pending_pair(a.person, b.person)
    rejected = f.pending_pair(b.person, c.person, status=PairStatus.REJECTED)
    user = f.statistician()

    assert table_for(user=user, indicator="victims_detected", period="2025").total == tables.Count(3, 3, 2)

    rejected.status = PairStatus.OPEN
    rejected.save(update_fields=["status"])
    assert table_for(user=user, indicator="victims_detected", period="2025").total == tables.Count(3, 3, 1)


def test_a_pair_of_persons_already_one_individual_does_not_lower_the_range() -> None:
    hanoi = f.agency("ha_noi")
    a, b = (f.victim(at=hanoi, decided_on=DAY) for _ in range(2))
    f.same_individual(a.person, b.person)
    f.pending_pair(a.person, b.person)

    total = table_for(user=f.statistician(), indicator="victims_detected", period="2025").total

    assert total == tables.Count(value=1, records=2, low=1)


def test_a_pair_lowers_only_the_cells_holding_both_persons() -> None:
    hanoi = f.agency("ha_noi")
    woman = f.victim(at=hanoi, decided_on=DAY, sex="female")
    man = f.victim(at=hanoi, decided_on=DAY, sex="male")
    other_woman = f.victim(at=hanoi, decided_on=DAY, sex="female")
    f.pending_pair(woman.person, man.person)
    f.pending_pair(woman.person, other_woman.person)

    table = table_for(user=f.statistician(), indicator="victims_detected", period="2025", dimensions=["sex"])

    assert table.get(sex="female") == tables.Count(2, 2, 1)
    assert table.get(sex="male") == tables.Count(1, 1, 1)
    # The total holds both pairs: all three could be one person.
    assert table.total == tables.Count(3, 3, 1)


def test_every_cell_and_margin_is_present_with_zeros() -> None:
    hanoi = f.agency("ha_noi")
    f.victim(at=hanoi, decided_on=DAY, sex="male", birth_date=datetime.date(2010, 1, 1))

    table = table_for(
        user=f.statistician(), indicator="victims_detected", period="2025", dimensions=["sex", "age_unodc"]
    )

    assert set(table.cells) == set(table.keys())
    assert len(table.cells) == 5 * 4
    assert table.get(sex="male", age_unodc="0-17").value == 1
    assert table.get(sex="female", age_unodc="0-17") == tables.ZERO
    assert table.get(age_unodc="18+") == tables.ZERO
    assert table.get(sex="male").value == 1
    assert table.total.value == 1


def test_margin_over_a_non_additive_dimension_counts_distinct_persons() -> None:
    hanoi = f.agency("ha_noi")
    f.victim(at=hanoi, decided_on=DAY, forms=["SexualExploitation", "ForcedLabour"])
    f.victim(at=hanoi, decided_on=DAY, forms=["ForcedMarriage"])
    f.victim(at=hanoi, decided_on=DAY)  # no details recorded

    table = table_for(
        user=f.statistician(), indicator="victims_detected", period="2025", dimensions=["exploitation"]
    )

    assert [table.get(exploitation=c).value for c in ("sexual", "forced_labour", "other", "unknown")] == [
        1,
        1,
        1,
        1,
    ]
    assert table.total.value == 3  # not 4: one person suffered two forms
    assert table.additive == (False,)


def test_non_additive_dimension_crossed_with_an_additive_one() -> None:
    hanoi = f.agency("ha_noi")
    f.victim(at=hanoi, decided_on=DAY, sex="male", forms=["SexualExploitation", "ChildLabour"])
    f.victim(at=hanoi, decided_on=DAY, sex="female", forms=["SexualExploitation"])

    table = table_for(
        user=f.statistician(), indicator="victims_detected", period="2025", dimensions=["exploitation", "sex"]
    )

    assert table.get(exploitation="sexual", sex="male").value == 1
    assert table.get(exploitation="sexual").value == 2
    assert table.get(exploitation="forced_labour", sex="female").value == 0
    assert table.get(sex="male").value == 1
    assert table.total.value == 2


def test_supervisor_of_ha_noi_does_not_count_lao_cai() -> None:
    hanoi = f.agency("ha_noi")
    f.victim(at=hanoi, decided_on=DAY)
    f.victim(at=f.agency("lao_cai"), decided_on=DAY)
    supervisor = member(Role.SUPERVISOR, agency=hanoi, scope=Scope.PROVINCE)

    assert table_for(user=supervisor, indicator="victims_detected", period="2025").total.value == 1
    assert table_for(user=f.statistician(), indicator="victims_detected", period="2025").total.value == 2


def test_a_role_without_statistics_is_refused() -> None:
    hanoi = f.agency("ha_noi")
    with pytest.raises(PermissionError):
        table_for(user=f.worker(hanoi), indicator="victims_detected", period="2025")


@pytest.mark.parametrize(
    ("decided_on", "expected"),
    [
        (datetime.date(2025, 6, 14), "0-17"),  # the day before the 18th birthday
        (datetime.date(2025, 6, 15), "18+"),  # the 18th birthday
    ],
)
def test_age_is_age_on_the_day_of_identification(decided_on: datetime.date, expected: str) -> None:
    f.victim(at=f.agency(), decided_on=decided_on, birth_date=datetime.date(2007, 6, 15))

    table = table_for(
        user=f.statistician(), indicator="victims_detected", period="2025", dimensions=["age_unodc"]
    )

    assert table.get(age_unodc=expected).value == 1


@pytest.mark.parametrize(
    ("precision", "born", "decided_on"),
    [
        ("year", datetime.date(2007, 1, 1), datetime.date(2025, 12, 30)),
        ("year", datetime.date(2007, 1, 1), datetime.date(2025, 12, 31)),
        ("month", datetime.date(2007, 4, 1), datetime.date(2025, 4, 29)),
        ("month", datetime.date(2007, 4, 1), datetime.date(2025, 5, 1)),
        ("month", datetime.date(2007, 4, 1), datetime.date(2025, 4, 30)),
        ("month", datetime.date(2008, 2, 1), datetime.date(2026, 2, 28)),
        ("month", datetime.date(2008, 2, 1), datetime.date(2026, 3, 1)),
        ("day", datetime.date(2008, 2, 29), datetime.date(2026, 2, 27)),
        ("day", datetime.date(2008, 2, 29), datetime.date(2026, 2, 28)),
        ("day", datetime.date(2008, 2, 29), datetime.date(2026, 3, 1)),
    ],
)
def test_uncertain_birth_dates_count_as_the_registry_says(
    precision: str, born: datetime.date, decided_on: datetime.date
) -> None:
    case = f.victim(at=f.agency(), decided_on=decided_on, birth_date=born, birth_date_precision=precision)
    expected = "0-17" if case.person.is_child(on=decided_on) else "18+"

    table = table_for(
        user=f.statistician(),
        indicator="victims_detected",
        period=str(decided_on.year),
        dimensions=["age_unodc"],
    )

    assert table.get(age_unodc=expected).value == 1


def test_an_estimated_age_counts_from_the_day_it_was_estimated() -> None:
    f.victim(
        at=f.agency(),
        decided_on=datetime.date(2025, 2, 28),
        birth_date=None,
        estimated_age=17,
        age_estimated_on=datetime.date(2024, 3, 1),
    )

    table = table_for(
        user=f.statistician(), indicator="victims_detected", period="2025", dimensions=["age_unodc"]
    )

    assert table.get(age_unodc="0-17").value == 1  # a child until 1 March 2025


def test_ctdc_bands_and_unknown_age() -> None:
    hanoi = f.agency()
    f.victim(at=hanoi, decided_on=DAY, birth_date=datetime.date(2016, 5, 10))  # 9 on the day
    f.victim(at=hanoi, decided_on=DAY, birth_date=datetime.date(1977, 5, 11))  # 47
    f.victim(at=hanoi, decided_on=DAY, birth_date=None)

    table = table_for(
        user=f.statistician(), indicator="victims_detected", period="2025", dimensions=["age_ctdc"]
    )

    assert table.get(age_ctdc="9-17").value == 1
    assert table.get(age_ctdc="39-47").value == 1
    assert table.get(age_ctdc="unknown").value == 1
    assert table.get(age_ctdc="0-8").value == 0


def test_children_detected_counts_only_children() -> None:
    hanoi = f.agency()
    f.victim(at=hanoi, decided_on=DAY, birth_date=datetime.date(2012, 1, 1), home="lao_cai")
    f.victim(at=hanoi, decided_on=DAY, birth_date=datetime.date(1990, 1, 1), home="lao_cai")

    table = table_for(
        user=f.statistician(), indicator="children_detected", period="2025", dimensions=["province"]
    )

    assert table.total.value == 1
    assert table.get(province=f.province("lao_cai").code).value == 1


def test_detection_is_dated_by_the_first_decision_and_a_later_rejection_removes_the_person() -> None:
    hanoi = f.agency()
    possible = f.victim(
        at=hanoi, decided_on=datetime.date(2024, 12, 20), status=IdentificationStatus.POSSIBLE
    )
    f.decide(possible, IdentificationStatus.IDENTIFIED, datetime.date(2025, 1, 5))
    rejected = f.victim(at=hanoi, decided_on=DAY, status=IdentificationStatus.POSSIBLE)
    f.decide(rejected, IdentificationStatus.NOT_A_VICTIM, DAY + datetime.timedelta(days=3))
    user = f.statistician()

    assert table_for(user=user, indicator="victims_detected", period="2024").total.value == 1
    assert table_for(user=user, indicator="victims_detected", period="2025").total.value == 0
    assert table_for(user=user, indicator="victims_identified", period="2025").total.value == 1


def test_identification_citizenship_and_agency_kind() -> None:
    police = f.agency(kind=AgencyKind.POLICE_PROVINCIAL)
    f.victim(at=police, decided_on=DAY, nationality="KH", status=IdentificationStatus.POSSIBLE)
    f.victim(at=police, decided_on=DAY, nationality="VN")
    user = f.statistician()

    by_status = table_for(
        user=user, indicator="victims_detected", period="2025", dimensions=["identification"]
    )
    by_country = table_for(user=user, indicator="victims_detected", period="2025", dimensions=["citizenship"])
    by_kind = table_for(user=user, indicator="victims_detected", period="2025", dimensions=["agency_kind"])

    assert by_status.get(identification="possible").value == 1
    assert by_status.get(identification="identified").value == 1
    assert by_country.get(citizenship="KH").value == 1
    assert by_country.get(citizenship="VN").value == 1
    assert by_country.categories[0][0] == "VN"
    assert by_kind.get(agency_kind=AgencyKind.POLICE_PROVINCIAL).value == 2


def test_periods_quarter_and_month_cut_by_decision_day() -> None:
    hanoi = f.agency()
    f.victim(at=hanoi, decided_on=datetime.date(2025, 3, 31))
    f.victim(at=hanoi, decided_on=datetime.date(2025, 4, 1))
    user = f.statistician()

    assert table_for(user=user, indicator="victims_detected", period="2025-Q1").total.value == 1
    assert table_for(user=user, indicator="victims_detected", period="2025-04").total.value == 1
    assert table_for(user=user, indicator="victims_detected", period="2025-05").total.value == 0


def test_bad_requests_say_what_is_wrong() -> None:
    user = f.statistician()
    with pytest.raises(KeyError):
        table_for(user=user, indicator="nope", period="2025")
    with pytest.raises(StatisticsRequestError, match="Not a period"):
        table_for(user=user, indicator="victims_detected", period="2025-13")
    with pytest.raises(StatisticsRequestError, match="tips cannot be cut by “sex”"):
        table_for(user=user, indicator="tips", period="2025", dimensions=["sex"])
    with pytest.raises(StatisticsRequestError, match="no category"):
        table_for(user=user, indicator="victims_detected", period="2025", filters={"sex": "x"})


def test_filters_restrict_the_count() -> None:
    hanoi = f.agency()
    f.victim(at=hanoi, decided_on=DAY, sex="male")
    f.victim(at=hanoi, decided_on=DAY, sex="female")

    table = table_for(
        user=f.statistician(), indicator="victims_detected", period="2025", filters={"sex": "male"}
    )

    assert table.total.value == 1


def test_total_of_an_empty_table_is_zero() -> None:
    table = table_for(user=f.statistician(), indicator="victims_detected", period="2019")
    assert table.total == tables.ZERO
    assert table.cells == {(): tables.ZERO}
    assert TOTAL == "_T"
