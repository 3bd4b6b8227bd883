"""Disclosure control on a year's national report: protect + audit time, cells suppressed.

    .venv/bin/python bench/disclosure.py --persons 1000000 --repeat 3

Synthetic persons (never real people; numpy, seeded) spread over ten years, so one year holds about
a tenth of them. From that year's persons the script builds the tables of the national report as
the statistics part counts them, linked through their shared margins:

1. victims detected by sex (4) x age group (4)
2. victims detected by citizenship (30) x sex (4)
3. victims detected by form of exploitation (6, non-additive: a person may be in several) x sex
4. persons prosecuted by citizenship (30) x sex (4)
5. persons convicted by sex (4) x age group (4)

It times `protect` (primary + secondary suppression + the interval audit) with both methods, and
the audit alone of the final pattern, and prints the cells suppressed beside the primary-only
baseline (the cells under the threshold, which alone would leak through the margins).
"""

import argparse
import json
import sys
import time
from itertools import product
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from shield.statistics.disclosure import CellStatus, protect
from shield.statistics.disclosure.audit import intervals
from shield.statistics.disclosure.relations import build
from shield.statistics.tables import TOTAL, Count, Table

SEXES = ("F", "M", "X", "U")
SEX_P = (0.55, 0.43, 0.002, 0.018)
AGES = ("0-11", "12-17", "18-59", "60+")
AGE_P = (0.08, 0.22, 0.66, 0.04)
CITIZENSHIPS = tuple(f"C{i:02d}" for i in range(30))
FORMS = ("sexual", "labour", "marriage", "begging", "criminal", "other")
FORM_P = (0.45, 0.35, 0.12, 0.03, 0.02, 0.03)


def table(indicator: str, dims: list[tuple[str, tuple[str, ...], np.ndarray]], mask: np.ndarray) -> Table:
    """Counts of the masked persons by the given dimensions (codes in each array), with margins."""
    cells: dict[tuple[str, ...], Count] = {}
    for key in product(*[(*cats, TOTAL) for _, cats, _ in dims]):
        selected = mask.copy()
        for (_, cats, codes), category in zip(dims, key, strict=True):
            if category != TOTAL:
                selected &= codes == cats.index(category)
        n = int(selected.sum())
        cells[key] = Count.events(n)
    return Table(
        indicator,
        "persons",
        "2025",
        tuple(d for d, _, _ in dims),
        tuple(c for _, c, _ in dims),
        (True,) * len(dims),
        cells,
    )


def forms_table(sex: np.ndarray, forms: np.ndarray, mask: np.ndarray) -> Table:
    cells: dict[tuple[str, ...], Count] = {}
    for f, s in product((*FORMS, TOTAL), (*SEXES, TOTAL)):
        selected = mask.copy()
        if f != TOTAL:
            selected &= forms[:, FORMS.index(f)]
        if s != TOTAL:
            selected &= sex == SEXES.index(s)
        cells[(f, s)] = Count.events(int(selected.sum()))
    return Table("victims_detected", "persons", "2025", ("form", "sex"), (FORMS, SEXES), (False, True), cells)


def national_report(persons: int, seed: int) -> list[Table]:
    rng = np.random.default_rng(seed)
    year = rng.integers(0, 10, persons) == 9
    sex = rng.choice(len(SEXES), persons, p=SEX_P)
    age = rng.choice(len(AGES), persons, p=AGE_P)
    zipf = 1 / np.arange(1, len(CITIZENSHIPS) + 1) ** 1.6
    citizenship = rng.choice(len(CITIZENSHIPS), persons, p=zipf / zipf.sum())
    first = rng.choice(len(FORMS), persons, p=FORM_P)
    forms = np.zeros((persons, len(FORMS)), dtype=bool)
    forms[np.arange(persons), first] = True
    forms |= rng.random((persons, len(FORMS))) < 0.03  # some persons in a second form
    prosecuted = year & (rng.random(persons) < 0.004)
    convicted = prosecuted & (rng.random(persons) < 0.6)
    victims = year & (rng.random(persons) < 0.05)
    return [
        table("victims_detected", [("sex", SEXES, sex), ("age", AGES, age)], victims),
        table("victims_detected", [("citizenship", CITIZENSHIPS, citizenship), ("sex", SEXES, sex)], victims),
        forms_table(sex, forms, victims),
        table(
            "persons_prosecuted",
            [("citizenship", CITIZENSHIPS, citizenship), ("sex", SEXES, sex)],
            prosecuted,
        ),
        table("persons_convicted", [("sex", SEXES, sex), ("age", AGES, age)], convicted),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--threshold", type=int, default=5)
    args = parser.parse_args()
    tables = national_report(args.persons, args.seed)
    cells = sum(len(t.cells) for t in tables)
    system = build(tables, [])
    primary_vars = {
        system.table_index[i][k]
        for i, t in enumerate(tables)
        for k in t.keys()  # noqa: SIM118 (Table.keys, not a dict)
        if 0 < t.cells[k].value < args.threshold
    }
    # Baseline: primary suppression alone, and how many of its cells the margins give away.
    baseline = intervals(system, primary_vars)
    leaked = sum(1 for low, high in baseline.values() if high is not None and high - low < args.threshold)
    out: dict[str, object] = {
        "persons": args.persons,
        "persons_in_year_tables": {t.indicator + ":" + "x".join(t.dimensions): t.total.value for t in tables},
        "tables": len(tables),
        "cells": cells,
        "distinct_quantities": system.size,
        "primary_only": {"suppressed": len(primary_vars), "recoverable_within_width": leaked},
    }
    for method in ("optimal", "heuristic"):
        times = []
        audit_times = []
        protection = None
        for _ in range(args.repeat):
            start = time.perf_counter()
            protection = protect(tables, threshold=args.threshold, method=method)
            times.append(time.perf_counter() - start)
            suppressed = {
                system.table_index[i][k]
                for i, pt in enumerate(protection.tables)
                for k, s in pt.status.items()
                if s is not CellStatus.PUBLISHED
            }
            start = time.perf_counter()
            intervals(system, suppressed)
            audit_times.append(time.perf_counter() - start)
        assert protection is not None
        suppressed_quantities = len(suppressed)
        out[method] = {
            "protect_and_audit_seconds_median": round(float(np.median(times)), 3),
            "protect_and_audit_seconds_max": round(max(times), 3),
            "audit_alone_seconds_median": round(float(np.median(audit_times)), 3),
            "suppressed_quantities": suppressed_quantities,
            "secondary_quantities": suppressed_quantities - len(primary_vars),
            "suppressed_cells_printed_as_mark": sum(pt.suppressed for pt in protection.tables),
            "suppressed_value": sum(system.value[v] or 0 for v in suppressed),
            "audit_rows": len(protection.audit()),
            "audit_ok": protection.ok,
        }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
