import datetime
import random

from shield.statistics.shapes import htcds, kanonymity
from shield.statistics.shapes.kanonymity import Hierarchy


def test_check_is_the_smallest_class():
    rows = [{"a": "1"}, {"a": "1"}, {"a": "2"}]
    assert kanonymity.check(rows, ["a"]) == 1
    assert kanonymity.check([], ["a"]) == 0


def test_generalises_before_suppressing_and_reports_it():
    decade = Hierarchy("age", (lambda v: v[0] + "0s",), ("year of age", "decade"))
    rows = [{"age": str(20 + i % 10), "sex": "F"} for i in range(30)]
    kept, report = kanonymity.anonymise(rows, [decade, Hierarchy("sex")], k=11)
    assert report.levels == {"age": 1, "sex": 0}
    assert report.level_names["age"] == "decade"
    assert {r["age"] for r in kept} == {"20s"}
    assert report.suppressed == 0
    assert report.achieved_k == 30 == len(kept)


def test_suppresses_outliers_within_the_budget():
    rows = [{"place": "A"} for _ in range(50)] + [{"place": "B"}]
    kept, report = kanonymity.anonymise(rows, [Hierarchy("place")], k=11, max_suppressed_share=0.05)
    assert report.levels == {"place": 0}
    assert report.suppressed == 1
    assert len(kept) == 50
    assert kanonymity.check(kept, ["place"]) == report.achieved_k == 50


def test_fewer_than_k_records_leave_nothing():
    rows = [{"place": "A"} for _ in range(5)]
    kept, report = kanonymity.anonymise(rows, [Hierarchy("place")], k=11)
    assert kept == []
    assert report.suppressed == 5
    assert report.achieved_k == 0
    assert report.levels == {"place": 1}


def _victims(n: int, seed: int = 7) -> list[htcds.Victim]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        out.append(
            htcds.Victim(
                sex=rng.choice(["female", "female", "male", "unknown"]),
                age=rng.choice([None, *range(3, 60)]),
                citizenship=rng.choice(["VN"] * 20 + ["CN", "KH", "LA", "TH", ""]),
                province=rng.choice(["01", "79", "15", "20", "48", ""]),
                identified_on=datetime.date(2025, rng.randint(1, 12), 1),
                status=rng.choice(["identified", "possible"]),
                forms=frozenset(
                    rng.sample(["SexualExploitation", "ForcedLabour", "ForcedMarriage"], rng.randint(0, 2))
                ),
            )
        )
    return out


def test_htcds_export_is_k_anonymous_on_its_quasi_identifiers():
    rows, report = htcds.export(_victims(600), k=11)
    header, body = rows[0], rows[1:]
    assert header == list(htcds.COLUMNS)
    records = [dict(zip(header, row, strict=True)) for row in body]
    assert kanonymity.check(records, htcds.QUASI_IDENTIFIERS) >= 11
    assert report["achieved_k"] >= 11
    assert report["records_out"] == len(body) == 600 - report["suppressed"]
    assert report["records_out"] > 0
    assert sum(report["levels"].values()) > 0  # something had to be generalised at this size
    # Nothing finer than the CTDC band or the quarter ever leaves.
    assert not any(r[htcds.AGE].isdigit() for r in records)
    assert all(r[htcds.PERIOD].startswith("2025") for r in records)


def test_rare_citizenships_are_grouped_by_region():
    victims = _victims(300)
    rows, grouped = htcds.records(victims, k=11)
    held = {r[htcds.CITIZENSHIP] for r in rows}
    assert "Other: Asia" in held
    assert grouped > 0
    assert all(
        c in {"VN", "unknown"}
        or c.startswith("Other")
        or sum(1 for r in rows if r[htcds.CITIZENSHIP] == c) >= 11
        for c in held
    )


def test_individuals_merge_records_and_disagreements_become_unknown():
    day = datetime.date(2025, 5, 2)
    facts = [
        htcds.PersonFacts(
            "i1",
            "female",
            datetime.date(2010, 6, 1),
            "VN",
            "01",
            day,
            "possible",
            frozenset({"ForcedLabour"}),
        ),
        htcds.PersonFacts(
            "i1",
            "female",
            datetime.date(2010, 6, 1),
            "KH",
            "01",
            datetime.date(2025, 8, 1),
            "identified",
            frozenset({"SexualExploitation"}),
        ),
        htcds.PersonFacts("i2", "male", None, "", "", day, "possible", frozenset()),
    ]
    victims = sorted(htcds.individuals(facts), key=lambda v: v.sex)
    assert len(victims) == 2
    first = victims[0]
    assert first.age == 14
    assert first.identified_on == day
    assert first.citizenship == ""
    assert first.province == "01"
    assert first.status == "identified"
    assert first.forms == {"ForcedLabour", "SexualExploitation"}
    assert htcds.ctdc_band(14) == "9-17"
    assert htcds.ctdc_band(None) == "unknown"
    assert htcds.ctdc_band(48) == "48+"
    assert htcds.region_of("01") == "Red River Delta"
