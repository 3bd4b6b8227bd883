"""Referral pages: "referrals to us", "our referrals", one referral, the refer form, the figures.

Thin: each validates a form, calls one selector or service and renders. A service's NotFound
answers 404, its PermissionRefused the audited 403 page, other refusals show on the form.
"""

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shield import audit
from shield.accounts import policy
from shield.accounts.models import User
from shield.audit.models import AuditAction
from shield.audit.refusals import permission_denied
from shield.cases import selectors as case_selectors
from shield.cases.models import CarePlanAction
from shield.core.errors import ApplicationError, NotFound, PermissionRefused
from shield.core.forms import add_application_error
from shield.core.htmx import is_htmx, render_page_or_partial
from shield.core.pagination import CappedPaginator
from shield.people.models import Sex
from shield.referrals.directory import selectors as directory_selectors
from shield.referrals.directory import taxonomy
from shield.referrals.lifecycle import figures as figure_queries
from shield.referrals.lifecycle import forms, presenters, selectors, services
from shield.referrals.models import Referral, ReferralStatus, Service

PAGE_SIZE = 25
REFERRAL_TYPE = "referrals.referral"
ACTIONS = ("accept", "decline", "waitlist", "start_service", "complete", "cancel", "revoke")
REASON_REQUIRED = ("decline", "cancel", "revoke")
# Ending a referral from the sending side asks for a tick first.
CONFIRM = ("cancel", "revoke")


def _user(request: HttpRequest) -> User | None:
    user = request.user
    if not user.is_authenticated or not isinstance(user, User):
        return None
    return user


def _login(request: HttpRequest) -> HttpResponse:
    from django.contrib.auth.views import redirect_to_login

    return redirect_to_login(request.get_full_path())


def _list_page(request: HttpRequest, *, side: str) -> HttpResponse:
    user = _user(request)
    if user is None:
        return _login(request)
    inbox = side == "inbox"
    allowed = (
        bool(selectors.receiving_agency_ids(user))
        if inbox
        else (policy.has_permission(user, selectors.MAKE) or policy.has_permission(user, selectors.SUPERVISE))
    )
    if not allowed:
        return permission_denied(request, object_type=REFERRAL_TYPE)
    form = forms.ReferralFilterForm(request.GET or None)
    context: dict[str, Any] = {
        "form": form,
        "page": None,
        "rows": [],
        "side": side,
        "filtered": form.has_filters(),
        "list_url": reverse("referrals:referral_inbox" if inbox else "referrals:referral_outbox"),
    }
    if not form.is_bound or form.is_valid():
        # The lists open on the open referrals; "all states" is one filter away.
        filters = form.filters() if form.is_bound else selectors.ReferralFilters(open_only=True)
        query = selectors.referral_inbox_for if inbox else selectors.referral_outbox_for
        referrals = selectors.for_list(query(user=user, filters=filters))
        page = CappedPaginator(referrals, PAGE_SIZE, count_in_order=False).get_page(request.GET.get("page"))
        rows = presenters.rows(user=user, referrals=list(page.object_list))
        context.update(open_only=filters.open_only, page=page, rows=rows)
        audit.record(
            action=AuditAction.LIST,
            actor=user,
            object_type=REFERRAL_TYPE,
            details={"list": side, "filters": sorted(n for n in form.FILTER_NAMES if request.GET.get(n))},
        )
    return render_page_or_partial(
        request, "referrals/lifecycle/referral_list.html", context, partial="results"
    )


@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """Referrals to us: addressed to an agency whose referrals the user answers."""
    return _list_page(request, side="inbox")


@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    """Our referrals: sent from the agencies the user's referral scope reaches."""
    return _list_page(request, side="outbox")


def _get(user: User, referral_id: uuid.UUID) -> Referral:
    try:
        return selectors.referral_get_for(user=user, referral_id=referral_id)
    except NotFound as exc:
        raise Http404 from exc


def _detail_context(user: User, referral: Referral, **forms_: Any) -> dict[str, Any]:
    actions = presenters.actions_for(user=user, referral=referral)
    labels = presenters.labels()
    action_forms = []
    for action in actions:
        form = forms_.get(action)
        if form is None:
            form_class = forms.CompleteForm if action == "complete" else forms.StepForm
            form = form_class(
                initial={"version": referral.version},
                reason_required=action in REASON_REQUIRED,
                prefix=action,
            )
        action_forms.append((action, labels[action], form))
    return {
        "referral": referral,
        "data": presenters.minimum_dataset(user=user, referral=referral),
        "steps": list(selectors.steps_of(referral)),
        "action_forms": action_forms,
        "case_link": presenters.case_link_allowed(user=user, referral=referral),
        "overdue": presenters.overdue_reason(referral, timezone.now()),
        "is_receiver": selectors.is_receiver(user, referral),
        "next_steps": presenters.next_steps(user=user, referral=referral),
    }


def referral_detail(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    """One referral: the minimum dataset, its timeline and the steps the user may take. Audited."""
    user = _user(request)
    if user is None:
        return _login(request)
    referral = _get(user, referral_id)
    audit.record(action=AuditAction.VIEW, actor=user, obj=referral)
    return render(request, "referrals/lifecycle/referral_detail.html", _detail_context(user, referral))


CALLS = {
    "accept": lambda user, r, v, data: services.referral_accept(
        actor=user, referral=r, version=v, note=data["note"]
    ),
    "decline": lambda user, r, v, data: services.referral_decline(
        actor=user, referral=r, version=v, reason=data["note"]
    ),
    "waitlist": lambda user, r, v, data: services.referral_waitlist(
        actor=user, referral=r, version=v, note=data["note"]
    ),
    "start_service": lambda user, r, v, data: services.referral_start_service(
        actor=user, referral=r, version=v, note=data["note"]
    ),
    "complete": lambda user, r, v, data: services.referral_complete(
        actor=user, referral=r, version=v, outcome=data["outcome"], note=data["note"]
    ),
    "cancel": lambda user, r, v, data: services.referral_cancel(
        actor=user, referral=r, version=v, reason=data["note"]
    ),
    "revoke": lambda user, r, v, data: services.referral_revoke(
        actor=user, referral=r, version=v, reason=data["note"]
    ),
}


@require_POST
def referral_act(request: HttpRequest, referral_id: uuid.UUID, action: str) -> HttpResponse:
    """One step of the referral, posted from its page."""
    user = _user(request)
    if user is None:
        return _login(request)
    if action not in CALLS:
        raise Http404
    referral = _get(user, referral_id)
    form_class = forms.CompleteForm if action == "complete" else forms.StepForm
    form = form_class(
        request.POST, reason_required=action in REASON_REQUIRED, confirm=action in CONFIRM, prefix=action
    )
    if form.is_valid():
        try:
            CALLS[action](user, referral, form.cleaned_data["version"], form.cleaned_data)
        except NotFound as exc:
            raise Http404 from exc
        except PermissionRefused:
            return permission_denied(request, object_type=REFERRAL_TYPE, object_id=str(referral.pk))
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(reverse("referrals:referral_detail", args=[referral.pk]))
    referral = _get(user, referral_id)
    context = _detail_context(user, referral, **{action: form})
    if action not in presenters.actions_for(user=user, referral=referral):
        # The step is no longer offered (someone moved the referral meanwhile): say why on top.
        context["refusals"] = [str(e) for errors in form.errors.values() for e in errors]
    return render(request, "referrals/lifecycle/referral_detail.html", context, status=400)


@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Refer the case's person to a service (from the case page, or a care-plan action: prefilled)."""
    user = _user(request)
    if user is None:
        return _login(request)
    if not policy.has_permission(user, selectors.MAKE):
        return permission_denied(request, object_type="cases.case", object_id=str(case_id))
    try:
        case = case_selectors.case_get_for(user=user, case_id=case_id)
    except NotFound as exc:
        raise Http404 from exc
    if not case_selectors.can_edit(user=user, case=case):
        return permission_denied(request, object_type="cases.case", object_id=str(case_id))
    choices = directory_selectors.referable_services_for(user=user)
    action_id = request.GET.get("action") or request.POST.get("care_plan_action") or None
    action = None
    if action_id:
        action = (
            CarePlanAction.objects.filter(pk=action_id, goal__plan__case=case).first()
            if _is_uuid(action_id)
            else None
        )
    initial: dict[str, Any] = {"care_plan_action": action.pk if action else None}
    if action is not None:
        initial["reason"] = action.description
    form = forms.ReferralSendForm(request.POST or None, services=choices, initial=initial)
    picker = _service_picker(request, user, case, choices, form)
    if request.method == "GET" and is_htmx(request):
        return render_page_or_partial(
            request,
            "referrals/lifecycle/referral_form.html",
            {"case": case, **picker},
            partial="service_results",
        )
    if request.method == "POST" and form.is_valid():
        service: Service = form.cleaned_data["service"]
        try:
            referral = services.referral_send(
                actor=user,
                case=case,
                provider=service.provider,
                service=service,
                care_plan_action=action,
                reason=form.cleaned_data["reason"],
                urgency=form.cleaned_data["urgency"],
                legal_basis=form.cleaned_data["legal_basis"],
                override=form.cleaned_data["override"],
            )
        except NotFound as exc:
            raise Http404 from exc
        except PermissionRefused:
            return permission_denied(request, object_type="cases.case", object_id=str(case_id))
        except ApplicationError as error:
            add_application_error(form, error)
            if error.field_errors and error.message != str(type(error).default_message):
                form.add_error(None, error.message)
        else:
            messages.success(request, _("Referral %(reference)s sent.") % {"reference": referral.reference})
            return HttpResponseRedirect(reverse("referrals:referral_detail", args=[referral.pk]))
    status = 400 if request.method == "POST" else 200
    context = {"case": case, "form": form, "action": action, **picker}
    return render(request, "referrals/lifecycle/referral_form.html", context, status=status)


# The person's sexes a directory service's eligibility names ("unknown" does not filter).
SEXES_SERVED = frozenset({Sex.FEMALE.value, Sex.MALE.value, Sex.OTHER.value})


def _service_picker(
    request: HttpRequest, user: User, case: Any, choices: Any, form: forms.ReferralSendForm
) -> dict[str, Any]:
    """The refer form's service picker: the directory search (`?q=`, folded, filtered by the
    person's age and sex) and the service already chosen (posted, or `?service=` from the
    directory's "Refer" button), first and checked."""
    q = (request.GET.get("q") or "")[: forms.SEARCH_MAX]
    person = case.person
    sex = person.sex if person.sex in SEXES_SERVED else ""
    age = presenters.age_of(person)
    found = directory_selectors.referable_search_for(user=user, q=q, age=age, sex=sex)
    chosen_id = request.POST.get("service") or request.GET.get("service") or ""
    chosen = choices.filter(pk=chosen_id).first() if _is_uuid(chosen_id) else None
    if chosen is not None:
        found = [chosen, *[s for s in found if s.pk != chosen.pk]]
    audit.record(
        action=AuditAction.LIST,
        actor=user,
        object_type="referrals.service",
        search=q,
        details={"list": "refer_picker", "age": age is not None, "sex": bool(sex)},
    )
    return {
        "q": q,
        "found": [(s, taxonomy.label_of(s.service_type)) for s in found],
        "chosen_id": str(chosen.pk) if chosen else "",
        "person_age": age,
        "person_sex": person.get_sex_display() if sex else "",
        "search_limit": directory_selectors.REFER_SEARCH_LIMIT,
        "form": form,
    }


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    """Supervisor figures over the referrals sent from the user's scope (referrals.supervise)."""
    user = _user(request)
    if user is None:
        return _login(request)
    if not policy.has_permission(user, selectors.SUPERVISE):
        return permission_denied(request, object_type=REFERRAL_TYPE)
    scoped = figure_queries.scoped_for(user)
    overall = figure_queries.overall(scoped)
    context = {
        "overall": overall,
        "states": [(ReferralStatus(status).label, count) for status, count in overall.by_state.items()],
        "tables": [
            (
                _("By province of the referring agency"),
                figure_queries.by_group(scoped, "from_agency__province__name"),
            ),
            (_("By type of service"), figure_queries.by_group(scoped, "service_type")),
        ],
    }
    audit.record(action=AuditAction.LIST, actor=user, object_type=REFERRAL_TYPE, details={"list": "figures"})
    return render(request, "referrals/lifecycle/referral_figures.html", context)
