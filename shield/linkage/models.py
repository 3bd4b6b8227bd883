"""Who is who across agencies: linkage runs, unique individuals, review pairs, decisions, merges.

Writes go through `shield.linkage.services`, reads through `shield.linkage.selectors`. Nothing
here is deleted: runs finish or fail, review pairs are decided or superseded, merges are undone
by stamping `unmerged_at`, and a person's individual is reassigned, not removed.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from shield.core.models import BaseModel, VersionedModel


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class LinkageRun(BaseModel):
    """One pass of the engine over every person in the registry.

    `progress` (0 to 100) and `stage` are written while it runs, so the page can poll them; `model`
    keeps the trained Splink model the run used, for audit and to explain its scores later.
    """

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
        help_text=_("Empty when started from the command line."),
    )
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    stage = models.CharField(_("stage"), max_length=100, blank=True)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    person_count = models.PositiveIntegerField(_("persons"), default=0)
    individual_count = models.PositiveIntegerField(_("unique individuals"), default=0)
    new_individual_count = models.PositiveIntegerField(_("new individuals"), default=0)
    reassigned_count = models.PositiveIntegerField(_("persons whose individual changed"), default=0)
    linked_pair_count = models.PositiveIntegerField(_("linked pairs"), default=0)
    review_pair_count = models.PositiveIntegerField(_("pairs for review"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    model = models.JSONField(_("trained model"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("linkage run")
        verbose_name_plural = _("linkage runs")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="linkage_run_progress_range"),
            models.CheckConstraint(
                condition=~Q(status__in=[RunStatus.FINISHED, RunStatus.FAILED])
                | Q(finished_at__isnull=False),
                name="linkage_run_finished_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_status_display()}"

    @property
    def is_active(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)

    @property
    def not_picked_up(self) -> bool:
        """Still queued after a worker would have taken it: no worker runs (see shield.core.workers)."""
        from shield.core.workers import not_picked_up

        return self.status == RunStatus.QUEUED and not_picked_up(queued_at=self.created_at)

    @property
    def model_note(self) -> str:
        """Which model scored a finished run, when it was not one trained on the registry."""
        from shield.linkage.model_notes import model_note

        return model_note(self.stage) if self.status == RunStatus.FINISHED else ""

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


class Individual(BaseModel):
    """A unique individual: the persons of every agency that are one human being.

    `number` only grows, and `code` (`I000042`) is what people quote. A run keeps an individual's
    number for the cluster holding most of its persons, so codes stay stable across runs.
    """

    number = models.PositiveBigIntegerField(_("number"), unique=True)
    code = models.CharField(_("code"), max_length=20, unique=True)
    first_run = models.ForeignKey(
        LinkageRun,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("first seen in run"),
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("unique individual")
        verbose_name_plural = _("unique individuals")

    def __str__(self) -> str:
        return self.code

    @staticmethod
    def code_for(number: int) -> str:
        return f"I{number:06d}"


class PersonIndividual(models.Model):
    """Which individual a person currently is (one row per person, rewritten by each run)."""

    person = models.OneToOneField(
        "people.Person",
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="linkage_individual",
        verbose_name=_("person"),
    )
    individual = models.ForeignKey(
        Individual, on_delete=models.PROTECT, related_name="persons", verbose_name=_("individual")
    )
    run = models.ForeignKey(
        LinkageRun,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by run"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("individual of a person")
        verbose_name_plural = _("individuals of persons")

    def __str__(self) -> str:
        return f"{self.person_id} → {self.individual_id}"


class Decision(models.TextChoices):
    SAME = "same", _("Same person")
    DIFFERENT = "different", _("Different people")


class PairDecision(VersionedModel):
    """What a reviewer decided about two persons: the same (a must-link every later run keeps) or
    different (a cannot-link: never in one cluster). One row per unordered pair: `person_low`
    holds the smaller id, so (a, b) and (b, a) are the same row."""

    person_low = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    person_high = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("other person")
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"))
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["-decided_at"]
        verbose_name = _("pair decision")
        verbose_name_plural = _("pair decisions")
        constraints = [
            models.UniqueConstraint(fields=["person_low", "person_high"], name="pair_decision_once"),
            models.CheckConstraint(
                condition=Q(person_low__lt=F("person_high")), name="pair_decision_ordered"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="pair_decision_reason_required"),
        ]

    def __str__(self) -> str:
        return f"{self.person_low_id} / {self.person_high_id}: {self.get_decision_display()}"


class PairStatus(models.TextChoices):
    OPEN = "open", _("Waiting for review")
    CONFIRMED = "confirmed", _("Confirmed: same person")
    REJECTED = "rejected", _("Rejected: different people")
    SUPERSEDED = "superseded", _("Superseded by a later run")


class ReviewPair(VersionedModel):
    """Two persons a run could not decide about, with the engine's evidence for a reviewer.

    `evidence` is the engine's `FieldEvidence` list as JSON: `[{"field", "level", "weight"}]`,
    weight in bits (positive speaks for a match). The persons are ordered like `PairDecision`'s.
    A later run refreshes an open pair it finds again and supersedes the open pairs it no longer
    finds; decided pairs are kept as they were decided.
    """

    run = models.ForeignKey(
        LinkageRun, on_delete=models.PROTECT, related_name="review_pairs", verbose_name=_("run")
    )
    person_low = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    person_high = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("other person")
    )
    match_probability = models.FloatField(_("match probability"))
    match_weight = models.FloatField(_("match weight"))
    evidence = models.JSONField(_("evidence"), default=list)
    status = models.CharField(_("status"), max_length=12, choices=PairStatus.choices, default=PairStatus.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-match_probability", "id"]
        verbose_name = _("pair for review")
        verbose_name_plural = _("pairs for review")
        indexes = [models.Index(fields=["status", "-match_probability", "id"], name="review_pair_queue")]
        constraints = [
            models.UniqueConstraint(
                fields=["person_low", "person_high"],
                condition=Q(status="open"),
                name="review_pair_open_once",
            ),
            models.CheckConstraint(condition=Q(person_low__lt=F("person_high")), name="review_pair_ordered"),
            models.CheckConstraint(
                condition=Q(match_probability__gte=0, match_probability__lte=1),
                name="review_pair_probability_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_low_id} / {self.person_high_id} ({self.match_probability:.2f})"


class PersonMerge(BaseModel):
    """`merged` folded into `survivor`: every row that pointed at `merged` now points at the
    survivor, and `moved` lists them exactly (`[{"model", "pk", "field"}]`) so that an unmerge puts
    each one back. `deactivated_documents` are the merged person's documents that duplicated an
    active one of the survivor (one active copy per person is a database rule): they are kept,
    set inactive, and reactivated on unmerge. An undone merge keeps its row, stamped."""

    survivor = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("kept person")
    )
    merged = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("merged person")
    )
    review_pair = models.ForeignKey(
        ReviewPair,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merges",
        verbose_name=_("from the pair"),
    )
    moved = models.JSONField(_("rows moved"), default=list)
    deactivated_documents = models.JSONField(_("documents set inactive"), default=list)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("merged by")
    )
    reason = models.TextField(_("reason"))
    unmerged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unmerged by"),
    )
    unmerged_at = models.DateTimeField(_("unmerged at"), null=True, blank=True)
    unmerge_reason = models.TextField(_("reason for undoing"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("merge of persons")
        verbose_name_plural = _("merges of persons")
        constraints = [
            models.UniqueConstraint(
                fields=["merged"], condition=Q(unmerged_at__isnull=True), name="person_merged_once"
            ),
            models.CheckConstraint(condition=~Q(survivor=F("merged")), name="person_merge_two_people"),
            models.CheckConstraint(
                condition=Q(unmerged_at__isnull=True, unmerged_by__isnull=True)
                | Q(unmerged_at__isnull=False, unmerged_by__isnull=False),
                name="person_unmerge_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.survivor_id}"

    @property
    def is_active(self) -> bool:
        return self.unmerged_at is None
