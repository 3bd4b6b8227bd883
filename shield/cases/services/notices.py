"""What cases tell people through `shield.notifications.services.notify`: who hears of a transfer,
a care plan or a closure waiting for a decision, its answer, and an action falling overdue.

Each function is called from the service that does the act, inside its transaction. Parameters are
the case reference and agency codes only: a notification never carries a name or a narrative.
"""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from shield.accounts.models import User
from shield.cases.models import (
    ActionStatus,
    CarePlan,
    CarePlanAction,
    CarePlanStatus,
    Case,
    CaseTransfer,
    ClosureRequest,
)
from shield.cases.stages import Stage
from shield.notifications.models import Kind
from shield.notifications.selectors import targets_notified
from shield.notifications.services import notify

EDIT = "cases.edit"
SUPERVISE = "cases.supervise"


def _case_url(case: Case) -> str:
    return reverse("cases:case_detail", kwargs={"case_id": case.pk})


def _people(*users: User | None) -> list[User]:
    return [u for u in users if u is not None]


def transfer_requested(*, actor: User, transfer: CaseTransfer, case: Case) -> None:
    """The receiving agency's case workers and supervisors: a case waits for them to take it over."""
    notify(
        kind=Kind.TRANSFER_REQUESTED,
        agency=transfer.to_agency,
        permission=EDIT,
        target=transfer,
        url=_case_url(case),
        params={"reference": case.reference, "agency": transfer.from_agency.code},
        actor=actor,
    )


def transfer_answered(*, actor: User, transfer: CaseTransfer, case: Case) -> None:
    """Accepted or declined: the sending agency's case workers and whoever asked. Cancelled: the
    receiving agency, which was told of the request (and no longer sees the case), and the asker."""
    params = {"reference": case.reference, "agency": transfer.to_agency.code, "outcome": transfer.status}
    if transfer.status == "cancelled":
        notify(
            kind=Kind.TRANSFER_ANSWERED,
            agency=transfer.to_agency,
            permission=EDIT,
            target=transfer,
            url=reverse("notifications:list"),
            params=params,
            actor=actor,
        )
        notify(
            kind=Kind.TRANSFER_ANSWERED,
            recipients=_people(transfer.requested_by),
            target=transfer,
            url=_case_url(case),
            params=params,
            actor=actor,
        )
        return
    notify(
        kind=Kind.TRANSFER_ANSWERED,
        agency=transfer.from_agency,
        permission=EDIT,
        recipients=_people(transfer.requested_by),
        target=transfer,
        url=_case_url(case),
        params=params,
        actor=actor,
    )


def care_plan_submitted(*, actor: User, plan: CarePlan, case: Case) -> None:
    """The owning agency's supervisors: a plan waits for approval."""
    notify(
        kind=Kind.CARE_PLAN_SUBMITTED,
        agency=case.owner_agency,
        permission=SUPERVISE,
        target=plan,
        url=_case_url(case),
        params={"reference": case.reference},
        actor=actor,
    )


def care_plan_answered(*, actor: User, plan: CarePlan, case: Case) -> None:
    """Whoever submitted the plan and the case's worker: approved or returned."""
    notify(
        kind=Kind.CARE_PLAN_ANSWERED,
        recipients=_people(plan.submitted_by, case.assigned_worker),
        target=plan,
        url=_case_url(case),
        params={"reference": case.reference, "outcome": plan.status},
        actor=actor,
    )


def closure_submitted(*, actor: User, request: ClosureRequest, case: Case) -> None:
    notify(
        kind=Kind.CLOSURE_SUBMITTED,
        agency=case.owner_agency,
        permission=SUPERVISE,
        target=request,
        url=_case_url(case),
        params={"reference": case.reference},
        actor=actor,
    )


def closure_answered(*, actor: User, request: ClosureRequest, case: Case) -> None:
    notify(
        kind=Kind.CLOSURE_ANSWERED,
        recipients=_people(request.requested_by, case.assigned_worker),
        target=request,
        url=_case_url(case),
        params={"reference": case.reference, "outcome": request.status},
        actor=actor,
    )


def _overdue(today: datetime.date) -> "list[CarePlanAction]":
    return list(
        CarePlanAction.objects.filter(
            status=ActionStatus.OPEN,
            due_on__lt=today,
            goal__plan__status=CarePlanStatus.APPROVED,
        )
        .exclude(goal__plan__case__stage=Stage.CLOSED)
        .select_related("responsible_person", "goal__plan__case__assigned_worker")
        .order_by("due_on", "pk")
    )


@transaction.atomic
def actions_overdue_notify(*, today: datetime.date | None = None) -> int:
    """Tell whoever must do each open action of an approved plan that is past its due date — the
    person responsible, else the case's worker — once per action, however often it runs (cron:
    `manage.py notify_overdue`). Returns how many notifications were created."""
    day = today or timezone.localdate()
    actions = _overdue(day)
    done = targets_notified(
        kind=Kind.ACTION_OVERDUE,
        target_type=CarePlanAction._meta.label_lower,
        target_ids=[str(a.pk) for a in actions],
    )
    created = 0
    for action in actions:
        if str(action.pk) in done:
            continue
        case = action.goal.plan.case
        who = action.responsible_person or case.assigned_worker
        if who is None:
            continue
        created += len(
            notify(
                kind=Kind.ACTION_OVERDUE,
                recipients=[who],
                target=action,
                url=_case_url(case),
                params={"reference": case.reference, "due": action.due_on.isoformat()},
            )
        )
    return created
