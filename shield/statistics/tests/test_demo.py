"""`manage.py demo_data` gives statistics worth looking at: several years, both sexes, children,
several forms of exploitation, persons recorded twice (counted once) and pending pairs (ranges)."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from pytest_django.fixtures import Settings

from shield.statistics.selectors import series_for
from shield.statistics.tests.factories import statistician

pytestmark = pytest.mark.django_db


def test_demo_data_gives_non_trivial_tables(settings: Settings) -> None:
    settings.DEBUG = True
    call_command("demo_data", stdout=io.StringIO(), stderr=io.StringIO(), persons=400, linkage_duplicates=12)
    user = statistician()
    this_year = timezone.localdate().year
    years = [str(y) for y in range(this_year - 5, this_year + 1)]

    by_sex = series_for(user=user, indicator="victims_detected", periods=years, dimension="sex")
    by_age = series_for(user=user, indicator="victims_detected", periods=years, dimension="age_unodc")
    by_form = series_for(user=user, indicator="victims_detected", periods=years, dimension="exploitation")
    by_province = series_for(user=user, indicator="victims_detected", periods=years, dimension="province")

    assert sum(1 for t in by_sex if t.total.value > 0) >= 3
    assert sum(t.get(sex="female").value for t in by_sex) > 0
    assert sum(t.get(sex="male").value for t in by_sex) > 0
    assert sum(t.get(age_unodc="0-17").value for t in by_age) > 0
    forms = {c[0] for t in by_form for c, count in t.cells.items() if count.value and c[0] != "_T"}
    assert {"sexual", "forced_labour", "other"} <= forms
    provinces = {c[0] for t in by_province for c, count in t.cells.items() if count.value and c[0] != "_T"}
    assert len(provinces) >= 10
    # Persons recorded by two agencies count once; the pending pairs give some counts a range.
    assert any(t.total.records > t.total.value for t in by_sex)
    assert any(t.total.uncertain for t in by_sex)
