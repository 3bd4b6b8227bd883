import csv
import os
from pathlib import Path

import pytest

from shield.statistics.shapes import glotip
from shield.statistics.shapes.tests.handmade import Shown, table

ROOT = Path(__file__).resolve().parents[4]
GLOTIP_FILE = "data/unodc_glotip/data_glotip_2025-04-14.csv"


def _shared_file() -> Path | None:
    """`../shared/` beside the repository (or beside a worktree's parent; SHIELD_SHARED_DIR wins)."""
    candidates = [Path(os.environ["SHIELD_SHARED_DIR"])] if os.environ.get("SHIELD_SHARED_DIR") else []
    candidates += [parent / "shared" for parent in ROOT.parents]
    for directory in candidates:
        if (directory / GLOTIP_FILE).is_file():
            return directory / GLOTIP_FILE
    return None


@pytest.fixture(scope="module")
def unodc() -> tuple[list[str], list[dict[str, str]]]:
    path = _shared_file()
    if path is None:
        pytest.skip(f"UNODC's GLOTIP file ../shared/{GLOTIP_FILE} is not on this machine")
    with path.open(encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def _tables() -> list[Shown]:
    total = table("victims_detected", "2025", {}, {(): 1206})
    sex_age = table(
        "victims_detected",
        "2025",
        {"sex": ("female", "male", "other", "unknown"), "age_unodc": ("0-17", "18+", "unknown")},
        {
            ("female", "0-17"): 300,
            ("female", "18+"): 500,
            ("female", "unknown"): 3,
            ("male", "0-17"): 150,
            ("male", "18+"): 248,
            ("other", "18+"): 2,
            ("unknown", "unknown"): 3,
        },
    )
    forms = table(
        "victims_detected",
        "2025",
        {"exploitation": ("sexual", "forced_labour", "other", "unknown")},
        {("sexual",): 700, ("forced_labour",): 400, ("other",): 4, ("unknown",): 102},
    )
    citizenship = table(
        "victims_detected",
        "2025",
        {"citizenship": ("VN", "CN", "KH", "LA", "unknown")},
        {("VN",): 1190, ("CN",): 9, ("KH",): 3, ("LA",): 2, ("unknown",): 2},
    )
    # LA is shown as "x": suppressed only to protect KH's small cell.
    return [Shown(total), Shown(sex_age), Shown(forms), Shown(citizenship, secondary={("LA",)})]


def test_rows_have_unodc_header_in_order(unodc):
    header, _ = unodc
    assert list(glotip.COLUMNS) == header
    rows = glotip.glotip_rows(_tables(), year=2025)
    assert rows
    assert all(list(row) == header for row in rows)


def test_every_value_shield_writes_is_in_unodc_vocabulary(unodc):
    _, data = unodc
    rows = glotip.glotip_rows(_tables(), year=2025)
    for column in ("Indicator", "Dimension", "Sex", "Age", "Unit of measurement"):
        theirs = {r[column] for r in data}
        ours = {r[column] for r in rows}
        assert ours <= theirs, f"{column}: {sorted(ours - theirs)} not in UNODC's file"
    forms = {r["Category"] for r in data if r["Dimension"] == "by form of exploitation"}
    assert {r["Category"] for r in rows if r["Dimension"] == "by form of exploitation"} <= forms
    values = {r["txtVALUE"] for r in rows}
    assert "1,206" in values
    assert "<5" in values


def test_viet_nam_is_named_as_unodc_names_it(unodc):
    _, data = unodc
    theirs = {
        (r["Iso3_code"], r["Country"], r["Region"], r["Subregion"]) for r in data if r["Iso3_code"] == "VNM"
    }
    ours = {
        (r["Iso3_code"], r["Country"], r["Region"], r["Subregion"])
        for r in glotip.glotip_rows(_tables(), year=2025)
    }
    assert ours == theirs == {("VNM", "Viet Nam", "Asia", "South-eastern Asia")}


def test_citizenship_categories_are_unodc_country_names(unodc):
    _, data = unodc
    countries = {r["Country"] for r in data}
    categories = {r["Category"] for r in data if r["Dimension"] == "by citizenship"}
    rows = glotip.glotip_rows(_tables(), year=2025)
    ours = {r["Category"] for r in rows if r["Dimension"] == "by citizenship"}
    assert ours == {"Viet Nam", "China", "Cambodia", "Unknown"}
    for name in ours:
        assert name in countries or name in categories


def test_small_cells_are_lt5_and_secondary_cells_are_left_out():
    rows = glotip.glotip_rows(_tables(), year=2025)
    by = {(r["Dimension"], r["Category"], r["Sex"], r["Age"]): r["txtVALUE"] for r in rows}
    assert by[("Total", "Total", "Total", "Total")] == "1,206"
    assert by[("Total", "Total", "Female", "Unknown")] == "<5"
    assert by[("Total", "Total", "Male", "Unknown")] == "0"
    assert by[("by citizenship", "Cambodia", "Total", "Total")] == "<5"
    assert ("by citizenship", "Lao People's Democratic Republic", "Total", "Total") not in by
    # No "unknown" form in GLOTIP: no row for it.
    assert {c for d, c, _, _ in by if d == "by form of exploitation"} == {
        "Sexual exploitation",
        "Forced labour",
        "Other forms of exploitation",
    }
    # The grand total is in every table but written once.
    assert sum(1 for key in by if key == ("Total", "Total", "Total", "Total")) == 1
    assert len(rows) == len({tuple(r.values()) for r in rows})
    assert {r["Source"] for r in rows} == {"Shield"}
    assert {r["Year"] for r in rows} == {"2025"}


def test_a_table_of_another_year_or_shape_is_refused():
    with pytest.raises(ValueError, match="not 2024"):
        glotip.glotip_rows(_tables(), year=2024)
    by_province = table("victims_detected", "2025", {"province": ("01",)}, {("01",): 9})
    with pytest.raises(ValueError, match="no dimension"):
        glotip.glotip_rows([Shown(by_province)], year=2025)
    tips = table("tips", "2025", {}, {(): 9})
    with pytest.raises(ValueError, match="not a GLOTIP indicator"):
        glotip.glotip_rows([Shown(tips)], year=2025)


@pytest.mark.parametrize(
    ("shown", "value"),
    [("12", "12"), ("1,206", "1,206"), ("1206", "1,206"), ("<5", "<5"), ("x", None), ("..", None)],
)
def test_cell_value(shown, value):
    assert glotip.cell_value(shown) == value
