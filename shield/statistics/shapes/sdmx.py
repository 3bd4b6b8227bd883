"""SDG indicator 16.2.2 ("number of victims of human trafficking per 100,000 population, by sex,
age and form of exploitation") as SDMX-CSV, built with sdmx1 (`import sdmx`).

Two observations per cell of the detected-victims tables of a year: the count
(UNIT_MEASURE `NUMBER`) and, where a population for that sex and age is in force, the rate
(`PER_100000_POP`). Series codes follow the UN SDG global database, where the form of exploitation
is part of the series: `VC_HTF_DETV` (all forms), `VC_HTF_DETVSX` (sexual exploitation),
`VC_HTF_DETVFL` (forced labour), `VC_HTF_DETVOP` (other purposes). UNIT_MEASURE is a dimension
here (the count and the rate of a cell are two observations). Source: the series list of the
UN SDG API as used in public code (`unstats.un.org/sdgs/UNSDGAPIV5/v1/sdg/Series/Data?seriesCode=
VC_HTF_DETV`, DSD `IAEG-SDGs:DF_SDG_GLH`); not checked against the SDG metadata here.

A suppressed cell (small, or suppressed to protect one) has no value and CONF_STATUS `C`
(confidential); its rate is left out as well, since rate and population would give the count back.
No population is invented: without one, the file has counts only and `rates_missing` says why.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd
from sdmx.model import common
from sdmx.model import v21 as model
from sdmx.writer.csv import to_csv

from shield.statistics.shapes.glotip import (
    AGE_DIMENSION,
    FORM_DIMENSION,
    SEX_DIMENSION,
    ShownTable,
    cell_value,
)
from shield.statistics.tables import TOTAL, Key, Table

INDICATOR = "victims_detected"
AGENCY = "VN_SHIELD"
DATAFLOW = "DF_SDG_16_2_2"
REF_AREA = "VN"
DIMENSIONS = ("FREQ", "REF_AREA", "SERIES", "SEX", "AGE", "UNIT_MEASURE", "TIME_PERIOD")
SERIES = {
    TOTAL: "VC_HTF_DETV",
    "sexual": "VC_HTF_DETVSX",
    "forced_labour": "VC_HTF_DETVFL",
    "other": "VC_HTF_DETVOP",
}
SEXES = {TOTAL: TOTAL, "female": "F", "male": "M"}
AGES = {TOTAL: TOTAL, "0-17": "Y0T17", "18+": "Y_GE18"}
NUMBER = "NUMBER"
PER_100000 = "PER_100000_POP"
CONFIDENTIAL = "C"
FREE = "F"

# (province or "" for the country, SDMX sex, SDMX age) -> resident population
Population = Mapping[tuple[str, str, str], int]


@dataclass
class Result:
    frame: pd.DataFrame
    observations: int
    rates: int
    rates_missing: list[str] = field(default_factory=list)


def _structure() -> tuple[model.DataStructureDefinition, model.DataflowDefinition]:
    agency = common.Agency(id=AGENCY)
    dsd = model.DataStructureDefinition(id="SDG_16_2_2", maintainer=agency, version="1.0")
    for order, dimension in enumerate(DIMENSIONS):
        dsd.dimensions.getdefault(dimension, order=order)
    dsd.measures.getdefault("OBS_VALUE")
    dsd.attributes.getdefault("CONF_STATUS")
    flow = model.DataflowDefinition(id=DATAFLOW, maintainer=agency, version="1.0", structure=dsd)
    return dsd, flow


def _cells(table: Table) -> Iterable[tuple[Key, str, str, str]]:
    """(key, series, SDMX sex, SDMX age) for each cell SDG 16.2.2 has a place for."""
    for key in table.keys():  # noqa: SIM118 (a Table, not a dict)
        values = dict(zip(table.dimensions, key, strict=True))
        series = SERIES.get(values.get(FORM_DIMENSION, TOTAL))
        sex = SEXES.get(values.get(SEX_DIMENSION, TOTAL))
        age = AGES.get(values.get(AGE_DIMENSION, TOTAL))
        if series and sex and age and set(values) <= {FORM_DIMENSION, SEX_DIMENSION, AGE_DIMENSION}:
            yield key, series, sex, age


def sdg_16_2_2(protected_tables: Iterable[ShownTable], *, year: int, population: Population | None) -> Result:
    dsd, flow = _structure()
    dataset = model.DataSet(structured_by=dsd, described_by=flow)
    conf = dsd.attributes.get("CONF_STATUS")
    observations: list[model.Observation] = []
    seen: set[tuple[str, str, str]] = set()
    missing: list[str] = []
    rates = 0
    for shown in protected_tables:
        table = shown.table
        if table.indicator != INDICATOR or table.period != str(year):
            raise ValueError(f"{table.indicator} {table.period}: not detected victims of {year}")
        for key, series, sex, age in _cells(table):
            if (series, sex, age) in seen:
                continue
            seen.add((series, sex, age))
            text = cell_value(shown.display(key))
            count = int(text.replace(",", "")) if text and text[0].isdigit() else None
            status = model.AttributeValue(value=FREE if count is not None else CONFIDENTIAL, value_for=conf)
            base = dict(FREQ="A", REF_AREA=REF_AREA, SERIES=series, SEX=sex, AGE=age, TIME_PERIOD=str(year))
            observations.append(
                model.Observation(
                    dimension=dsd.make_key(model.Key, {**base, "UNIT_MEASURE": NUMBER}),
                    value=None if count is None else float(count),
                    attached_attribute={"CONF_STATUS": status},
                )
            )
            people = (population or {}).get(("", sex, age))
            if not people:
                missing.append(f"{sex}/{age}")
                continue
            rate = None if count is None else count * 100_000 / people
            rates += count is not None
            observations.append(
                model.Observation(
                    dimension=dsd.make_key(model.Key, {**base, "UNIT_MEASURE": PER_100000}),
                    value=rate,
                    attached_attribute={"CONF_STATUS": status},
                )
            )
    dataset.add_obs(observations)
    frame = to_csv(dataset, rtype=pd.DataFrame, attributes="o")
    assert isinstance(frame, pd.DataFrame)
    return Result(
        frame=frame, observations=len(observations), rates=rates, rates_missing=sorted(set(missing))
    )


def _value(unit: str, value: object) -> str:
    if value is None or pd.isna(value):
        return ""
    number = float(str(value))
    return f"{number:.2f}" if unit == PER_100000 else str(round(number))


def csv_rows(result: Result) -> tuple[list[str], list[list[str]]]:
    """The header and rows of the SDMX-CSV file: counts as whole numbers, rates to 2 decimals."""
    frame = result.frame
    header = [str(c) for c in frame.columns]
    units = list(frame["UNIT_MEASURE"])
    values = [_value(unit, value) for unit, value in zip(units, frame["OBS_VALUE"], strict=True)]
    frame = frame.assign(OBS_VALUE=values).astype(object).fillna("")
    return header, [[str(v) for v in row] for row in frame.itertuples(index=False)]
