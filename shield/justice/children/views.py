"""Pages of the children's rules: a child party's page (deadlines, interviews, diversion), an
interview, a diversion with its reports, the officer's children worklist, and the rules page.

Reads need `justice.view`, writes `justice.edit` (the services check the proceeding's reach);
every page read of a record writes a `view` audit event. A refusal of the rules is shown on the
form that asked, with the rule and the law.
"""

import uuid
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shield import audit
from shield.accounts import policy
from shield.accounts.models import User
from shield.audit.models import AuditAction
from shield.audit.refusals import permission_denied, require_permission
from shield.core.errors import (
    InvalidTransition,
    NotFound,
    PermissionRefused,
    StaleVersion,
    ValidationFailed,
    VersionRequired,
)
from shield.core.forms import add_application_error
from shield.core.pagination import CappedPaginator
from shield.justice.children import forms, rules, selectors, services
from shield.justice.models import DiversionStatus, Interview, InterviewStatus, Party
from shield.justice.proceedings import access
from shield.people.selectors import masked_name

VIEW = access.VIEW
EDIT = access.EDIT
FORM_ERRORS = (ValidationFailed, InvalidTransition, StaleVersion, VersionRequired, PermissionRefused)
PARTY_TYPE = Party._meta.label_lower


def _error_text(error: Exception) -> str:
    fields = getattr(error, "field_errors", {}) or {}
    return "; ".join(m for messages_ in fields.values() for m in messages_) or str(
        getattr(error, "message", error)
    )


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _party_url(party_id: object) -> str:
    return reverse("justice:child_party", kwargs={"party_id": party_id})


def interview_rows(interviews: list[Interview]) -> list[dict[str, Any]]:
    return [
        {
            "interview": i,
            "exceeded": [rules.breach_label(code) for code in i.rules_exceeded],
            "minutes": int((i.ended_at - i.started_at).total_seconds() // 60),
        }
        for i in interviews
    ]


def _party_context(request: HttpRequest, party: Party, **extra: Any) -> dict[str, Any]:
    user = _user(request)
    child_rules = rules.ChildRules.current()
    proceeding = party.proceeding
    interviews = list(selectors.interviews_of(party))
    diversions = list(selectors.diversions_of(party))
    eligibility = None
    if party.role in rules.ACCUSED_ROLES:
        eligibility = services.party_eligibility(party, child_rules)
    can_edit = policy.has_permission(user, EDIT) and access.can_edit(user=user, proceeding=proceeding)
    in_progress = next((d for d in diversions if d.status == DiversionStatus.IN_PROGRESS), None)
    limit = child_rules.rule("interview_limits", rules.limit_key(party.role), timezone.localdate())
    context: dict[str, Any] = {
        "party": party,
        "proceeding": proceeding,
        "deadlines": selectors.deadlines_of(party, child_rules=child_rules),
        "interviews": interview_rows(interviews),
        "diversions": diversions,
        "in_progress": in_progress,
        "eligibility": eligibility,
        "limit": limit,
        "can_edit": can_edit,
        "assigned": access.is_assigned(user, proceeding),
        "interview_form": forms.InterviewForm(),
        "diversion_form": forms.DiversionForm(child_rules=child_rules),
        "deadline_form": forms.DeadlineMetForm(initial={"met_at": timezone.localtime()}),
        "measure_names": {m.code: m.name for m in rules.measures(child_rules, timezone.localdate())},
    }
    context.update(extra)
    return context


@require_permission(VIEW, object_type=PARTY_TYPE)
def child_party(request: HttpRequest, party_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    try:
        party = selectors.child_party_get_for(user=user, party_id=party_id)
    except NotFound:
        return _not_found()
    audit.record(action=AuditAction.VIEW, actor=user, agency=party.proceeding.holding_agency, obj=party)
    return render(request, "justice/children/party.html", _party_context(request, party))


def _not_found() -> HttpResponse:
    from django.http import Http404

    raise Http404()


def _party_for_write(request: HttpRequest, party_id: uuid.UUID) -> Party:
    from django.http import Http404

    try:
        return selectors.child_party_get_for(user=_user(request), party_id=party_id)
    except NotFound:
        raise Http404() from None


@require_POST
@require_permission(EDIT, object_type=PARTY_TYPE)
def interview_create(request: HttpRequest, party_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    party = _party_for_write(request, party_id)
    form = forms.InterviewForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.interview_record(
                actor=user,
                party=party,
                kind=data["kind"],
                status=data["status"],
                place_type=data["place_type"],
                child_friendly_room=data["child_friendly_room"],
                started_at=forms.local(data["started_at"]),
                ended_at=forms.local(data["ended_at"]),
                representative_present=data["representative_present"],
                social_worker_present=data["social_worker_present"],
                others_present=data["others_present"],
                recorded=data["recorded"],
                recording_reference=data["recording_reference"],
                topics=form.topic_list(),
                justification=data["justification"],
            )
        except NotFound:
            return _not_found()
        except FORM_ERRORS as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("The session was recorded."))
            return HttpResponseRedirect(_party_url(party.pk) + "#interviews")
    context = _party_context(request, party, interview_form=form, interview_refused=True)
    return render(request, "justice/children/party.html", context, status=400)


@require_POST
@require_permission(EDIT, object_type=PARTY_TYPE)
def deadline_met(request: HttpRequest, party_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    party = _party_for_write(request, party_id)
    form = forms.DeadlineMetForm(request.POST)
    if form.is_valid():
        try:
            services.deadline_met_record(
                actor=user,
                party=party,
                key=form.cleaned_data["key"],
                met_at=forms.local(form.cleaned_data["met_at"]),
                note=form.cleaned_data["note"],
            )
        except NotFound:
            return _not_found()
        except FORM_ERRORS as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("Recorded."))
            return HttpResponseRedirect(_party_url(party.pk) + "#deadlines")
    return render(
        request, "justice/children/party.html", _party_context(request, party, deadline_form=form), status=400
    )


@require_POST
@require_permission(EDIT, object_type=PARTY_TYPE)
def diversion_create(request: HttpRequest, party_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    party = _party_for_write(request, party_id)
    form = forms.DiversionForm(request.POST, child_rules=rules.ChildRules.current())
    if form.is_valid():
        data = form.cleaned_data
        try:
            diversion = services.diversion_decide(
                actor=user,
                party=party,
                deciding_body=data["deciding_body"],
                decided_on=data["decided_on"],
                measures=data["measures"],
                supervision_months=data["supervision_months"],
                supervisor=data["supervisor"],
            )
        except NotFound:
            return _not_found()
        except FORM_ERRORS as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("The diversion was recorded."))
            return HttpResponseRedirect(
                reverse("justice:child_diversion", kwargs={"diversion_id": diversion.pk})
            )
    return render(
        request,
        "justice/children/party.html",
        _party_context(request, party, diversion_form=form),
        status=400,
    )


@require_permission(VIEW, object_type=Interview._meta.label_lower)
def interview_detail(request: HttpRequest, interview_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    try:
        interview = selectors.interview_get_for(user=user, interview_id=interview_id)
    except NotFound:
        return _not_found()
    audit.record(
        action=AuditAction.VIEW, actor=user, agency=interview.proceeding.holding_agency, obj=interview
    )
    proceeding = interview.proceeding
    context = {
        "row": interview_rows([interview])[0],
        "interview": interview,
        "assigned": access.is_assigned(user, proceeding),
        "can_edit": interview.status == InterviewStatus.PLANNED
        and access.can_edit(user=user, proceeding=proceeding),
        "cancel_form": forms.InterviewCancelForm(initial={"version": interview.version}),
    }
    return render(request, "justice/children/interview.html", context)


@require_POST
@require_permission(EDIT, object_type=Interview._meta.label_lower)
def interview_change(request: HttpRequest, interview_id: uuid.UUID, action: str) -> HttpResponse:
    user = _user(request)
    try:
        interview = selectors.interview_get_for(user=user, interview_id=interview_id)
    except NotFound:
        return _not_found()
    url = reverse("justice:child_interview", kwargs={"interview_id": interview.pk})
    raw = request.POST.get("version", "")
    version = int(raw) if raw.isdigit() and len(raw) < 12 else None
    try:
        if action == "cancel":
            services.interview_cancel(
                actor=user,
                interview=interview,
                expected_version=version,
                reason=request.POST.get("reason", "")[:500],
            )
        else:
            services.interview_mark_held(actor=user, interview=interview, expected_version=version)
    except NotFound:
        return _not_found()
    except FORM_ERRORS as error:
        messages.error(
            request,
            _error_text(error),
        )
    return HttpResponseRedirect(url)


@require_permission(VIEW)
def diversion_detail(request: HttpRequest, diversion_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    try:
        diversion = selectors.diversion_get_for(user=user, diversion_id=diversion_id)
    except NotFound:
        return _not_found()
    audit.record(
        action=AuditAction.VIEW, actor=user, agency=diversion.proceeding.holding_agency, obj=diversion
    )
    child_rules = rules.ChildRules.current()
    names = {m.code: m.name for m in rules.measures(child_rules, diversion.decided_on)}
    can_edit = diversion.status == DiversionStatus.IN_PROGRESS and access.can_edit(
        user=user, proceeding=diversion.proceeding
    )
    reports = list(diversion.reports.select_related("submitted_by").order_by("due_on"))
    context = {
        "diversion": diversion,
        "measures": [names.get(code, code) for code in diversion.measures],
        "reports": [
            {"report": r, "form": forms.ReportForm(initial={"version": r.version}, prefix=f"r{r.pk.hex[:8]}")}
            for r in reports
        ],
        "can_edit": can_edit,
        "end_form": forms.DiversionEndForm(initial={"version": diversion.version}),
        "today": timezone.localdate(),
        "interval": rules.report_interval_days(child_rules, diversion.decided_on),
    }
    return render(request, "justice/children/diversion.html", context)


@require_POST
@require_permission(EDIT)
def report_submit(request: HttpRequest, report_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    try:
        report = selectors.report_get_for(user=user, report_id=report_id)
    except NotFound:
        return _not_found()
    form = forms.ReportForm(request.POST, prefix=f"r{report.pk.hex[:8]}")
    url = reverse("justice:child_diversion", kwargs={"diversion_id": report.diversion_id})
    if not form.is_valid():
        messages.error(request, _("Say whether the child kept to the measures."))
        return HttpResponseRedirect(url)
    try:
        services.diversion_report_submit(
            actor=user,
            report=report,
            expected_version=form.cleaned_data["version"],
            compliant=form.cleaned_data["compliant"],
            note=form.cleaned_data["note"],
        )
    except NotFound:
        return _not_found()
    except FORM_ERRORS as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The report was recorded."))
    return HttpResponseRedirect(url)


@require_POST
@require_permission(EDIT)
def diversion_end(request: HttpRequest, diversion_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    try:
        diversion = selectors.diversion_get_for(user=user, diversion_id=diversion_id)
    except NotFound:
        return _not_found()
    form = forms.DiversionEndForm(request.POST)
    url = reverse("justice:child_diversion", kwargs={"diversion_id": diversion.pk})
    if not form.is_valid():
        messages.error(request, _("Choose the outcome."))
        return HttpResponseRedirect(url)
    try:
        services.diversion_end(
            actor=user,
            diversion=diversion,
            expected_version=form.cleaned_data["version"],
            completed=form.cleaned_data["outcome"] == "completed",
            note=form.cleaned_data["note"],
        )
    except NotFound:
        return _not_found()
    except FORM_ERRORS as error:
        messages.error(
            request,
            _error_text(error),
        )
    else:
        messages.success(request, _("The diversion has ended."))
    return HttpResponseRedirect(url)


SECTIONS = ("deadlines", "reports", "interviews")


@require_permission(VIEW)
def child_worklist(request: HttpRequest) -> HttpResponse:
    """The officer's children work: deadlines breached, reports due, sessions planned (assigned
    proceedings only), one section at a time, 25 a page."""
    user = _user(request)
    section = request.GET.get("section", "deadlines")
    if section not in SECTIONS:
        section = "deadlines"
    items: Any
    if section == "deadlines":
        items = selectors.breaches_open_for(user=user)
    elif section == "reports":
        items = selectors.reports_due_for(user=user)
    else:
        items = selectors.interviews_planned_for(user=user)
    page = CappedPaginator(items, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    # One query for whose names the user may see (assigned officers), not one per row.
    assigned = access.assigned_proceeding_ids(user)
    for item in page.object_list:
        party = item.diversion.party if section == "reports" else item.party
        proceeding = item.diversion.proceeding if section == "reports" else item.party.proceeding
        shown = not party.is_child or proceeding.pk in assigned
        rows.append(
            {
                "item": item,
                "party": party,
                "proceeding": proceeding,
                "name": party.person.full_name if shown else masked_name(party.person),
                "label": rules.deadline_label(item.key) if section == "deadlines" else "",
            }
        )
    audit.record(action=AuditAction.LIST, actor=user, object_type=PARTY_TYPE, details={"section": section})
    return render(
        request,
        "justice/children/worklist.html",
        {"section": section, "sections": SECTIONS, "page": page, "rows": rows, "today": timezone.localdate()},
    )


def _rule_rows(child_rules: rules.ChildRules) -> list[dict[str, Any]]:
    today = timezone.localdate()
    rows = []
    for name in rules.SETTABLE:
        for key in child_rules.keys(name, today):
            rule = child_rules.rule(name, key, today)
            assert rule is not None
            rows.append(
                {
                    "set": name,
                    "key": key,
                    "values": {f: rule.get(f) for f in rules.SETTABLE[name] if rule.get(f) is not None},
                    "law": rule.get("law", ""),
                    "verified": bool(rule.get("verified")),
                    "override": rule.get("override"),
                    "since": rule.effective_from,
                }
            )
    return rows


@login_required
def rules_page(request: HttpRequest) -> HttpResponse:
    """The children's rules in force today, each marked verified or not; administrators set values.
    Open to justice officers (`justice.view`) and system administrators."""
    user = _user(request)
    if not (policy.has_permission(user, VIEW) or policy.has_permission(user, "accounts.manage_system")):
        return permission_denied(request)
    child_rules = rules.ChildRules.current()
    return render(
        request,
        "justice/children/rules.html",
        {
            "rows": _rule_rows(child_rules),
            "measures": rules.measures(child_rules, timezone.localdate()),
            "can_set": policy.has_permission(user, "accounts.manage_system"),
            "form": forms.RuleValueForm(child_rules=child_rules),
        },
    )


@require_POST
@require_permission("accounts.manage_system")
def rule_value_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    child_rules = rules.ChildRules.current()
    form = forms.RuleValueForm(request.POST, child_rules=child_rules)
    if form.is_valid():
        name, key, field = form.parts()
        try:
            services.rule_value_set(
                actor=user,
                rule_set=name,
                key=key,
                field=field,
                value=form.cleaned_data["value"],
                effective_from=form.cleaned_data["effective_from"],
                verified=form.cleaned_data["verified"],
                reason=form.cleaned_data["reason"],
            )
        except FORM_ERRORS as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("The value was set."))
            return HttpResponseRedirect(reverse("justice:child_rules"))
    context = {
        "rows": _rule_rows(child_rules),
        "measures": rules.measures(child_rules, timezone.localdate()),
        "can_set": True,
        "form": form,
    }
    return render(request, "justice/children/rules.html", context, status=400)
