"""Reintegration plans and their follow-ups: creating a plan (its schedule from dated rules),
reassigning it, recording a follow-up (scored by the instrument's version), loss of contact
(documented by the worker, approved by another user with `returns.supervise`), and escalating
overdue follow-ups to the supervisors through the one notification service.

Every write is audited; versioned writes refuse a stale version (no silent overwrite).
"""

import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shield import audit
from shield.accounts.models import Agency, User
from shield.audit.models import AuditAction
from shield.core.concurrency import save_versioned
from shield.core.errors import InvalidTransition, PermissionRefused, ValidationFailed
from shield.notifications.models import Kind
from shield.notifications.services import members_with, notify
from shield.people.models import Person
from shield.returns.followup import rules, selectors
from shield.returns.models import (
    FollowUp,
    FollowUpStatus,
    NoContactReason,
    PlanStatus,
    ReintegrationPlan,
    Return,
)

SUPERVISE = "returns.supervise"


def _text(value: str | None, *, limit: int, field: str) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        raise ValidationFailed(field_errors={field: [_("At most %(n)d characters.") % {"n": limit}]})
    return text


@transaction.atomic
def plan_create(
    *,
    actor: User,
    person: Person,
    agency: Agency,
    worker: User,
    starts_on: datetime.date,
    goals: str = "",
    case: Any = None,
    return_record: Return | None = None,
    schedule_code: str = "",
) -> ReintegrationPlan:
    """A plan and its scheduled follow-ups (months after `starts_on`, from the rule in force, or
    from the named schedule when it is in force on that day). The worker must be a member of the
    agency who does follow-ups."""
    if not selectors.workers_of(agency).filter(pk=worker.pk).exists():
        raise ValidationFailed(
            field_errors={"worker": [_("Choose a worker of the agency who does follow-ups.")]}
        )
    if return_record is not None and return_record.person_id != person.pk:
        raise ValidationFailed(field_errors={"return_record": [_("This return is of another person.")]})
    if case is not None and case.person_id != person.pk:
        raise ValidationFailed(field_errors={"case": [_("This case is of another person.")]})
    if schedule_code:
        named = rules.schedule_named(schedule_code, starts_on)
        if named is None:
            raise ValidationFailed(
                field_errors={"schedule": [_("This schedule is not in force on the start date.")]}
            )
        code, months = schedule_code, named
    else:
        code, months = rules.schedule_for(starts_on, getattr(case, "case_type", "") or "")
    plan = ReintegrationPlan.objects.create(
        person=person,
        case=case,
        return_record=return_record,
        agency=agency,
        worker=worker,
        schedule_code=code,
        starts_on=starts_on,
        goals=_text(goals, limit=4000, field="goals"),
        created_by=actor,
    )
    FollowUp.objects.bulk_create(
        FollowUp(
            plan=plan,
            sequence=number,
            months_after=month,
            due_on=rules.add_months(starts_on, month),
            worker=worker,
            agency=agency,
        )
        for number, month in enumerate(months, start=1)
    )
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        agency=agency,
        obj=plan,
        changed_fields=["person", "case", "return_record", "agency", "worker", "starts_on", "goals"],
        details={"schedule": code, "months": list(months)},
    )
    return plan


@transaction.atomic
def plan_reassign(
    *, actor: User, plan: ReintegrationPlan, worker: User, agency: Agency, version: int | None
) -> ReintegrationPlan:
    """A new responsible worker/agency; the open (scheduled) follow-ups move with the plan."""
    if plan.status != PlanStatus.ACTIVE:
        raise InvalidTransition(_("Only an active plan can be reassigned."))
    if not selectors.workers_of(agency).filter(pk=worker.pk).exists():
        raise ValidationFailed(
            field_errors={"worker": [_("Choose a worker of the agency who does follow-ups.")]}
        )
    plan.worker, plan.agency = worker, agency
    save_versioned(plan, expected_version=version, fields=["worker", "agency"])
    FollowUp.objects.filter(plan=plan, status=FollowUpStatus.SCHEDULED).update(
        worker=worker, agency=agency, escalated_at=None, updated_at=timezone.now()
    )
    audit.record(
        action=AuditAction.UPDATE, actor=actor, agency=agency, obj=plan, changed_fields=["worker", "agency"]
    )
    return plan


@transaction.atomic
def followup_record(
    *,
    actor: User,
    followup: FollowUp,
    version: int | None,
    done_on: datetime.date,
    contact_made: bool,
    no_contact_reason: str = "",
    no_contact_note: str = "",
    lives_in_province: Any = None,
    lives_in_commune: Any = None,
    answers: dict[str, str] | None = None,
    notes: str = "",
) -> FollowUp:
    """Record what a follow-up found; scores are computed by the current instrument version and
    the version is kept on the follow-up. A follow-up without contact needs a reason."""
    if followup.status == FollowUpStatus.CANCELLED:
        raise InvalidTransition(_("This follow-up was cancelled."))
    if done_on > timezone.localdate():
        raise ValidationFailed(field_errors={"done_on": [_("The day cannot be in the future.")]})
    followup.done_on, followup.contact_made = done_on, contact_made
    followup.recorded_by, followup.status = actor, FollowUpStatus.DONE
    followup.notes = _text(notes, limit=4000, field="notes")
    if contact_made:
        given = {k: v for k, v in (answers or {}).items() if v}
        used = rules.instrument()
        scores = rules.score(used.definition, given)
        followup.instrument, followup.answers = used, given
        followup.score_economic = scores["economic"]
        followup.score_social = scores["social"]
        followup.score_psychosocial = scores["psychosocial"]
        followup.score_composite = scores["composite"]
        followup.no_contact_reason, followup.no_contact_note = "", ""
    else:
        if no_contact_reason not in NoContactReason.values:
            raise ValidationFailed(field_errors={"no_contact_reason": [_("Say why no contact was made.")]})
        followup.no_contact_reason = no_contact_reason
        followup.no_contact_note = _text(no_contact_note, limit=1000, field="no_contact_note")
        followup.instrument, followup.answers = None, {}
        followup.score_economic = followup.score_social = None
        followup.score_psychosocial = followup.score_composite = None
    if lives_in_commune is not None and lives_in_province is None:
        lives_in_province = lives_in_commune.province
    followup.lives_in_province, followup.lives_in_commune = lives_in_province, lives_in_commune
    fields = [
        "done_on", "contact_made", "recorded_by", "status", "notes", "instrument", "answers",
        "score_economic", "score_social", "score_psychosocial", "score_composite",
        "no_contact_reason", "no_contact_note", "lives_in_province", "lives_in_commune",
    ]  # fmt: skip
    save_versioned(followup, expected_version=version, fields=fields)
    plan = followup.plan
    if (
        plan.status == PlanStatus.ACTIVE
        and not FollowUp.objects.filter(plan=plan, status=FollowUpStatus.SCHEDULED).exists()
    ):
        plan.status = PlanStatus.COMPLETED
        plan.save(update_fields=["status", "updated_at"])
    audit.record(
        action=AuditAction.UPDATE, actor=actor, agency=followup.agency, obj=followup, changed_fields=fields
    )
    return followup


@transaction.atomic
def contact_lost_report(
    *, actor: User, plan: ReintegrationPlan, reason: str, version: int | None
) -> ReintegrationPlan:
    """The worker documents that contact with the person was lost; a supervisor approves."""
    if plan.status != PlanStatus.ACTIVE:
        raise InvalidTransition(_("Only an active plan can lose contact."))
    text = _text(reason, limit=2000, field="reason")
    if not text:
        raise ValidationFailed(field_errors={"reason": [_("Say how contact was lost.")]})
    plan.contact_lost_reason = text
    plan.contact_lost_requested_at, plan.contact_lost_requested_by = timezone.now(), actor
    fields = ["contact_lost_reason", "contact_lost_requested_at", "contact_lost_requested_by"]
    save_versioned(plan, expected_version=version, fields=fields)
    audit.record(action=AuditAction.UPDATE, actor=actor, agency=plan.agency, obj=plan, changed_fields=fields)
    return plan


@transaction.atomic
def contact_lost_approve(*, actor: User, plan: ReintegrationPlan, version: int | None) -> ReintegrationPlan:
    """Another user with `returns.supervise` approves: the plan is closed as contact lost and its
    open follow-ups are cancelled."""
    from shield.accounts import policy

    if not policy.has_permission(actor, SUPERVISE):
        raise PermissionRefused(_("Only a supervisor approves a loss of contact."))
    if plan.contact_lost_requested_at is None or plan.status != PlanStatus.ACTIVE:
        raise InvalidTransition(_("No loss of contact waits for approval on this plan."))
    if plan.contact_lost_requested_by_id == actor.pk:
        raise PermissionRefused(_("A loss of contact is approved by someone other than who reported it."))
    now = timezone.now()
    plan.status, plan.contact_lost_approved_at, plan.contact_lost_approved_by = (
        PlanStatus.CONTACT_LOST,
        now,
        actor,
    )
    fields = ["status", "contact_lost_approved_at", "contact_lost_approved_by"]
    save_versioned(plan, expected_version=version, fields=fields)
    FollowUp.objects.filter(plan=plan, status=FollowUpStatus.SCHEDULED).update(
        status=FollowUpStatus.CANCELLED, updated_at=now
    )
    audit.record(
        action=AuditAction.TRANSITION, actor=actor, agency=plan.agency, obj=plan, changed_fields=fields
    )
    return plan


def followups_escalate_overdue(*, today: datetime.date | None = None) -> int:
    """Notify the supervisors of each overdue scheduled follow-up once (sets `escalated_at`; the
    notification kind is raised once per target too). Returns how many were escalated."""
    day = today or timezone.localdate()
    overdue = (
        FollowUp.objects.filter(status=FollowUpStatus.SCHEDULED, due_on__lt=day, escalated_at__isnull=True)
        .select_related("agency", "worker", "plan__case")
        .order_by("due_on", "id")
    )
    done = 0
    for followup in overdue.iterator(chunk_size=500):
        with transaction.atomic():
            claimed = FollowUp.objects.filter(pk=followup.pk, escalated_at__isnull=True).update(
                escalated_at=timezone.now()
            )
            if not claimed:
                continue
            case = followup.plan.case
            notify(
                kind=Kind.FOLLOWUP_OVERDUE,
                url=reverse("returns:plan_detail", args=[followup.plan_id]),
                params={
                    "reference": case.reference
                    if case is not None
                    else f"{str(followup.plan_id)[:8]}#{followup.sequence}",
                    "due": followup.due_on.isoformat(),
                },
                recipients=members_with(agency=followup.agency, permission=SUPERVISE),
                target=followup,
            )
            done += 1
    return done
