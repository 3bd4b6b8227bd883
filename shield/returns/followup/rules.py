"""The follow-up schedule (dated configuration) and the reintegration instrument (data files).

`data/followup_schedules.json` is read through the one dated-rules loader (`shield.core.dated_rules`,
as the cases app's deadline rules): a plan follows the rule in force on its start day that lists its
case's type, else the default rule (empty `case_types`). `data/instruments/*.json` holds each
published version of the instrument; it is copied into `ReintegrationInstrument` lazily, the first
time it is needed, and never changed afterwards (a follow-up keeps the version it was scored with).
"""

import datetime
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from shield.core import dated_rules
from shield.core.errors import ValidationFailed
from shield.returns.models import ReintegrationInstrument

DATA = Path(__file__).resolve().parent.parent / "data"
DEFAULT_SCHEDULES = DATA / "followup_schedules.json"
INSTRUMENTS = DATA / "instruments"
INSTRUMENT_CODE = "reintegration"
DIMENSIONS = ("economic", "social", "psychosocial")


def schedule_for(starts_on: datetime.date, case_type: str = "") -> tuple[str, tuple[int, ...]]:
    """The schedule's code and its months after the start, for a plan starting on this day."""
    path = dated_rules.rules_path("SHIELD_FOLLOWUP_SCHEDULES", DEFAULT_SCHEDULES)
    chosen: dated_rules.DatedRule | None = None
    default: dated_rules.DatedRule | None = None
    for rule in dated_rules.load(path, "schedules"):
        if not rule.covers(starts_on):
            continue
        types = rule.get("case_types") or []
        if not types:
            default = rule
        elif case_type and case_type in types:
            chosen = rule
    found = chosen or default
    if found is None:
        return "default", (1, 3, 6, 12)
    return str(found["code"]), tuple(int(m) for m in found["months"])


def schedules_in_force(day: datetime.date) -> list[tuple[str, tuple[int, ...], str]]:
    """Every schedule rule in force on this day (code, months, description), for a form's choices."""
    path = dated_rules.rules_path("SHIELD_FOLLOWUP_SCHEDULES", DEFAULT_SCHEDULES)
    return [
        (str(rule["code"]), tuple(int(m) for m in rule["months"]), str(rule.get("description") or ""))
        for rule in dated_rules.load(path, "schedules")
        if rule.covers(day)
    ]


def schedule_named(code: str, starts_on: datetime.date) -> tuple[int, ...] | None:
    """The months of the schedule `code` if it is in force on `starts_on`, else None."""
    return next((months for found, months, _ in schedules_in_force(starts_on) if found == code), None)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day when it is shorter)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def _definition_file(code: str, version: int) -> Path:
    return INSTRUMENTS / f"{code}-v{version}.json"


def latest_version(code: str = INSTRUMENT_CODE) -> int:
    versions = [int(p.stem.rsplit("-v", 1)[1]) for p in INSTRUMENTS.glob(f"{code}-v*.json")]
    return max(versions)


def instrument(code: str = INSTRUMENT_CODE, version: int | None = None) -> ReintegrationInstrument:
    """The instrument version (the newest file's by default), stored on first use; never rewritten."""
    number = version if version is not None else latest_version(code)
    found = ReintegrationInstrument.objects.filter(code=code, version=number).first()
    if found is not None:
        return found
    with _definition_file(code, number).open(encoding="utf-8") as handle:
        definition = json.load(handle)
    row = ReintegrationInstrument(
        code=code,
        version=number,
        title_vi=definition["title"]["vi"][:200],
        title_en=definition["title"]["en"][:200],
        definition=definition,
        source=definition.get("source", "")[:300],
        published_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        return ReintegrationInstrument.objects.get(code=code, version=number)
    return row


def _q3(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def score(definition: dict[str, Any], answers: dict[str, str]) -> dict[str, Decimal | None]:
    """Dimension scores (weighted mean of the answered questions' option scores) and the composite
    (weighted mean of the scored dimensions), each 0 to 1; None where nothing was answered. An answer
    to an unknown question or with an unknown option is refused."""
    known = {q["code"]: q for d in definition["dimensions"] for q in d["questions"]}
    errors = {}
    for question, option in answers.items():
        if question not in known:
            errors[question] = ["Not a question of this instrument."]
        elif option not in {o["code"] for o in known[question]["options"]}:
            errors[question] = ["Not an answer to this question."]
    if errors:
        raise ValidationFailed(field_errors={f"answers.{k}": v for k, v in errors.items()})
    result: dict[str, Decimal | None] = {}
    total = weights = 0.0
    for dimension in definition["dimensions"]:
        got = wsum = 0.0
        for question in dimension["questions"]:
            picked = answers.get(question["code"])
            if not picked:
                continue
            value = next(o["score"] for o in question["options"] if o["code"] == picked)
            got += float(value) * float(question["weight"])
            wsum += float(question["weight"])
        if wsum:
            dim = got / wsum
            result[dimension["code"]] = _q3(dim)
            total += dim * float(dimension["weight"])
            weights += float(dimension["weight"])
        else:
            result[dimension["code"]] = None
    result["composite"] = _q3(total / weights) if weights else None
    return result
