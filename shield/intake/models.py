"""First contact: screening instruments (versioned data), screenings at border gates, groups of
travellers screened together, hotline tips, and the notices that tell an agency a referral arrived.

Writes go through `shield.intake.services`, reads through `shield.intake.selectors`. Nothing is
deleted: a draft screening is discarded (kept, marked), a tip is closed with a reason, an
instrument version is superseded by a newer one and never changed.
"""

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from shield.core.encryption import EncryptedTextField
from shield.core.models import BaseModel, VersionedModel
from shield.intake.instruments import Definition, check_definition
from shield.intake.risk import Outcome, RiskLevel

USER = settings.AUTH_USER_MODEL


class ImmutableError(Exception):
    """Raised when code tries to change a published instrument version."""


class InstrumentQuerySet(models.QuerySet["ScreeningInstrument"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise ImmutableError("A published instrument version cannot be changed: publish a new one.")


class ScreeningInstrument(BaseModel):
    """One published version of a screening instrument. Immutable: screenings point at the version
    they were taken with, so changing it would change what past screenings say."""

    code = models.SlugField(_("code"), max_length=60)
    version = models.PositiveIntegerField(_("version"))
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    definition = models.JSONField(_("definition"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    objects = InstrumentQuerySet.as_manager()

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("screening instrument")
        verbose_name_plural = _("screening instruments")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="instrument_version_once"),
            models.CheckConstraint(condition=Q(version__gte=1), name="instrument_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A guard, not domain logic: no code path may rewrite a published version.
        if not self._state.adding:
            raise ImmutableError("A published instrument version cannot be changed: publish a new one.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ImmutableError("Instrument versions are never deleted.")

    @property
    def parsed(self) -> Definition:
        cached: Definition | None = getattr(self, "_parsed", None)
        if cached is None:
            cached = check_definition(self.definition)
            self._parsed = cached
        return cached

    @property
    def title(self) -> str:
        from django.utils.translation import get_language

        return self.title_en if (get_language() or "vi").startswith("en") else self.title_vi


class Direction(models.TextChoices):
    EXIT = "exit", _("Exit")
    ENTRY = "entry", _("Entry")


class Purpose(models.TextChoices):
    WORK = "work", _("Work")
    TOURISM = "tourism", _("Tourism")
    STUDY = "study", _("Study")
    FAMILY = "family", _("Visiting family")
    MARRIAGE = "marriage", _("Marriage")
    TRADE = "trade", _("Trade or business")
    RETURN = "return", _("Returning home")
    OTHER = "other", _("Other")


class TravelDocumentKind(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    BORDER_PASS = "border_pass", _("Border pass")
    CCCD = "cccd", _("Personal identification card (CCCD)")
    LAISSEZ_PASSER = "laissez_passer", _("Laissez-passer")
    NONE = "none", _("No document")
    OTHER = "other", _("Other document")


class ScreeningStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COMPLETED = "completed", _("Completed")
    DISCARDED = "discarded", _("Discarded")


class ScreeningGroup(BaseModel):
    """People travelling together, screened as a linked group at one gate."""

    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    border_gate = models.ForeignKey(
        "geo.BorderGate", on_delete=models.PROTECT, related_name="+", verbose_name=_("border gate")
    )
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("group of travellers")
        verbose_name_plural = _("groups of travellers")

    def __str__(self) -> str:
        return str(self.pk)


class Screening(VersionedModel):
    """One traveller screened at a border gate with one instrument version.

    A draft is saved as the officer types; completing it fixes the risk result and the outcome.
    `risk_reasons` lists the answers that drove the result (see `risk.Reason`), so the explanation
    survives newer instrument versions. The gate, the day (`started_at`), the outcome and
    `completed_at - started_at` make the statistics (screenings per gate and day, referral rate).
    """

    instrument = models.ForeignKey(
        ScreeningInstrument, on_delete=models.PROTECT, related_name="screenings", verbose_name=_("instrument")
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    border_gate = models.ForeignKey(
        "geo.BorderGate", on_delete=models.PROTECT, related_name="+", verbose_name=_("border gate")
    )
    officer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("officer"))
    group = models.ForeignKey(
        ScreeningGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="screenings",
        verbose_name=_("group"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ScreeningStatus.choices, default=ScreeningStatus.DRAFT
    )
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.EXIT
    )
    traveller_name = models.CharField(_("traveller's name"), max_length=200, blank=True)
    traveller_sex = models.CharField(_("sex"), max_length=10, blank=True)
    traveller_birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    traveller_age = models.PositiveSmallIntegerField(_("estimated age"), null=True, blank=True)
    nationality = CountryField(_("nationality"), blank=True, default="VN")
    document_kind = models.CharField(
        _("travel document"), max_length=20, choices=TravelDocumentKind.choices, blank=True
    )
    document_number = models.CharField(_("document number"), max_length=50, blank=True)
    document_country = CountryField(_("issuing country"), blank=True)
    destination_country = CountryField(_("destination country"), blank=True)
    destination_place = models.CharField(_("destination (place, employer)"), max_length=200, blank=True)
    purpose = models.CharField(_("stated purpose"), max_length=20, choices=Purpose.choices, blank=True)
    recruiter = models.CharField(_("recruiter or agency named"), max_length=200, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    observations = EncryptedTextField(_("observations"), blank=True)
    started_at = models.DateTimeField(_("started at"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    risk_level = models.CharField(_("risk"), max_length=10, choices=RiskLevel.choices, blank=True)
    risk_score = models.PositiveSmallIntegerField(_("risk score"), null=True, blank=True)
    risk_reasons = models.JSONField(_("what drove the risk"), default=list, blank=True)
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices, blank=True)
    receiving_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("receiving agency"),
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        indexes = [
            # The gate's recent screenings, and screenings per gate and day.
            models.Index(fields=["border_gate", "-started_at"], name="screening_gate_time"),
            models.Index(fields=["agency", "status", "-started_at"], name="screening_agency_status"),
            models.Index(fields=["officer", "status"], name="screening_officer_status"),
            models.Index(fields=["outcome", "started_at"], name="screening_outcome_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ScreeningStatus.values), name="screening_status_known"
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome__in=Outcome.values), name="screening_outcome_known"
            ),
            # A completed screening has its time, result and outcome; any other has no outcome.
            models.CheckConstraint(
                condition=(
                    Q(status=ScreeningStatus.COMPLETED, completed_at__isnull=False, risk_score__isnull=False)
                    & ~Q(outcome="")
                    & ~Q(risk_level="")
                )
                | (~Q(status=ScreeningStatus.COMPLETED) & Q(outcome="")),
                name="screening_completed_has_outcome",
            ),
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True) | Q(completed_at__gte=F("started_at")),
                name="screening_completed_after_start",
            ),
            # A referral names the agency, the person and the case; nothing else does.
            models.CheckConstraint(
                condition=(
                    Q(outcome__in=[Outcome.REFERRED, Outcome.CHILD_PROTECTION])
                    & Q(receiving_agency__isnull=False, person__isnull=False, case__isnull=False)
                )
                | (~Q(outcome__in=[Outcome.REFERRED, Outcome.CHILD_PROTECTION]) & Q(case__isnull=True)),
                name="screening_referral_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.border_gate_id} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_draft(self) -> bool:
        return self.status == ScreeningStatus.DRAFT


class TipChannel(models.TextChoices):
    HOTLINE = "hotline", _("Hotline")
    ONLINE = "online", _("Online")
    WALK_IN = "walk_in", _("Walk-in")
    AGENCY = "agency", _("Another agency")


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    URGENT = "urgent", _("Urgent")


class TipStatus(models.TextChoices):
    NEW = "new", _("Waiting for triage")
    ASSIGNED = "assigned", _("Assigned to an agency")
    LINKED = "linked", _("Linked to a person or case")
    CASE_OPENED = "case_opened", _("Case opened")
    CLOSED = "closed", _("Closed")


class Tip(VersionedModel):
    """A report that reached an agency by hotline, online, in person or from another agency.

    The reporter's name and contact, the description and the people mentioned are encrypted at
    rest. `triage_due_at` is fixed when the tip is received (see `deadlines`), `triaged_at` is the
    first triage decision: their difference is the time to triage.
    """

    reference = models.CharField(_("reference"), max_length=40, unique=True, editable=False)
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("receiving agency")
    )
    channel = models.CharField(_("channel"), max_length=20, choices=TipChannel.choices)
    received_at = models.DateTimeField(_("received at"))
    received_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("received by")
    )
    reporter_anonymous = models.BooleanField(_("anonymous reporter"), default=False)
    reporter_name = EncryptedTextField(_("reporter's name"), blank=True)
    reporter_contact = EncryptedTextField(_("reporter's contact"), blank=True)
    description = EncryptedTextField(_("what was reported"))
    country = CountryField(_("country"), default="VN")
    province = models.ForeignKey(
        "geo.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    commune = models.ForeignKey(
        "geo.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
    )
    people_mentioned = EncryptedTextField(_("people mentioned"), blank=True)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    triage_due_at = models.DateTimeField(_("triage due by"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=TipStatus.choices, default=TipStatus.NEW)
    assigned_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned agency"),
    )
    triaged_at = models.DateTimeField(_("triaged at"), null=True, blank=True)
    triaged_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("triaged by")
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    closure_reason = EncryptedTextField(_("reason for closing"), blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("tip")
        verbose_name_plural = _("tips")
        indexes = [
            models.Index(fields=["status", "triage_due_at"], name="tip_status_due"),
            models.Index(fields=["agency", "-received_at"], name="tip_agency_time"),
            models.Index(fields=["assigned_agency", "status"], name="tip_assigned_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(channel__in=TipChannel.values), name="tip_channel_known"),
            models.CheckConstraint(condition=Q(urgency__in=Urgency.values), name="tip_urgency_known"),
            models.CheckConstraint(condition=Q(status__in=TipStatus.values), name="tip_status_known"),
            models.CheckConstraint(condition=~Q(reference=""), name="tip_reference_required"),
            # Anonymous means no name and no contact are kept.
            models.CheckConstraint(
                condition=Q(reporter_anonymous=False) | (Q(reporter_name="") & Q(reporter_contact="")),
                name="tip_anonymous_keeps_no_identity",
            ),
            # Every status but "new" follows a triage decision.
            models.CheckConstraint(
                condition=Q(status=TipStatus.NEW) | Q(triaged_at__isnull=False), name="tip_triaged_has_time"
            ),
            models.CheckConstraint(
                condition=~Q(status=TipStatus.CLOSED) | ~Q(closure_reason=""), name="tip_closed_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(triaged_at__isnull=True) | Q(triaged_at__gte=F("received_at")),
                name="tip_triaged_after_received",
            ),
            models.CheckConstraint(
                condition=Q(province__isnull=True) | Q(country="VN"), name="tip_province_in_vn"
            ),
            models.CheckConstraint(
                condition=Q(commune__isnull=True) | Q(province__isnull=False),
                name="tip_commune_with_province",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status != TipStatus.CLOSED


class ReferralNotice(BaseModel):
    """Tells the receiving agency that a screening or a tip opened a case for it; shown on the home
    page of its members who can see cases until one of them acknowledges it."""

    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("receiving agency")
    )
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("case"))
    screening = models.ForeignKey(
        Screening,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("screening"),
    )
    tip = models.ForeignKey(
        Tip, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("tip")
    )
    urgent = models.BooleanField(_("urgent"), default=False)
    sent_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("sent by"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )

    class Meta:
        ordering = ["-urgent", "-created_at"]
        verbose_name = _("referral notice")
        verbose_name_plural = _("referral notices")
        indexes = [models.Index(fields=["agency", "acknowledged_at"], name="notice_agency_open")]
        constraints = [
            models.CheckConstraint(
                condition=Q(screening__isnull=False) | Q(tip__isnull=False), name="notice_has_source"
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | Q(acknowledged_by__isnull=False),
                name="notice_acknowledged_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.case_id}"
