"""Screening instruments as data: read and check a definition (`data/instruments/*.json`).

A definition has sections of indicators; each indicator has a code, a label and help text in
Vietnamese and English, an answer type (`boolean`: observed or not; `choice`: one of its options,
each with its own weight), a weight and whether it is `strong` (observed alone, it makes a
referral). `thresholds` say from which score advice and referral are due, and `child_rule` which
stated purposes and indicators mean a child is moved for exploitation (Law 53/2024 Art. 2).

No database here: the data migration, the publish service and the risk calculation all read
definitions through `check_definition`, so a file that would break a screening is refused before
it becomes a version.
"""

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

DATA_DIR = Path(__file__).resolve().parent / "data" / "instruments"
FIRST_INSTRUMENT = DATA_DIR / "border-gate-v1.json"
LANGUAGES = ("vi", "en")
ANSWER_TYPES = ("boolean", "choice")


class DefinitionError(ValueError):
    """The definition is not usable; `problems` lists every problem found, in words."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def localized(texts: Mapping[str, str] | None) -> str:
    """The text in the active language, else Vietnamese (the default language), else any."""
    if not texts:
        return ""
    language = (get_language() or "vi")[:2]
    return texts.get(language) or texts.get("vi") or next(iter(texts.values()), "")


@dataclass(frozen=True)
class Option:
    code: str
    weight: int
    label: Mapping[str, str]

    @property
    def text(self) -> str:
        return localized(self.label)


@dataclass(frozen=True)
class Indicator:
    code: str
    type: str
    weight: int
    strong: bool
    label: Mapping[str, str]
    help: Mapping[str, str]
    options: tuple[Option, ...] = ()

    @property
    def text(self) -> str:
        return localized(self.label)

    @property
    def help_text(self) -> str:
        return localized(self.help)

    def option(self, code: str) -> Option | None:
        return next((o for o in self.options if o.code == code), None)


@dataclass(frozen=True)
class Section:
    code: str
    title: Mapping[str, str]
    indicators: tuple[Indicator, ...]

    @property
    def text(self) -> str:
        return localized(self.title)


@dataclass(frozen=True)
class Definition:
    code: str
    title: Mapping[str, str]
    description: Mapping[str, str]
    advice_threshold: int
    referral_threshold: int
    child_age_below: int
    child_purposes: frozenset[str]
    child_indicators: frozenset[str]
    sections: tuple[Section, ...]

    def indicators(self) -> Iterator[Indicator]:
        for section in self.sections:
            yield from section.indicators

    def indicator(self, code: str) -> Indicator | None:
        return next((i for i in self.indicators() if i.code == code), None)


def _texts(raw: Any, where: str, problems: list[str]) -> dict[str, str]:
    if not isinstance(raw, dict):
        problems.append(_("%(where)s: texts in Vietnamese and English are required.") % {"where": where})
        return {}
    for language in LANGUAGES:
        if not str(raw.get(language) or "").strip():
            problems.append(
                _("%(where)s: the text in “%(language)s” is missing.")
                % {"where": where, "language": language}
            )
    return {k: str(v) for k, v in raw.items()}


def _int(raw: Any, where: str, problems: list[str], default: int = 0) -> int:
    if raw is None:
        return default
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        problems.append(_("%(where)s: a whole number of 0 or more is required.") % {"where": where})
        return default
    return raw


def _indicator(raw: Any, where: str, problems: list[str]) -> Indicator | None:
    if not isinstance(raw, dict) or not str(raw.get("code") or "").strip():
        problems.append(_("%(where)s: every indicator needs a code.") % {"where": where})
        return None
    code = str(raw["code"])
    where = f"{where} {code}"
    kind = raw.get("type", "boolean")
    if kind not in ANSWER_TYPES:
        problems.append(_("%(where)s: the answer type must be boolean or choice.") % {"where": where})
    options: list[Option] = []
    if kind == "choice":
        raw_options = raw.get("options")
        if not isinstance(raw_options, list) or len(raw_options) < 2:
            problems.append(_("%(where)s: a choice needs at least two options.") % {"where": where})
            raw_options = []
        for raw_option in raw_options:
            if not isinstance(raw_option, dict) or not raw_option.get("code"):
                problems.append(_("%(where)s: every option needs a code.") % {"where": where})
                continue
            option_where = f"{where}/{raw_option['code']}"
            options.append(
                Option(
                    code=str(raw_option["code"]),
                    weight=_int(raw_option.get("weight"), option_where, problems),
                    label=_texts(raw_option.get("label"), option_where, problems),
                )
            )
        if len({o.code for o in options}) != len(options):
            problems.append(_("%(where)s: option codes must be unique.") % {"where": where})
    return Indicator(
        code=code,
        type=str(kind),
        weight=_int(raw.get("weight"), where, problems),
        strong=bool(raw.get("strong", False)),
        label=_texts(raw.get("label"), where, problems),
        help=_texts(raw.get("help"), f"{where} (help)", problems),
        options=tuple(options),
    )


def check_definition(raw: Any) -> Definition:
    """The definition as typed objects, or DefinitionError listing every problem."""
    problems: list[str] = []
    if not isinstance(raw, dict):
        raise DefinitionError([_("The instrument must be a JSON object.")])
    code = str(raw.get("code") or "").strip()
    if not code:
        problems.append(_("The instrument needs a code."))
    title = _texts(raw.get("title"), _("title"), problems)
    description = raw.get("description") or {}
    thresholds = raw.get("thresholds") or {}
    advice = _int(thresholds.get("advice"), _("advice threshold"), problems, default=1)
    referral = _int(thresholds.get("referral"), _("referral threshold"), problems, default=1)
    if referral < advice:
        problems.append(_("The referral threshold cannot be below the advice threshold."))
    child = raw.get("child_rule") or {}
    sections: list[Section] = []
    raw_sections = raw.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        problems.append(_("The instrument needs at least one section."))
        raw_sections = []
    for index, raw_section in enumerate(raw_sections, start=1):
        where = str(raw_section.get("code") or index) if isinstance(raw_section, dict) else str(index)
        if not isinstance(raw_section, dict) or not isinstance(raw_section.get("indicators"), list):
            problems.append(_("Section %(where)s: it needs a list of indicators.") % {"where": where})
            continue
        indicators = [_indicator(item, where, problems) for item in raw_section["indicators"]]
        sections.append(
            Section(
                code=where,
                title=_texts(raw_section.get("title"), where, problems),
                indicators=tuple(i for i in indicators if i is not None),
            )
        )
    codes = [i.code for s in sections for i in s.indicators]
    duplicated = sorted({c for c in codes if codes.count(c) > 1})
    if duplicated:
        problems.append(_("Indicator codes must be unique: %(codes)s.") % {"codes": ", ".join(duplicated)})
    unknown = sorted(set(child.get("indicators") or []) - set(codes))
    if unknown:
        problems.append(
            _("The child rule names unknown indicators: %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    if problems:
        raise DefinitionError(problems)
    return Definition(
        code=code,
        title=title,
        description={k: str(v) for k, v in description.items()} if isinstance(description, dict) else {},
        advice_threshold=advice,
        referral_threshold=referral,
        child_age_below=_int(child.get("age_below"), "child_rule", problems, default=18),
        child_purposes=frozenset(child.get("purposes") or []),
        child_indicators=frozenset(child.get("indicators") or []),
        sections=tuple(sections),
    )


def read_file(path: Path) -> dict[str, Any]:
    """The JSON of an instrument file, checked (DefinitionError when it is not usable)."""
    with path.open(encoding="utf-8") as handle:
        raw = json.load(handle)
    check_definition(raw)
    assert isinstance(raw, dict)
    return raw
