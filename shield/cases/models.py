"""The case of one person: its stage, identification, assessment, care plan, notes, consent, transfer.

Writes go through `shield.cases.services`, reads through `shield.cases.selectors`. Nothing here is
ever deleted: decisions, assessments, notes and stage changes are appended; plans are superseded,
consents withdrawn, transfers answered, accesses revoked, places removed with a reason.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from shield.accounts.roles import AgencyKind
from shield.cases.stages import Stage
from shield.core.encryption import EncryptedTextField
from shield.core.models import BaseModel, VersionedModel

__all__ = [
    "ActionStatus",
    "Assessment",
    "AssessmentNeed",
    "CarePlan",
    "CarePlanAction",
    "CarePlanGoal",
    "CarePlanStatus",
    "Case",
    "CaseAccess",
    "CaseNote",
    "CaseReferenceCounter",
    "CaseStageChange",
    "CaseTransfer",
    "CaseType",
    "ClosureRequest",
    "ClosureStatus",
    "Consent",
    "ConsentGivenBy",
    "ConsentScope",
    "IdentificationDecision",
    "IdentificationStatus",
    "NeedDomain",
    "NeedLevel",
    "NoteKind",
    "PlaceKind",
    "RiskLevel",
    "Stage",
    "TraffickingDetails",
    "TraffickingPlace",
    "TransferStatus",
]

USER = settings.AUTH_USER_MODEL


class CaseType(models.TextChoices):
    TRAFFICKING_VICTIM = "trafficking_victim", _("Trafficking victim")
    UNDERGOING_IDENTIFICATION = "undergoing_identification", _("Person undergoing identification")
    CHILD_VICTIM_ABUSE = "child_victim_abuse", _("Child victim of violence or abuse")
    CHILD_IN_CONFLICT = "child_in_conflict", _("Child in conflict with the law")
    CHILD_WITNESS = "child_witness", _("Child witness")
    AT_RISK_MIGRANT = "at_risk_migrant", _("At-risk migrant")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class Case(VersionedModel):
    """One person's case at the agency that owns it. `reference` never changes, not even on transfer."""

    reference = models.CharField(_("reference"), max_length=80, unique=True, editable=False)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="cases", verbose_name=_("person")
    )
    case_type = models.CharField(_("type of case"), max_length=40, choices=CaseType.choices)
    owner_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="cases", verbose_name=_("owning agency")
    )
    assigned_worker = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("assigned worker"),
    )
    risk_level = models.CharField(
        _("risk level"), max_length=10, choices=RiskLevel.choices, default=RiskLevel.MEDIUM
    )
    stage = models.CharField(_("stage"), max_length=30, choices=Stage.choices, default=Stage.REGISTERED)
    reported_at = models.DateTimeField(_("reported at"))
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closure_reason = EncryptedTextField(_("reason for closing"), blank=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by")
    )

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["-opened_at", "-id"], name="case_newest_first"),
            models.Index(fields=["owner_agency", "stage"], name="case_owner_stage"),
            models.Index(fields=["assigned_worker", "stage"], name="case_worker_stage"),
            # The statistics facts' incremental refresh looks for cases changed lately.
            models.Index(fields=["updated_at"], name="case_updated_at"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(stage__in=Stage.values), name="case_stage_known"),
            models.CheckConstraint(condition=Q(case_type__in=CaseType.values), name="case_type_known"),
            models.CheckConstraint(condition=Q(risk_level__in=RiskLevel.values), name="case_risk_known"),
            models.CheckConstraint(condition=~Q(reference=""), name="case_reference_required"),
            # A closed case has a closing time; any other stage has none.
            models.CheckConstraint(
                condition=Q(stage=Stage.CLOSED, closed_at__isnull=False)
                | (~Q(stage=Stage.CLOSED) & Q(closed_at__isnull=True)),
                name="case_closed_iff_closed_at",
            ),
            models.CheckConstraint(
                condition=Q(reported_at__lte=F("opened_at")), name="case_reported_before_open"
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(closed_at__gte=F("opened_at")),
                name="case_closed_after_open",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_closed(self) -> bool:
        return self.stage == Stage.CLOSED


class CaseReferenceCounter(models.Model):
    """The last reference number given by an agency in a year ("SPC-HA-NOI-2026-000123")."""

    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("case reference counter")
        verbose_name_plural = _("case reference counters")
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="case_reference_counter_once"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year}: {self.last_number}"


class CaseStageChange(BaseModel):
    """One move of the stage machine: the case's timeline. Written only by the services."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="stage_changes", verbose_name=_("case")
    )
    from_stage = models.CharField(_("from stage"), max_length=30, choices=Stage.choices)
    to_stage = models.CharField(_("to stage"), max_length=30, choices=Stage.choices)
    changed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("changed at"))
    reason = EncryptedTextField(_("reason"), blank=True)

    class Meta:
        ordering = ["changed_at", "created_at"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        indexes = [models.Index(fields=["case", "changed_at"], name="stage_change_case_time")]
        constraints = [
            models.CheckConstraint(condition=~Q(from_stage=F("to_stage")), name="stage_change_moves"),
            models.CheckConstraint(
                condition=Q(from_stage__in=Stage.values) & Q(to_stage__in=Stage.values),
                name="stage_change_stages_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_stage} → {self.to_stage}"


# --- Trafficking details (HTCDS) ------------------------------------------------------------------


class TraffickingDetails(VersionedModel):
    """What happened, in HTCDS value sets (see `value_sets`): multi-selects are JSON lists of
    HTCDS value names, validated by the service against `data/htcds_value_sets.json`."""

    case = models.OneToOneField(
        Case, on_delete=models.PROTECT, related_name="trafficking_details", verbose_name=_("case")
    )
    forms_of_exploitation = models.JSONField(_("forms of exploitation"), default=list, blank=True)
    methods_of_control = models.JSONField(_("methods of control"), default=list, blank=True)
    recruitment_methods = models.JSONField(_("methods of recruitment"), default=list, blank=True)
    recruitment_websites_and_apps = models.JSONField(
        _("websites and apps used in recruitment"), default=list, blank=True
    )
    exploitation_websites_and_apps = models.JSONField(
        _("websites and apps used in exploitation"), default=list, blank=True
    )
    relationship_to_trafficker = models.CharField(_("relationship to trafficker"), max_length=40, blank=True)
    duration_days = models.PositiveIntegerField(_("duration of trafficking (days)"), null=True, blank=True)
    updated_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("updated by")
    )

    class Meta:
        verbose_name = _("trafficking details")
        verbose_name_plural = _("trafficking details")

    def __str__(self) -> str:
        return f"{self.case_id}"


class PlaceKind(models.TextChoices):
    """HTCDS `hte_Type`."""

    RECRUITMENT = "recruitment", _("Recruitment")
    TRANSIT = "transit", _("Transit")
    EXPLOITATION = "exploitation", _("Exploitation")


class TraffickingPlace(BaseModel):
    """Where and when recruitment, transit or exploitation happened (an HTCDS historic event)."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="trafficking_places", verbose_name=_("case")
    )
    kind = models.CharField(_("kind of place"), max_length=20, choices=PlaceKind.choices)
    country = CountryField(_("country"))
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
    date_from = models.DateField(_("from"), null=True, blank=True)
    date_to = models.DateField(_("to"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("removed by")
    )
    removal_reason = EncryptedTextField(_("reason for removal"), blank=True)

    class Meta:
        ordering = ["date_from", "created_at"]
        verbose_name = _("trafficking place")
        verbose_name_plural = _("trafficking places")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=PlaceKind.values), name="place_kind_known"),
            models.CheckConstraint(
                condition=Q(date_from__isnull=True)
                | Q(date_to__isnull=True)
                | Q(date_to__gte=F("date_from")),
                name="place_dates_in_order",
            ),
            # Provinces and communes are Viet Nam's; a commune comes with its province.
            models.CheckConstraint(
                condition=Q(province__isnull=True) | Q(country="VN"), name="place_province_in_vn"
            ),
            models.CheckConstraint(
                condition=Q(commune__isnull=True) | Q(province__isnull=False),
                name="place_commune_with_province",
            ),
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True) | ~Q(removal_reason=""), name="place_removal_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.country}"


# --- Identification ------------------------------------------------------------------------------


class IdentificationStatus(models.TextChoices):
    """HTCDS `vic_TraffickingStatus`: Possible / Actual / Not a victim of trafficking."""

    POSSIBLE = "possible", _("Possible victim (undergoing identification)")
    IDENTIFIED = "identified", _("Identified victim")
    NOT_A_VICTIM = "not_a_victim", _("Not a victim")


class IdentificationDecision(BaseModel):
    """A decision on whether the person is a trafficking victim, and who took it. Appended, never
    changed: the latest one (by `decided_on`, then recording time) is the case's status."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="identification_decisions", verbose_name=_("case")
    )
    status = models.CharField(_("status"), max_length=20, choices=IdentificationStatus.choices)
    body_name = models.CharField(_("deciding body"), max_length=200)
    body_type = models.CharField(_("type of deciding body"), max_length=30, choices=AgencyKind.choices)
    decided_on = models.DateField(_("decided on"))
    basis = EncryptedTextField(_("basis of the decision"))
    documents = models.JSONField(_("documents"), default=list, blank=True)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        ordering = ["-decided_on", "-created_at"]
        verbose_name = _("identification decision")
        verbose_name_plural = _("identification decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=IdentificationStatus.values), name="identification_status_known"
            ),
            models.CheckConstraint(
                condition=Q(body_type__in=AgencyKind.values), name="identification_body_type_known"
            ),
            models.CheckConstraint(condition=~Q(body_name=""), name="identification_body_named"),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.decided_on})"


# --- Assessment and care plan --------------------------------------------------------------------


class NeedDomain(models.TextChoices):
    SAFETY = "safety", _("Safety")
    HEALTH = "health", _("Health")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial")
    LEGAL = "legal", _("Legal")
    EDUCATION = "education", _("Education")
    LIVELIHOOD = "livelihood", _("Livelihood")
    FAMILY = "family", _("Family")
    HOUSING = "housing", _("Housing")
    DOCUMENTATION = "documentation", _("Documentation")


class NeedLevel(models.TextChoices):
    NONE = "none", _("None")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Assessment(BaseModel):
    """An assessment of needs by domain. Appended: a reassessment is a new one, the latest counts."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("case")
    )
    assessed_on = models.DateField(_("assessed on"))
    summary = EncryptedTextField(_("summary"), blank=True)
    assessed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("assessed by")
    )

    class Meta:
        ordering = ["-assessed_on", "-created_at"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"{self.case_id} {self.assessed_on}"


class AssessmentNeed(BaseModel):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="needs", verbose_name=_("assessment")
    )
    domain = models.CharField(_("domain"), max_length=20, choices=NeedDomain.choices)
    level = models.CharField(_("need"), max_length=10, choices=NeedLevel.choices)
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta:
        ordering = ["assessment", "domain"]
        verbose_name = _("assessed need")
        verbose_name_plural = _("assessed needs")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="need_once_per_domain"),
            models.CheckConstraint(condition=Q(domain__in=NeedDomain.values), name="need_domain_known"),
            models.CheckConstraint(condition=Q(level__in=NeedLevel.values), name="need_level_known"),
        ]

    def __str__(self) -> str:
        return f"{self.domain}: {self.level}"


class CarePlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for changes")
    SUPERSEDED = "superseded", _("Superseded by a newer plan")


WORKING_PLAN_STATUSES = (CarePlanStatus.DRAFT, CarePlanStatus.SUBMITTED, CarePlanStatus.RETURNED)


class CarePlan(VersionedModel):
    """A care plan a supervisor approves. A case has at most one plan in the works and at most one
    approved plan; approving a newer plan supersedes the older one. Its goals and actions count as
    part of it: adding one raises the plan's version, so an approval covers exactly what was seen."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="care_plans", verbose_name=_("case")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CarePlanStatus.choices, default=CarePlanStatus.DRAFT
    )
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    submitted_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("approved by")
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    returned_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("returned by")
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    decision_note = EncryptedTextField(_("supervisor's note"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("care plan")
        verbose_name_plural = _("care plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CarePlanStatus.values), name="care_plan_status_known"
            ),
            models.UniqueConstraint(
                fields=["case"], condition=Q(status=CarePlanStatus.APPROVED), name="care_plan_one_approved"
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status__in=WORKING_PLAN_STATUSES),
                name="care_plan_one_in_the_works",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[CarePlanStatus.APPROVED, CarePlanStatus.SUPERSEDED])
                | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="care_plan_approval_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} ({self.status})"

    @property
    def is_editable(self) -> bool:
        return self.status in (CarePlanStatus.DRAFT, CarePlanStatus.RETURNED)


class CarePlanGoal(BaseModel):
    plan = models.ForeignKey(
        CarePlan, on_delete=models.PROTECT, related_name="goals", verbose_name=_("care plan")
    )
    domain = models.CharField(_("domain"), max_length=20, choices=NeedDomain.choices, blank=True)
    description = models.TextField(_("goal"))

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.CheckConstraint(condition=~Q(description=""), name="goal_described"),
            models.CheckConstraint(
                condition=Q(domain="") | Q(domain__in=NeedDomain.values), name="goal_domain_known"
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class CarePlanAction(BaseModel):
    """A step towards a goal, due on a date, for an agency or a person. Overdue: open and past due."""

    goal = models.ForeignKey(
        CarePlanGoal, on_delete=models.PROTECT, related_name="actions", verbose_name=_("goal")
    )
    description = models.TextField(_("action"))
    due_on = models.DateField(_("due on"))
    responsible_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible agency"),
    )
    responsible_person = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="care_plan_actions",
        verbose_name=_("responsible person"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    closed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("marked by")
    )
    cancel_reason = EncryptedTextField(_("reason for cancelling"), blank=True)

    class Meta:
        ordering = ["due_on", "created_at"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        indexes = [
            models.Index(fields=["status", "due_on"], name="action_open_due"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ActionStatus.values), name="action_status_known"),
            models.CheckConstraint(condition=~Q(description=""), name="action_described"),
            models.CheckConstraint(
                condition=Q(responsible_agency__isnull=False) | Q(responsible_person__isnull=False),
                name="action_has_someone_responsible",
            ),
            models.CheckConstraint(
                condition=Q(status=ActionStatus.DONE, done_on__isnull=False)
                | (~Q(status=ActionStatus.DONE) & Q(done_on__isnull=True)),
                name="action_done_iff_done_on",
            ),
            models.CheckConstraint(
                condition=~Q(status=ActionStatus.CANCELLED) | ~Q(cancel_reason=""),
                name="action_cancel_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]


# --- Notes ---------------------------------------------------------------------------------------


class NoteKind(models.TextChoices):
    CONTACT = "contact", _("Contact")
    HOME_VISIT = "home_visit", _("Home visit")
    INTERVIEW = "interview", _("Interview")
    CASE_CONFERENCE = "case_conference", _("Case conference")
    OTHER = "other", _("Other")


class CaseNote(BaseModel):
    """A case note, encrypted at rest. Append-only: a correction is a new note naming the old one."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notes", verbose_name=_("case"))
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("author"))
    kind = models.CharField(_("kind of note"), max_length=20, choices=NoteKind.choices)
    body = EncryptedTextField(_("note"))
    occurred_at = models.DateTimeField(_("took place at"))
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects note"),
    )

    class Meta:
        ordering = ["-occurred_at", "-created_at"]
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        indexes = [models.Index(fields=["case", "occurred_at"], name="note_case_time")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=NoteKind.values), name="note_kind_known"),
            models.CheckConstraint(condition=~Q(body=""), name="note_body_required"),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(corrects=F("id")), name="note_not_correcting_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d}"


# --- Consent -------------------------------------------------------------------------------------


class ConsentScope(models.TextChoices):
    SERVICES = "services", _("Receiving services")
    SHARE_WITH_AGENCY = "share_with_agency", _("Sharing information with a named agency")
    STATISTICS = "statistics", _("Use in statistics")
    FOLLOW_UP_CONTACT = "follow_up_contact", _("Contact for follow-up")


class ConsentGivenBy(models.TextChoices):
    PERSON = "person", _("The person")
    GUARDIAN = "guardian", _("A guardian")


class Consent(BaseModel):
    """What the person (or their guardian) agreed to. Active until withdrawn; never deleted."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="consents", verbose_name=_("case"))
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="consents", verbose_name=_("person")
    )
    scope = models.CharField(_("consent to"), max_length=30, choices=ConsentScope.choices)
    shared_with_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency it may be shared with"),
    )
    given_by = models.CharField(_("given by"), max_length=10, choices=ConsentGivenBy.choices)
    guardian_name = models.CharField(_("guardian's name"), max_length=200, blank=True)
    given_on = models.DateField(_("given on"))
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = EncryptedTextField(_("reason for withdrawal"), blank=True)
    withdrawn_recorded_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawal recorded by"),
    )

    class Meta:
        ordering = ["-given_on", "-created_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(condition=Q(scope__in=ConsentScope.values), name="consent_scope_known"),
            models.CheckConstraint(
                condition=Q(given_by__in=ConsentGivenBy.values), name="consent_given_by_known"
            ),
            # Sharing names the agency; no other scope does.
            models.CheckConstraint(
                condition=Q(scope=ConsentScope.SHARE_WITH_AGENCY, shared_with_agency__isnull=False)
                | (~Q(scope=ConsentScope.SHARE_WITH_AGENCY) & Q(shared_with_agency__isnull=True)),
                name="consent_share_names_agency",
            ),
            models.CheckConstraint(
                condition=~Q(given_by=ConsentGivenBy.GUARDIAN) | ~Q(guardian_name=""),
                name="consent_guardian_named",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True)
                | (~Q(withdrawal_reason="") & Q(withdrawn_on__gte=F("given_on"))),
                name="consent_withdrawal_recorded",
            ),
            models.UniqueConstraint(
                fields=["case", "scope"],
                condition=Q(withdrawn_on__isnull=True, shared_with_agency__isnull=True),
                name="consent_one_active_per_scope",
            ),
            models.UniqueConstraint(
                fields=["case", "scope", "shared_with_agency"],
                condition=Q(withdrawn_on__isnull=True, shared_with_agency__isnull=False),
                name="consent_one_active_per_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} ({self.given_on})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None


# --- Transfer, shared access, closure ------------------------------------------------------------


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class CaseTransfer(BaseModel):
    """A request to hand a case to another agency. It rests on the person's consent to share with
    that agency (`consent`) or on a legal basis with a supervisor's override (`override_by`)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="transfers", verbose_name=_("case"))
    from_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("from agency")
    )
    to_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="incoming_transfers",
        verbose_name=_("to agency"),
    )
    requested_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    reason = EncryptedTextField(_("reason"))
    legal_basis = EncryptedTextField(_("legal basis"), blank=True)
    consent = models.ForeignKey(
        Consent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers",
        verbose_name=_("consent relied on"),
    )
    override_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consent overridden by"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=TransferStatus.choices, default=TransferStatus.REQUESTED
    )
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("answered by")
    )
    decided_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decision_note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case transfer")
        verbose_name_plural = _("case transfers")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=TransferStatus.values), name="transfer_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(from_agency=F("to_agency")), name="transfer_to_another_agency"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="transfer_has_reason"),
            models.UniqueConstraint(
                fields=["case"], condition=Q(status=TransferStatus.REQUESTED), name="transfer_one_pending"
            ),
            # Without consent, a legal basis and an override; an override always names its basis.
            models.CheckConstraint(
                condition=Q(consent__isnull=False) | Q(override_by__isnull=False), name="transfer_has_basis"
            ),
            models.CheckConstraint(
                condition=Q(override_by__isnull=True) | ~Q(legal_basis=""),
                name="transfer_override_has_legal_basis",
            ),
            models.CheckConstraint(
                condition=Q(status=TransferStatus.REQUESTED, decided_at__isnull=True)
                | (~Q(status=TransferStatus.REQUESTED) & Q(decided_at__isnull=False)),
                name="transfer_answer_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_agency_id} → {self.to_agency_id} ({self.status})"


# Reasons the system writes itself are stored as a code and put into words when shown, so each
# reader sees their own language. Rows written before the code existed hold the English or the
# Vietnamese sentence; they are recognised too.
FORMER_OWNER_FOLLOW_UP = "system:former-owner-follow-up"
_FORMER_OWNER_FOLLOW_UP_LEGACY = frozenset(
    {
        "Former owner: follow-up after the transfer.",
        "Cơ quan quản lý trước đây: theo dõi sau chuyển giao.",
    }
)


class CaseAccess(BaseModel):
    """Read access to a case for an agency that does not own it. Granted to the former owner when
    a transfer is accepted (for follow-up), or to an agency the person consented to share with."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="accesses", verbose_name=_("case"))
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="case_accesses", verbose_name=_("agency")
    )
    reason = EncryptedTextField(_("reason"))
    legal_basis = EncryptedTextField(_("legal basis"), blank=True)
    transfer = models.ForeignKey(
        CaseTransfer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("transfer"),
    )
    consent = models.ForeignKey(
        Consent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accesses",
        verbose_name=_("consent"),
    )
    granted_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("granted by")
    )
    granted_at = models.DateTimeField(_("granted at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("revoked by")
    )
    revocation_reason = EncryptedTextField(_("reason for revoking"), blank=True)

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = _("shared case access")
        verbose_name_plural = _("shared case accesses")
        indexes = [models.Index(fields=["agency", "case"], name="case_access_agency")]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "agency"], condition=Q(revoked_at__isnull=True), name="case_access_one_active"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="case_access_has_reason"),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True)
                | (Q(revoked_at__gte=F("granted_at")) & ~Q(revocation_reason="")),
                name="case_access_revocation_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.agency_id}"

    @property
    def reason_display(self) -> str:
        """The reason in the reader's language when the system wrote it, as typed otherwise."""
        if self.reason == FORMER_OWNER_FOLLOW_UP or self.reason in _FORMER_OWNER_FOLLOW_UP_LEGACY:
            return str(_("Former owner: follow-up after the transfer."))
        return self.reason

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ClosureStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class ClosureRequest(BaseModel):
    """A case worker asks to close a case; a supervisor (someone else) approves or returns it."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="closure_requests", verbose_name=_("case")
    )
    requested_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    reason = EncryptedTextField(_("reason for closing"))
    status = models.CharField(
        _("status"), max_length=20, choices=ClosureStatus.choices, default=ClosureStatus.REQUESTED
    )
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = EncryptedTextField(_("supervisor's note"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("closure request")
        verbose_name_plural = _("closure requests")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ClosureStatus.values), name="closure_status_known"),
            models.CheckConstraint(condition=~Q(reason=""), name="closure_has_reason"),
            models.UniqueConstraint(
                fields=["case"], condition=Q(status=ClosureStatus.REQUESTED), name="closure_one_pending"
            ),
            models.CheckConstraint(
                condition=Q(status=ClosureStatus.REQUESTED, decided_at__isnull=True)
                | (
                    ~Q(status=ClosureStatus.REQUESTED) & Q(decided_at__isnull=False, decided_by__isnull=False)
                ),
                name="closure_decision_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} ({self.status})"
