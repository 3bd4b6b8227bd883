"""Assessment of needs, and the care plan a supervisor approves: goals, actions, submission, decision."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shield import audit
from shield.accounts.models import Agency, User
from shield.audit import reasons
from shield.audit.models import AuditAction
from shield.cases.models import (
    ActionStatus,
    Assessment,
    AssessmentNeed,
    CarePlan,
    CarePlanAction,
    CarePlanGoal,
    CarePlanStatus,
    Case,
    NeedDomain,
    NeedLevel,
)
from shield.cases.services import notices
from shield.cases.services.access import (
    case_for_edit,
    case_for_supervision,
    check_version,
    lock_case,
    required_text,
)
from shield.core.concurrency import save_versioned
from shield.core.errors import InvalidTransition, PermissionRefused, ValidationFailed

# An action is planned from today on: a date already past is a typing slip (01/01/2020).
DUE_IN_THE_PAST = gettext_lazy("The due date is in the past: choose today or a later day.")


@dataclass(frozen=True)
class NeedInput:
    """One domain's assessed need: a `NeedLevel` value and free-text notes (encrypted at rest)."""

    level: str
    notes: str = ""


@transaction.atomic
def assessment_record(
    *,
    actor: User,
    case: Case,
    needs: Mapping[str, NeedInput | str],
    assessed_on: datetime.date | None = None,
    summary: str = "",
) -> Assessment:
    """Record an assessment of needs by domain (`NeedDomain` → `NeedInput` or just a level).

    Domains left out are not recorded. Assessments are appended: a reassessment is a new one, and
    the latest is the one in force.
    """
    locked = case_for_edit(actor=actor, case=case)
    errors: dict[str, list[str]] = {}
    cleaned: list[tuple[str, NeedInput]] = []
    for domain, need in needs.items():
        given = need if isinstance(need, NeedInput) else NeedInput(level=need)
        if domain not in NeedDomain.values:
            errors.setdefault("needs", []).append(_("Unknown domain “%(domain)s”.") % {"domain": domain})
        elif given.level not in NeedLevel.values:
            errors[f"needs.{domain}"] = [_("Choose a level of need.")]
        else:
            cleaned.append((domain, given))
    if not cleaned and not errors:
        errors["needs"] = [_("Assess at least one domain.")]
    day = assessed_on or timezone.localdate()
    if day > timezone.localdate():
        errors["assessed_on"] = [_("An assessment cannot be dated in the future.")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    assessment = Assessment.objects.create(
        case=locked, assessed_on=day, summary=summary.strip(), assessed_by=actor
    )
    AssessmentNeed.objects.bulk_create(
        AssessmentNeed(assessment=assessment, domain=domain, level=need.level, notes=need.notes.strip())
        for domain, need in cleaned
    )
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        agency=locked.owner_agency,
        obj=assessment,
        changed_fields=["case", "assessed_on", "summary", *(f"needs.{domain}" for domain, _need in cleaned)],
    )
    return assessment


# --- Care plan -----------------------------------------------------------------------------------


def _plan_for_edit(actor: User, plan: CarePlan, expected_version: int | None) -> tuple[CarePlan, Case]:
    case = case_for_edit(actor=actor, case=plan.case)
    locked = CarePlan.objects.select_for_update().get(pk=plan.pk)
    check_version(locked.version, expected_version)
    return locked, case


def _require_editable(plan: CarePlan) -> None:
    if not plan.is_editable:
        raise InvalidTransition(_("Only a draft or returned care plan can be changed."))


@transaction.atomic
def care_plan_create(*, actor: User, case: Case) -> CarePlan:
    """Start a draft care plan. It needs an assessment first, and a case has one plan in the works
    at a time (a newer plan replaces the approved one only when it is approved)."""
    locked = case_for_edit(actor=actor, case=case)
    if not Assessment.objects.filter(case=locked).exists():
        raise InvalidTransition(_("A care plan needs an assessment first."))
    working = CarePlan.objects.filter(
        case=locked, status__in=[CarePlanStatus.DRAFT, CarePlanStatus.SUBMITTED, CarePlanStatus.RETURNED]
    )
    if working.exists():
        raise ValidationFailed(_("This case already has a care plan in the works."))
    plan = CarePlan.objects.create(case=locked, created_by=actor)
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        agency=locked.owner_agency,
        obj=plan,
        changed_fields=["case", "status"],
    )
    return plan


@transaction.atomic
def care_plan_goal_add(
    *, actor: User, plan: CarePlan, description: str, expected_version: int | None, domain: str = ""
) -> CarePlanGoal:
    """Add a goal to a draft or returned plan (the plan's version rises)."""
    locked, case = _plan_for_edit(actor, plan, expected_version)
    _require_editable(locked)
    text = required_text(description, field="description", message=_("Describe the goal."))
    if domain and domain not in NeedDomain.values:
        raise ValidationFailed(field_errors={"domain": [_("Choose a domain.")]})
    goal = CarePlanGoal.objects.create(plan=locked, domain=domain, description=text)
    save_versioned(locked, expected_version=expected_version, fields=[])
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        agency=case.owner_agency,
        obj=goal,
        changed_fields=["plan", "domain", "description"],
    )
    return goal


@transaction.atomic
def care_plan_action_add(
    *,
    actor: User,
    goal: CarePlanGoal,
    description: str,
    due_on: datetime.date,
    expected_version: int | None,
    responsible_agency: Agency | None = None,
    responsible_person: User | None = None,
) -> CarePlanAction:
    """Add an action to a goal of a draft or returned plan; `expected_version` is the plan's.

    Someone must be responsible: an agency, a person, or both. The due date is today or later.
    """
    locked, case = _plan_for_edit(actor, goal.plan, expected_version)
    _require_editable(locked)
    errors: dict[str, list[str]] = {}
    text = (description or "").strip()
    if not text:
        errors["description"] = [_("Describe the action.")]
    if responsible_agency is None and responsible_person is None:
        errors["responsible_agency"] = [_("Name the agency or the person responsible.")]
    if responsible_agency is not None and not responsible_agency.is_active:
        errors["responsible_agency"] = [_("This agency is no longer active.")]
    if responsible_person is not None and not responsible_person.is_active:
        errors["responsible_person"] = [_("This user is no longer active.")]
    if due_on < timezone.localdate():
        errors["due_on"] = [str(DUE_IN_THE_PAST)]
    if errors:
        raise ValidationFailed(field_errors=errors)
    action = CarePlanAction.objects.create(
        goal=goal,
        description=text,
        due_on=due_on,
        responsible_agency=responsible_agency,
        responsible_person=responsible_person,
    )
    save_versioned(locked, expected_version=expected_version, fields=[])
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        agency=case.owner_agency,
        obj=action,
        changed_fields=["goal", "description", "due_on", "responsible_agency", "responsible_person"],
    )
    return action


def _action_for_closing(actor: User, action: CarePlanAction) -> tuple[CarePlanAction, Case]:
    """Case editors, and the person responsible for the action, may mark it done or cancelled."""
    case = action.goal.plan.case
    if action.responsible_person_id == actor.pk and actor.is_active:
        locked_case = lock_case(case)
    else:
        locked_case = case_for_edit(actor=actor, case=case)
    locked = CarePlanAction.objects.select_for_update().select_related("goal__plan").get(pk=action.pk)
    if locked.goal.plan.status != CarePlanStatus.APPROVED:
        raise InvalidTransition(_("Actions are done or cancelled in the approved care plan."))
    if locked.status != ActionStatus.OPEN:
        raise InvalidTransition(_("This action is no longer open."))
    if locked_case.is_closed:
        raise InvalidTransition(_("This case is closed: reopen it first."))
    return locked, locked_case


@transaction.atomic
def care_plan_action_complete(
    *, actor: User, action: CarePlanAction, done_on: datetime.date | None = None
) -> CarePlanAction:
    """Mark an open action of the approved plan as done (today unless `done_on` is given)."""
    locked, case = _action_for_closing(actor, action)
    day = done_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationFailed(field_errors={"done_on": [_("An action cannot be done in the future.")]})
    locked.status, locked.done_on, locked.closed_by = ActionStatus.DONE, day, actor
    locked.save(update_fields=["status", "done_on", "closed_by", "updated_at"])
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        agency=case.owner_agency,
        obj=locked,
        changed_fields=["status", "done_on", "closed_by"],
    )
    return locked


@transaction.atomic
def care_plan_action_cancel(*, actor: User, action: CarePlanAction, reason: str) -> CarePlanAction:
    """Cancel an open action of the approved plan, saying why."""
    locked, case = _action_for_closing(actor, action)
    locked.cancel_reason = required_text(
        reason, field="reason", message=_("Say why the action is cancelled.")
    )
    locked.status, locked.closed_by = ActionStatus.CANCELLED, actor
    locked.save(update_fields=["status", "cancel_reason", "closed_by", "updated_at"])
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        agency=case.owner_agency,
        obj=locked,
        changed_fields=["status", "cancel_reason", "closed_by"],
        reason=reasons.reference(locked, "cancel_reason"),
    )
    return locked


@transaction.atomic
def care_plan_submit(*, actor: User, plan: CarePlan, expected_version: int | None) -> CarePlan:
    """Submit a draft or returned plan for a supervisor's approval; it needs a goal with an action."""
    locked, case = _plan_for_edit(actor, plan, expected_version)
    _require_editable(locked)
    if not CarePlanAction.objects.filter(goal__plan=locked).exists():
        raise ValidationFailed(_("Add at least one goal with an action before submitting the plan."))
    locked.status, locked.submitted_by, locked.submitted_at = CarePlanStatus.SUBMITTED, actor, timezone.now()
    save_versioned(
        locked, expected_version=expected_version, fields=["status", "submitted_by", "submitted_at"]
    )
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        agency=case.owner_agency,
        obj=locked,
        changed_fields=["status", "submitted_by", "submitted_at"],
    )
    notices.care_plan_submitted(actor=actor, plan=locked, case=case)
    return locked


def _plan_for_decision(actor: User, plan: CarePlan, expected_version: int | None) -> tuple[CarePlan, Case]:
    case = case_for_supervision(actor=actor, case=plan.case)
    locked = CarePlan.objects.select_for_update().get(pk=plan.pk)
    check_version(locked.version, expected_version)
    if case.is_closed:
        raise InvalidTransition(_("This case is closed: reopen it first."))
    if locked.status != CarePlanStatus.SUBMITTED:
        raise InvalidTransition(_("Only a submitted care plan can be approved or returned."))
    if locked.submitted_by_id == actor.pk:
        raise PermissionRefused(
            _("A care plan is approved or returned by someone other than the person who submitted it.")
        )
    return locked, case


@transaction.atomic
def care_plan_approve(*, actor: User, plan: CarePlan, expected_version: int | None) -> CarePlan:
    """A supervisor whose scope reaches the case (not the submitter) approves the submitted plan;
    the plan approved before it, if any, is superseded."""
    locked, case = _plan_for_decision(actor, plan, expected_version)
    for previous in CarePlan.objects.select_for_update().filter(case=case, status=CarePlanStatus.APPROVED):
        previous.status = CarePlanStatus.SUPERSEDED
        save_versioned(previous, expected_version=previous.version, fields=["status"])
        audit.record(
            action=AuditAction.UPDATE,
            actor=actor,
            agency=case.owner_agency,
            obj=previous,
            changed_fields=["status"],
        )
    locked.status, locked.approved_by, locked.approved_at = CarePlanStatus.APPROVED, actor, timezone.now()
    save_versioned(locked, expected_version=expected_version, fields=["status", "approved_by", "approved_at"])
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        agency=case.owner_agency,
        obj=locked,
        changed_fields=["status", "approved_by", "approved_at"],
    )
    notices.care_plan_answered(actor=actor, plan=locked, case=case)
    return locked


@transaction.atomic
def care_plan_return(*, actor: User, plan: CarePlan, expected_version: int | None, note: str) -> CarePlan:
    """A supervisor returns the submitted plan for changes, saying what to change."""
    locked, case = _plan_for_decision(actor, plan, expected_version)
    text = required_text(note, field="note", message=_("Say what should change in the plan."))
    locked.status, locked.returned_by, locked.returned_at = CarePlanStatus.RETURNED, actor, timezone.now()
    locked.decision_note = text
    save_versioned(
        locked,
        expected_version=expected_version,
        fields=["status", "returned_by", "returned_at", "decision_note"],
    )
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        agency=case.owner_agency,
        obj=locked,
        changed_fields=["status", "returned_by", "returned_at", "decision_note"],
        reason=reasons.reference(locked, "decision_note"),
    )
    notices.care_plan_answered(actor=actor, plan=locked, case=case)
    return locked
