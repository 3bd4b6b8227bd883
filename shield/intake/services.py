"""Every write to intake: keyword-only, typed, one transaction each, audited in that transaction.

- instruments: `instrument_publish` (a new immutable version), `instrument_ensure_first`;
- screenings: `screening_start`, `screening_save_draft` (autosave), `screening_add_companion`
  (group screening), `screening_discard`, `screening_complete` (a referral outcome registers or
  links the person, opens the case at the receiving agency and notifies it, all or nothing);
- tips: `tip_record`, `tip_assign`, `tip_link`, `tip_open_case`, `tip_close`;
- notices: `notice_acknowledge`.

Refusals are `shield.core.errors`: NotFound (not in the actor's reach), PermissionRefused (in reach
but not theirs to change), ValidationFailed (field errors), InvalidTransition (the record's state
says no), StaleVersion / VersionRequired (optimistic concurrency).
"""

import datetime
import secrets
from collections.abc import Mapping
from typing import Any, cast

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from shield import audit
from shield.accounts import policy
from shield.accounts.models import Agency, User
from shield.audit import reasons
from shield.audit.models import AuditAction
from shield.cases import selectors as case_selectors
from shield.cases.models import Case
from shield.cases.models import RiskLevel as CaseRisk
from shield.cases.services import referrals as case_referrals
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
from shield.geo.models import BorderGate, Commune, Province
from shield.intake import deadlines, instruments, risk, selectors
from shield.intake.models import (
    Purpose,
    ReferralNotice,
    Screening,
    ScreeningGroup,
    ScreeningInstrument,
    ScreeningStatus,
    Tip,
    TipChannel,
    TipStatus,
    TravelDocumentKind,
    Urgency,
)
from shield.notifications.models import Kind
from shield.notifications.services import notify
from shield.people import birth_dates
from shield.people import selectors as people_selectors
from shield.people import services as people_services
from shield.people.models import DocumentKind, Person, Sex

# The fields a draft takes as the officer types (the rest are the service's).
DRAFT_FIELDS = (
    "direction",
    "border_gate",
    "traveller_name",
    "traveller_sex",
    "traveller_birth_date",
    "traveller_age",
    "nationality",
    "document_kind",
    "document_number",
    "document_country",
    "destination_country",
    "destination_place",
    "purpose",
    "recruiter",
    "observations",
    "answers",
)
# Context copied to a companion's screening: they travel together.
GROUP_FIELDS = ("direction", "destination_country", "destination_place", "purpose", "recruiter")
# Travel documents that are also identity documents in the registry.
REGISTRY_DOCUMENT: dict[str, str] = {
    TravelDocumentKind.PASSPORT: DocumentKind.PASSPORT,
    TravelDocumentKind.CCCD: DocumentKind.CCCD,
}
CASE_RISK = {
    risk.RiskLevel.NONE: CaseRisk.LOW,
    risk.RiskLevel.LOW: CaseRisk.LOW,
    risk.RiskLevel.MEDIUM: CaseRisk.MEDIUM,
    risk.RiskLevel.HIGH: CaseRisk.HIGH,
    risk.RiskLevel.CRITICAL: CaseRisk.CRITICAL,
}


def _viewer(user: User) -> AccessSubject:
    return cast(AccessSubject, user)


def _check_version(current: int, expected: int | None) -> None:
    if expected is None:
        raise VersionRequired()
    if current != expected:
        raise StaleVersion()


def _required(value: str | None, field: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationFailed(field_errors={field: [message]})
    return text


# --- Instruments ---------------------------------------------------------------------------------


@transaction.atomic
def instrument_publish(
    *, actor: User | None, definition: Mapping[str, Any], source: str = ""
) -> ScreeningInstrument:
    """Publish `definition` as the next version of its instrument. Earlier versions stay as they
    are: screenings taken with them keep them. `actor` None is the system (a data load)."""
    if actor is not None and not actor.has_perm(selectors.PUBLISH):
        raise PermissionRefused()
    try:
        parsed = instruments.check_definition(definition)
    except instruments.DefinitionError as exc:
        raise ValidationFailed(
            _("The instrument cannot be published."), field_errors={"definition": exc.problems}
        ) from exc
    latest = ScreeningInstrument.objects.filter(code=parsed.code).aggregate(v=Max("version"))["v"] or 0
    try:
        with transaction.atomic():
            instrument = ScreeningInstrument.objects.create(
                code=parsed.code,
                version=latest + 1,
                title_vi=parsed.title["vi"],
                title_en=parsed.title["en"],
                definition=dict(definition),
                source=source[:200],
                published_at=timezone.now(),
                published_by=actor,
            )
    except IntegrityError as exc:
        # Two publishers at once: the second learns it and publishes again on top.
        raise StaleVersion() from exc
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=instrument,
        changed_fields=["code", "version", "definition", "source"],
        reason=source[:200],
    )
    return instrument


def instrument_ensure_first() -> ScreeningInstrument:
    """The first instrument, loaded from its file if the database has none (after a test flush)."""
    current = selectors.instrument_current()
    if current is not None:
        return current
    return instrument_publish(
        actor=None,
        definition=instruments.read_file(instruments.FIRST_INSTRUMENT),
        source="shield/intake/data/instruments/border-gate-v1.json",
    )


# --- Screenings ----------------------------------------------------------------------------------


def _own_draft(actor: User, screening: Screening, expected_version: int | None) -> Screening:
    """The locked current row of a draft the actor is typing."""
    if not Screening.objects.filter(selectors.screening_visible_q(actor), pk=screening.pk).exists():
        raise NotFound()
    locked = Screening.objects.select_for_update().select_related("instrument", "agency").get(pk=screening.pk)
    if locked.officer_id != actor.pk or not actor.has_perm(selectors.SCREEN):
        raise PermissionRefused(_("Only the officer who started this screening can change it."))
    if locked.status != ScreeningStatus.DRAFT:
        raise InvalidTransition(_("This screening is no longer a draft."))
    _check_version(locked.version, expected_version)
    return locked


@transaction.atomic
def screening_start(
    *, actor: User, border_gate: BorderGate | None = None, group: ScreeningGroup | None = None
) -> Screening:
    """A new draft with the newest instrument, at the gate of the actor's post (or `border_gate`)."""
    if not actor.has_perm(selectors.SCREEN):
        raise PermissionRefused()
    agency = selectors.screening_agency_of(actor)
    if agency is None:
        raise PermissionRefused()
    gate = border_gate or agency.border_gate
    if gate is None:
        raise ValidationFailed(field_errors={"border_gate": [_("Choose the border gate.")]})
    instrument = selectors.instrument_current()
    if instrument is None:
        raise InvalidTransition(_("No screening instrument has been published yet."))
    screening = Screening.objects.create(
        instrument=instrument,
        agency=agency,
        border_gate=gate,
        officer=actor,
        group=group,
        started_at=timezone.now(),
    )
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        agency=agency,
        obj=screening,
        changed_fields=["instrument", "agency", "border_gate", "officer", "group", "started_at"],
    )
    return screening


def _clean_draft(screening: Screening, data: Mapping[str, Any]) -> dict[str, Any]:
    """Check what the form could not: no future birth, known codes; answers kept to the instrument's."""
    errors: dict[str, list[str]] = {}
    values = {k: v for k, v in data.items() if k in DRAFT_FIELDS}
    born = values.get("traveller_birth_date")
    if born is not None and born > timezone.localdate():
        errors["traveller_birth_date"] = [_("The date of birth cannot be in the future.")]
    age = values.get("traveller_age")
    if age is not None and not 0 <= age <= birth_dates.MAX_ESTIMATED_AGE:
        errors["traveller_age"] = [_("Enter an age between 0 and 120.")]
    for field in ("nationality", "document_country", "destination_country"):
        if values.get(field) and not countries.alpha2(str(values[field])):
            errors[field] = [_("Choose a country from the list.")]
    if values.get("purpose") and values["purpose"] not in Purpose.values:
        errors["purpose"] = [_("Choose a value from the list.")]
    if values.get("document_kind") and values["document_kind"] not in TravelDocumentKind.values:
        errors["document_kind"] = [_("Choose a value from the list.")]
    if values.get("traveller_sex") and values["traveller_sex"] not in Sex.values:
        errors["traveller_sex"] = [_("Choose a value from the list.")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    if "answers" in values:
        values["answers"] = risk.clean_answers(screening.instrument.parsed, values["answers"] or {})
    for field in ("traveller_name", "document_number", "destination_place", "recruiter", "observations"):
        if field in values:
            values[field] = (
                " ".join(str(values[field] or "").split())
                if field != "observations"
                else (str(values[field] or "").strip())
            )
    return values


@transaction.atomic
def screening_save_draft(
    *, actor: User, screening: Screening, expected_version: int | None, data: Mapping[str, Any]
) -> Screening:
    """Save what the officer has typed so far (autosave): only the fields given change. A stale
    version (the draft saved from another tab) is refused whole, so nothing is overwritten."""
    locked = _own_draft(actor, screening, expected_version)
    values = _clean_draft(locked, data)
    changed = [name for name, value in values.items() if getattr(locked, name) != value]
    for name, value in values.items():
        setattr(locked, name, value)
    save_versioned(locked, expected_version=expected_version, fields=changed)
    if changed:
        # Names only: the values (names, observations) stay out of the log.
        audit.record(
            action=AuditAction.UPDATE, actor=actor, agency=locked.agency, obj=locked, changed_fields=changed
        )
    return locked


def age_of(screening: Screening) -> int | None:
    """The traveller's age on the day of the screening: from the date of birth, else the estimate."""
    if screening.traveller_birth_date is not None:
        day = timezone.localdate(screening.started_at)
        born = screening.traveller_birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    return screening.traveller_age


def screening_risk(screening: Screening) -> risk.RiskResult:
    """The risk the answers give now (the draft's live explanation; fixed on completion)."""
    return risk.assess(
        screening.instrument.parsed, screening.answers or {}, age=age_of(screening), purpose=screening.purpose
    )


@transaction.atomic
def screening_add_companion(*, actor: User, screening: Screening) -> Screening:
    """Screen someone travelling with this traveller: a new draft in the same group (created now if
    this is the first companion), with the journey's context copied."""
    if not Screening.objects.filter(selectors.screening_visible_q(actor), pk=screening.pk).exists():
        raise NotFound()
    if not actor.has_perm(selectors.SCREEN):
        raise PermissionRefused()
    locked = Screening.objects.select_for_update().get(pk=screening.pk)
    if locked.status == ScreeningStatus.DISCARDED:
        raise InvalidTransition(_("This screening was discarded."))
    group = locked.group
    if group is None:
        group = ScreeningGroup.objects.create(
            agency=locked.agency, border_gate=locked.border_gate, created_by=actor
        )
        audit.record(action=AuditAction.CREATE, actor=actor, agency=locked.agency, obj=group)
        # Joining a group changes no answer, so it does not bump the version the officer is typing on.
        Screening.objects.filter(pk=locked.pk).update(group=group)
    companion = screening_start(actor=actor, border_gate=locked.border_gate, group=group)
    for field in GROUP_FIELDS:
        setattr(companion, field, getattr(locked, field))
    companion.save(update_fields=[*GROUP_FIELDS, "updated_at"])
    return companion


@transaction.atomic
def screening_discard(*, actor: User, screening: Screening, expected_version: int | None) -> Screening:
    """Set a draft aside (started by mistake, a duplicate). It is kept, marked discarded."""
    locked = _own_draft(actor, screening, expected_version)
    locked.status = ScreeningStatus.DISCARDED
    save_versioned(locked, expected_version=expected_version, fields=["status"])
    audit.record(
        action=AuditAction.UPDATE, actor=actor, agency=locked.agency, obj=locked, changed_fields=["status"]
    )
    return locked


def _notify(*, actor: User, agency: Agency, case: Case, urgent: bool, **source: Any) -> ReferralNotice:
    notice = ReferralNotice.objects.create(agency=agency, case=case, urgent=urgent, sent_by=actor, **source)
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        agency=agency,
        obj=notice,
        changed_fields=["agency", "case", "urgent", *source.keys()],
    )
    notify(
        kind=Kind.SCREENING_REFERRAL,
        agency=agency,
        permission="cases.view",
        target=notice,
        url=reverse("cases:case_detail", kwargs={"case_id": case.pk}),
        params={
            "reference": case.reference,
            "source": "tip" if "tip" in source else "screening",
            "urgent": urgent,
        },
        actor=actor,
    )
    return notice


def _register_traveller(actor: User, screening: Screening) -> Person:
    """The traveller as a new person of the screening's agency, with their travel document."""
    person = people_services.person_register(
        actor=actor,
        owner_agency=screening.agency,
        full_name=screening.traveller_name,
        sex=screening.traveller_sex or Sex.UNKNOWN,
        birth_date=screening.traveller_birth_date,
        estimated_age=None if screening.traveller_birth_date else screening.traveller_age,
        age_estimated_on=(
            timezone.localdate(screening.started_at)
            if screening.traveller_birth_date is None and screening.traveller_age is not None
            else None
        ),
        nationality=str(screening.nationality or ""),
    )
    kind = REGISTRY_DOCUMENT.get(screening.document_kind)
    if kind and screening.document_number:
        people_services.document_add(
            actor=actor,
            person=person,
            kind=kind,
            number=screening.document_number,
            issuing_country=str(screening.document_country or screening.nationality or "VN"),
        )
    return person


@transaction.atomic
def screening_complete(
    *,
    actor: User,
    screening: Screening,
    expected_version: int | None,
    outcome: str,
    receiving_agency: Agency | None = None,
    person: Person | None = None,
    data: Mapping[str, Any] | None = None,
) -> Screening:
    """Fix the risk result and the outcome. The outcome may not ask less than the result: strong
    indicators or a high score need a referral, a child moved for exploitation needs urgent
    protection. A referral outcome, in this one transaction, registers the traveller (or links
    `person`, an existing person in the actor's reach), opens the case at `receiving_agency` in the
    stage "undergoing identification" with this screening attached, and notifies that agency; if
    any step fails nothing is kept and the draft stays as it was. `data`, when given, is what the
    form holds (the last keystrokes the autosave may not have sent), applied first."""
    locked = _own_draft(actor, screening, expected_version)
    draft_fields: list[str] = []
    if data:
        for name, value in _clean_draft(locked, data).items():
            if getattr(locked, name) != value:
                setattr(locked, name, value)
                draft_fields.append(name)
    result = screening_risk(locked)
    errors: dict[str, list[str]] = {}
    if outcome not in risk.Outcome.values:
        errors["outcome"] = [_("Choose the outcome.")]
    elif outcome not in result.allowed_outcomes:
        errors["outcome"] = [
            _("The answers call for “%(needed)s”: this outcome asks less.")
            % {"needed": risk.Outcome(result.suggested_outcome).label}
        ]
    referral = outcome in risk.REFERRAL_OUTCOMES
    if referral:
        if receiving_agency is None:
            errors["receiving_agency"] = [_("Choose the agency that receives the referral.")]
        if person is None and not locked.traveller_name.strip():
            errors["traveller_name"] = [_("A referral needs the traveller's name.")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    now = timezone.now()
    locked.status, locked.completed_at, locked.outcome = ScreeningStatus.COMPLETED, now, outcome
    locked.risk_level, locked.risk_score = result.level, result.score
    locked.risk_reasons = [reason.as_json() for reason in result.reasons]
    fields = [*draft_fields, "status", "completed_at", "outcome", "risk_level", "risk_score", "risk_reasons"]
    if referral:
        assert receiving_agency is not None
        if person is not None:
            traveller = people_selectors.person_get_for(user=_viewer(actor), person_id=person.pk)
        else:
            traveller = _register_traveller(actor, locked)
        case = case_referrals.case_open_on_referral(
            actor=actor,
            person=traveller,
            receiving_agency=receiving_agency,
            reported_at=locked.started_at,
            risk_level=CASE_RISK[risk.RiskLevel(result.level)],
            reason=_("Referred after a screening at %(gate)s.") % {"gate": locked.border_gate.name},
        )
        locked.receiving_agency, locked.person, locked.case = receiving_agency, traveller, case
        fields += ["receiving_agency", "person", "case"]
        save_versioned(locked, expected_version=expected_version, fields=fields)
        _notify(
            actor=actor,
            agency=receiving_agency,
            case=case,
            urgent=outcome == risk.Outcome.CHILD_PROTECTION,
            screening=locked,
        )
    else:
        save_versioned(locked, expected_version=expected_version, fields=fields)
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        agency=locked.agency,
        obj=locked,
        changed_fields=fields,
        reason=outcome,
    )
    return locked


# --- Tips ----------------------------------------------------------------------------------------


def _tip_agency(actor: User) -> Agency:
    """The agency a tip recorded by this actor belongs to: the first where they triage tips."""
    memberships = policy.memberships_with(actor, selectors.TRIAGE)
    if not memberships:
        raise PermissionRefused()
    return memberships[0].agency


def _new_reference(when: datetime.datetime) -> str:
    # Short enough to read over the phone; random so it says nothing about how many tips exist.
    return f"TIP-{timezone.localtime(when):%Y%m%d}-{secrets.token_hex(3).upper()}"


@transaction.atomic
def tip_record(
    *,
    actor: User,
    channel: str,
    description: str,
    received_at: datetime.datetime | None = None,
    urgency: str = Urgency.ROUTINE,
    reporter_anonymous: bool = False,
    reporter_name: str = "",
    reporter_contact: str = "",
    country: str = "VN",
    province: Province | None = None,
    commune: Commune | None = None,
    people_mentioned: str = "",
) -> Tip:
    """Record a tip received by the actor's agency; its triage deadline is fixed now by the rule in
    force (an urgent tip: one hour by default). An anonymous reporter leaves no name or contact."""
    if not actor.has_perm(selectors.TRIAGE):
        raise PermissionRefused()
    agency = _tip_agency(actor)
    now = timezone.now()
    received = received_at or now
    errors: dict[str, list[str]] = {}
    if channel not in TipChannel.values:
        errors["channel"] = [_("Choose how the tip came in.")]
    if urgency not in Urgency.values:
        errors["urgency"] = [_("Choose the urgency.")]
    if received > now:
        errors["received_at"] = [_("A tip cannot be received in the future.")]
    if not (description or "").strip():
        errors["description"] = [_("Write down what was reported.")]
    country_code = countries.alpha2(str(country or "").strip().upper())
    if not country_code:
        errors["country"] = [_("Choose a country from the list.")]
    if province is not None and country_code != "VN":
        errors["province"] = [_("A province is given only for places in Viet Nam.")]
    if commune is not None and (province is None or commune.province_id != province.pk):
        errors["commune"] = [_("The commune must be in the chosen province.")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    tip = Tip.objects.create(
        reference=_new_reference(received),
        agency=agency,
        channel=channel,
        received_at=received,
        received_by=actor,
        reporter_anonymous=reporter_anonymous,
        reporter_name="" if reporter_anonymous else reporter_name.strip(),
        reporter_contact="" if reporter_anonymous else reporter_contact.strip(),
        description=description.strip(),
        country=country_code,
        province=province,
        commune=commune,
        people_mentioned=people_mentioned.strip(),
        urgency=urgency,
        triage_due_at=deadlines.triage_deadline(received, urgency),
    )
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        agency=agency,
        obj=tip,
        changed_fields=[
            name
            for name in (
                "channel",
                "received_at",
                "reporter_anonymous",
                "reporter_name",
                "reporter_contact",
                "description",
                "country",
                "province",
                "commune",
                "people_mentioned",
                "urgency",
                "triage_due_at",
            )
            if getattr(tip, name) not in (None, "")
        ],
    )
    return tip


def _tip_for_triage(actor: User, tip: Tip, expected_version: int | None) -> Tip:
    if not actor.has_perm(selectors.TRIAGE):
        raise PermissionRefused()
    if not Tip.objects.filter(selectors.tip_visible_q(actor), pk=tip.pk).exists():
        raise NotFound()
    locked = Tip.objects.select_for_update().select_related("agency").get(pk=tip.pk)
    if locked.status == TipStatus.CLOSED:
        raise InvalidTransition(_("This tip is closed."))
    _check_version(locked.version, expected_version)
    return locked


def _triaged(
    actor: User, tip: Tip, status: str, fields: list[str], expected_version: int | None, reason: str = ""
) -> Tip:
    tip.status = status
    fields = [*fields, "status"]
    if tip.triaged_at is None:
        # The first decision is the triage: its time is what the deadline and the statistics measure.
        tip.triaged_at, tip.triaged_by = timezone.now(), actor
        fields += ["triaged_at", "triaged_by"]
    save_versioned(tip, expected_version=expected_version, fields=fields)
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        agency=tip.agency,
        obj=tip,
        changed_fields=fields,
        reason=reason,
    )
    return tip


@transaction.atomic
def tip_assign(*, actor: User, tip: Tip, expected_version: int | None, agency: Agency) -> Tip:
    """Hand the tip to the agency that should act on it; its members who triage tips then see it."""
    locked = _tip_for_triage(actor, tip, expected_version)
    if not agency.is_active:
        raise ValidationFailed(field_errors={"agency": [_("This agency is no longer active.")]})
    if agency.pk == locked.assigned_agency_id:
        raise ValidationFailed(field_errors={"agency": [_("The tip is already assigned to this agency.")]})
    locked.assigned_agency = agency
    triaged = _triaged(actor, locked, TipStatus.ASSIGNED, ["assigned_agency"], expected_version)
    notify(
        kind=Kind.TIP_ASSIGNED,
        agency=agency,
        permission="intake.triage_tips",
        target=triaged,
        url=reverse("intake:tip_detail", kwargs={"tip_id": triaged.pk}),
        params={"reference": triaged.reference},
        actor=actor,
    )
    return triaged


@transaction.atomic
def tip_link(
    *,
    actor: User,
    tip: Tip,
    expected_version: int | None,
    person: Person | None = None,
    case: Case | None = None,
) -> Tip:
    """Link the tip to a person or a case the actor may see (the case's person comes with it)."""
    locked = _tip_for_triage(actor, tip, expected_version)
    if person is None and case is None:
        raise ValidationFailed(field_errors={"person": [_("Choose a person or a case.")]})
    fields: list[str] = []
    if case is not None:
        case = case_selectors.case_get_for(user=actor, case_id=case.pk)
        locked.case = case
        fields.append("case")
        if person is None:
            person = case.person
    if person is not None:
        if case is None or person.pk != case.person_id:
            person = people_selectors.person_get_for(user=_viewer(actor), person_id=person.pk)
        locked.person = person
        fields.append("person")
    return _triaged(actor, locked, TipStatus.LINKED, fields, expected_version)


@transaction.atomic
def tip_open_case(
    *,
    actor: User,
    tip: Tip,
    expected_version: int | None,
    receiving_agency: Agency,
    person: Person | None = None,
    full_name: str = "",
    sex: str = Sex.UNKNOWN,
) -> Tip:
    """Open a case from the tip at `receiving_agency` (stage "undergoing identification") for an
    existing person or one registered now from `full_name`, and notify that agency; all or nothing."""
    locked = _tip_for_triage(actor, tip, expected_version)
    if person is not None:
        person = people_selectors.person_get_for(user=_viewer(actor), person_id=person.pk)
    else:
        name = _required(full_name, "full_name", _("Name the person, or choose one from the registry."))
        person = people_services.person_register(
            actor=actor, owner_agency=locked.agency, full_name=name, sex=sex
        )
    case = case_referrals.case_open_on_referral(
        actor=actor,
        person=person,
        receiving_agency=receiving_agency,
        reported_at=locked.received_at,
        risk_level=CaseRisk.HIGH if locked.urgency == Urgency.URGENT else CaseRisk.MEDIUM,
        reason=_("Opened from the tip %(reference)s.") % {"reference": locked.reference},
    )
    locked.person, locked.case = person, case
    _triaged(actor, locked, TipStatus.CASE_OPENED, ["person", "case"], expected_version)
    _notify(
        actor=actor, agency=receiving_agency, case=case, urgent=locked.urgency == Urgency.URGENT, tip=locked
    )
    return locked


@transaction.atomic
def tip_close(*, actor: User, tip: Tip, expected_version: int | None, reason: str) -> Tip:
    """Close the tip with a reason (not credible, a duplicate, outside the mandate). It is kept."""
    locked = _tip_for_triage(actor, tip, expected_version)
    text = _required(reason, "reason", _("Say why the tip is closed."))
    locked.closure_reason = text
    reason = reasons.reference(locked, "closure_reason")
    return _triaged(actor, locked, TipStatus.CLOSED, ["closure_reason"], expected_version, reason=reason)


# --- Notices -------------------------------------------------------------------------------------


@transaction.atomic
def notice_acknowledge(*, actor: User, notice: ReferralNotice) -> ReferralNotice:
    """A member of the receiving agency has seen the referral: it leaves their agency's home page."""
    found = selectors.notice_get_for(user=actor, notice_id=notice.pk)
    locked = ReferralNotice.objects.select_for_update().get(pk=found.pk)
    if locked.acknowledged_at is not None:
        raise InvalidTransition(_("This referral has already been acknowledged."))
    locked.acknowledged_at, locked.acknowledged_by = timezone.now(), actor
    locked.save(update_fields=["acknowledged_at", "acknowledged_by", "updated_at"])
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        agency=locked.agency,
        obj=locked,
        changed_fields=["acknowledged_at", "acknowledged_by"],
    )
    return locked
