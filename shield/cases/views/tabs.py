"""The context of each tab of the case page: the records it shows and its empty forms.

Each function reads only what its tab shows (through the selectors, with access applied), so
opening a tab costs that tab's queries and no more. A view that re-shows a tab with a bound form
passes the form in `extra`; the default one here is then not built.
"""

from collections.abc import Callable
from typing import Any

from django.core.paginator import Paginator
from django.utils import timezone

from shield.accounts.models import User
from shield.cases import case_panels, forms, presenters, selectors, value_sets
from shield.cases.models import (
    WORKING_PLAN_STATUSES,
    ActionStatus,
    CarePlanStatus,
    Case,
    ClosureStatus,
    ConsentScope,
    Stage,
    TraffickingDetails,
    TransferStatus,
)
from shield.cases.services.details import MULTI_SELECT_FIELDS

HISTORY_PAGE_SIZE = 25
# Moves that are hard to undo: the page asks for a confirmation first.
CONFIRM_STAGES = frozenset({Stage.CLOSED, Stage.NOT_A_VICTIM})
# Moves the overview does not offer as buttons: closing goes through a closure request, reopening
# asks for a reason on the closure tab.
NOT_BUTTONS = frozenset({Stage.CLOSED, Stage.REOPENED})

Context = dict[str, Any]


def _default(extra: Context, key: str, build: Callable[[], Any]) -> Any:
    return extra[key] if key in extra else build()


def overview(user: User, case: Case, context: Context, extra: Context) -> Context:
    options = selectors.case_stage_options_for(user=user, case=case)
    pending_closure = selectors.closure_requests_for(user=user, case=case).filter(
        status=ClosureStatus.REQUESTED
    )
    pending_plan = selectors.care_plans_for(user=user, case=case).filter(status=CarePlanStatus.SUBMITTED)
    pending_transfer = selectors.transfers_for(user=user, case=case).filter(status=TransferStatus.REQUESTED)
    return {
        "moves": [o for o in options if o.allowed and o.target not in NOT_BUTTONS],
        "blocked_moves": [o for o in options if not o.allowed and o.target not in NOT_BUTTONS],
        "may_reopen": case.is_closed and context["can_edit"],
        "confirm_stages": CONFIRM_STAGES,
        "transition_form": _default(
            extra, "transition_form", lambda: forms.TransitionForm(initial={"version": case.version})
        ),
        "verification": presenters.verification_for(case),
        "identification": selectors.latest_identification(case),
        "stage_changes": list(selectors.stage_changes_for(user=user, case=case)),
        "pending_closure": pending_closure.first(),
        "pending_plan": pending_plan.first(),
        "pending_transfer": pending_transfer.first(),
        "case_panels": case_panels.panels_for(user, case),
    }


def identification(user: User, case: Case, context: Context, extra: Context) -> Context:
    return {
        "decisions": list(selectors.identification_decisions_for(user=user, case=case)),
        "verification": presenters.verification_for(case),
        "identification_form": _default(
            extra,
            "identification_form",
            lambda: forms.IdentificationForm(initial={"decided_on": timezone.localdate()}),
        ),
    }


def trafficking(user: User, case: Case, context: Context, extra: Context) -> Context:
    details = presenters.trafficking_details_for(user=user, case=case)
    shown = []
    if details is not None:
        for field, value_set in MULTI_SELECT_FIELDS.items():
            label = presenters.field_label(TraffickingDetails, field)
            shown.append((label, [value_sets.label(value_set, v) for v in getattr(details, field)]))
        relationship = details.relationship_to_trafficker
        if relationship:
            label = presenters.field_label(TraffickingDetails, "relationship_to_trafficker")
            shown.append((label, [value_sets.label(value_sets.RELATIONSHIP_TO_TRAFFICKER, relationship)]))

    def details_form() -> forms.TraffickingDetailsForm:
        initial: Context = {"version": details.version if details else 0}
        if details is not None:
            for field in forms.TraffickingDetailsForm.MULTI:
                initial[field] = getattr(details, field)
            initial["relationship_to_trafficker"] = details.relationship_to_trafficker
            initial["duration_days"] = details.duration_days
        return forms.TraffickingDetailsForm(initial=initial)

    return {
        "details": details,
        "details_shown": shown,
        "details_form": _default(extra, "details_form", details_form),
        "places": list(selectors.trafficking_places_for(user=user, case=case)),
        "place_form": _default(extra, "place_form", lambda: forms.PlaceForm(initial={"country": "VN"})),
        "remove_form": _default(extra, "remove_form", forms.ReasonForm),
    }


def assessment(user: User, case: Case, context: Context, extra: Context) -> Context:
    assessments = list(selectors.assessments_for(user=user, case=case))
    return {
        "latest_assessment": assessments[0] if assessments else None,
        "earlier_assessments": assessments[1:],
        "assessment_form": _default(
            extra,
            "assessment_form",
            lambda: forms.AssessmentForm(initial={"assessed_on": timezone.localdate()}),
        ),
    }


def plan(user: User, case: Case, context: Context, extra: Context) -> Context:
    plans = list(selectors.care_plans_for(user=user, case=case))
    working = next((p for p in plans if p.status in WORKING_PLAN_STATUSES), None)
    approved = next((p for p in plans if p.status == CarePlanStatus.APPROVED), None)
    result: Context = {
        "working_plan": working,
        "approved_plan": approved,
        "superseded_plans": [p for p in plans if p.status == CarePlanStatus.SUPERSEDED],
        "has_assessment": selectors.assessments_for(user=user, case=case).exists(),
        "can_supervise": selectors.can_supervise(user=user, case=case),
        "today": timezone.localdate(),
        "actions_closable": not case.is_closed,
        "done_form": forms.ActionDoneForm(),
        "cancel_form": forms.ReasonForm(),
    }
    if working is not None:
        version = {"version": working.version}
        goals = list(working.goals.all())
        today = result["today"]
        result["working_overdue"] = sum(
            1 for g in goals for a in g.actions.all() if a.status == ActionStatus.OPEN and a.due_on < today
        )
        result.update(
            goal_form=_default(extra, "goal_form", lambda: forms.GoalForm(initial=version)),
            action_form=_default(
                extra,
                "action_form",
                lambda: forms.ActionForm(
                    initial=version,
                    goals=goals,
                    agencies=presenters.active_agencies(),
                    workers=presenters.case_workers_of([case.owner_agency]),
                ),
            ),
            plan_form=_default(extra, "plan_form", lambda: forms.PlanForm(initial=version)),
            return_form=_default(extra, "return_form", lambda: forms.ReturnForm(initial=version)),
        )
    return result


def notes(user: User, case: Case, context: Context, extra: Context) -> Context:
    return {
        "timeline": selectors.case_timeline_for(user=user, case=case),
        "note_form": _default(extra, "note_form", forms.NoteForm),
    }


def consent(user: User, case: Case, context: Context, extra: Context) -> Context:
    return {
        "consents": list(selectors.consents_for(user=user, case=case)),
        "person_is_child": case.person.is_child(),
        "consent_form": _default(
            extra,
            "consent_form",
            lambda: forms.ConsentForm(
                initial={"given_on": timezone.localdate()},
                agencies=presenters.active_agencies(exclude=case.owner_agency),
            ),
        ),
        "withdraw_form": _default(extra, "withdraw_form", forms.WithdrawForm),
    }


def transfer(user: User, case: Case, context: Context, extra: Context) -> Context:
    transfers = list(selectors.transfers_for(user=user, case=case))
    pending = next((t for t in transfers if t.status == TransferStatus.REQUESTED), None)
    receiving = bool(pending and pending.to_agency_id in selectors.agency_ids_with(user, selectors.EDIT))
    shared_consents = [
        c
        for c in selectors.consents_for(user=user, case=case)
        if c.scope == ConsentScope.SHARE_WITH_AGENCY and c.is_active
    ]
    return {
        "transfers": transfers,
        "pending_transfer": pending,
        "receiving": receiving,
        "accesses": list(selectors.case_accesses_for(user=user, case=case)),
        "shared_consents": shared_consents,
        "transfer_form": _default(
            extra,
            "transfer_form",
            lambda: forms.TransferForm(agencies=presenters.active_agencies(exclude=case.owner_agency)),
        ),
        "answer_form": _default(extra, "answer_form", forms.NoteOnDecisionForm),
    }


def closure(user: User, case: Case, context: Context, extra: Context) -> Context:
    requests = list(selectors.closure_requests_for(user=user, case=case))
    return {
        "closure_requests": requests,
        "pending_closure": next((r for r in requests if r.status == ClosureStatus.REQUESTED), None),
        "can_supervise": selectors.can_supervise(user=user, case=case),
        "closure_form": _default(extra, "closure_form", forms.ClosureRequestForm),
        "approve_form": _default(extra, "approve_form", forms.NoteOnDecisionForm),
        "closure_return_form": _default(extra, "closure_return_form", forms.RequiredNoteForm),
        "reopen_form": _default(
            extra, "reopen_form", lambda: forms.ReopenForm(initial={"version": case.version})
        ),
    }


def history(user: User, case: Case, context: Context, extra: Context) -> Context:
    include_reads = bool(extra.get("include_reads"))
    events = presenters.case_history_for(user=user, case=case, include_reads=include_reads)
    page = Paginator(events, HISTORY_PAGE_SIZE).get_page(extra.get("history_page"))
    return {
        "history_page": page,
        "history": presenters.history_entries(page.object_list),
        "include_reads": include_reads,
    }


TAB_CONTEXTS: dict[str, Callable[[User, Case, Context, Context], Context]] = {
    "overview": overview,
    "identification": identification,
    "trafficking": trafficking,
    "assessment": assessment,
    "plan": plan,
    "notes": notes,
    "consent": consent,
    "transfer": transfer,
    "closure": closure,
    "history": history,
}


def tab_context(tab: str, user: User, case: Case, context: Context, extra: Context) -> Context:
    return TAB_CONTEXTS[tab](user, case, context, extra)
