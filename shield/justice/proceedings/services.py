"""Writes of the proceedings part: opening a proceeding, recording its steps, handing it to the
next agency, assigning officers, adding parties and their outcomes. Every service is atomic,
checks access through `access`, refuses a stale version (412) or a missing one (428) when it
changes a record people edit, and writes its audit event in the same transaction."""

import datetime
from collections.abc import Iterable
from typing import cast

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from shield import audit
from shield.accounts import policy
from shield.accounts.models import Agency, User
from shield.audit.models import AuditAction
from shield.cases import selectors as case_selectors
from shield.cases.models import Case
from shield.core.access import AccessSubject
from shield.core.concurrency import save_versioned
from shield.core.errors import (
    InvalidTransition,
    NotFound,
    PermissionRefused,
    StaleVersion,
    ValidationFailed,
    VersionRequired,
)
from shield.justice.models import (
    FamilyMatter,
    HoldingRole,
    JusticeAssignment,
    Party,
    PartyOutcome,
    PartyRole,
    Proceeding,
    ProceedingHolding,
    ProceedingKind,
    ProceedingOffence,
    ProceedingReferenceCounter,
    ProceedingStatus,
    ProceedingStep,
    StepKind,
)
from shield.justice.proceedings import access, offences
from shield.people import selectors as people_selectors
from shield.people.models import Person

NOTE_MAX_LENGTH = 4000
# The order in which agencies hold a proceeding (police investigation body → procuracy → court →
# enforcement); a return for further investigation is the one way back.
HOLDING_ORDER = [HoldingRole.INVESTIGATION, HoldingRole.PROCURACY, HoldingRole.COURT, HoldingRole.ENFORCEMENT]
ACCUSED_ROLES = {PartyRole.SUSPECT, PartyRole.ACCUSED, PartyRole.DEFENDANT}
ROLE_PREFIX = {
    HoldingRole.INVESTIGATION: "DT",
    HoldingRole.PROCURACY: "KS",
    HoldingRole.COURT: "TA",
    HoldingRole.ENFORCEMENT: "THA",
}


def _check_version(current: int, expected: int | None) -> None:
    if expected is None:
        raise VersionRequired()
    if current != expected:
        raise StaleVersion()


def _locked(proceeding: Proceeding) -> Proceeding:
    return Proceeding.objects.select_for_update().select_related("holding_agency").get(pk=proceeding.pk)


def may_act_in_agency(*, user: User, agency: Agency, permission: str = access.EDIT) -> bool:
    """Whether the user holds `permission` with a scope reaching `agency`."""
    reach = policy.scope_q(user, permission, agency_path="pk", province_path="province")
    return Agency.objects.filter(reach, pk=agency.pk).exists() if reach != access.NOTHING else False


def _editable(actor: User, proceeding: Proceeding) -> None:
    if not access.can_view(user=actor, proceeding=proceeding):
        raise NotFound(_("Proceeding not found."))
    if not access.can_edit(user=actor, proceeding=proceeding):
        raise PermissionRefused(_("You may not change this proceeding."))


def _open_for_changes(proceeding: Proceeding) -> None:
    if proceeding.status == ProceedingStatus.CLOSED:
        raise InvalidTransition(_("This proceeding is closed: nothing more can be recorded in it."))


def next_reference(agency: Agency, role: str, when: datetime.datetime) -> str:
    """`<AGENCY CODE>-<DT|KS|TA|THA>-<year>-<000123>`: a counter per agency and year, under a row lock."""
    year = timezone.localtime(when).year
    counter, _created = ProceedingReferenceCounter.objects.select_for_update().get_or_create(
        agency=agency, year=year
    )
    ProceedingReferenceCounter.objects.filter(pk=counter.pk).update(last_number=F("last_number") + 1)
    counter.refresh_from_db(fields=["last_number"])
    return (
        f"{agency.code.upper()}-{ROLE_PREFIX.get(HoldingRole(role), 'TP')}-{year}-{counter.last_number:06d}"
    )


@transaction.atomic
def proceeding_open(
    *,
    actor: User,
    kind: str,
    offence_codes: Iterable[str],
    holding_agency: Agency,
    holding_role: str,
    reported_at: datetime.datetime,
    summary: str = "",
) -> Proceeding:
    """Open a proceeding held by `holding_agency` (where the actor holds `justice.edit`), about the
    given offences (codes of `data/offences.json`; a criminal proceeding needs at least one), with
    its first holding, a "report received" step on the day of `reported_at`, and the actor assigned."""
    if not may_act_in_agency(user=actor, agency=holding_agency):
        raise PermissionRefused(_("You may not open proceedings for this agency."))
    codes = list(dict.fromkeys(c for c in offence_codes if c))
    errors: dict[str, list[str]] = {}
    if kind not in ProceedingKind.values:
        errors["kind"] = [_("Choose a kind of proceeding.")]
    if holding_role not in HoldingRole.values:
        errors["holding_role"] = [_("Choose the role of the holding agency.")]
    unknown = [c for c in codes if offences.get(c) is None]
    if unknown:
        errors["offences"] = [_("Unknown offence: %(codes)s.") % {"codes": ", ".join(unknown)}]
    elif kind == ProceedingKind.CRIMINAL and not codes:
        errors["offences"] = [_("A criminal proceeding needs at least one offence.")]
    if reported_at > timezone.now():
        errors["reported_at"] = [_("The report cannot be in the future.")]
    if len(summary) > NOTE_MAX_LENGTH:
        errors["summary"] = [_("At most %(n)d characters.") % {"n": NOTE_MAX_LENGTH}]
    if not holding_agency.is_active:
        errors["holding_agency"] = [_("This agency is no longer active.")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    proceeding = Proceeding.objects.create(
        reference=next_reference(holding_agency, holding_role, reported_at),
        kind=kind,
        holding_agency=holding_agency,
        holding_role=holding_role,
        reported_at=reported_at,
        summary=summary,
        created_by=actor,
    )
    ProceedingOffence.objects.bulk_create([ProceedingOffence(proceeding=proceeding, code=c) for c in codes])
    ProceedingHolding.objects.create(
        proceeding=proceeding, agency=holding_agency, role=holding_role, started_at=reported_at
    )
    ProceedingStep.objects.create(
        proceeding=proceeding,
        kind=StepKind.REPORT_RECEIVED,
        occurred_on=timezone.localtime(reported_at).date(),
        agency=holding_agency,
        recorded_by=actor,
    )
    # The officer who opens it handles it: assigned from the start (they may end it).
    JusticeAssignment.objects.create(
        proceeding=proceeding,
        officer=actor,
        agency=_officer_agency(actor) or holding_agency,
        assigned_by=actor,
    )
    audit.record(action=AuditAction.CREATE, actor=actor, agency=holding_agency, obj=proceeding)
    return proceeding


# Steps that change the proceeding's status.
STATUS_AFTER = {
    StepKind.SUSPENDED: ProceedingStatus.SUSPENDED,
    StepKind.RESUMED: ProceedingStatus.OPEN,
    StepKind.DISMISSED: ProceedingStatus.CLOSED,
}


@transaction.atomic
def step_record(
    *,
    actor: User,
    proceeding: Proceeding,
    expected_version: int | None,
    kind: str,
    occurred_on: datetime.date | None = None,
    scheduled_for: datetime.datetime | None = None,
    note: str = "",
) -> ProceedingStep:
    """Record a dated step, or schedule one (a hearing: `scheduled_for`, a date and time).

    A suspension suspends the proceeding (only a resumption or a dismissal may follow), a
    resumption reopens it, a dismissal closes it. The proceeding's version moves with every step,
    so two officers recording at once are told."""
    _editable(actor, proceeding)
    proceeding = _locked(proceeding)
    _check_version(proceeding.version, expected_version)
    _open_for_changes(proceeding)
    errors: dict[str, list[str]] = {}
    if kind not in StepKind.values:
        errors["kind"] = [_("Choose a step.")]
    if (occurred_on is None) == (scheduled_for is None):
        errors["occurred_on"] = [
            _("Give either the date it happened or the date and time it is scheduled for.")
        ]
    today = timezone.localdate()
    if occurred_on is not None and occurred_on > today:
        errors["occurred_on"] = [_("A step that happened cannot be in the future: schedule it instead.")]
    if occurred_on is not None and occurred_on < timezone.localtime(proceeding.reported_at).date():
        errors["occurred_on"] = [_("A step cannot come before the report was received.")]
    if len(note) > NOTE_MAX_LENGTH:
        errors["note"] = [_("At most %(n)d characters.") % {"n": NOTE_MAX_LENGTH}]
    if errors:
        raise ValidationFailed(field_errors=errors)
    if kind == StepKind.RESUMED and proceeding.status != ProceedingStatus.SUSPENDED:
        raise InvalidTransition(_("Only a suspended proceeding can be resumed."))
    if proceeding.status == ProceedingStatus.SUSPENDED and kind not in (StepKind.RESUMED, StepKind.DISMISSED):
        raise InvalidTransition(_("This proceeding is suspended: resume it before recording other steps."))
    if kind in STATUS_AFTER and scheduled_for is not None:
        raise ValidationFailed(
            field_errors={
                "scheduled_for": [_("A suspension, resumption or dismissal is recorded when it happens.")]
            }
        )
    step = ProceedingStep.objects.create(
        proceeding=proceeding,
        kind=kind,
        occurred_on=occurred_on,
        scheduled_for=scheduled_for,
        agency=proceeding.holding_agency,
        recorded_by=actor,
        note=note,
    )
    fields: list[str] = []
    new_status = STATUS_AFTER.get(StepKind(kind))
    if new_status is not None:
        proceeding.status = new_status
        fields.append("status")
        if new_status == ProceedingStatus.CLOSED:
            proceeding.closed_at = timezone.now()
            fields.append("closed_at")
            ProceedingHolding.objects.filter(proceeding=proceeding, ended_at__isnull=True).update(
                ended_at=proceeding.closed_at
            )
    save_versioned(proceeding, expected_version=proceeding.version, fields=fields)
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        agency=proceeding.holding_agency,
        obj=proceeding,
        changed_fields=["steps", *fields],
        details={"step": kind},
    )
    return step


@transaction.atomic
def proceeding_hand_over(
    *,
    actor: User,
    proceeding: Proceeding,
    expected_version: int | None,
    to_agency: Agency,
    to_role: str,
    at: datetime.datetime | None = None,
) -> ProceedingHolding:
    """Hand the proceeding to the next agency: closes the current holding, opens the next.

    The order is investigation body → procuracy → court → enforcement, one stage at a time; the
    same stage may pass to another agency (a change of jurisdiction); going back is allowed only
    after a "returned for further investigation" step recorded during the current holding."""
    _editable(actor, proceeding)
    proceeding = _locked(proceeding)
    _check_version(proceeding.version, expected_version)
    _open_for_changes(proceeding)
    if to_role not in HoldingRole.values:
        raise ValidationFailed(field_errors={"to_role": [_("Choose the role of the receiving agency.")]})
    if not to_agency.is_active:
        raise ValidationFailed(field_errors={"to_agency": [_("This agency is no longer active.")]})
    now = at or timezone.now()
    current = ProceedingHolding.objects.select_for_update().get(proceeding=proceeding, ended_at__isnull=True)
    here, there = HOLDING_ORDER.index(HoldingRole(current.role)), HOLDING_ORDER.index(HoldingRole(to_role))
    if to_agency.pk == current.agency_id and to_role == current.role:
        raise InvalidTransition(_("The proceeding is already held by this agency."))
    if there > here + 1:
        raise InvalidTransition(
            _("A proceeding passes one stage at a time: from %(here)s it goes to %(next)s.")
            % {"here": HoldingRole(current.role).label, "next": HOLDING_ORDER[here + 1].label}
        )
    if there < here:
        returned = ProceedingStep.objects.filter(
            proceeding=proceeding,
            kind=StepKind.RETURNED_FOR_INVESTIGATION,
            created_at__gte=current.started_at,
        ).exists()
        if not returned:
            raise InvalidTransition(
                _("A proceeding goes back only after a return for further investigation is recorded.")
            )
    if now < current.started_at:
        raise ValidationFailed(
            field_errors={"at": [_("The hand-over cannot come before the current holding began.")]}
        )
    current.ended_at = now
    current.save(update_fields=["ended_at", "updated_at"])
    holding = ProceedingHolding.objects.create(
        proceeding=proceeding, agency=to_agency, role=to_role, started_at=now
    )
    proceeding.holding_agency, proceeding.holding_role = to_agency, to_role
    save_versioned(proceeding, expected_version=proceeding.version, fields=["holding_agency", "holding_role"])
    audit.record(
        action=AuditAction.TRANSITION,
        actor=actor,
        agency=to_agency,
        obj=proceeding,
        changed_fields=["holding_agency", "holding_role"],
        reason=f"{current.role} → {to_role}",
    )
    return holding


def _officer_agency(officer: User) -> Agency | None:
    for membership in policy.memberships_with(officer, access.VIEW):
        return membership.agency
    return None


@transaction.atomic
def officer_assign(*, actor: User, proceeding: Proceeding, officer: User) -> JusticeAssignment:
    """Assign a justice officer (an active member holding `justice.edit`) to the proceeding: they
    see it, may record in it and see its children's names while assigned."""
    _editable(actor, proceeding)
    proceeding = _locked(proceeding)
    _open_for_changes(proceeding)
    if not officer.is_active or not policy.has_permission(officer, access.EDIT):
        raise ValidationFailed(
            field_errors={"officer": [_("Only an active justice officer can be assigned.")]}
        )
    agency = _officer_agency(officer)
    assert agency is not None
    if JusticeAssignment.objects.filter(
        proceeding=proceeding, officer=officer, ended_at__isnull=True
    ).exists():
        raise ValidationFailed(field_errors={"officer": [_("This officer is already assigned.")]})
    assignment = JusticeAssignment.objects.create(
        proceeding=proceeding, officer=officer, agency=agency, assigned_by=actor
    )
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        agency=proceeding.holding_agency,
        obj=assignment,
        details={"proceeding": str(proceeding.pk)},
    )
    return assignment


@transaction.atomic
def officer_unassign(*, actor: User, assignment: JusticeAssignment) -> JusticeAssignment:
    """End an assignment (kept, with its end date: who was assigned when stays known)."""
    _editable(actor, assignment.proceeding)
    assignment = JusticeAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.ended_at is not None:
        raise InvalidTransition(_("This assignment has already ended."))
    assignment.ended_at = timezone.now()
    assignment.save(update_fields=["ended_at", "updated_at"])
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=assignment,
        changed_fields=["ended_at"],
        details={"proceeding": str(assignment.proceeding_id)},
    )
    return assignment


def is_child_at(person: Person, day: datetime.date) -> bool:
    """Under 18 on `day`, judged from the registry's birth date with its precision; an unknown
    or uncertain age counts as a child (the law presumes a child until shown otherwise)."""
    return person.is_child(day) is not False


def _visible_case(actor: User, case: Case, person: Person) -> Case:
    try:
        found = case_selectors.case_get_for(user=actor, case_id=case.pk)
    except NotFound:
        raise ValidationFailed(field_errors={"protection_case": [_("Case not found.")]}) from None
    if found.person_id != person.pk:
        raise ValidationFailed(
            field_errors={"protection_case": [_("The protection case must be the same person's.")]}
        )
    return found


@transaction.atomic
def party_add(
    *,
    actor: User,
    proceeding: Proceeding,
    person: Person,
    role: str,
    event_on: datetime.date,
    family_matter: str = "",
    protection_case: Case | None = None,
) -> Party:
    """Add a registry person (one the actor can see) as a party. `event_on` is the date of the
    offence (accused) or event (victim, witness): `is_child` is decided there, once."""
    _editable(actor, proceeding)
    proceeding = _locked(proceeding)
    _open_for_changes(proceeding)
    try:
        person = people_selectors.person_get_for(user=cast(AccessSubject, actor), person_id=person.pk)
    except NotFound:
        raise ValidationFailed(field_errors={"person": [_("Person not found.")]}) from None
    errors: dict[str, list[str]] = {}
    if role not in PartyRole.values:
        errors["role"] = [_("Choose a role.")]
    if role == PartyRole.CHILD_IN_FAMILY_MATTER and family_matter not in FamilyMatter.values:
        errors["family_matter"] = [_("Name the family-law matter.")]
    if role != PartyRole.CHILD_IN_FAMILY_MATTER and family_matter:
        errors["family_matter"] = [_("Only a child in a family-law matter has one.")]
    if event_on > timezone.localdate():
        errors["event_on"] = [_("The date cannot be in the future.")]
    if protection_case is not None and role != PartyRole.VICTIM:
        errors["protection_case"] = [_("Only a victim's protection case is linked.")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    if protection_case is not None:
        protection_case = _visible_case(actor, protection_case, person)
    try:
        with transaction.atomic():
            party = Party.objects.create(
                proceeding=proceeding,
                person=person,
                role=role,
                family_matter=family_matter,
                event_on=event_on,
                is_child=is_child_at(person, event_on),
                protection_case=protection_case,
            )
    except IntegrityError:
        raise ValidationFailed(
            field_errors={"person": [_("This person already has this role here.")]}
        ) from None
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        agency=proceeding.holding_agency,
        obj=party,
        details={"proceeding": str(proceeding.pk), "role": role},
    )
    return party


def _locked_party(actor: User, party: Party, expected_version: int | None) -> Party:
    _editable(actor, party.proceeding)
    locked = Party.objects.select_for_update().select_related("proceeding", "person").get(pk=party.pk)
    _check_version(locked.version, expected_version)
    _open_for_changes(locked.proceeding)
    return locked


@transaction.atomic
def party_outcome_set(
    *,
    actor: User,
    party: Party,
    expected_version: int | None,
    outcome: str,
    outcome_on: datetime.date,
    sentence_custodial: bool | None = None,
    sentence_months: int | None = None,
) -> Party:
    """Record a suspect's, accused's or defendant's outcome; a sentence only with a conviction
    (custodial or not; a custodial one needs its length in months, 1 to 360)."""
    party = _locked_party(actor, party, expected_version)
    errors: dict[str, list[str]] = {}
    if party.role not in ACCUSED_ROLES:
        errors["outcome"] = [_("Only a suspect, accused or defendant has an outcome.")]
    elif outcome not in PartyOutcome.values:
        errors["outcome"] = [_("Choose an outcome.")]
    if outcome_on > timezone.localdate():
        errors["outcome_on"] = [_("The date cannot be in the future.")]
    if outcome_on < party.event_on:
        errors["outcome_on"] = [_("The outcome cannot come before the offence.")]
    if outcome != PartyOutcome.CONVICTED and (sentence_custodial is not None or sentence_months):
        errors["sentence_custodial"] = [_("A sentence goes with a conviction only.")]
    if (
        outcome == PartyOutcome.CONVICTED
        and sentence_custodial
        and not (sentence_months and 0 < sentence_months <= 360)
    ):
        errors["sentence_months"] = [_("Give the length of the custodial sentence in months (1 to 360).")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    party.outcome, party.outcome_on = outcome, outcome_on
    party.sentence_custodial = sentence_custodial if outcome == PartyOutcome.CONVICTED else None
    party.sentence_months = sentence_months if outcome == PartyOutcome.CONVICTED else None
    fields = ["outcome", "outcome_on", "sentence_custodial", "sentence_months"]
    save_versioned(party, expected_version=party.version, fields=fields)
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        agency=party.proceeding.holding_agency,
        obj=party,
        changed_fields=fields,
        details={"outcome": outcome},
    )
    return party


@transaction.atomic
def party_link_case(*, actor: User, party: Party, expected_version: int | None, case: Case | None) -> Party:
    """Link a victim party to their protection case (one the actor can see, the same person's),
    or unlink it (`case=None`). The case's workers then see the proceeding's steps and hearings."""
    party = _locked_party(actor, party, expected_version)
    if party.role != PartyRole.VICTIM:
        raise ValidationFailed(
            field_errors={"protection_case": [_("Only a victim's protection case is linked.")]}
        )
    party.protection_case = _visible_case(actor, case, party.person) if case is not None else None
    save_versioned(party, expected_version=party.version, fields=["protection_case"])
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        agency=party.proceeding.holding_agency,
        obj=party,
        changed_fields=["protection_case"],
    )
    return party
