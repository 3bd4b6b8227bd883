"""Linkage runs: every person in the registry through the engine, then stable individuals.

`run_start` queues a run as a background task (the page's button, `link_persons --enqueue`);
`run_create` + `run_execute` run one in the caller's process (`link_persons`). A run:

1. reads every person not merged into another (chunked), as the engine's `Record`s;
2. calls `engine.dedupe`, with every reviewer's decision as a labelled pair (`decision_labels`):
   the engine learns from them how to score pairs like them;
3. applies reviewers' decisions (`clusters.apply_decisions`): confirmed pairs joined, rejected
   pairs split apart;
4. gives each cluster an individual (`clusters.assign_numbers`): the one most of its persons had;
5. stores the uncertain pairs for review, skipping pairs already decided.

Progress (0 to 100 and a stage) is written on the run row as it goes, outside the final
transaction, so the page polling it sees it move.
"""

import datetime
import logging
import traceback
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shield import audit
from shield.accounts.models import User
from shield.audit.models import AuditAction
from shield.core.errors import InvalidTransition
from shield.linkage import clusters
from shield.linkage.engine import DedupeResult, LinkageSettings, Record, dedupe
from shield.linkage.engine.labels import LabelledPair
from shield.linkage.model_notes import finished_stage
from shield.linkage.models import (
    Decision,
    Individual,
    LinkageRun,
    PairDecision,
    PairStatus,
    PersonIndividual,
    PersonMerge,
    ReviewPair,
    RunStatus,
)
from shield.notifications.models import Kind
from shield.notifications.services import notify, users_with
from shield.people.models import (
    BirthDatePrecision,
    DocumentKind,
    DocumentStatus,
    IdentityDocument,
    Person,
    Sex,
)

logger = logging.getLogger(__name__)

CHUNK = 5_000
# An unfinished run whose row has not moved for this long is taken as dead (its worker stopped):
# it no longer blocks a new one. Progress is written at least every few seconds while it runs.
STALE_AFTER = datetime.timedelta(hours=2)
# The share of the progress bar each part takes (the engine's part is most of the time).
LOAD_END, ENGINE_END, APPLY_END = 10, 85, 95
ENGINE_STAGES = {"normalise": 0.0, "train": 0.15, "predict": 0.45, "cluster": 0.8, "review": 0.9, "done": 1.0}
# The document that identifies best, first.
DOCUMENT_PRIORITY: dict[str, int] = {DocumentKind.CCCD: 0, DocumentKind.CMND: 1, DocumentKind.PASSPORT: 2}
SEXES: dict[str, str] = {Sex.FEMALE: "F", Sex.MALE: "M"}
BIRTH_FORMATS: dict[str, str] = {
    BirthDatePrecision.DAY: "%Y-%m-%d",
    BirthDatePrecision.MONTH: "%Y-%m",
    BirthDatePrecision.YEAR: "%Y",
    # An estimated age stores an approximate date: only its year means anything.
    BirthDatePrecision.ESTIMATED_AGE: "%Y",
}

Progress = Callable[[int, str], None]


def _active_run() -> LinkageRun | None:
    since = timezone.now() - STALE_AFTER
    return (
        LinkageRun.objects.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING], updated_at__gte=since)
        .order_by("-created_at")
        .first()
    )


@transaction.atomic
def run_create(*, actor: User | None) -> LinkageRun:
    """A queued run (refused while another is queued or running: two would fight over ids)."""
    if _active_run() is not None:
        raise InvalidTransition(
            _(
                "A linkage run is already queued or running: wait for it to finish. A run that no "
                "worker has picked up can be cancelled from its page."
            )
        )
    run = LinkageRun.objects.create(requested_by=actor)
    audit.record(action=AuditAction.CREATE, actor=actor, obj=run, changed_fields=["status", "requested_by"])
    return run


@transaction.atomic
def run_start(*, actor: User | None) -> LinkageRun:
    """Queue a run as a background task (`manage.py db_worker` runs it). The task row is written
    in this transaction, so a run that is not committed is never picked up."""
    from shield.linkage.tasks import linkage_run

    run = run_create(actor=actor)
    result = linkage_run.enqueue(str(run.pk))
    # The immediate backend (tests) has already finished the run by now: keep its outcome.
    LinkageRun.objects.filter(pk=run.pk).update(task_id=str(result.id)[:64])
    run.refresh_from_db()
    return run


@transaction.atomic
def run_cancel(*, actor: User, run: LinkageRun) -> LinkageRun:
    """Cancel a run no worker has started, so that it no longer blocks the next one.

    A queued run waits for `manage.py db_worker`; without a worker it waits for ever. Cancelling
    is refused once a worker has started it (it then finishes or fails on its own). If a worker
    starts later, it finds the run cancelled and leaves it.
    """
    now = timezone.now()
    cancelled = LinkageRun.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(
        status=RunStatus.CANCELLED, finished_at=now, stage="", updated_at=now
    )
    if not cancelled:
        raise InvalidTransition(_("Only a run that has not started can be cancelled."))
    run.refresh_from_db()
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=run,
        changed_fields=["status", "finished_at"],
        details={"cancelled_after_seconds": int((now - run.created_at).total_seconds())},
    )
    return run


def _set_progress(run: LinkageRun, percent: int, stage: str) -> None:
    run.progress, run.stage = max(0, min(100, percent)), stage[:100]
    LinkageRun.objects.filter(pk=run.pk).update(
        progress=run.progress, stage=run.stage, updated_at=timezone.now()
    )


def _birth(date: datetime.date | None, precision: str) -> str:
    fmt = BIRTH_FORMATS.get(precision)
    return date.strftime(fmt) if date is not None and fmt else ""


def merged_away_ids() -> set[uuid.UUID]:
    return set(PersonMerge.objects.filter(unmerged_at__isnull=True).values_list("merged_id", flat=True))


def _id_numbers() -> dict[uuid.UUID, str]:
    """Each person's best active identity number: CCCD, else CMND, else passport. An entry
    corrected (its replacement counts instead) or entered in error is not active."""
    best: dict[uuid.UUID, tuple[int, str]] = {}
    rows = (
        IdentityDocument.objects.filter(
            is_active=True, status=DocumentStatus.CURRENT, kind__in=list(DOCUMENT_PRIORITY)
        )
        .order_by()
        .values_list("person_id", "kind", "number")
        .iterator(chunk_size=CHUNK)
    )
    for person_id, kind, number in rows:
        rank = DOCUMENT_PRIORITY[kind]
        if person_id not in best or rank < best[person_id][0]:
            best[person_id] = (rank, number)
    return {person_id: number for person_id, (_rank, number) in best.items()}


def person_records() -> Iterator[Record]:
    """Every person not merged into another, as the engine reads them, in id order."""
    skip = merged_away_ids()
    numbers = _id_numbers()
    rows = (
        Person.objects.order_by("pk")
        .values_list(
            "pk",
            "full_name",
            "sex",
            "birth_date",
            "birth_date_precision",
            "home_province__name",
            "owner_agency__code",
        )
        .iterator(chunk_size=CHUNK)
    )
    for pk, full_name, sex, birth_date, precision, province, agency in rows:
        if pk in skip:
            continue
        yield Record(
            record_id=str(pk),
            full_name=full_name,
            sex=SEXES.get(sex, ""),
            birth_date=_birth(birth_date, precision),
            id_number=numbers.get(pk, ""),
            province=province or "",
            source=agency or "",
        )


def _decided_pairs() -> tuple[list[tuple[str, str]], list[tuple[str, str]], set[tuple[str, str]]]:
    confirmed: list[tuple[str, str]] = []
    rejected: list[tuple[str, str]] = []
    rows = PairDecision.objects.values_list("person_low_id", "person_high_id", "decision").iterator()
    for low, high, decision in rows:
        (confirmed if decision == Decision.SAME else rejected).append((str(low), str(high)))
    return confirmed, rejected, set(confirmed) | set(rejected)


def decision_labels(record_ids: set[str]) -> list[LabelledPair]:
    """Every reviewer's decision as a labelled pair for the engine (same → a match, different →
    not); pairs with a person not in the run (merged into another since) are left out."""
    labels = []
    rows = PairDecision.objects.values_list("person_low_id", "person_high_id", "decision").iterator()
    for low, high, decision in rows:
        if str(low) in record_ids and str(high) in record_ids:
            labels.append(LabelledPair(str(low), str(high), decision == Decision.SAME))
    return labels


@dataclass
class _Outcome:
    individuals: int = 0
    new_individuals: int = 0
    reassigned: int = 0
    review_pairs: int = 0


def _write_individuals(run: LinkageRun, final: dict[str, str], outcome: _Outcome) -> None:
    current_rows = PersonIndividual.objects.values_list("person_id", "individual__number").iterator(
        chunk_size=CHUNK
    )
    current = {str(person_id): number for person_id, number in current_rows}
    groups_by_key: dict[str, list[str]] = {}
    for record_id, key in final.items():
        groups_by_key.setdefault(key, []).append(record_id)
    groups = list(groups_by_key.values())
    numbers = clusters.assign_numbers(groups, current)
    next_number = (Individual.objects.aggregate(top=Max("number"))["top"] or 0) + 1
    new_individuals = []
    for index, number in enumerate(numbers):
        if number is None:
            numbers[index] = next_number
            new_individuals.append(
                Individual(number=next_number, code=Individual.code_for(next_number), first_run=run)
            )
            next_number += 1
    Individual.objects.bulk_create(new_individuals, batch_size=CHUNK)
    ids_by_number = dict(
        Individual.objects.filter(number__in={n for n in numbers if n is not None}).values_list(
            "number", "pk"
        )
    )
    to_create, to_update = [], []
    for members, number in zip(groups, numbers, strict=True):
        assert number is not None
        for person_id in members:
            if person_id not in current:
                to_create.append(
                    PersonIndividual(person_id=person_id, individual_id=ids_by_number[number], run=run)
                )
            elif current[person_id] != number:
                to_update.append(
                    PersonIndividual(person_id=person_id, individual_id=ids_by_number[number], run=run)
                )
    PersonIndividual.objects.bulk_create(to_create, batch_size=CHUNK)
    # bulk_update skips auto_now: stamp the time by hand.
    now = timezone.now()
    for row in to_update:
        row.updated_at = now
    PersonIndividual.objects.bulk_update(to_update, ["individual", "run", "updated_at"], batch_size=CHUNK)
    _follow_merges()
    outcome.individuals = len(groups)
    outcome.new_individuals = len(new_individuals)
    outcome.reassigned = len(to_update)


def _follow_merges() -> None:
    """A person merged into another is the survivor's individual."""
    for merged_id, survivor_id in PersonMerge.objects.filter(unmerged_at__isnull=True).values_list(
        "merged_id", "survivor_id"
    ):
        individual_id = (
            PersonIndividual.objects.filter(person_id=survivor_id)
            .values_list("individual_id", flat=True)
            .first()
        )
        if individual_id is not None:
            PersonIndividual.objects.update_or_create(
                person_id=merged_id, defaults={"individual_id": individual_id}
            )


def _write_review_pairs(
    run: LinkageRun,
    result: DedupeResult,
    final: dict[str, str],
    decided: set[tuple[str, str]],
    outcome: _Outcome,
) -> None:
    reported: dict[tuple[str, str], Any] = {}
    for pair in result.review_pairs:
        key = clusters.pair_key(pair.left, pair.right)
        if key in decided or key in reported or final.get(pair.left) == final.get(pair.right):
            continue  # decided already, or joined by a confirmed pair
        reported[key] = pair
    open_pairs = {
        (str(p.person_low_id), str(p.person_high_id)): p
        for p in ReviewPair.objects.filter(status=PairStatus.OPEN)
    }
    now = timezone.now()
    stale = [p.pk for key, p in open_pairs.items() if key not in reported]
    for start in range(0, len(stale), CHUNK):
        ReviewPair.objects.filter(pk__in=stale[start : start + CHUNK]).update(
            status=PairStatus.SUPERSEDED, updated_at=now
        )
    to_create, to_refresh = [], []
    for key, pair in reported.items():
        evidence = [{"field": e.field, "level": e.level, "weight": round(e.weight, 3)} for e in pair.evidence]
        values = {
            "run": run,
            "match_probability": min(1.0, max(0.0, float(pair.match_probability))),
            "match_weight": float(pair.match_weight),
            "evidence": evidence,
        }
        existing = open_pairs.get(key)
        if existing is None:
            to_create.append(ReviewPair(person_low_id=key[0], person_high_id=key[1], **values))
        else:
            # A refresh of the same question, not an edit by a person: the version stays, so a
            # reviewer who has the pair open can still decide it.
            for field, value in values.items():
                setattr(existing, field, value)
            existing.updated_at = now
            to_refresh.append(existing)
    ReviewPair.objects.bulk_create(to_create, batch_size=CHUNK)
    ReviewPair.objects.bulk_update(
        to_refresh, ["run", "match_probability", "match_weight", "evidence", "updated_at"], batch_size=CHUNK
    )
    outcome.review_pairs = len(reported)


def run_execute(
    *,
    run: LinkageRun,
    settings: LinkageSettings | None = None,
    on_progress: Progress | None = None,
) -> LinkageRun:
    """Run a queued run to its end here and now. A failure is stored on the run (status failed,
    the error's type and message, no personal data) and raised again."""

    def report(percent: int, stage: str) -> None:
        _set_progress(run, percent, stage)
        if on_progress is not None:
            on_progress(run.progress, stage)

    # Claimed only while still queued: a run cancelled meanwhile is not started after all.
    now = timezone.now()
    claimed = LinkageRun.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=now, updated_at=now
    )
    if not claimed:
        raise InvalidTransition(_("This run has already started."))
    run.status, run.started_at, run.updated_at = RunStatus.RUNNING, now, now
    try:
        report(0, "load")
        records = list(person_records())
        report(LOAD_END, "engine")

        def engine_progress(stage: str, fraction: float) -> None:
            start = ENGINE_STAGES.get(stage, 0.0)
            ends = sorted(v for v in ENGINE_STAGES.values() if v > start)
            share = start + (ends[0] - start if ends else 0.0) * max(0.0, min(1.0, fraction))
            report(LOAD_END + round((ENGINE_END - LOAD_END) * share), stage)

        labels = decision_labels({record.record_id for record in records})
        result = dedupe(records, settings=settings, progress=engine_progress, labels=labels)
        report(ENGINE_END, "apply")
        _finish(run, records, result, len(labels))
        # Says which model scored the run when it was not the registry's own (`model_notes`).
        report(100, finished_stage(result))
    except Exception as exc:
        logger.exception("Linkage run %s failed", run.pk)
        LinkageRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED,
            finished_at=timezone.now(),
            error=f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}"[:10_000],
            updated_at=timezone.now(),
        )
        audit.record(
            action=AuditAction.UPDATE, actor=run.requested_by, obj=run, changed_fields=["status", "error"]
        )
        run.refresh_from_db()
        raise
    run.refresh_from_db()
    return run


@transaction.atomic
def _finish(run: LinkageRun, records: list[Record], result: DedupeResult, label_count: int = 0) -> None:
    """Decisions, individuals and review pairs in one transaction: a run that fails half-way
    leaves the previous run's individuals as they were."""
    confirmed, rejected, decided = _decided_pairs()
    final = clusters.apply_decisions(result.clusters, confirmed=confirmed, rejected=rejected)
    outcome = _Outcome()
    _write_individuals(run, final, outcome)
    _set_progress(run, APPLY_END, "review")
    _write_review_pairs(run, result, final, decided, outcome)
    run.status = RunStatus.FINISHED
    run.finished_at = timezone.now()
    run.person_count = len(records)
    run.individual_count = outcome.individuals
    run.new_individual_count = outcome.new_individuals
    run.reassigned_count = outcome.reassigned
    run.linked_pair_count = result.linked_pair_count
    run.review_pair_count = outcome.review_pairs
    run.model = result.model
    fields = [
        "status",
        "finished_at",
        "person_count",
        "individual_count",
        "new_individual_count",
        "reassigned_count",
        "linked_pair_count",
        "review_pair_count",
        "model",
        "updated_at",
    ]
    run.save(update_fields=fields)
    audit.record(
        action=AuditAction.UPDATE,
        actor=run.requested_by,
        obj=run,
        changed_fields=fields,
        reason=(
            f"{run.person_count} persons, {run.individual_count} individuals "
            f"({run.new_individual_count} new), {run.review_pair_count} pairs for review, "
            f"{label_count} reviewers' decisions learned from"
        ),
    )
    if run.review_pair_count:
        # One notification per reviewer and run, with the count, not one per pair.
        notify(
            kind=Kind.LINKAGE_PAIRS_WAITING,
            recipients=users_with("linkage.review"),
            target=run,
            url=reverse("linkage:review_list"),
            params={"count": run.review_pair_count},
        )
