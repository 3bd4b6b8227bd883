"""The case page: its tabs, the inline edits of risk and worker, stage moves and the PDF summary."""

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from shield import audit
from shield.accounts.models import User
from shield.audit.models import AuditAction
from shield.audit.refusals import require_permission
from shield.cases import forms, pdf, presenters, selectors, services
from shield.cases.models import Case, Stage
from shield.cases.views.common import (
    CASE_TYPE,
    EDIT,
    FORM_ERRORS,
    VIEW,
    case_action,
    case_page,
    form_page,
    get_case,
    header_context,
    refuse,
    saved,
    show_refusal,
    tab_url,
    user_of,
)
from shield.cases.views.tabs import CONFIRM_STAGES
from shield.core.errors import NotFound, PermissionRefused, StaleVersion
from shield.core.htmx import is_htmx
from shield.geo import selectors as geo


@require_permission(VIEW, object_type=CASE_TYPE)
@require_GET
def case_detail(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    case = get_case(user, case_id)
    tab = request.GET.get("tab", "overview")
    extra: dict[str, Any] = {}
    if tab == "history":
        extra.update(history_page=request.GET.get("page"), include_reads=request.GET.get("reads") == "1")
    elif tab == "notes" and request.GET.get("corrects"):
        try:
            note = presenters.note_get_for(user=user, case=case, note_id=request.GET["corrects"])
        except (NotFound, ValueError):
            note = None
        if note is not None and user.has_perm(EDIT):
            extra.update(correcting=note, note_form=forms.NoteForm(initial={"corrects": note.pk}))
    return case_page(request, user, case, tab, audited=True, **extra)


# --- Inline edits: risk level and assigned worker ------------------------------------------------


def _stale_again(form_class: type[forms.CaseVersionedForm], data: Any, case: Case, **kwargs: Any) -> Any:
    """The user's input as they typed it, now based on the current version, with the refusal on top:
    they see what changed, keep what they typed, and may save it again knowingly."""
    current = data.copy()
    current["version"] = str(case.version)
    form = form_class(current, **kwargs)
    form.is_valid()
    form.add_error(None, str(StaleVersion.default_message))
    return form


def _inline(
    request: HttpRequest,
    user: User,
    case: Case,
    *,
    field: str,
    form_class: type[forms.CaseVersionedForm],
    form_kwargs: dict[str, Any],
    initial: dict[str, Any],
    save: Any,
    message: str,
) -> HttpResponse:
    """One small field of the case edited in place: GET gives its form (the whole page without
    JavaScript), POST saves it through the service with the version the form was opened at."""
    template = f"cases/_inline_{field}.html"
    stale = False
    if not selectors.can_edit(user=user, case=case):
        return refuse(request, case)
    if request.method == "GET":
        if "cancel" in request.GET:
            if is_htmx(request):
                return render(request, template, header_context(user, case))
            return HttpResponseRedirect(tab_url(case))
        form = form_class(initial={"version": case.version, **initial}, **form_kwargs)
    else:
        form = form_class(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                save(form.cleaned_data)
            except NotFound as exc:
                raise Http404 from exc
            except PermissionRefused:
                return refuse(request, case)
            except StaleVersion:
                current = selectors.case_get_for(user=user, case_id=case.pk)
                form = _stale_again(form_class, request.POST, current, **form_kwargs)
                case, stale = current, True
            except FORM_ERRORS as exc:
                show_refusal(form, exc)
            else:
                return saved(request, user, case, "overview", message)
    editing: dict[str, Any] = {f"{field}_form": form, f"editing_{field}": True, "stale": stale}
    if is_htmx(request):
        return render(request, template, {**header_context(user, case), **editing})
    return case_page(request, user, case, "overview", audited=True, **editing)


@require_permission(EDIT, object_type=CASE_TYPE)
@require_http_methods(["GET", "POST"])
def case_risk(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    case = get_case(user, case_id)

    def save(data: dict[str, Any]) -> None:
        services.case_risk_set(
            actor=user, case=case, risk_level=data["risk_level"], expected_version=data["version"]
        )

    return _inline(
        request,
        user,
        case,
        field="risk",
        form_class=forms.RiskForm,
        form_kwargs={},
        initial={"risk_level": case.risk_level},
        save=save,
        message=_("The risk level was changed."),
    )


@require_permission(EDIT, object_type=CASE_TYPE)
@require_http_methods(["GET", "POST"])
def case_worker(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    case = get_case(user, case_id)

    def save(data: dict[str, Any]) -> None:
        services.case_assign(
            actor=user, case=case, worker=data.get("assigned_worker"), expected_version=data["version"]
        )

    return _inline(
        request,
        user,
        case,
        field="worker",
        form_class=forms.WorkerForm,
        form_kwargs={"workers": presenters.case_workers_of([case.owner_agency])},
        initial={"assigned_worker": case.assigned_worker_id},
        save=save,
        message=_("The case was assigned."),
    )


# --- Stage ---------------------------------------------------------------------------------------


@case_action(EDIT)
def case_transition(request: HttpRequest, user: User, case: Case) -> HttpResponse:
    form = forms.TransitionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        target = Stage(data["to_stage"])
        if target in CONFIRM_STAGES and not data.get("confirmed"):
            return form_page(request, user, case, "overview", confirm_move=target, transition_form=form)
        try:
            services.case_transition(
                actor=user,
                case=case,
                to_stage=target,
                expected_version=data["version"],
                reason=data.get("reason") or "",
            )
        except FORM_ERRORS as exc:
            show_refusal(form, exc)
        else:
            message = _("The case moved to “%(stage)s”.") % {"stage": target.label}
            return saved(request, user, case, "overview", message)
    return form_page(request, user, case, "overview", transition_form=form)


@case_action(EDIT)
def case_reopen(request: HttpRequest, user: User, case: Case) -> HttpResponse:
    form = forms.ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.case_reopen(
                actor=user,
                case=case,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except FORM_ERRORS as exc:
            show_refusal(form, exc)
        else:
            return saved(request, user, case, "overview", _("The case was reopened."))
    return form_page(request, user, case, "closure", reopen_form=form)


# --- PDF summary and the communes of a province ---------------------------------------------------


@require_permission(VIEW, object_type=CASE_TYPE)
@require_GET
def case_pdf(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    case = get_case(user, case_id)
    try:
        content = pdf.case_summary_pdf(user=user, case=case)
    except pdf.PdfTooSlow as exc:
        messages.error(request, exc.message)
        # Back to the case with the reason, rather than a download that never comes.
        return redirect(reverse("cases:case_detail", args=[case.pk]))
    audit.record(action=AuditAction.EXPORT, actor=user, obj=case, reason="PDF summary")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{case.reference}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@require_permission(EDIT, object_type=CASE_TYPE)
@require_GET
def commune_options(request: HttpRequest) -> HttpResponse:
    """htmx: the communes of the chosen province, as the options of a place's commune select."""
    code = request.GET.get("province", "")
    province = geo.province_list().filter(code=code).first() if code else None
    communes = list(geo.commune_list(province=province)) if province is not None else []
    return render(request, "cases/_commune_options.html", {"communes": communes})
