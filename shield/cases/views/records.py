"""Forms posted from the case's tabs: each validates its form, calls one service and answers with
the tab (see `common.saved` and `common.form_page`)."""

import uuid

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shield.accounts.models import User
from shield.cases import forms, presenters, selectors, services
from shield.cases.models import Case
from shield.cases.views.common import (
    EDIT,
    FORM_ERRORS,
    SUPERVISE,
    VIEW,
    case_action,
    form_page,
    require_tab,
    saved,
    show_refusal,
    submit,
)

# --- Identification and trafficking details -----------------------------------------------------


@case_action(EDIT)
def identification_add(request: HttpRequest, user: User, case: Case) -> HttpResponse:
    require_tab(case, "identification")
    form = forms.IdentificationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.identification_decide(
                actor=user,
                case=case,
                status=data["status"],
                body_name=data["body_name"],
                body_type=data["body_type"],
                decided_on=data["decided_on"],
                basis=data["basis"],
                documents=form.document_list(),
            )
        except FORM_ERRORS as exc:
            show_refusal(form, exc)
        else:
            return saved(
                request, user, case, "identification", _("The identification decision was recorded.")
            )
    return form_page(request, user, case, "identification", identification_form=form)


@case_action(EDIT)
def trafficking_details_save(request: HttpRequest, user: User, case: Case) -> HttpResponse:
    require_tab(case, "trafficking")
    form = forms.TraffickingDetailsForm(request.POST)
    if form.is_valid():
        try:
            services.trafficking_details_set(
                actor=user, case=case, expected_version=form.cleaned_data["version"], **form.service_values()
            )
        except FORM_ERRORS as exc:
            show_refusal(form, exc)
        else:
            return saved(request, user, case, "trafficking", _("The trafficking details were saved."))
    return form_page(request, user, case, "trafficking", details_form=form)


@case_action(EDIT)
def place_add(request: HttpRequest, user: User, case: Case) -> HttpResponse:
    require_tab(case, "trafficking")
    form = forms.PlaceForm(request.POST)
    if "refresh_communes" in request.POST:  # without JavaScript: show the province's communes
        return form_page(
            request, user, case, "trafficking", place_form=forms.PlaceForm(initial=request.POST.dict())
        )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.trafficking_place_add(
                actor=user,
                case=case,
                kind=data["kind"],
                country=data["country"],
                province=data.get("province"),
                commune=data.get("commune"),
                date_from=data.get("date_from"),
                date_to=data.get("date_to"),
            )
        except FORM_ERRORS as exc:
            show_refusal(form, exc)
        else:
            return saved(request, user, case, "trafficking", _("The place was added."))
    return form_page(request, user, case, "trafficking", place_form=form)


@case_action(EDIT)
def place_remove(request: HttpRequest, user: User, case: Case, place_id: uuid.UUID) -> HttpResponse:
    require_tab(case, "trafficking")
    place = presenters.place_get_for(user=user, case=case, place_id=place_id)
    form = forms.ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.trafficking_place_remove(actor=user, place=place, reason=form.cleaned_data["reason"])
        except FORM_ERRORS as exc:
            show_refusal(form, exc)
        else:
            return saved(request, user, case, "trafficking", _("The place was removed."))
    return form_page(request, user, case, "trafficking", remove_form=form, removing=place.pk)


# --- Assessment and care plan --------------------------------------------------------------------


@case_action(EDIT)
def assessment_add(request: HttpRequest, user: User, case: Case) -> HttpResponse:
    form = forms.AssessmentForm(request.POST)
    if form.is_valid():
        try:
            services.assessment_record(
                actor=user,
                case=case,
                needs=form.needs(),
                assessed_on=form.cleaned_data.get("assessed_on"),
                summary=form.cleaned_data.get("summary") or "",
            )
        except FORM_ERRORS as exc:
            show_refusal(form, exc)
        else:
            return saved(request, user, case, "assessment", _("The assessment was recorded."))
    return form_page(request, user, case, "assessment", assessment_form=form)


@case_action(EDIT)
def plan_create(request: HttpRequest, user: User, case: Case) -> HttpResponse:
    try:
        services.care_plan_create(actor=user, case=case)
    except FORM_ERRORS as exc:
        return form_page(request, user, case, "plan", plan_error=exc.message)
    return saved(request, user, case, "plan", _("A draft care plan was started."))


@case_action(EDIT)
def goal_add(request: HttpRequest, user: User, case: Case, plan_id: uuid.UUID) -> HttpResponse:
    plan = presenters.plan_get_for(user=user, case=case, plan_id=plan_id)
    form = forms.GoalForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.care_plan_goal_add(
                actor=user,
                plan=plan,
                description=data["description"],
                domain=data.get("domain") or "",
                expected_version=data["version"],
            )
        except FORM_ERRORS as exc:
            show_refusal(form, exc)
        else:
            return saved(request, user, case, "plan", _("The goal was added."))
    return form_page(request, user, case, "plan", goal_form=form)


@case_action(EDIT)
def action_add(request: HttpRequest, user: User, case: Case, plan_id: uuid.UUID) -> HttpResponse:
    plan = presenters.plan_get_for(user=user, case=case, plan_id=plan_id)
    form = forms.ActionForm(
        request.POST,
        goals=list(plan.goals.all()),
        agencies=presenters.active_agencies(),
        workers=presenters.case_workers_of([case.owner_agency]),
    )
    if form.is_valid():
        data = form.cleaned_data
        goal = data["goal"]
        goal.plan = plan
        try:
            services.care_plan_action_add(
                actor=user,
                goal=goal,
                description=data["description"],
                due_on=data["due_on"],
                expected_version=data["version"],
                responsible_agency=data.get("responsible_agency"),
                responsible_person=data.get("responsible_person"),
            )
        except FORM_ERRORS as exc:
            show_refusal(form, exc)
        else:
            return saved(request, user, case, "plan", _("The action was added."))
    return form_page(request, user, case, "plan", action_form=form)


@case_action(EDIT)
def plan_submit(request: HttpRequest, user: User, case: Case, plan_id: uuid.UUID) -> HttpResponse:
    plan = presenters.plan_get_for(user=user, case=case, plan_id=plan_id)
    form = forms.PlanForm(request.POST)
    return submit(
        request,
        user,
        case,
        "plan",
        form=form,
        plan_form=form,
        act=lambda data: services.care_plan_submit(actor=user, plan=plan, expected_version=data["version"]),
        message=_("The care plan was submitted for approval."),
    )


@case_action(SUPERVISE)
def plan_approve(request: HttpRequest, user: User, case: Case, plan_id: uuid.UUID) -> HttpResponse:
    plan = presenters.plan_get_for(user=user, case=case, plan_id=plan_id)
    form = forms.PlanForm(request.POST)
    message = _("The care plan was approved.")
    # Allowed, but said again with the approval (the tab warned before the button was pressed).
    if late := selectors.overdue_action_counts(plan_ids=[plan.pk]).get(plan.pk, 0):
        message += " " + ngettext(
            "Note: %(count)d of its actions is already past its due date; agree a new date.",
            "Note: %(count)d of its actions are already past their due date; agree new dates.",
            late,
        ) % {"count": late}
    return submit(
        request,
        user,
        case,
        "plan",
        form=form,
        plan_form=form,
        act=lambda data: services.care_plan_approve(actor=user, plan=plan, expected_version=data["version"]),
        message=message,
    )


@case_action(SUPERVISE)
def plan_return(request: HttpRequest, user: User, case: Case, plan_id: uuid.UUID) -> HttpResponse:
    plan = presenters.plan_get_for(user=user, case=case, plan_id=plan_id)
    form = forms.ReturnForm(request.POST)
    return submit(
        request,
        user,
        case,
        "plan",
        form=form,
        return_form=form,
        act=lambda data: services.care_plan_return(
            actor=user, plan=plan, expected_version=data["version"], note=data["note"]
        ),
        message=_("The care plan was returned for changes."),
    )


@case_action(VIEW)
def action_complete(request: HttpRequest, user: User, case: Case, action_id: uuid.UUID) -> HttpResponse:
    """Case workers of the case, and the person responsible for the action, mark it done."""
    action = presenters.action_get_for(user=user, case=case, action_id=action_id)
    form = forms.ActionDoneForm(request.POST)
    return submit(
        request,
        user,
        case,
        "plan",
        form=form,
        done_form=form,
        action_error_for=action.pk,
        act=lambda data: services.care_plan_action_complete(
            actor=user, action=action, done_on=data.get("done_on")
        ),
        message=_("The action was marked done."),
    )


@case_action(VIEW)
def action_cancel(request: HttpRequest, user: User, case: Case, action_id: uuid.UUID) -> HttpResponse:
    action = presenters.action_get_for(user=user, case=case, action_id=action_id)
    form = forms.ReasonForm(request.POST)
    return submit(
        request,
        user,
        case,
        "plan",
        form=form,
        cancel_form=form,
        action_error_for=action.pk,
        act=lambda data: services.care_plan_action_cancel(actor=user, action=action, reason=data["reason"]),
        message=_("The action was cancelled."),
    )


# --- Notes and consent ---------------------------------------------------------------------------


@case_action(EDIT)
def note_add(request: HttpRequest, user: User, case: Case) -> HttpResponse:
    form = forms.NoteForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        corrects = None
        if data.get("corrects"):
            corrects = presenters.note_get_for(user=user, case=case, note_id=data["corrects"])
        try:
            services.note_add(
                actor=user,
                case=case,
                kind=data["kind"],
                body=data["body"],
                occurred_at=data.get("occurred_at"),
                corrects=corrects,
            )
        except FORM_ERRORS as exc:
            show_refusal(form, exc)
        else:
            return saved(request, user, case, "notes", _("The note was added."))
    return form_page(request, user, case, "notes", note_form=form)


@case_action(EDIT)
def consent_add(request: HttpRequest, user: User, case: Case) -> HttpResponse:
    form = forms.ConsentForm(request.POST, agencies=presenters.active_agencies(exclude=case.owner_agency))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.consent_record(
                actor=user,
                case=case,
                scope=data["scope"],
                given_by=data["given_by"],
                given_on=data["given_on"],
                guardian_name=data.get("guardian_name") or "",
                shared_with_agency=data.get("shared_with_agency"),
            )
        except FORM_ERRORS as exc:
            show_refusal(form, exc)
        else:
            return saved(request, user, case, "consent", _("The consent was recorded."))
    return form_page(request, user, case, "consent", consent_form=form)


@case_action(EDIT)
def consent_withdraw(request: HttpRequest, user: User, case: Case, consent_id: uuid.UUID) -> HttpResponse:
    consent = presenters.consent_get_for(user=user, case=case, consent_id=consent_id)
    form = forms.WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.consent_withdraw(
                actor=user,
                consent=consent,
                reason=form.cleaned_data["reason"],
                withdrawn_on=form.cleaned_data.get("withdrawn_on"),
            )
        except FORM_ERRORS as exc:
            show_refusal(form, exc)
        else:
            return saved(request, user, case, "consent", _("The withdrawal of consent was recorded."))
    return form_page(request, user, case, "consent", withdraw_form=form, withdrawing=consent.pk)


# --- Transfer ------------------------------------------------------------------------------------


@case_action(EDIT)
def transfer_request(request: HttpRequest, user: User, case: Case) -> HttpResponse:
    form = forms.TransferForm(request.POST, agencies=presenters.active_agencies(exclude=case.owner_agency))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.transfer_request(
                actor=user,
                case=case,
                to_agency=data["to_agency"],
                reason=data["reason"],
                legal_basis=data.get("legal_basis") or "",
                override=bool(data.get("override")),
            )
        except FORM_ERRORS as exc:
            show_refusal(form, exc)
        else:
            return saved(request, user, case, "transfer", _("The transfer was requested."))
    return form_page(request, user, case, "transfer", transfer_form=form)


def _answer_transfer(
    request: HttpRequest, user: User, case: Case, transfer_id: uuid.UUID, how: str
) -> HttpResponse:
    transfer = presenters.transfer_get_for(user=user, case=case, transfer_id=transfer_id)
    form = forms.NoteOnDecisionForm(request.POST)
    if form.is_valid():
        note = form.cleaned_data.get("note") or ""
        try:
            if how == "accept":
                services.transfer_accept(actor=user, transfer=transfer, note=note)
                message = _("The transfer was accepted: your agency now owns the case.")
            elif how == "decline":
                services.transfer_decline(actor=user, transfer=transfer, note=note)
                message = _("The transfer was declined.")
            else:
                services.transfer_cancel(actor=user, transfer=transfer, note=note)
                message = _("The transfer request was withdrawn.")
        except FORM_ERRORS as exc:
            show_refusal(form, exc)
        else:
            return saved(request, user, case, "transfer", message)
    return form_page(request, user, case, "transfer", answer_form=form)


@case_action(EDIT)
def transfer_accept(request: HttpRequest, user: User, case: Case, transfer_id: uuid.UUID) -> HttpResponse:
    return _answer_transfer(request, user, case, transfer_id, "accept")


@case_action(EDIT)
def transfer_decline(request: HttpRequest, user: User, case: Case, transfer_id: uuid.UUID) -> HttpResponse:
    return _answer_transfer(request, user, case, transfer_id, "decline")


@case_action(EDIT)
def transfer_cancel(request: HttpRequest, user: User, case: Case, transfer_id: uuid.UUID) -> HttpResponse:
    return _answer_transfer(request, user, case, transfer_id, "cancel")


# --- Closure -------------------------------------------------------------------------------------


@case_action(EDIT)
def closure_request(request: HttpRequest, user: User, case: Case) -> HttpResponse:
    form = forms.ClosureRequestForm(request.POST)
    return submit(
        request,
        user,
        case,
        "closure",
        form=form,
        closure_form=form,
        act=lambda data: services.closure_request(actor=user, case=case, reason=data["reason"]),
        message=_("Closure was requested: a supervisor will decide."),
    )


@case_action(SUPERVISE)
def closure_approve(request: HttpRequest, user: User, case: Case, request_id: uuid.UUID) -> HttpResponse:
    closure = presenters.closure_request_get_for(user=user, case=case, request_id=request_id)
    form = forms.NoteOnDecisionForm(request.POST)
    if form.is_valid() and not request.POST.get("confirmed"):
        # Closing is hard to undo: the supervisor confirms it first.
        return form_page(request, user, case, "closure", approve_form=form, confirm_closure=True)
    if form.is_valid():
        try:
            services.closure_approve(actor=user, request=closure, note=form.cleaned_data.get("note") or "")
        except FORM_ERRORS as exc:
            show_refusal(form, exc)
        else:
            return saved(request, user, case, "closure", _("The closure was approved: the case is closed."))
    return form_page(request, user, case, "closure", approve_form=form)


@case_action(SUPERVISE)
def closure_return(request: HttpRequest, user: User, case: Case, request_id: uuid.UUID) -> HttpResponse:
    closure = presenters.closure_request_get_for(user=user, case=case, request_id=request_id)
    form = forms.RequiredNoteForm(request.POST)
    return submit(
        request,
        user,
        case,
        "closure",
        form=form,
        closure_return_form=form,
        act=lambda data: services.closure_return(actor=user, request=closure, note=data["note"]),
        message=_("The closure request was returned."),
    )
