"""The Splink model for Vietnamese person records: comparisons, blocking rules and training plan.

Every comparison works on the features `normalise` computed, with plain SQL or Splink's own level
creators, so the same `SettingsCreator` runs on DuckDB (the default) and on Spark.

Design, field by field (DOMAIN.md §4):
- family name: compared folded, with Hoàng/Huỳnh and Vũ/Võ as one; term-frequency adjusted, so
  `Nguyễn` (≈38% of people) is almost no evidence and a rare clan name is strong evidence.
- given name: accented with tone placement normalised first (Hòa ≠ Hoa), folded second (folding
  merges real names), then the whole name's tokens regardless of order (a parse that went the
  other way), then a typo, then all the words close in any order (another order and a typo);
  term-frequency adjusted on each exact level.
- middle name: Văn/Thị are dropped before comparing (weak and often omitted); a missing middle
  name is no evidence either way.
- birth date: exact day; one part wrong; consistent when one side is only a year or a month; a
  year or two apart (estimates); three years apart (a year remembered badly: against, with a
  fixed m); far apart.
- identity number: exact and fitting both records (strong); exact but contradicting the sex or
  birth year of either record (borrowed or forged papers: the level's weight is fixed at zero, so
  such a number can never merge two people by itself); one typo; different.
- sex and province (today's 34, with the former 63 as a finer level): agreement; two different
  former provinces now merged into one are told apart from one record naming today's province.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from splink import SettingsCreator, block_on
from splink import comparison_level_library as cll
from splink import comparison_library as cl
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.comparison_level_creator import ComparisonLevelCreator
from splink.internals.dialects import SplinkDialect

from shield.linkage.engine.normalise import ID_OK

# Share of true pairs (one date partial) whose years are three apart: a remembered year that far
# off is rare; with u ≈ 2.5% of random pairs this weighs about 2.3 bits against.
THREE_YEARS_APART_M = 0.005


@dataclass(frozen=True)
class ModelSpec:
    """A Splink model and how to train it; `vietnamese_model()` is the engine's."""

    name: str
    settings: SettingsCreator
    # Rules that (almost) only true matches satisfy, to estimate the share of matching pairs.
    deterministic_rules: list[BlockingRuleCreator | str]
    deterministic_recall: float
    # One EM session per rule; each trains the comparisons its rule does not block on.
    em_blocking_rules: list[BlockingRuleCreator]
    # Sessions run only while some comparison has not been trained yet (a file without full
    # birth dates or without identity numbers gives the sessions above no pairs).
    em_fallback_rules: list[BlockingRuleCreator] = field(default_factory=list)
    # Refuse links that would put contradicting records in one cluster (see `clustering`).
    refuse_contradictions: bool = True
    # Estimate λ and u again after training, not counting matches as chance (`calibration`).
    calibrate: bool = True
    # Small files take the shipped reference model, which only fits this engine's own model
    # (`dedupe.trains_own_model`); a model without one always trains.
    reference_for_small_files: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


def levels_by_gamma(comparison: Mapping[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """A saved model comparison's levels but the null level, each with the gamma value Splink's
    predictions give it (the first, strongest, highest; the last, "differs", 0)."""
    levels = [level for level in comparison["comparison_levels"] if not level.get("is_null_level")]
    return [(len(levels) - 1 - position, level) for position, level in enumerate(levels)]


class SwappedJaroWinklerLevel(ComparisonLevelCreator):
    """One record's `first` column close to the other's `second` (the two parses put the words
    in opposite places), in the backend's own Jaro-Winkler function (a custom SQL level would be
    transpiled to a name Spark's Splink functions do not register)."""

    def __init__(self, first: str, second: str, threshold: float) -> None:
        self.first, self.second, self.threshold = first, second, threshold

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        function = sql_dialect.jaro_winkler_function_name
        a, b, t = self.first, self.second, self.threshold
        return f"{function}({a}_l, {b}_r) >= {t} OR {function}({b}_l, {a}_r) >= {t}"

    def create_label_for_charts(self) -> str:
        return f"{self.first} close to the other's {self.second}"


def _exact_tf(column: str, label: str) -> ComparisonLevelCreator:
    return cll.ExactMatchLevel(column, term_frequency_adjustments=True).configure(label_for_charts=label)


def _custom(sql: str, label: str) -> ComparisonLevelCreator:
    return cll.CustomLevel(sql, base_dialect_str="duckdb").configure(label_for_charts=label)


def _null(column: str) -> ComparisonLevelCreator:
    return cll.NullLevel(column)


def _comparison(name: str, levels: list[ComparisonLevelCreator]) -> ComparisonCreator:
    return cl.CustomComparison(
        comparison_levels=list[ComparisonLevelCreator | dict[str, Any]](levels), output_column_name=name
    )


def family_comparison() -> ComparisonCreator:
    return _comparison(
        "family",
        [
            _null("family"),
            _exact_tf("family", "same family name (variants as one)"),
            # The same words in another order: the two parses disagree on which one is the family
            # name (`Sơn Văn Trần` / `Trần Sơn`). Neutral here (m = u) because the given name's
            # comparison already counts this agreement; counting it twice would overstate it.
            _custom("name_tokens_l = name_tokens_r", "same names in another order").configure(
                m_probability=0.01, u_probability=0.01, fix_m_probability=True, fix_u_probability=True
            ),
            cll.JaroWinklerLevel("family", 0.88).configure(label_for_charts="family name close"),
            # The parses disagree on which word is the family name and the names differ too
            # (`victoria pulford` / `pulfrd cassandra`: a name outside the list of Vietnamese
            # family names, written in another order, with a typo).
            SwappedJaroWinklerLevel("family", "given_folded", 0.88).configure(
                label_for_charts="family name close to the other's given name"
            ),
            cll.ElseLevel().configure(label_for_charts="family name differs"),
        ],
    )


def given_comparison() -> ComparisonCreator:
    return _comparison(
        "given",
        [
            _null("given_folded"),
            _exact_tf("given", "same given name, accents included"),
            _exact_tf("given_folded", "same given name without accents"),
            _custom("name_tokens_l = name_tokens_r", "same names in another order"),
            cll.DamerauLevenshteinLevel("given_folded", 1).configure(label_for_charts="given name one typo"),
            cll.JaroWinklerLevel("given_folded", 0.88).configure(label_for_charts="given name close"),
            # The parses disagree on the order and a word is mistyped (`kaminskas isabele` /
            # `Isabelle Kaminskas`): all the words, sorted, nearly the same.
            cll.JaroWinklerLevel("name_tokens", 0.92).configure(
                label_for_charts="names close in another order"
            ),
            cll.ElseLevel().configure(label_for_charts="given name differs"),
        ],
    )


def middle_comparison() -> ComparisonCreator:
    return _comparison(
        "middle",
        [
            _null("middle"),
            cll.ExactMatchLevel("middle").configure(label_for_charts="same middle name"),
            _custom(
                "contains(middle_l, middle_r) OR contains(middle_r, middle_l)",
                "one middle name contains the other",
            ),
            cll.ElseLevel().configure(label_for_charts="middle name differs"),
        ],
    )


def birth_comparison() -> ComparisonCreator:
    return _comparison(
        "birth",
        [
            _null("birth_year"),
            _custom("birth_date_l = birth_date_r", "same birth date"),
            _custom(
                "birth_precision_l = 'day' AND birth_precision_r = 'day' AND birth_year_l = birth_year_r"
                " AND (birth_month_l = birth_month_r OR birth_day_l = birth_day_r"
                " OR (birth_month_l = birth_day_r AND birth_day_l = birth_month_r))",
                "same year, one of day and month differs",
            ),
            # A month agreeing is evidence of its own (one in twelve by chance): a year-month
            # record against a full date weighs more than a year alone does.
            _custom(
                "birth_year_l = birth_year_r AND birth_month_l = birth_month_r"
                " AND (birth_day_l IS NULL OR birth_day_r IS NULL)",
                "same year and month, one date without the day",
            ),
            _custom(
                "birth_year_l = birth_year_r AND (birth_month_l IS NULL OR birth_month_r IS NULL"
                " OR ((birth_day_l IS NULL OR birth_day_r IS NULL) AND birth_month_l = birth_month_r))",
                "same year, one date partial",
            ),
            _custom(
                "birth_precision_l = 'day' AND birth_precision_r = 'day' AND birth_month_l = birth_month_r"
                " AND birth_day_l = birth_day_r AND abs(birth_year_l - birth_year_r) <= 10",
                "same day and month, year typo",
            ),
            # Years apart only count for a partial date (often an estimated age); two full dates
            # that differ in more than one part are different dates.
            _custom(
                "abs(birth_year_l - birth_year_r) <= 1"
                " AND (birth_precision_l <> 'day' OR birth_precision_r <> 'day')",
                "within a year, one date partial",
            ),
            _custom(
                "abs(birth_year_l - birth_year_r) <= 2"
                " AND (birth_precision_l <> 'day' OR birth_precision_r <> 'day')",
                "within two years, one date partial",
            ),
            # A year told from memory three years off happens, but rarely: m is fixed (EM on a
            # file whose estimates all fall within two years would make it a veto, and on a file
            # full of siblings a few years apart it could make it evidence for). Against, though
            # not so much that the pair escapes review.
            _custom(
                "abs(birth_year_l - birth_year_r) <= 3"
                " AND (birth_precision_l <> 'day' OR birth_precision_r <> 'day')",
                "three years apart, one date partial",
            ).configure(m_probability=THREE_YEARS_APART_M, fix_m_probability=True),
            cll.ElseLevel().configure(label_for_charts="birth dates differ"),
        ],
    )


def id_comparison() -> ComparisonCreator:
    return _comparison(
        "id_number",
        [
            _null("id_number"),
            _custom(
                f"id_number_l = id_number_r AND id_status_l = '{ID_OK}' AND id_status_r = '{ID_OK}'",
                "same identity number, fits both records",
            ),
            # Weight fixed at zero (m = u): a number that contradicts its holder's sex or birth
            # year may be borrowed, so it must not merge two people by itself.
            _custom("id_number_l = id_number_r", "same identity number, contradicts a record").configure(
                m_probability=0.01, u_probability=0.01, fix_m_probability=True, fix_u_probability=True
            ),
            cll.DamerauLevenshteinLevel("id_number", 1).configure(
                label_for_charts="identity number one typo"
            ),
            _custom("id_kind_l <> id_kind_r", "different kinds of document"),
            cll.ElseLevel().configure(label_for_charts="different identity numbers"),
        ],
    )


def sex_comparison() -> ComparisonCreator:
    return cl.ExactMatch("sex")


def province_comparison() -> ComparisonCreator:
    return _comparison(
        "province",
        [
            _null("province"),
            _custom("province_former_l = province_former_r", "same former province"),
            # Two former provinces merged into one since 2025: the same province today, but the
            # records name different ones. Kept apart from the next level, where one record names
            # today's province (or an unknown place) and the agreement is as good as it can be:
            # together, an agency writing today's names would see agreement count against a match.
            _custom(
                "province_former_l <> province_former_r AND province_l = province_r",
                "same province today, different former provinces",
            ),
            _exact_tf("province", "same province"),
            cll.ElseLevel().configure(label_for_charts="province differs"),
        ],
    )


def blocking_rules() -> list[BlockingRuleCreator]:
    """Candidate pairs: each rule is selective even for Nguyễn, and together they let a pair
    through whichever single field was mistyped or missing."""
    return [
        block_on("id_number"),
        block_on("given_folded", "family", "birth_year"),
        block_on("given_folded", "family", "province"),
        block_on("given_folded", "birth_year", "province"),
        block_on("family", "birth_date"),
        block_on("given_folded", "birth_date"),
        block_on("name_tokens", "birth_year"),
        block_on("name_tokens", "province"),
        block_on("given_folded", "middle", "province"),
        # A typo anywhere in the name but its first letters: Nguyễn Văn Dũng / Nguyễn, Văn Udng.
        block_on("initials", "birth_year", "province"),
        block_on("initials", "birth_date"),
        # A typo in the name and one date without its day: Nguyễn Thị Thunog 2003-09 / Nguyễn
        # Thị Thương 2003-09-16, with no province on one side.
        block_on("initials", "birth_year", "birth_month"),
        # Both names mistyped or written in another order, the rest intact.
        block_on("birth_date", "province"),
    ]


def vietnamese_model() -> ModelSpec:
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[
            family_comparison(),
            given_comparison(),
            middle_comparison(),
            birth_comparison(),
            id_comparison(),
            sex_comparison(),
            province_comparison(),
        ],
        blocking_rules_to_generate_predictions=list[BlockingRuleCreator | dict[str, Any]](blocking_rules()),
        retain_intermediate_calculation_columns=True,
        # Kept so the review band can say which level each field reached (gamma) and why.
        retain_matching_columns=True,
    )
    return ModelSpec(
        name="shield",
        settings=settings,
        deterministic_rules=[
            f"l.id_number = r.id_number AND l.id_status = '{ID_OK}' AND r.id_status = '{ID_OK}'",
            block_on("given_folded", "family", "birth_date"),
        ],
        deterministic_recall=0.7,
        # No session is blocked on a rule that namesakes satisfy in numbers (same name, birth
        # year and province): EM would count them as matches and learn that true matches often
        # have different identity numbers and provinces, weakening those levels (docs/linkage.md).
        em_blocking_rules=[
            block_on("given_folded", "family", "birth_date"),
            block_on("birth_date", "province"),
            block_on("id_number"),
        ],
        # Namesake-prone (see above), so only for what the sessions above could not train.
        em_fallback_rules=[
            block_on("given_folded", "family", "birth_year"),
            block_on("given_folded", "family", "province"),
        ],
    )
