"""Indicators and table sets as data: the shipped files load, and a bad edit is refused by name."""

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from shield.cases import value_sets
from shield.statistics import dimensions, indicators
from shield.statistics.counting import SOURCES
from shield.statistics.indicators import IndicatorFileError, parse_indicators, parse_table_sets

REQUIRED = {
    "victims_detected",
    "victims_identified",
    "screened_possible_victims",
    "tips",
    "cases_opened",
    "cases_closed",
    "children_detected",
}


def _document() -> dict[str, Any]:
    return json.loads(indicators.INDICATORS_FILE.read_text(encoding="utf-8"))


@pytest.mark.django_db
def test_the_shipped_indicators_and_table_sets_load() -> None:
    codes = {i.code for i in indicators.indicator_list()}
    assert codes >= REQUIRED
    detected = indicators.indicator_get("victims_detected")
    assert detected.unit == "persons"
    assert detected.threshold == 5
    assert "exploitation" in detected.dimensions
    assert indicators.indicator_get("tips").unit == "events"
    glotip = indicators.table_set_get("glotip")
    assert [(t.indicator, t.dimensions) for t in glotip.tables] == [
        ("victims_detected", ()),
        ("victims_detected", ("sex", "age_unodc")),
        ("victims_detected", ("exploitation",)),
        ("victims_detected", ("citizenship",)),
    ]
    assert indicators.table_set_get("national").tables[: len(glotip.tables)] == glotip.tables
    with pytest.raises(KeyError):
        indicators.indicator_get("nope")
    with pytest.raises(KeyError):
        indicators.table_set_get("nope")


def test_an_unknown_dimension_is_refused_by_name() -> None:
    document = _document()
    document["indicators"][0]["dimensions"].append("shoe_size")
    with pytest.raises(
        IndicatorFileError, match="indicator 'victims_detected': unknown dimension 'shoe_size'"
    ):
        parse_indicators(document, sources=frozenset(SOURCES))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda e: e.update(unit="people"), "unknown unit"),
        (lambda e: e.update(counts="cases.nothing"), "unknown source"),
        (lambda e: e.pop("name_vi"), "name_vi is missing"),
        (lambda e: e.update(disclosure={"threshold": 0}), "threshold"),
        (lambda e: e.update(colour="red"), "unknown fields"),
        (lambda e: e.update(filters={"sex": "female"}), "both a filter and a dimension"),
    ],
)
def test_bad_indicator_entries_are_refused(change: Callable[[dict[str, Any]], object], message: str) -> None:
    document = _document()
    change(document["indicators"][0])
    with pytest.raises(IndicatorFileError, match=message):
        parse_indicators(document, sources=frozenset(SOURCES))


def test_a_duplicate_code_is_refused() -> None:
    document = _document()
    document["indicators"].append(copy.deepcopy(document["indicators"][0]))
    with pytest.raises(IndicatorFileError, match="listed twice"):
        parse_indicators(document, sources=frozenset(SOURCES))


def test_a_table_set_naming_an_unknown_indicator_or_dimension_is_refused() -> None:
    found = {i.code: i for i in parse_indicators(_document(), sources=frozenset(SOURCES))}
    with pytest.raises(IndicatorFileError, match="unknown indicator 'nope'"):
        parse_table_sets(
            {"sets": {"x": {"name_vi": "x", "name_en": "x", "tables": [{"indicator": "nope"}]}}},
            indicators=found,
        )
    bad = {
        "sets": {
            "x": {"name_vi": "x", "name_en": "x", "tables": [{"indicator": "tips", "dimensions": ["sex"]}]}
        }
    }
    with pytest.raises(IndicatorFileError, match="tips cannot be cut by 'sex'"):
        parse_table_sets(bad, indicators=found)


def test_every_htcds_form_of_exploitation_falls_in_one_unodc_group() -> None:
    grouped = [v for values in dimensions.EXPLOITATION_GROUPS.values() for v in values]
    assert sorted(grouped) == sorted(value_sets.values(value_sets.FORMS_OF_EXPLOITATION))


@pytest.mark.django_db
def test_dimensions_have_their_categories() -> None:
    assert dimensions.dimension_get("sex").codes == ("female", "male", "other", "unknown")
    assert dimensions.dimension_get("age_unodc").codes == ("0-17", "18+", "unknown")
    assert dimensions.dimension_get("age_ctdc").codes[-2:] == ("48+", "unknown")
    assert len(dimensions.dimension_get("age_ctdc").codes) == 10
    assert not dimensions.dimension_get("exploitation").additive
    assert len(dimensions.dimension_get("province").codes) == 35  # 34 provinces and unknown
    assert dimensions.dimension_get("citizenship").codes[0] == "VN"
    assert dimensions.dimension_get("sex").category_label("female", "vi") == "Nữ"
    assert indicators.label(dimensions.dimension_get("sex"), "en") == "Sex"
    with pytest.raises(KeyError, match="shoe_size"):
        dimensions.dimension_get("shoe_size")
