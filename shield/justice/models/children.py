"""The children's rules of the justice process: values an administrator set over the rule files,
interviews (Law 59/2024 Art. 156; CPC Art. 412(5)), diversion with its compliance reports, and the
deadlines met or breached for a child party."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shield.core.encryption import EncryptedTextField
from shield.core.models import BaseModel, VersionedModel

USER = settings.AUTH_USER_MODEL


class RuleValue(BaseModel):
    """A value an administrator set for one field of one rule of a rule file, from a date.

    Generic: `rule_set` names any app's rule set ("justice.child_rules:deadlines"), so the same table
    and page serve every app registering its files. Never edited: a newer value supersedes it.
    """

    rule_set = models.CharField(_("rule set"), max_length=80)
    key = models.CharField(_("rule"), max_length=60)
    field = models.CharField(_("field"), max_length=40)
    effective_from = models.DateField(_("in force from"))
    value = models.JSONField(_("value"))
    verified = models.BooleanField(_("verified"), default=False)
    set_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("set by"))
    reason = models.CharField(_("reason"), max_length=500)

    class Meta:
        ordering = ["rule_set", "key", "effective_from", "created_at"]
        verbose_name = _("rule value")
        verbose_name_plural = _("rule values")
        indexes = [models.Index(fields=["rule_set", "key"], name="rule_value_set_key")]


class InterviewKind(models.TextChoices):
    INTERVIEW = "interview", _("Interview (victim or witness)")
    INTERROGATION = "interrogation", _("Interrogation (accused child)")
    CONFRONTATION = "confrontation", _("Confrontation")


class PlaceType(models.TextChoices):
    HOME = "home", _("Home")
    SCHOOL = "school", _("School")
    CHILD_FRIENDLY_ROOM = "child_friendly_room", _("Child-friendly room")
    POLICE_STATION = "police_station", _("Police station")
    COURT = "court", _("Court")
    OTHER = "other", _("Other place")


class InterviewStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Interview(VersionedModel):
    """One session with a child party. The service refuses what the rules forbid unless a permitted
    officer records a `justification`, which is shown wherever the interview is."""

    proceeding = models.ForeignKey(
        "justice.Proceeding",
        on_delete=models.PROTECT,
        related_name="interviews",
        verbose_name=_("proceeding"),
    )
    party = models.ForeignKey(
        "justice.Party", on_delete=models.PROTECT, related_name="interviews", verbose_name=_("party")
    )
    kind = models.CharField(_("kind of session"), max_length=20, choices=InterviewKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=InterviewStatus.choices, default=InterviewStatus.HELD
    )
    place_type = models.CharField(_("place"), max_length=20, choices=PlaceType.choices)
    child_friendly_room = models.BooleanField(_("child-friendly room"), default=False)
    recorded = models.BooleanField(_("recorded"), default=False)
    # Where the recording is kept: shown only to the officers assigned to the proceeding.
    recording_reference = models.CharField(_("recording reference"), max_length=200, blank=True)
    representative_present = models.BooleanField(_("representative present"), default=False)
    social_worker_present = models.BooleanField(_("social worker present"), default=False)
    others_present = models.CharField(_("others present"), max_length=300, blank=True)
    started_at = models.DateTimeField(_("start"))
    ended_at = models.DateTimeField(_("end"))
    topics = models.JSONField(_("topics covered"), default=list, blank=True)
    repeated_topics = models.JSONField(_("topics already covered before"), default=list, blank=True)
    # The rules the service refused, overridden by the justification (codes of rules.Breach).
    rules_exceeded = models.JSONField(_("rules exceeded"), default=list, blank=True)
    justification = EncryptedTextField(_("justification"), blank=True)
    justified_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("justified by"),
    )
    rule_law = models.CharField(_("law applied"), max_length=120)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        indexes = [models.Index(fields=["party", "started_at"], name="interview_party_day")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=InterviewKind.values), name="interview_kind_known"),
            models.CheckConstraint(
                condition=Q(place_type__in=PlaceType.values), name="interview_place_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=InterviewStatus.values), name="interview_status_known"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__gt=models.F("started_at")), name="interview_ends_after"
            ),
        ]


class DecidingBody(models.TextChoices):
    INVESTIGATION = "investigation", _("Investigation body")
    PROCURACY = "procuracy", _("Procuracy")
    COURT = "court", _("Court")


class DiversionStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    FAILED = "failed", _("Failed: back to the proceeding")


class Diversion(VersionedModel):
    """A decision to divert an accused child, its measures, supervision and how it ended."""

    proceeding = models.ForeignKey(
        "justice.Proceeding",
        on_delete=models.PROTECT,
        related_name="diversions",
        verbose_name=_("proceeding"),
    )
    party = models.ForeignKey(
        "justice.Party", on_delete=models.PROTECT, related_name="diversions", verbose_name=_("party")
    )
    deciding_body = models.CharField(_("decided by"), max_length=20, choices=DecidingBody.choices)
    decided_on = models.DateField(_("decided on"))
    measures = models.JSONField(_("measures"), default=list)
    supervision_months = models.PositiveSmallIntegerField(_("supervision (months)"))
    supervision_ends_on = models.DateField(_("supervision ends on"))
    supervisor = models.CharField(_("supervisor"), max_length=200)
    # What the eligibility check said at the decision, kept as shown then.
    eligibility_reason = models.CharField(_("eligibility"), max_length=500)
    status = models.CharField(
        _("status"), max_length=12, choices=DiversionStatus.choices, default=DiversionStatus.IN_PROGRESS
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_note = EncryptedTextField(_("how it ended"), blank=True)
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        ordering = ["-decided_on", "-created_at"]
        verbose_name = _("diversion")
        verbose_name_plural = _("diversions")
        constraints = [
            models.CheckConstraint(
                condition=Q(deciding_body__in=DecidingBody.values), name="diversion_body_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=DiversionStatus.values), name="diversion_status_known"
            ),
            models.UniqueConstraint(
                fields=["party"], condition=Q(status="in_progress"), name="diversion_one_in_progress"
            ),
        ]


class DiversionReport(VersionedModel):
    """A compliance report due during the supervision; submitted once, with whether the child kept
    to the measures."""

    diversion = models.ForeignKey(
        Diversion, on_delete=models.PROTECT, related_name="reports", verbose_name=_("diversion")
    )
    due_on = models.DateField(_("due on"))
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    compliant = models.BooleanField(_("kept to the measures"), null=True, blank=True)
    note = EncryptedTextField(_("report"), blank=True)
    submitted_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )

    class Meta:
        ordering = ["due_on"]
        verbose_name = _("compliance report")
        verbose_name_plural = _("compliance reports")
        indexes = [models.Index(fields=["submitted_on", "due_on"], name="diversion_report_due")]


class ChildDeadlineMet(BaseModel):
    """The act a child deadline asks for was done (the guardian or a social worker was told)."""

    party = models.ForeignKey(
        "justice.Party", on_delete=models.PROTECT, related_name="deadlines_met", verbose_name=_("party")
    )
    key = models.CharField(_("deadline"), max_length=40)
    met_at = models.DateTimeField(_("done at"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("deadline met")
        verbose_name_plural = _("deadlines met")
        constraints = [models.UniqueConstraint(fields=["party", "key"], name="child_deadline_met_once")]


class ChildDeadlineBreach(BaseModel):
    """A child deadline found breached; the row exists once, so the officers are told once."""

    party = models.ForeignKey(
        "justice.Party", on_delete=models.PROTECT, related_name="deadline_breaches", verbose_name=_("party")
    )
    key = models.CharField(_("deadline"), max_length=40)
    # The detention episode held beyond its limit (custody and detention limits: one per episode).
    episode = models.ForeignKey(
        "justice.DetentionEpisode",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="limit_breaches",
        verbose_name=_("detention episode"),
    )
    due_at = models.DateTimeField(_("due at"))
    # When the act was done after all (the breach stays on record).
    resolved_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("deadline breached")
        verbose_name_plural = _("deadlines breached")
        constraints = [
            models.UniqueConstraint(
                fields=["party", "key"], condition=Q(episode__isnull=True), name="child_deadline_breach_once"
            ),
            models.UniqueConstraint(
                fields=["episode", "key"],
                condition=Q(episode__isnull=False),
                name="child_detention_breach_once",
            ),
        ]
