"""Keeping `CaseFact` up to date, incrementally.

Every read of a table first brings the facts up to date (`facts_ensure_fresh`): at most every
`SHIELD_STATISTICS_REFRESH_SECONDS` (30 by default) it re-derives the facts of the cases that
changed since the last refresh: cases created or edited, identification decisions recorded,
trafficking details edited, screenings and tips linked to a case, persons edited or merged, and
persons whose individual a linkage run or a reviewer's decision changed (`PersonIndividual`). The
window starts `OVERLAP` before the last refresh so a transaction that committed late is not missed
(re-deriving a fact twice gives the same fact). So a victim identified now counts in the next table
read after at most that many seconds, and there is no nightly rebuild. The first refresh (or
`--full`) derives every case: `manage.py statistics_refresh` (with progress) or the
`facts_refresh_task` task."""

import datetime
import os
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from shield.cases.models import Case, IdentificationDecision, IdentificationStatus, TraffickingDetails
from shield.intake.models import Screening, Tip
from shield.linkage.models import PersonIndividual, PersonMerge
from shield.people import birth_dates
from shield.people.models import Person
from shield.statistics import dimensions as dims
from shield.statistics.models import CaseFact, FactRefresh

CASES = "cases"
OVERLAP = datetime.timedelta(minutes=5)
DEFAULT_REFRESH_SECONDS = 30
CHUNK = 5_000

DETECTED = (IdentificationStatus.POSSIBLE, IdentificationStatus.IDENTIFIED)


def refresh_seconds() -> float:
    """The setting, else the environment variable of the same name, else 30 seconds."""
    configured = getattr(settings, "SHIELD_STATISTICS_REFRESH_SECONDS", None)
    if configured is None:
        return float(os.environ.get("SHIELD_STATISTICS_REFRESH_SECONDS", DEFAULT_REFRESH_SECONDS))
    return float(configured)


def _derived(case_ids: Iterable[Any]) -> list[dict[str, Any]]:
    decisions = IdentificationDecision.objects.filter(case=OuterRef("pk"))
    tip_channel = Subquery(
        Tip.objects.filter(case=OuterRef("pk")).order_by("received_at").values("channel")[:1]
    )
    return list(
        Case.objects.filter(pk__in=list(case_ids))
        .annotate(
            _status=Subquery(decisions.order_by("-decided_on", "-created_at").values("status")[:1]),
            _detected_on=Subquery(
                decisions.filter(status__in=DETECTED).order_by("decided_on").values("decided_on")[:1]
            ),
            _identified_on=Subquery(
                decisions.filter(status=IdentificationStatus.IDENTIFIED)
                .order_by("decided_on")
                .values("decided_on")[:1]
            ),
            _screened=Exists(Screening.objects.filter(case=OuterRef("pk"))),
            _tip_channel=Coalesce(tip_channel, Value(dims.DIRECT), output_field=CharField()),
        )
        .values(
            "pk",
            "person_id",
            "person__linkage_individual__individual_id",
            "person__sex",
            "person__nationality",
            "person__home_province__code",
            "person__birth_date_precision",
            "person__birth_date",
            "person__estimated_age",
            "person__age_estimated_on",
            "_status",
            "_detected_on",
            "_identified_on",
            "_screened",
            "_tip_channel",
            "trafficking_details__forms_of_exploitation",
        )
    )


def _groups(forms: Any) -> set[str]:
    values = set(forms or [])
    return {group for group, members in dims.EXPLOITATION_GROUPS.items() if values & set(members)}


def age_on(latest_birth: datetime.date | None, day: datetime.date | None) -> int | None:
    """Whole years from `latest_birth` to `day`, birthdays falling as `birth_dates.add_years` puts
    them (29 February on 28 February in other years), so `age_on(...) < 18` is `is_child`."""
    if latest_birth is None or day is None or day < latest_birth:
        return None
    years = day.year - latest_birth.year
    if birth_dates.add_years(latest_birth, years) > day:
        years -= 1
    return years


def _latest_birth(row: dict[str, Any]) -> datetime.date | None:
    return birth_dates.latest_possible_birth(
        precision=row["person__birth_date_precision"],
        birth_date=row["person__birth_date"],
        estimated_age=row["person__estimated_age"],
        age_estimated_on=row["person__age_estimated_on"],
    )


def _fact(row: dict[str, Any], now: datetime.datetime) -> CaseFact:
    groups = _groups(row["trafficking_details__forms_of_exploitation"])
    latest = _latest_birth(row)
    return CaseFact(
        case_id=row["pk"],
        status=row["_status"] or "",
        detected_on=row["_detected_on"],
        identified_on=row["_identified_on"],
        age_detected=age_on(latest, row["_detected_on"]),
        age_identified=age_on(latest, row["_identified_on"]),
        channel=dims.BORDER_SCREENING if row["_screened"] else row["_tip_channel"],
        sexual="sexual" in groups,
        forced_labour="forced_labour" in groups,
        other_forms="other" in groups,
        forms_unknown=not groups,
        record=row["person_id"],
        unit=row["person__linkage_individual__individual_id"] or row["person_id"],
        sex=row["person__sex"] or "",
        citizenship=str(row["person__nationality"] or ""),
        province=row["person__home_province__code"] or "",
        refreshed_at=now,
    )


_FIELDS = [
    "status",
    "detected_on",
    "identified_on",
    "age_detected",
    "age_identified",
    "channel",
    "sexual",
    "forced_labour",
    "other_forms",
    "forms_unknown",
    "record",
    "unit",
    "sex",
    "citizenship",
    "province",
    "refreshed_at",
]


def _write(case_ids: list[Any], now: datetime.datetime) -> int:
    facts = [_fact(row, now) for row in _derived(case_ids)]
    CaseFact.objects.bulk_create(facts, update_conflicts=True, unique_fields=["case"], update_fields=_FIELDS)
    return len(facts)


def _changed_since(since: datetime.datetime) -> set[Any]:
    changed: set[Any] = set(
        Case.objects.filter(Q(created_at__gte=since) | Q(updated_at__gte=since)).values_list("pk", flat=True)
    )
    changed |= set(
        IdentificationDecision.objects.filter(created_at__gte=since).values_list("case_id", flat=True)
    )
    changed |= set(TraffickingDetails.objects.filter(updated_at__gte=since).values_list("case_id", flat=True))
    # A person edited (birth date, sex, citizenship, province) or merged, or given another
    # individual by a linkage run or a reviewer: their cases' ages and copies of the person.
    persons = set(Person.objects.filter(updated_at__gte=since).values_list("pk", flat=True))
    persons |= set(PersonIndividual.objects.filter(updated_at__gte=since).values_list("person_id", flat=True))
    for merge in PersonMerge.objects.filter(Q(created_at__gte=since) | Q(unmerged_at__gte=since)).values(
        "survivor_id", "merged_id"
    ):
        persons |= {merge["survivor_id"], merge["merged_id"]}
    if persons:
        changed |= set(Case.objects.filter(person__in=list(persons)).values_list("pk", flat=True))
    for model in (Screening, Tip):
        changed |= set(
            model.objects.filter(updated_at__gte=since, case__isnull=False).values_list("case_id", flat=True)
        )
    return changed


def facts_refresh(*, full: bool = False, progress: Callable[[int, int], None] | None = None) -> int:
    """Re-derive the facts of every case changed since the last refresh (all cases the first time
    or with `full`); returns how many were written. `progress(done, total)` is called per chunk."""
    now = timezone.now()
    state = FactRefresh.objects.filter(name=CASES).first()
    if state is None or full:
        ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    else:
        ids = sorted(_changed_since(state.through - OVERLAP))
    written = 0
    for start in range(0, len(ids), CHUNK):
        with transaction.atomic():
            written += _write(ids[start : start + CHUNK], now)
        if progress is not None:
            progress(min(start + CHUNK, len(ids)), len(ids))
    FactRefresh.objects.update_or_create(name=CASES, defaults={"through": now, "rows": written})
    return written


def facts_ensure_fresh() -> None:
    """Refresh the facts unless that was done less than `refresh_seconds()` ago."""
    through = FactRefresh.objects.filter(name=CASES).values_list("through", flat=True).first()
    if through is not None and (timezone.now() - through).total_seconds() < refresh_seconds():
        return
    facts_refresh()
