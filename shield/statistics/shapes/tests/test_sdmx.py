import csv
import io

import pytest

from shield.statistics.shapes import sdmx
from shield.statistics.shapes.tests.handmade import Shown, table


def _tables() -> list[Shown]:
    sex_age = table(
        "victims_detected",
        "2025",
        {"sex": ("female", "male", "unknown"), "age_unodc": ("0-17", "18+", "unknown")},
        {
            ("female", "0-17"): 30,
            ("female", "18+"): 50,
            ("male", "0-17"): 3,
            ("male", "18+"): 17,
            ("unknown", "unknown"): 4,
        },
    )
    forms = table(
        "victims_detected",
        "2025",
        {"exploitation": ("sexual", "forced_labour", "other", "unknown")},
        {("sexual",): 60, ("forced_labour",): 40, ("other",): 2, ("unknown",): 2},
    )
    # ("male", "_T") would give the small cell back from its row: suppressed to protect it.
    return [Shown(sex_age, secondary={("male", "_T")}), Shown(forms)]


POPULATION = {("", "_T", "_T"): 1_000_000, ("", "F", "Y0T17"): 150_000, ("", "F", "_T"): 500_000}


def _by_key(result: sdmx.Result) -> dict[tuple[str, str, str, str], tuple[str, str]]:
    header, rows = sdmx.csv_rows(result)
    out = {}
    for row in rows:
        r = dict(zip(header, row, strict=True))
        out[(r["SERIES"], r["SEX"], r["AGE"], r["UNIT_MEASURE"])] = (r["OBS_VALUE"], r["CONF_STATUS"])
    return out


def test_rates_per_100000_from_the_uploaded_population():
    result = sdmx.sdg_16_2_2(_tables(), year=2025, population=POPULATION)
    by = _by_key(result)
    assert by[("VC_HTF_DETV", "_T", "_T", "NUMBER")] == ("104", "F")
    assert by[("VC_HTF_DETV", "_T", "_T", "PER_100000_POP")] == ("10.40", "F")  # 104 / 1,000,000
    assert by[("VC_HTF_DETV", "F", "Y0T17", "PER_100000_POP")] == ("20.00", "F")  # 30 / 150,000
    assert by[("VC_HTF_DETV", "F", "_T", "PER_100000_POP")] == ("16.00", "F")  # 80 / 500,000
    assert by[("VC_HTF_DETVSX", "_T", "_T", "PER_100000_POP")] == ("6.00", "F")
    assert by[("VC_HTF_DETVFL", "_T", "_T", "NUMBER")] == ("40", "F")
    # No population for men 18+: the count only, and the result says which rates are missing.
    assert ("VC_HTF_DETV", "M", "Y_GE18", "PER_100000_POP") not in by
    assert "M/Y_GE18" in result.rates_missing


def test_suppressed_cells_have_no_value_and_no_rate():
    by = _by_key(sdmx.sdg_16_2_2(_tables(), year=2025, population={**POPULATION, ("", "M", "Y0T17"): 1000}))
    assert by[("VC_HTF_DETV", "M", "Y0T17", "NUMBER")] == ("", "C")
    assert by[("VC_HTF_DETV", "M", "Y0T17", "PER_100000_POP")] == ("", "C")
    assert by[("VC_HTF_DETV", "M", "_T", "NUMBER")] == ("", "C")
    assert by[("VC_HTF_DETVOP", "_T", "_T", "NUMBER")] == ("", "C")
    # Unknown sex or age has no SDG code: left out (still in the totals).
    assert not any(k[1] not in {"F", "M", "_T"} or k[2] not in {"Y0T17", "Y_GE18", "_T"} for k in by)


def test_without_population_the_file_has_counts_only():
    result = sdmx.sdg_16_2_2(_tables(), year=2025, population=None)
    by = _by_key(result)
    assert by
    assert {k[3] for k in by} == {"NUMBER"}
    assert result.rates == 0
    assert "_T/_T" in result.rates_missing


def test_sdmx_csv_header_and_structure():
    header, rows = sdmx.csv_rows(sdmx.sdg_16_2_2(_tables(), year=2025, population=POPULATION))
    assert header[:3] == ["STRUCTURE", "STRUCTURE_ID", "ACTION"]
    assert header[3:10] == list(sdmx.DIMENSIONS)
    assert "OBS_VALUE" in header
    assert "CONF_STATUS" in header
    assert {row[0] for row in rows} == {"dataflow"}
    assert {row[1] for row in rows} == {"VN_SHIELD:DF_SDG_16_2_2(1.0)"}
    assert {dict(zip(header, r, strict=True))["REF_AREA"] for r in rows} == {"VN"}
    assert {dict(zip(header, r, strict=True))["TIME_PERIOD"] for r in rows} == {"2025"}
    text = io.StringIO()
    csv.writer(text).writerows([header, *rows])
    assert text.getvalue().count("\n") == len(rows) + 1


def test_other_indicators_or_years_are_refused():
    with pytest.raises(ValueError, match="not detected victims of 2024"):
        sdmx.sdg_16_2_2(_tables(), year=2024, population=None)
