"""Pages of the reception part: returns (list, record, detail, cancel), verification requests (list,
receive, detail with one form per step) and receptions (list, open, detail, complete).

The group sitting itself (`/returns/receptions/<id>/sitting/`) lives in `sitting.py`.
"""

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django import forms as django_forms
from django.contrib import messages
from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shield import audit
from shield.accounts.models import User
from shield.audit.models import AuditAction
from shield.core.errors import ApplicationError, PermissionRefused
from shield.core.htmx import render_page_or_partial
from shield.core.pagination import CappedPaginator
from shield.linkage.models import PairStatus
from shield.people import selectors as people_selectors
from shield.people.models import DocumentKind
from shield.people.selectors import display_name_for, person_get_for
from shield.referrals.support.pages import form_step, refused_on_form, require_any
from shield.returns.alerts import selectors as alert_selectors
from shield.returns.followup import selectors as followup_selectors
from shield.returns.models import (
    Disposition,
    ReceptionEvent,
    ReceptionStatus,
    Return,
    ReturnStatus,
    VerificationRequest,
    VerificationStatus,
)
from shield.returns.reception import forms, selectors, services

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

RETURN = Return._meta.label_lower
VERIFICATION = VerificationRequest._meta.label_lower
RECEPTION = ReceptionEvent._meta.label_lower
PAGE_SIZE = 25
RELATED_CAP = 20  # alerts and plans shown on a return's page


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _agency_member(user: User) -> None:
    if user.primary_agency is None:
        raise PermissionRefused(_("Only a member of an agency records this."))


# --- Returns -------------------------------------------------------------------------------------


@require_any(selectors.VIEW, object_type=RETURN)
def return_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = forms.ReturnFilterForm(request.GET or None)
    page: Page[Return] | None = None
    if not request.GET or form.is_valid():
        data = form.cleaned_data if request.GET else {}
        gate = data.get("border_gate")
        filters = selectors.ReturnFilters(
            status=data.get("status") or "",
            country=data.get("country") or "",
            border_gate=gate.pk if gate is not None else None,
            q=data.get("q") or "",
        )
        rows = selectors.return_search_for(user=user, filters=filters)
        page = CappedPaginator(rows, PAGE_SIZE, count_in_order=False).get_page(request.GET.get("page"))
        for row in page.object_list:
            row.shown_name = display_name_for(user=user, person=row.person)
        audit.record(
            action=AuditAction.LIST,
            actor=user,
            object_type=RETURN,
            search=filters.q,
            details={"filters": sorted(name for name in form.fields if data.get(name))},
        )
    context = {"form": form, "page": page, "filtered": bool(request.GET)}
    return render_page_or_partial(request, "returns/reception/return_list.html", context, partial="results")


@require_any(selectors.RECEIVE, object_type=RETURN)
def return_create(request: HttpRequest) -> HttpResponse:
    """Record a return of the person of the link (`?person=`, from the person's registry page)."""
    user = _user(request)
    _agency_member(user)
    source = request.POST if request.method == "POST" else request.GET
    person = person_get_for(user=user, person_id=source.get("person") or "")
    form = forms.ReturnForm(request.POST or None, initial={"person": person.pk})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.return_record(
                actor=user,
                person=person,
                country=data["country"],
                how=data["how"],
                channel=data["channel"],
                expected_on=data.get("expected_on"),
                returned_on=data.get("returned_on"),
                border_gate=data.get("border_gate"),
                notes=data.get("notes") or "",
            )
        except ApplicationError as error:
            if not refused_on_form(form, error):
                raise
        else:
            messages.success(request, _("The return is recorded."))
            return HttpResponseRedirect(reverse("returns:return_detail", args=[record.pk]))
    context = {"form": form, "person": person, "name": display_name_for(user=user, person=person)}
    return render(request, "returns/reception/return_form.html", context, status=400 if form.errors else 200)


@require_any(selectors.VIEW, object_type=RETURN)
def return_detail(request: HttpRequest, return_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    record = selectors.return_detail_get_for(user=user, return_id=return_id)
    audit.record(action=AuditAction.VIEW, actor=user, agency=record.agency, obj=record)
    alerts = list(alert_selectors.alert_list_for(user=user).filter(return_record=record)[:RELATED_CAP])
    plans = list(followup_selectors.plan_list_for(user=user).filter(return_record=record)[:RELATED_CAP])
    context = {
        "record": record,
        "name": display_name_for(user=user, person=record.person),
        "case_visible": bool(getattr(record, "case_visible", False)),
        "verification": getattr(record, "verification", None),
        "member": getattr(record, "reception_member", None),
        "alerts": alerts,
        "plans": plans,
        "can_receive": user.has_perm(selectors.RECEIVE) and record.status != ReturnStatus.CANCELLED,
        "can_verify": user.has_perm(selectors.VERIFY) and record.status != ReturnStatus.CANCELLED,
        "can_plan": user.has_perm(followup_selectors.FOLLOW_UP),
    }
    return render(request, "returns/reception/return_detail.html", context)


@require_any(selectors.RECEIVE, object_type=RETURN)
def return_cancel(request: HttpRequest, return_id: uuid.UUID) -> HttpResponse:
    """Confirmation with a reason; the form carries the version, a stale one is refused."""
    user = _user(request)
    record = selectors.return_get_to_change(user=user, return_id=return_id, permission=selectors.RECEIVE)
    form = forms.ReturnCancelForm(request.POST or None, initial={"version": record.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.return_cancel(
                actor=user,
                record=record,
                version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as error:
            if not refused_on_form(form, error):
                raise
            record = selectors.return_detail_get_for(user=user, return_id=return_id)
        else:
            messages.success(request, _("The return is cancelled."))
            return HttpResponseRedirect(reverse("returns:return_detail", args=[record.pk]))
    context = {"record": record, "form": form, "name": display_name_for(user=user, person=record.person)}
    return render(
        request, "returns/reception/return_cancel.html", context, status=400 if form.errors else 200
    )


# --- Verification requests -----------------------------------------------------------------------


@require_any(selectors.VIEW, object_type=VERIFICATION)
def verification_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.GET.get("due") == "yes":
        rows = selectors.verifications_due(user)
    else:
        rows = selectors.verification_list_for(user=user).order_by("answer_due_at", "id")
    page = CappedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    for row in page.object_list:
        row.shown_name = display_name_for(user=user, person=row.return_record.person)
        row.overdue = _overdue(row, now)
    audit.record(action=AuditAction.LIST, actor=user, object_type=VERIFICATION)
    return render(
        request, "returns/reception/verification_list.html", {"page": page, "due": request.GET.get("due")}
    )


@require_any(selectors.VERIFY, object_type=VERIFICATION)
def verification_receive(request: HttpRequest, return_id: uuid.UUID) -> HttpResponse:
    """The foreign authority's request about a return: authority, their reference, received at."""
    user = _user(request)
    _agency_member(user)
    record = selectors.return_get_to_change(user=user, return_id=return_id, permission=selectors.VERIFY)
    existing = selectors.verification_of(user=user, record=record)
    if existing is not None:
        return HttpResponseRedirect(reverse("returns:verification_detail", args=[existing.pk]))
    form = forms.VerificationReceiveForm(request.POST or None, initial={"received_at": timezone.now()})
    return form_step(
        request,
        form=form,
        write=lambda data: services.verification_receive(
            actor=user,
            record=record,
            foreign_authority=data["foreign_authority"],
            foreign_reference=data.get("foreign_reference") or "",
            received_at=data["received_at"],
        ),
        done=_("The verification request is received."),
        redirect_to=lambda verification: reverse("returns:verification_detail", args=[verification.pk]),
        template="returns/reception/verification_receive.html",
        context=lambda: {
            "record": record,
            "form": form,
            "name": display_name_for(user=user, person=record.person),
        },
    )


def _overdue(verification: VerificationRequest, now: Any) -> bool:
    return bool(
        verification.answer_due_at is not None
        and verification.status != VerificationStatus.ANSWERED
        and verification.answer_due_at < now
    )


def _candidates(user: User, verification: VerificationRequest) -> list[dict[str, Any]]:
    """The linkage candidates kept in `checks`, with the names of those the viewer may open (one
    query); the others are shown as out of reach."""
    rows = list((verification.checks or {}).get("linkage_candidates") or [])
    ids = [str(row.get("person")) for row in rows if row.get("person")]
    reachable = {}
    if ids:
        reachable = {
            str(p.pk): p for p in people_selectors.person_list_for(user=user).filter(pk__in=ids).order_by()
        }
    shown = []
    for row in rows:
        person = reachable.get(str(row.get("person")))
        shown.append(
            {
                "person_id": row.get("person"),
                "name": display_name_for(user=user, person=person) if person is not None else "",
                "probability": row.get("probability"),
                "status": _label(PairStatus, row.get("status")),
            }
        )
    return shown


def _label(choices: Any, value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


def _documents(verification: VerificationRequest) -> list[dict[str, str]]:
    rows = (verification.checks or {}).get("documents") or []
    return [
        {
            "kind": _label(DocumentKind, row.get("kind")),
            "number": str(row.get("number") or ""),
            "issuing_country": str(row.get("issuing_country") or ""),
        }
        for row in rows
    ]


STEP_FORMS: dict[str, type[django_forms.Form]] = {
    "check": forms.VerificationCheckForm,
    "decide": forms.VerificationDecideForm,
    "answer": forms.VerificationAnswerForm,
}
STEP_AT = {
    "check": (VerificationStatus.RECEIVED, VerificationStatus.CHECKED),
    "decide": (VerificationStatus.CHECKED,),
    "answer": (VerificationStatus.CONFIRMED, VerificationStatus.NOT_CONFIRMED),
}


def _verification_page(
    request: HttpRequest,
    verification: VerificationRequest,
    *,
    bound: tuple[str, django_forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    can_verify = (
        user.has_perm(selectors.VERIFY) and verification.return_record.status != ReturnStatus.CANCELLED
    )
    step_forms: dict[str, django_forms.Form] = {}
    if can_verify:
        for step, form_class in STEP_FORMS.items():
            if bound is not None and bound[0] == step:
                step_forms[step] = bound[1]
            elif verification.status in STEP_AT[step]:
                step_forms[step] = form_class(initial={"version": verification.version})
    context = {
        "verification": verification,
        "record": verification.return_record,
        "name": display_name_for(user=user, person=verification.return_record.person),
        "checks": verification.checks or {},
        "documents": _documents(verification),
        "candidates": _candidates(user, verification),
        "overdue": _overdue(verification, timezone.now()),
        "step_forms": step_forms,
    }
    return render(request, "returns/reception/verification_detail.html", context, status=status)


@require_any(selectors.VIEW, object_type=VERIFICATION)
def verification_detail(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    verification = selectors.verification_get_for(user=user, request_id=request_id)
    audit.record(
        action=AuditAction.VIEW, actor=user, agency=verification.return_record.agency, obj=verification
    )
    return _verification_page(request, verification)


def _step_view(
    step: str, write: Callable[[User, VerificationRequest, dict[str, Any]], object], done: "StrOrPromise"
) -> Any:
    @require_any(selectors.VERIFY, object_type=VERIFICATION)
    def view(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        user = _user(request)
        verification = selectors.verification_get_to_change(user=user, request_id=request_id)
        form = STEP_FORMS[step](request.POST)
        if form.is_valid():
            try:
                write(user, verification, form.cleaned_data)
            except ApplicationError as error:
                if not refused_on_form(form, error):
                    raise
            else:
                messages.success(request, str(done))
                return HttpResponseRedirect(reverse("returns:verification_detail", args=[verification.pk]))
        # The service may have changed the instance before it was refused: show the stored one.
        fresh = selectors.verification_get_for(user=user, request_id=request_id)
        return _verification_page(request, fresh, bound=(step, form), status=400)

    view.__name__ = f"verification_{step}"
    return view


verification_check = _step_view(
    "check",
    lambda user, v, data: services.verification_check(actor=user, request=v, version=data["version"]),
    gettext_lazy("The identity is checked against the registry."),
)
verification_decide = _step_view(
    "decide",
    lambda user, v, data: services.verification_decide(
        actor=user, request=v, version=data["version"], confirmed=data["confirmed"], basis=data["basis"]
    ),
    gettext_lazy("The decision is recorded."),
)
verification_answer = _step_view(
    "answer",
    lambda user, v, data: services.verification_answer(
        actor=user, request=v, version=data["version"], answer_reference=data["answer_reference"]
    ),
    gettext_lazy("The answer is recorded as sent."),
)


# --- Receptions ----------------------------------------------------------------------------------


@require_any(selectors.VIEW, object_type=RECEPTION)
def reception_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = forms.ReceptionFilterForm(request.GET or None)
    page: Page[ReceptionEvent] | None = None
    if not request.GET or form.is_valid():
        data = form.cleaned_data if request.GET else {}
        rows = selectors.reception_search_for(user=user, status=data.get("status") or "")
        page = CappedPaginator(rows, PAGE_SIZE, count_in_order=False).get_page(request.GET.get("page"))
        audit.record(action=AuditAction.LIST, actor=user, object_type=RECEPTION)
    context = {"form": form, "page": page, "filtered": bool(request.GET)}
    return render_page_or_partial(
        request, "returns/reception/reception_list.html", context, partial="results"
    )


@require_any(selectors.RECEIVE, object_type=RECEPTION)
def reception_open(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _agency_member(user)
    officers = selectors.receivers_of(user).exclude(pk=user.pk)
    form = forms.ReceptionOpenForm(
        request.POST or None, officers=officers, initial={"received_at": timezone.now()}
    )
    return form_step(
        request,
        form=form,
        write=lambda data: services.reception_open(
            actor=user,
            border_gate=data["border_gate"],
            country=data["country"],
            channel=data["channel"],
            received_at=data["received_at"],
            foreign_authority=data.get("foreign_authority") or "",
            officers=tuple(data.get("officers") or ()),
        ),
        done=_("The reception is opened: add the returnees in the sitting."),
        redirect_to=lambda event: reverse("returns:reception_detail", args=[event.pk]),
        template="returns/reception/reception_open.html",
        context={"form": form},
    )


def sitting_url(event: ReceptionEvent) -> str:
    """The group sitting's page (`sitting.py`)."""
    return reverse("returns:reception_sitting", args=[event.pk])


def _reception_page(
    request: HttpRequest,
    event: ReceptionEvent,
    *,
    form: forms.ReceptionCompleteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    members: list[Any] = list(selectors.reception_members(event))
    for m in members:
        m.shown_name = display_name_for(user=user, person=m.return_record.person)
    pending = [m.position for m in members if m.disposition == Disposition.PENDING]
    is_open = event.status == ReceptionStatus.OPEN
    can_receive = user.has_perm(selectors.RECEIVE) and is_open
    if form is None and can_receive and members and not pending:
        form = forms.ReceptionCompleteForm(
            initial={"version": event.version, "receipt_signed_at": timezone.now()}
        )
    context = {
        "event": event,
        "officers": list(selectors.reception_officers(event)),
        "members": members,
        "pending": pending,
        "is_open": is_open,
        "can_receive": can_receive,
        "complete_form": form,
        "sitting_url": sitting_url(event),
    }
    return render(request, "returns/reception/reception_detail.html", context, status=status)


@require_any(selectors.VIEW, object_type=RECEPTION)
def reception_detail(request: HttpRequest, event_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    event = selectors.reception_detail_get_for(user=user, event_id=event_id)
    audit.record(action=AuditAction.VIEW, actor=user, agency=event.agency, obj=event)
    return _reception_page(request, event)


@require_any(selectors.RECEIVE, object_type=RECEPTION)
def reception_complete(request: HttpRequest, event_id: uuid.UUID) -> HttpResponse:
    """Close the reception with its handover receipt; refused while a member is not handed on."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    user = _user(request)
    event = selectors.reception_get_to_change(user=user, event_id=event_id)
    form = forms.ReceptionCompleteForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.reception_complete(
                actor=user,
                event=event,
                version=data["version"],
                receipt_number=data.get("receipt_number") or "",
                receipt_signed_at=data.get("receipt_signed_at"),
            )
        except ApplicationError as error:
            if not refused_on_form(form, error):
                raise
        else:
            messages.success(request, _("The reception is completed."))
            return HttpResponseRedirect(reverse("returns:reception_detail", args=[event.pk]))
    fresh = selectors.reception_detail_get_for(user=user, event_id=event_id)
    return _reception_page(request, fresh, form=form, status=400)
