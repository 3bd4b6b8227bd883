"""Keeping `CaseFact` up to date, incrementally.

Every read of a table first brings the facts up to date (`facts_ensure_fresh`): at most every
`SHIELD_STATISTICS_REFRESH_SECONDS` (30 by default) it re-derives the facts of the cases that
changed since the last refresh: cases created or edited, identification decisions recorded,
trafficking details edited, screenings and tips linked to a case. The window starts `OVERLAP`
before the last refresh so a transaction that committed late is not missed (re-deriving a fact
twice gives the same fact). So a victim identified now counts in the next table read after at
most that many seconds, and there is no nightly rebuild. The first refresh (or `--full`) derives
every case: `manage.py statistics_refresh` (with progress) or the `facts_refresh_task` task.
"""

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from shield.cases.models import Case, IdentificationDecision, IdentificationStatus, TraffickingDetails
from shield.intake.models import Screening, Tip
from shield.statistics import dimensions as dims
from shield.statistics.models import CaseFact, FactRefresh

CASES = "cases"
OVERLAP = datetime.timedelta(minutes=5)
DEFAULT_REFRESH_SECONDS = 30
CHUNK = 5_000

DETECTED = (IdentificationStatus.POSSIBLE, IdentificationStatus.IDENTIFIED)


def refresh_seconds() -> float:
    return float(getattr(settings, "SHIELD_STATISTICS_REFRESH_SECONDS", DEFAULT_REFRESH_SECONDS))


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


def _fact(row: dict[str, Any], now: datetime.datetime) -> CaseFact:
    groups = _groups(row["trafficking_details__forms_of_exploitation"])
    return CaseFact(
        case_id=row["pk"],
        status=row["_status"] or "",
        detected_on=row["_detected_on"],
        identified_on=row["_identified_on"],
        channel=dims.BORDER_SCREENING if row["_screened"] else row["_tip_channel"],
        sexual="sexual" in groups,
        forced_labour="forced_labour" in groups,
        other_forms="other" in groups,
        forms_unknown=not groups,
        refreshed_at=now,
    )


_FIELDS = [
    "status",
    "detected_on",
    "identified_on",
    "channel",
    "sexual",
    "forced_labour",
    "other_forms",
    "forms_unknown",
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
