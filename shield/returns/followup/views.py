"""Follow-up pages: the list (the worklist's target), a plan (its follow-ups and the person's score
chart, audited read), starting a plan and reassigning its worker, recording a follow-up, reporting
and approving a loss of contact, and the cohort figures for supervisors."""

import datetime
import uuid
from typing import cast

from django.contrib import messages
from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shield import audit
from shield.accounts.models import User
from shield.audit.models import AuditAction
from shield.core.errors import ApplicationError, PermissionRefused
from shield.core.htmx import render_page_or_partial
from shield.core.pagination import CappedPaginator
from shield.people.selectors import display_name_for, person_get_for
from shield.referrals.support.pages import form_step, refused_on_form, require_any
from shield.returns.followup import chart, forms, rules, selectors, services
from shield.returns.models import FollowUp, ReintegrationPlan

FOLLOWUP = FollowUp._meta.label_lower
PLAN = ReintegrationPlan._meta.label_lower
PAGE_SIZE = 25


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


@require_any(*selectors.READERS, object_type=FOLLOWUP)
def followup_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = forms.FollowUpFilterForm(request.GET or None)
    page: Page[FollowUp] | None = None
    if not request.GET or form.is_valid():
        data = form.cleaned_data if request.GET else {}
        filters = selectors.FollowUpFilters(
            mine=bool(data.get("mine")), due=data.get("due") or "", status=data.get("status") or ""
        )
        rows = selectors.followup_list_for(user=user, filters=filters)
        page = CappedPaginator(rows, PAGE_SIZE, count_in_order=False).get_page(request.GET.get("page"))
        for row in page.object_list:
            row.shown_name = display_name_for(user=user, person=row.plan.person)
        audit.record(action=AuditAction.LIST, actor=user, object_type=FOLLOWUP)
    context = {"form": form, "page": page, "filtered": bool(request.GET)}
    return render_page_or_partial(request, "returns/followup/followup_list.html", context, partial="results")


def _plan_context(user: User, plan: ReintegrationPlan) -> dict[str, object]:
    return {
        "plan": plan,
        "name": display_name_for(user=user, person=plan.person),
        "followups": selectors.plan_followups(plan),
        "chart": chart.lines(selectors.score_series(user=user, person_id=plan.person_id)),
    }


@require_any(*selectors.READERS, object_type=PLAN)
def plan_detail(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    plan = selectors.plan_get_for(user=user, plan_id=plan_id)
    audit.record(action=AuditAction.VIEW, actor=user, agency=plan.agency, obj=plan)
    return render(request, "returns/followup/plan_detail.html", _plan_context(user, plan))


def _schedule_choices(day: datetime.date) -> list[tuple[str, str]]:
    """The schedules in force today (the service checks the chosen one against the start day)."""
    months = _("months")
    return [
        (code, f"{description or code} ({', '.join(str(m) for m in numbers)} {months})")
        for code, numbers, description in rules.schedules_in_force(day)
    ]


@require_any(selectors.FOLLOW_UP, object_type=PLAN)
def plan_create(request: HttpRequest) -> HttpResponse:
    """Start a plan for the person of the link (`?person=`, optionally `&case=`): the schedule's
    follow-ups are generated and the user lands on the plan's page."""
    user = _user(request)
    agency = user.primary_agency
    if agency is None:
        raise PermissionRefused(_("Only a member of an agency starts a reintegration plan."))
    source = request.POST if request.method == "POST" else request.GET
    person = person_get_for(user=user, person_id=source.get("person") or "")
    cases = selectors.cases_of_person_for(user=user, person_id=person.pk)
    initial = {"person": person.pk, "case": request.GET.get("case") or None}
    initial["schedule"] = rules.schedule_for(timezone.localdate())[0]
    form = forms.PlanCreateForm(
        request.POST or None,
        initial=initial,
        cases=cases,
        workers=selectors.workers_of(agency),
        schedules=_schedule_choices(timezone.localdate()),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_create(
                actor=user,
                person=person,
                agency=agency,
                worker=data["worker"],
                starts_on=data["starts_on"],
                goals=data.get("goals") or "",
                case=data.get("case"),
                schedule_code=data["schedule"],
            )
        except ApplicationError as error:
            if not refused_on_form(form, error):
                raise
        else:
            messages.success(request, _("The reintegration plan is started."))
            return HttpResponseRedirect(reverse("returns:plan_detail", args=[plan.pk]))
    context = {"form": form, "person": person, "name": display_name_for(user=user, person=person)}
    return render(request, "returns/followup/plan_create.html", context, status=400 if form.errors else 200)


@require_any(*selectors.READERS, object_type=PLAN)
def plan_reassign(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    """A new responsible worker (of the plan's agency); a stale version is refused on the form."""
    user = _user(request)
    plan = selectors.plan_get_for(user=user, plan_id=plan_id)
    form = forms.PlanReassignForm(
        request.POST or None,
        initial={"version": plan.version, "worker": plan.worker_id},
        workers=selectors.workers_of(plan.agency),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_reassign(
                actor=user,
                plan=plan,
                worker=form.cleaned_data["worker"],
                agency=plan.agency,
                version=form.cleaned_data["version"],
            )
        except ApplicationError as error:
            if not refused_on_form(form, error):
                raise
        else:
            messages.success(request, _("The plan is reassigned."))
            return HttpResponseRedirect(reverse("returns:plan_detail", args=[plan.pk]))
    context = {"plan": plan, "form": form, "name": display_name_for(user=user, person=plan.person)}
    return render(request, "returns/followup/plan_reassign.html", context, status=400 if form.errors else 200)


@require_any(selectors.FOLLOW_UP, object_type=FOLLOWUP)
def followup_record(request: HttpRequest, followup_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    followup = selectors.followup_get_for(user=user, followup_id=followup_id)
    definition = rules.instrument().definition
    form = forms.FollowUpRecordForm(
        request.POST or None, definition=definition, initial={"version": followup.version}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.followup_record(
                actor=user,
                followup=followup,
                version=data["version"],
                done_on=data["done_on"],
                contact_made=data["contact_made"],
                no_contact_reason=data.get("no_contact_reason") or "",
                no_contact_note=data.get("no_contact_note") or "",
                lives_in_province=data.get("lives_in_province"),
                answers=form.answers(),
                notes=data.get("notes") or "",
            )
        except ApplicationError as error:
            if not refused_on_form(form, error):
                raise
        else:
            messages.success(request, _("The follow-up is recorded."))
            return HttpResponseRedirect(reverse("returns:plan_detail", args=[followup.plan_id]))
    context = {
        "followup": followup,
        "form": form,
        "name": display_name_for(user=user, person=followup.plan.person),
    }
    return render(
        request, "returns/followup/followup_record.html", context, status=400 if form.errors else 200
    )


@require_any(selectors.FOLLOW_UP, object_type=PLAN)
def contact_lost_report(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    plan = selectors.plan_get_for(user=user, plan_id=plan_id)
    form = forms.ContactLostForm(request.POST or None, initial={"version": plan.version})
    return form_step(
        request,
        form=form,
        write=lambda data: services.contact_lost_report(
            actor=user, plan=plan, reason=data["reason"], version=data["version"]
        ),
        done=_("The loss of contact is reported; a supervisor approves it."),
        redirect_to=lambda _: reverse("returns:plan_detail", args=[plan.pk]),
        template="returns/followup/contact_lost.html",
        context=lambda: {**_plan_context(user, plan), "form": form, "approving": False},
    )


@require_any(selectors.SUPERVISE, object_type=PLAN)
def contact_lost_approve(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    plan = selectors.plan_get_for(user=user, plan_id=plan_id)
    form = forms.ApproveForm(request.POST or None, initial={"version": plan.version})
    return form_step(
        request,
        form=form,
        write=lambda data: services.contact_lost_approve(actor=user, plan=plan, version=data["version"]),
        done=_("The loss of contact is approved."),
        redirect_to=lambda _: reverse("returns:plan_detail", args=[plan.pk]),
        template="returns/followup/contact_lost.html",
        context=lambda: {**_plan_context(user, plan), "form": form, "approving": True},
    )


@require_any(selectors.SUPERVISE, object_type=PLAN)
def cohort(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    audit.record(action=AuditAction.LIST, actor=user, object_type=PLAN, details={"view": "cohort"})
    return render(request, "returns/followup/cohort.html", {"cohort": selectors.cohort_for(user=user)})
