"""A criminal (or family-law) proceeding: its offences, the agencies that hold it in turn, its dated
steps, the officers assigned, and the people who take part in it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shield.core.encryption import EncryptedTextField
from shield.core.models import BaseModel, VersionedModel

USER = settings.AUTH_USER_MODEL


class ProceedingKind(models.TextChoices):
    CRIMINAL = "criminal", _("Criminal")
    FAMILY = "family", _("Family law")


class ProceedingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


class HoldingRole(models.TextChoices):
    INVESTIGATION = "investigation", _("Investigation body")
    PROCURACY = "procuracy", _("Procuracy")
    COURT = "court", _("Court")
    ENFORCEMENT = "enforcement", _("Enforcement")


class StepKind(models.TextChoices):
    REPORT_RECEIVED = "report_received", _("Report received")
    CASE_INSTITUTED = "case_instituted", _("Case instituted")
    ACCUSED_CHARGED = "accused_charged", _("Accused charged")
    INVESTIGATION_CONCLUDED = "investigation_concluded", _("Investigation concluded")
    INDICTMENT = "indictment", _("Indictment")
    FIRST_INSTANCE_TRIAL = "first_instance_trial", _("First-instance trial")
    APPEAL = "appeal", _("Appeal")
    JUDGMENT_IN_FORCE = "judgment_in_force", _("Judgment in force")
    EXECUTION = "execution", _("Execution of the judgment")
    SUSPENDED = "suspended", _("Suspended")
    RESUMED = "resumed", _("Resumed")
    RETURNED_FOR_INVESTIGATION = "returned_for_investigation", _("Returned for further investigation")
    DISMISSED = "dismissed", _("Dismissed")


class Proceeding(VersionedModel):
    """One proceeding. `holding_agency` is the agency holding it now (copied from the open holding)."""

    reference = models.CharField(_("reference"), max_length=80, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=ProceedingKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ProceedingStatus.choices, default=ProceedingStatus.OPEN
    )
    holding_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("held by")
    )
    holding_role = models.CharField(_("held as"), max_length=20, choices=HoldingRole.choices)
    # When the report was received: the proceeding's clocks start here.
    reported_at = models.DateTimeField(_("reported at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    summary = EncryptedTextField(_("summary"), blank=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by")
    )

    class Meta:
        ordering = ["-reported_at"]
        verbose_name = _("proceeding")
        verbose_name_plural = _("proceedings")
        indexes = [
            models.Index(fields=["holding_agency", "status", "reported_at"], name="proceeding_holder"),
            # The list's order (newest report first): walked until a page of visible rows is found.
            models.Index(fields=["-reported_at", "-id"], name="proceeding_newest"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ProceedingKind.values), name="proceeding_kind_known"),
            models.CheckConstraint(
                condition=Q(status__in=ProceedingStatus.values), name="proceeding_status_known"
            ),
            models.CheckConstraint(
                condition=Q(holding_role__in=HoldingRole.values), name="proceeding_role_known"
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class ProceedingReferenceCounter(models.Model):
    """The last proceeding number an agency gave in a year (references never repeat)."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="proceeding_counter_once"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class ProceedingOffence(BaseModel):
    """An offence the proceeding is about: a code of `data/offences.json` (Penal Code article)."""

    proceeding = models.ForeignKey(
        Proceeding, on_delete=models.PROTECT, related_name="offences", verbose_name=_("proceeding")
    )
    code = models.CharField(_("offence"), max_length=40)

    class Meta:
        verbose_name = _("offence")
        verbose_name_plural = _("offences")
        constraints = [models.UniqueConstraint(fields=["proceeding", "code"], name="proceeding_offence_once")]


class ProceedingHolding(BaseModel):
    """An agency's turn holding the proceeding; access follows every agency that held it."""

    proceeding = models.ForeignKey(
        Proceeding, on_delete=models.PROTECT, related_name="holdings", verbose_name=_("proceeding")
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    role = models.CharField(_("held as"), max_length=20, choices=HoldingRole.choices)
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["started_at"]
        verbose_name = _("holding agency")
        verbose_name_plural = _("holding agencies")
        indexes = [models.Index(fields=["agency", "proceeding"], name="holding_agency")]
        constraints = [
            models.UniqueConstraint(
                fields=["proceeding"], condition=Q(ended_at__isnull=True), name="holding_one_open"
            ),
        ]


class ProceedingStep(BaseModel):
    """A dated procedural step; a hearing is a step with `scheduled_for` in the future."""

    proceeding = models.ForeignKey(
        Proceeding, on_delete=models.PROTECT, related_name="steps", verbose_name=_("proceeding")
    )
    kind = models.CharField(_("step"), max_length=40, choices=StepKind.choices)
    occurred_on = models.DateField(_("date"), null=True, blank=True)
    scheduled_for = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        ordering = ["occurred_on", "scheduled_for", "created_at"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        indexes = [
            # The worklist's "hearings this week": a range of scheduled_for, then the proceeding.
            models.Index(fields=["scheduled_for", "proceeding"], name="step_scheduled"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=StepKind.values), name="step_kind_known"),
            models.CheckConstraint(
                condition=Q(occurred_on__isnull=False) | Q(scheduled_for__isnull=False), name="step_dated"
            ),
        ]


class JusticeAssignment(BaseModel):
    """A justice officer assigned to a proceeding: the only people who see its children's names."""

    proceeding = models.ForeignKey(
        Proceeding, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("proceeding")
    )
    officer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("officer"))
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    assigned_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("assigned by")
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        indexes = [models.Index(fields=["officer", "ended_at"], name="justice_assignment_officer")]
        constraints = [
            models.UniqueConstraint(
                fields=["proceeding", "officer"], condition=Q(ended_at__isnull=True), name="assignment_once"
            ),
        ]


class PartyRole(models.TextChoices):
    VICTIM = "victim", _("Victim")
    WITNESS = "witness", _("Witness")
    SUSPECT = "suspect", _("Suspect")
    ACCUSED = "accused", _("Accused")
    DEFENDANT = "defendant", _("Defendant")
    CHILD_IN_FAMILY_MATTER = "child_family", _("Child in a family-law matter")


class FamilyMatter(models.TextChoices):
    CUSTODY = "custody", _("Custody")
    ADOPTION = "adoption", _("Adoption")
    GUARDIANSHIP = "guardianship", _("Guardianship")
    DOMESTIC_VIOLENCE = "domestic_violence", _("Domestic violence")


class PartyOutcome(models.TextChoices):
    CHARGED = "charged", _("Charged")
    PROSECUTED = "prosecuted", _("Prosecuted")
    CONVICTED = "convicted", _("Convicted")
    ACQUITTED = "acquitted", _("Acquitted")
    DIVERTED = "diverted", _("Diverted")
    DISMISSED = "dismissed", _("Dismissed")


class Party(VersionedModel):
    """A registry person's part in a proceeding. `is_child` is decided at the event date (an
    uncertain age counts as a child, as the law presumes) and turns on the child rules."""

    proceeding = models.ForeignKey(
        Proceeding, on_delete=models.PROTECT, related_name="parties", verbose_name=_("proceeding")
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="justice_parties", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=20, choices=PartyRole.choices)
    family_matter = models.CharField(
        _("family-law matter"), max_length=20, choices=FamilyMatter.choices, blank=True
    )
    # The date the child rules are judged at: the offence (accused) or the event (victim, witness).
    event_on = models.DateField(_("date of the offence or event"))
    is_child = models.BooleanField(_("child at the event"))
    protection_case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="justice_parties",
        verbose_name=_("protection case"),
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=PartyOutcome.choices, blank=True)
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    sentence_custodial = models.BooleanField(_("custodial sentence"), null=True, blank=True)
    sentence_months = models.PositiveIntegerField(_("sentence (months)"), null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        indexes = [
            models.Index(fields=["person"], name="party_person"),
            # "Has child parties": one probe per listed proceeding.
            models.Index(fields=["proceeding"], condition=Q(is_child=True), name="party_child"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=PartyRole.values), name="party_role_known"),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome__in=PartyOutcome.values), name="party_outcome_known"
            ),
            models.CheckConstraint(
                condition=~Q(role="child_family") | ~Q(family_matter=""), name="party_family_matter_named"
            ),
            models.UniqueConstraint(fields=["proceeding", "person", "role"], name="party_role_once"),
        ]
