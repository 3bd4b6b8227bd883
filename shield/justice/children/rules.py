"""The children's rules as data: `shield/justice/data/child_rules.json` (setting
`JUSTICE_CHILD_RULES`) read through `shield.core.dated_rules`, with the values an administrator set
(`RuleValue`) laid on top. Pure functions of the rules and the facts: no access checks here.

`ChildRules.current()` reads the file (cached) and the overrides (one query) once; pass the bundle
to everything a page or service computes, so a page of many parties costs one query for the rules.
"""

import datetime
import importlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from shield.core import dated_rules
from shield.people import birth_dates

DATA = Path(__file__).resolve().parent.parent / "data" / "child_rules.json"
PREFIX = "justice.child_rules:"
SETS = ("deadlines", "interview_limits", "diversion_eligibility", "diversion_measures", "diversion_reports")
# Fields an administrator may set, per rule set (numbers only: the structure stays the file's).
SETTABLE = {
    "deadlines": ("hours",),
    "interview_limits": ("sessions_per_day", "minutes_per_session", "confrontations_per_day"),
    "diversion_eligibility": ("min_age", "below_age"),
    "diversion_reports": ("days",),
}
ACCUSED_ROLES = ("suspect", "accused", "defendant")


def deadline_label(key: str) -> str:
    labels = {
        "notify_guardian": _("Notify the guardian"),
        "notify_social_worker": _("Notify a social worker"),
        "first_interview": _("First interview"),
        "diversion_decision": _("Decide on diversion"),
        "custody_limit": _("Temporary custody limit"),
        "temporary_detention_limit": _("Temporary detention limit"),
    }
    return labels.get(key, key)


def rules_file() -> Path:
    return dated_rules.rules_path("JUSTICE_CHILD_RULES", DATA)


@dataclass(frozen=True)
class ChildRules:
    """Every children's rule set with the administrator's values on top, read once."""

    sets: dict[str, tuple[dated_rules.DatedRule, ...]]

    @classmethod
    def current(cls) -> "ChildRules":
        path = rules_file()
        overrides = dated_rules.overrides_for([PREFIX + name for name in SETS])  # one query for all
        return cls(
            sets={
                name: dated_rules.with_overrides(
                    dated_rules.load(path, name), PREFIX + name, overrides=overrides[PREFIX + name]
                )
                for name in SETS
            }
        )

    def rule(self, rule_set: str, key: str, day: datetime.date) -> dated_rules.DatedRule | None:
        return dated_rules.in_force(self.sets[rule_set], day, key=key)

    def keys(self, rule_set: str, day: datetime.date) -> list[str]:
        seen = dict.fromkeys(r["key"] for r in self.sets[rule_set] if r.covers(day))
        return [k for k in seen if self.rule(rule_set, k, day) is not None]


# Interview limits -------------------------------------------------------------------------------

# Codes of what the service refuses (kept on an interview whose refusal was justified).
TOO_MANY_SESSIONS = "too_many_sessions"
TOO_LONG = "too_long"
TOO_MANY_CONFRONTATIONS = "too_many_confrontations"
REPRESENTATIVE_MISSING = "representative_missing"
SOCIAL_WORKER_MISSING = "social_worker_missing"


def breach_label(code: str) -> str:
    labels = {
        TOO_MANY_SESSIONS: _("More sessions in one day than the law allows"),
        TOO_LONG: _("A session longer than the law allows"),
        TOO_MANY_CONFRONTATIONS: _("More than one confrontation in a day"),
        REPRESENTATIVE_MISSING: _("Without the child's representative"),
        SOCIAL_WORKER_MISSING: _("Without a social worker"),
    }
    return labels.get(code, code)


@dataclass(frozen=True)
class SessionFacts:
    kind: str
    minutes: int
    sessions_that_day: int  # other sessions (not cancelled) the same local day, this one excluded
    confrontations_that_day: int
    representative_present: bool
    social_worker_present: bool


@dataclass(frozen=True)
class LimitCheck:
    breaches: tuple[str, ...]
    law: str
    verified: bool
    limits: dict[str, Any]


def limit_key(role: str) -> str:
    return "accused" if role in ACCUSED_ROLES else "victim_witness"


def interview_check(rules: ChildRules, *, role: str, day: datetime.date, facts: SessionFacts) -> LimitCheck:
    """What the rule in force on `day` refuses in this session (empty: allowed)."""
    rule = rules.rule("interview_limits", limit_key(role), day)
    if rule is None:
        return LimitCheck(breaches=(), law="", verified=False, limits={})
    breaches: list[str] = []
    if facts.sessions_that_day + 1 > int(rule["sessions_per_day"]):
        breaches.append(TOO_MANY_SESSIONS)
    if facts.minutes > int(rule["minutes_per_session"]):
        breaches.append(TOO_LONG)
    if facts.kind == "confrontation" and facts.confrontations_that_day + 1 > int(
        rule["confrontations_per_day"]
    ):
        breaches.append(TOO_MANY_CONFRONTATIONS)
    if not facts.representative_present:
        breaches.append(REPRESENTATIVE_MISSING)
    if not facts.social_worker_present:
        breaches.append(SOCIAL_WORKER_MISSING)
    return LimitCheck(
        breaches=tuple(breaches),
        law=str(rule.get("law", "")),
        verified=bool(rule.get("verified")),
        limits=dict(rule.fields),
    )


def repeated(topics: Sequence[str], earlier: Iterable[str]) -> list[str]:
    """The topics of this session already covered in an earlier one (compared case- and
    space-insensitively)."""
    seen = {_topic_key(t) for t in earlier}
    return [t for t in topics if _topic_key(t) in seen]


def _topic_key(topic: str) -> str:
    return " ".join(topic.casefold().split())


# Deadlines --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    key: str
    label: str
    due_at: datetime.datetime
    met_at: datetime.datetime | None
    law: str
    verified: bool
    overridden: bool

    @property
    def state(self) -> str:
        """ "met", "late" (met after it was due), "breached" or "due"."""
        if self.met_at is not None:
            return "met" if self.met_at <= self.due_at else "late"
        return "breached" if self._now() > self.due_at else "due"

    @staticmethod
    def _now() -> datetime.datetime:
        from django.utils import timezone

        return timezone.now()


def deadlines(
    rules: ChildRules,
    *,
    role: str,
    started_at: datetime.datetime,
    met: dict[str, datetime.datetime],
    keys: Iterable[str] = (
        "notify_guardian",
        "notify_social_worker",
        "first_interview",
        "diversion_decision",
    ),
) -> list[Deadline]:
    """The deadlines of a child party whose clocks started at `started_at`, by the rules in force
    that (local) day, with when each was met."""
    from django.utils import timezone

    day = timezone.localdate(started_at)
    found = []
    for key in keys:
        rule = rules.rule("deadlines", key, day)
        if rule is None or role not in rule.get("roles", ()):
            continue
        found.append(
            Deadline(
                key=key,
                label=deadline_label(key),
                due_at=started_at + datetime.timedelta(hours=int(rule["hours"])),
                met_at=met.get(key),
                law=str(rule.get("law", "")),
                verified=bool(rule.get("verified")),
                overridden="override" in rule.fields,
            )
        )
    return found


# Detention limits -------------------------------------------------------------------------------

# The detention kinds a child's limit applies to, and the deadline rule holding it (a sentence has none).
DETENTION_LIMIT_KEYS = {
    "police_custody": "custody_limit",
    "temporary_detention": "temporary_detention_limit",
}
DETENTION_LIMIT_EXCEEDED = "detention_limit_exceeded"


@dataclass(frozen=True)
class DetentionLimit:
    """How long a child may be held in one episode, by the rule in force on its first day."""

    key: str
    label: str
    hours: int
    warn_hours: int
    ends_at: datetime.datetime
    law: str
    verified: bool
    overridden: bool

    def state(self, *, ended_at: datetime.datetime | None, now: datetime.datetime) -> str:
        """ "within", "near" (held, the limit within `warn_hours`), "breached" (held past the limit)
        or "exceeded" (released after it)."""
        if ended_at is not None:
            return "exceeded" if ended_at > self.ends_at else "within"
        if now > self.ends_at:
            return "breached"
        if now >= self.ends_at - datetime.timedelta(hours=self.warn_hours):
            return "near"
        return "within"


def detention_limit(
    rules: ChildRules, *, kind: str, started_at: datetime.datetime, is_child: bool
) -> DetentionLimit | None:
    """The limit of a child's custody or temporary detention that started at `started_at`, by the
    rule in force that local day (with the administrator's value); None for adults, sentences, or
    before any rule was in force."""
    from django.utils import timezone

    key = DETENTION_LIMIT_KEYS.get(kind)
    if not is_child or key is None:
        return None
    rule = rules.rule("deadlines", key, timezone.localdate(started_at))
    if rule is None:
        return None
    hours = int(rule["hours"])
    return DetentionLimit(
        key=key,
        label=deadline_label(key),
        hours=hours,
        warn_hours=int(rule.get("warn_hours", 24)),
        ends_at=started_at + datetime.timedelta(hours=hours),
        law=str(rule.get("law", "")),
        verified=bool(rule.get("verified")),
        overridden="override" in rule.fields,
    )


def limit_periods(
    rules: ChildRules, key: str
) -> list[tuple[datetime.date, datetime.date | None, dated_rules.DatedRule]]:
    """The spans of first days over which one rule of `key` is in force: (from, until exclusive or
    None, rule). A query selecting episodes by their limit walks these (a change of law or an
    administrator's value starts a new span)."""
    starts: set[datetime.date] = set()
    for r in rules.sets["deadlines"]:
        if r.get("key") != key:
            continue
        starts.add(r.effective_from)
        if r.effective_to is not None:
            starts.add(r.effective_to + datetime.timedelta(days=1))
    ordered = sorted(starts)
    spans = []
    for i, first in enumerate(ordered):
        rule = rules.rule("deadlines", key, first)
        if rule is not None:
            spans.append((first, ordered[i + 1] if i + 1 < len(ordered) else None, rule))
    return spans


# Diversion --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    code: str
    name_vi: str
    name_en: str

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi


def measures(rules: ChildRules, day: datetime.date) -> list[Measure]:
    found = []
    for key in rules.keys("diversion_measures", day):
        rule = rules.rule("diversion_measures", key, day)
        assert rule is not None
        found.append(Measure(code=key, name_vi=str(rule["vi"]), name_en=str(rule["en"])))
    return found


def report_interval_days(rules: ChildRules, day: datetime.date) -> tuple[int, bool]:
    rule = rules.rule("diversion_reports", "compliance_report", day)
    if rule is None:
        return 30, False
    return int(rule["days"]), bool(rule.get("verified"))


def youngest_age_on(
    *,
    on: datetime.date,
    precision: str,
    birth_date: datetime.date | None,
    estimated_age: int | None,
    age_estimated_on: datetime.date | None,
) -> int | None:
    """The age on `on` of the youngest the person can be, given the registry's precision (the law
    presumes the younger age when it is uncertain); None when nothing is known."""
    latest = birth_dates.latest_possible_birth(
        precision=precision,
        birth_date=birth_date,
        estimated_age=estimated_age,
        age_estimated_on=age_estimated_on,
    )
    if latest is None:
        return None
    years = on.year - latest.year
    if birth_dates.add_years(latest, years) > on:
        years -= 1
    return years


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reason: str
    verified: bool


def offence_class(code: str) -> str | None:
    """The class of an offence from the proceedings part's list (`proceedings/offences.py`)."""
    try:
        module = importlib.import_module("shield.justice.proceedings.offences")
    except ImportError:  # pragma: no cover - the proceedings part's loader not merged yet
        return _STAND_IN_CLASSES.get(code)
    offence = module.get(code)
    return None if offence is None else str(offence.offence_class)


# Used only until the proceedings part's offence list is merged (same codes and classes).
_STAND_IN_CLASSES = {
    "BLHS-150": "especially_serious",
    "BLHS-151": "especially_serious",
    "BLHS-123": "especially_serious",
    "BLHS-145": "very_serious",
    "BLHS-147": "very_serious",
    "BLHS-185": "serious",
    "BLHS-318": "serious",
    "BLHS-328": "very_serious",
}


def eligibility(
    rules: ChildRules, *, role: str, age: int | None, offence_codes: Sequence[str], on: datetime.date
) -> Eligibility:
    """Whether a child may be diverted, and why (the reason names the rule that decided)."""
    roles = rules.rule("diversion_eligibility", "roles", on)
    if roles is None:
        return Eligibility(False, _("No diversion rule was in force on the date of the offence."), True)
    if role not in roles["roles"]:
        return Eligibility(False, _("Only a suspect, accused or defendant can be diverted."), True)
    if age is None:
        return Eligibility(False, _("The age at the offence is unknown: record the date of birth."), True)
    if not offence_codes:
        return Eligibility(False, _("The proceeding names no offence."), True)
    bands = [
        rules.rule("diversion_eligibility", key, on)
        for key in rules.keys("diversion_eligibility", on)
        if key.startswith("band_")
    ]
    for band in bands:
        assert band is not None
        if not (int(band["min_age"]) <= age < int(band["below_age"])):
            continue
        verified = bool(band.get("verified"))
        excluded = [c for c in offence_codes if c in band.get("excluded_offences", ())]
        if excluded:
            return Eligibility(
                False,
                _("Aged %(age)d at the offence: %(codes)s is excluded from diversion at this age.")
                % {"age": age, "codes": ", ".join(excluded)},
                verified,
            )
        classes = {c: offence_class(c) for c in offence_codes}
        outside = [c for c, cls in classes.items() if cls not in band["offence_classes"]]
        if outside:
            return Eligibility(
                False,
                _(
                    "Aged %(age)d at the offence: diversion covers only %(classes)s offences; "
                    "%(codes)s is not one."
                )
                % {"age": age, "classes": ", ".join(band["offence_classes"]), "codes": ", ".join(outside)},
                verified,
            )
        return Eligibility(
            True,
            _("Aged %(age)d at the offence, %(classes)s offence: eligible (%(law)s).")
            % {
                "age": age,
                "classes": ", ".join(sorted({str(c) for c in classes.values()})),
                "law": band.get("law", ""),
            },
            verified,
        )
    return Eligibility(
        False, _("Aged %(age)d at the offence: outside the ages diversion covers.") % {"age": age}, True
    )
