"""Intake pages: screenings at the gate (with autosave), instruments, tips and their triage.

Views are thin: check the page's permission (403, audited), find the record through a selector
(404 when out of reach), validate a form, call one service, render. A full page showing one
record writes a `view` audit event; an htmx answer to a form does not (the service audited it).
"""

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shield import audit
from shield.accounts.models import User
from shield.audit.models import AuditAction
from shield.audit.refusals import permission_denied, require_permission
from shield.cases import selectors as case_selectors
from shield.core import saved_searches
from shield.core.access import AccessSubject
from shield.core.errors import (
    ApplicationError,
    InvalidTransition,
    NotFound,
    PermissionRefused,
    StaleVersion,
    ValidationFailed,
    VersionRequired,
)
from shield.core.forms import add_application_error
from shield.core.htmx import is_htmx, render_page_or_partial
from shield.geo import selectors as geo
from shield.intake import forms, selectors, services
from shield.intake.instruments import localized
from shield.intake.models import Screening, ScreeningInstrument, Tip
from shield.intake.risk import (
    CHILD_RULE,
    REFERRAL_OUTCOMES,
    SUGGESTED_OUTCOME,
    Outcome,
    RiskLevel,
    RiskResult,
)
from shield.people import selectors as people_selectors
from shield.people.models import Person, Sex

SCREENING_TYPE = Screening._meta.label_lower
TIP_TYPE = Tip._meta.label_lower
INSTRUMENT_TYPE = ScreeningInstrument._meta.label_lower
PAGE_SIZE = 25
SCREENING_FILTERS = tuple(forms.ScreeningFilterForm.base_fields)
MATCHES_SHOWN = 5
FORM_ERRORS = (ValidationFailed, InvalidTransition, StaleVersion, VersionRequired)

View = Callable[..., HttpResponse]


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _viewer(user: User) -> AccessSubject:
    return cast(AccessSubject, user)


def require_any(*permissions: str, object_type: str = "") -> Callable[[View], View]:
    """Sign-in first; then a user holding none of `permissions` gets the audited 403 page."""

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not any(request.user.has_perm(p) for p in permissions):
                object_id = next((str(v) for v in kwargs.values()), "")
                return permission_denied(request, object_type=object_type, object_id=object_id)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def _show_refusal(form: Any, error: ApplicationError) -> None:
    add_application_error(form, error)
    if error.field_errors and error.message != str(type(error).default_message):
        form.add_error(None, error.message)


# --- Screenings ----------------------------------------------------------------------------------


def _screening(user: User, screening_id: uuid.UUID) -> Screening:
    try:
        return selectors.screening_get_for(user=user, screening_id=screening_id)
    except NotFound as exc:
        raise Http404 from exc


def explain(screening: Screening, result: RiskResult | None = None) -> dict[str, Any]:
    """The risk and the answers that drove it, in words, from the screening's own instrument version.
    A completed screening shows what was fixed on completion; a draft what the answers give now."""
    definition = screening.instrument.parsed
    if result is None and not screening.is_draft:
        level, score = screening.risk_level, screening.risk_score
        raw_reasons = screening.risk_reasons or []
    else:
        result = result or services.screening_risk(screening)
        level, score = result.level, result.score
        raw_reasons = [r.as_json() for r in result.reasons]
    reasons = []
    for raw in raw_reasons:
        if raw["code"] == CHILD_RULE:
            reasons.append(
                {
                    "text": _(
                        "Under 18 and moved for exploitation: trafficking whatever the means "
                        "(Law 53/2024, Art. 2)."
                    ),
                    "strong": True,
                    "weight": None,
                }
            )
            continue
        indicator = definition.indicator(raw["code"])
        text = indicator.text if indicator else raw["code"]
        option = indicator.option(raw.get("option", "")) if indicator and raw.get("option") else None
        if option is not None:
            text = f"{text} {option.text}"
        reasons.append({"text": text, "strong": raw.get("strong", False), "weight": raw.get("weight")})
    return {
        "level": level,
        "level_label": RiskLevel(level).label if level else "",
        "score": score,
        "reasons": reasons,
        "suggested": Outcome(SUGGESTED_OUTCOME[level]).label if level else "",
        "badge": RISK_BADGES.get(level, "text-bg-secondary"),
    }


RISK_BADGES = {
    "none": "text-bg-success",
    "low": "text-bg-success",
    "medium": "text-bg-warning",
    "high": "text-bg-danger",
    "critical": "text-bg-danger",
}
OUTCOME_BADGES = {
    Outcome.NO_CONCERN: "text-bg-success",
    Outcome.ADVICE: "text-bg-info",
    Outcome.REFERRED: "text-bg-danger",
    Outcome.CHILD_PROTECTION: "text-bg-danger",
}


def _matches(user: User, screening: Screening) -> list[tuple[Person, str]]:
    """People in the registry the traveller may be: by document number first, else by name."""
    query = screening.document_number or screening.traveller_name
    if len(query.strip()) < 3:
        return []
    persons = people_selectors.person_list_for(user=_viewer(user), q=query)[:MATCHES_SHOWN]
    return [(p, people_selectors.display_name_for(user=_viewer(user), person=p)) for p in persons]


def _draft_page(
    request: HttpRequest,
    user: User,
    screening: Screening,
    *,
    form: forms.ScreeningForm | None = None,
    completion: forms.CompletionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    definition = screening.instrument.parsed
    form = form or forms.ScreeningForm(
        initial=forms.ScreeningForm.initial_for(screening), definition=definition
    )
    matches = _matches(user, screening)
    completion = completion or forms.CompletionForm(
        agencies=selectors.receiving_agencies(), matches=matches, initial={"existing_person": ""}
    )
    context = {
        "screening": screening,
        "definition": definition,
        "description": localized(definition.description),
        "form": form,
        "completion": completion,
        "risk": explain(screening),
        "risk_badges": RISK_BADGES,
        "group": selectors.group_members(user=user, screening=screening),
        "referral_outcomes": sorted(REFERRAL_OUTCOMES),
    }
    return render_page_or_partial(
        request, "intake/screening_form.html", context, partial="main", status=status
    )


@require_permission(selectors.SCREEN, object_type=SCREENING_TYPE)
@require_GET
def screening_list(request: HttpRequest) -> HttpResponse:
    # A traveller's name typed into the filter is moved out of the URL once (`saved_searches`).
    fields = SCREENING_FILTERS
    if moved := saved_searches.redirect_to_key(
        request, scope="screenings", fields=fields, text_fields=("q",)
    ):
        return moved
    search, _expired = saved_searches.search_data(request, scope="screenings")
    user = _user(request)
    gates = geo.border_gate_list()
    form = forms.ScreeningFilterForm(search, gates=gates)
    context: dict[str, Any] = {
        "form": form,
        "page": None,
        "filtered": form.has_filters(),
        "drafts": list(selectors.drafts_of(user=user)[:10]),
        "outcome_badges": OUTCOME_BADGES,
        "risk_badges": RISK_BADGES,
        "can_start": selectors.screening_agency_of(user) is not None,
    }
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.ScreeningFilters(
            border_gate=data.get("border_gate"),
            outcome=data.get("outcome") or "",
            status=data.get("status") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            q=data.get("q") or "",
        )
        screenings = selectors.screening_list_for(user=user, filters=filters)
        context["page"] = Paginator(screenings, PAGE_SIZE).get_page(request.GET.get("page"))
        audit.record(
            action=AuditAction.LIST,
            actor=user,
            object_type=SCREENING_TYPE,
            search=filters.q,
            details={"filters": sorted(name for name in fields if search.get(name))},
        )
    return render_page_or_partial(request, "intake/screening_list.html", context, partial="results")


@require_permission(selectors.SCREEN, object_type=SCREENING_TYPE)
@require_POST
def screening_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    try:
        screening = services.screening_start(actor=user)
    except PermissionRefused:
        return permission_denied(request, object_type=SCREENING_TYPE)
    except (ValidationFailed, InvalidTransition) as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("intake:screening_list"))
    return HttpResponseRedirect(reverse("intake:screening_detail", args=[screening.pk]))


@require_any(selectors.SCREEN, selectors.CASES_VIEW, object_type=SCREENING_TYPE)
@require_GET
def screening_detail(request: HttpRequest, screening_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    screening = _screening(user, screening_id)
    if screening.is_draft and screening.officer_id == user.pk:
        response = _draft_page(request, user, screening)
    else:
        context = {
            "screening": screening,
            "risk": explain(screening),
            "risk_badges": RISK_BADGES,
            "outcome_badges": OUTCOME_BADGES,
            "group": selectors.group_members(user=user, screening=screening),
            "answers": _answers_shown(screening),
            # Stored as a plain code (a draft may hold any value); shown in words when it is one of ours.
            "traveller_sex": dict(Sex.choices).get(screening.traveller_sex, screening.traveller_sex),
            "can_screen": user.has_perm(selectors.SCREEN),
            "can_see_case": screening.case is not None
            and case_selectors.can_view(user=user, case=screening.case),
        }
        response = render(request, "intake/screening_detail.html", context)
    audit.record(action=AuditAction.VIEW, actor=user, agency=screening.agency, obj=screening)
    return response


def _answers_shown(screening: Screening) -> list[tuple[Any, list[tuple[str, str]]]]:
    """Each section with its answered indicators, as words, from the screening's own version."""
    answers = screening.answers or {}
    shown = []
    for section in screening.instrument.parsed.sections:
        rows = []
        for indicator in section.indicators:
            value = answers.get(indicator.code)
            if value is True:
                rows.append((indicator.text, _("Observed")))
            elif isinstance(value, str):
                option = indicator.option(value)
                rows.append((indicator.text, option.text if option else value))
        shown.append((section, rows))
    return shown


def _own_draft_or_404(request: HttpRequest, screening_id: uuid.UUID) -> tuple[User, Screening]:
    user = _user(request)
    return user, _screening(user, screening_id)


@require_permission(selectors.SCREEN, object_type=SCREENING_TYPE)
@require_POST
def screening_autosave(request: HttpRequest, screening_id: uuid.UUID) -> HttpResponse:
    """Save the draft as typed. htmx: the save status, the new version and the live risk come back
    as out-of-band swaps. Without JavaScript ("Save draft"): back to the draft."""
    user, screening = _own_draft_or_404(request, screening_id)
    form = forms.ScreeningForm(request.POST, definition=screening.instrument.parsed)
    form.is_valid()
    error = ""
    try:
        version = form.cleaned_data.get("version")
        screening = services.screening_save_draft(
            actor=user, screening=screening, expected_version=version, data=form.draft_data()
        )
    except NotFound as exc:
        raise Http404 from exc
    except PermissionRefused:
        return permission_denied(request, object_type=SCREENING_TYPE, object_id=str(screening.pk))
    except FORM_ERRORS as exc:
        error = exc.message
        _show_refusal(form, exc)
    if not is_htmx(request):
        if error or form.errors:
            return _draft_page(request, user, screening, form=form, status=400)
        messages.success(request, _("The draft was saved."))
        return HttpResponseRedirect(reverse("intake:screening_detail", args=[screening.pk]))
    context = {
        "screening": screening,
        "risk": explain(screening),
        "risk_badges": RISK_BADGES,
        "error": error,
        # The refusal is also on the form as a non-field error: list each message once.
        "field_errors": {
            name: [message for message in errors if message != error]
            for name, errors in form.errors.items()
            if name != "version"
        },
    }
    return render(request, "intake/_autosave.html", context)


@require_permission(selectors.SCREEN, object_type=SCREENING_TYPE)
@require_POST
def screening_complete(request: HttpRequest, screening_id: uuid.UUID) -> HttpResponse:
    user, screening = _own_draft_or_404(request, screening_id)
    form = forms.ScreeningForm(request.POST, definition=screening.instrument.parsed)
    completion = forms.CompletionForm(
        request.POST, agencies=selectors.receiving_agencies(), matches=_matches(user, screening)
    )
    if form.is_valid() and completion.is_valid():
        data = completion.cleaned_data
        person = None
        if data.get("existing_person"):
            try:
                person = people_selectors.person_get_for(
                    user=_viewer(user), person_id=data["existing_person"]
                )
            except NotFound:
                completion.add_error("existing_person", _("Choose a person from the list."))
        if not completion.errors:
            try:
                done = services.screening_complete(
                    actor=user,
                    screening=screening,
                    expected_version=form.cleaned_data["version"],
                    outcome=data["outcome"],
                    receiving_agency=data.get("receiving_agency"),
                    person=person,
                    data=form.draft_data(),
                )
            except NotFound as exc:
                raise Http404 from exc
            except PermissionRefused:
                return permission_denied(request, object_type=SCREENING_TYPE, object_id=str(screening.pk))
            except FORM_ERRORS as exc:
                _show_refusal(completion, exc)
                for name, errors in exc.field_errors.items():
                    if name in form.fields:
                        for message in errors:
                            form.add_error(name, message)
            else:
                if done.case is not None:
                    message = _(
                        "Screening completed: case %(reference)s opened at %(agency)s, which was notified."
                    ) % {
                        "reference": done.case.reference,
                        "agency": done.receiving_agency.name if done.receiving_agency else "",
                    }
                else:
                    message = _("Screening completed.")
                messages.success(request, message)
                url = reverse("intake:screening_detail", args=[done.pk])
                if is_htmx(request):
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = url
                    return response
                return HttpResponseRedirect(url)
    screening.refresh_from_db()
    return _draft_page(request, user, screening, form=form, completion=completion, status=400)


@require_permission(selectors.SCREEN, object_type=SCREENING_TYPE)
@require_POST
def screening_companion(request: HttpRequest, screening_id: uuid.UUID) -> HttpResponse:
    user, screening = _own_draft_or_404(request, screening_id)
    try:
        companion = services.screening_add_companion(actor=user, screening=screening)
    except NotFound as exc:
        raise Http404 from exc
    except PermissionRefused:
        return permission_denied(request, object_type=SCREENING_TYPE, object_id=str(screening.pk))
    except FORM_ERRORS as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("intake:screening_detail", args=[screening.pk]))
    messages.success(request, _("A screening for a companion was started in the same group."))
    return HttpResponseRedirect(reverse("intake:screening_detail", args=[companion.pk]))


@require_permission(selectors.SCREEN, object_type=SCREENING_TYPE)
@require_http_methods(["GET", "POST"])
def screening_discard(request: HttpRequest, screening_id: uuid.UUID) -> HttpResponse:
    """Ask first (GET), then discard the draft (POST). The draft is kept, marked discarded."""
    user, screening = _own_draft_or_404(request, screening_id)
    if screening.officer_id != user.pk or not screening.is_draft:
        return permission_denied(request, object_type=SCREENING_TYPE, object_id=str(screening.pk))
    if request.method == "POST":
        try:
            services.screening_discard(
                actor=user, screening=screening, expected_version=_int(request.POST.get("version"))
            )
        except PermissionRefused:
            return permission_denied(request, object_type=SCREENING_TYPE, object_id=str(screening.pk))
        except FORM_ERRORS as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(reverse("intake:screening_detail", args=[screening.pk]))
        messages.success(request, _("The draft was discarded."))
        return HttpResponseRedirect(reverse("intake:screening_list"))
    return render(request, "intake/screening_discard.html", {"screening": screening})


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


# --- Instruments ---------------------------------------------------------------------------------


@require_any(selectors.SCREEN, selectors.PUBLISH, object_type=INSTRUMENT_TYPE)
@require_GET
def instrument_list(request: HttpRequest) -> HttpResponse:
    context = {
        "instruments": list(selectors.instrument_list()),
        "can_publish": request.user.has_perm(selectors.PUBLISH),
    }
    return render(request, "intake/instrument_list.html", context)


@require_any(selectors.SCREEN, selectors.PUBLISH, object_type=INSTRUMENT_TYPE)
@require_GET
def instrument_detail(request: HttpRequest, instrument_id: uuid.UUID) -> HttpResponse:
    try:
        instrument = selectors.instrument_get(instrument_id=instrument_id)
    except NotFound as exc:
        raise Http404 from exc
    definition = instrument.parsed
    context = {
        "instrument": instrument,
        "definition": definition,
        "description": localized(definition.description),
    }
    return render(request, "intake/instrument_detail.html", context)


@require_permission(selectors.PUBLISH, object_type=INSTRUMENT_TYPE)
@require_http_methods(["GET", "POST"])
def instrument_publish(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    posted = request.method == "POST"
    form = (
        forms.InstrumentPublishForm(request.POST, request.FILES) if posted else forms.InstrumentPublishForm()
    )
    if posted and form.is_valid():
        try:
            instrument = services.instrument_publish(
                actor=user, definition=form.cleaned_data["file"], source=str(request.FILES["file"])
            )
        except PermissionRefused:
            return permission_denied(request, object_type=INSTRUMENT_TYPE)
        except FORM_ERRORS as exc:
            add_application_error(form, exc)
            for problem in exc.field_errors.get("definition", []):
                form.add_error("file", problem)
        else:
            messages.success(
                request,
                _(
                    "Version %(version)s of the instrument was published. "
                    "Screenings already taken keep their version."
                )
                % {"version": instrument.version},
            )
            return HttpResponseRedirect(reverse("intake:instrument_detail", args=[instrument.pk]))
    return render(
        request, "intake/instrument_publish.html", {"form": form}, status=400 if form.errors else 200
    )


# --- Tips ----------------------------------------------------------------------------------------


def _tip(user: User, tip_id: uuid.UUID) -> Tip:
    try:
        return selectors.tip_get_for(user=user, tip_id=tip_id)
    except NotFound as exc:
        raise Http404 from exc


@require_permission(selectors.TRIAGE, object_type=TIP_TYPE)
@require_GET
def tip_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = forms.TipFilterForm(request.GET)
    context: dict[str, Any] = {"form": form, "page": None, "filtered": form.has_filters()}
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.TipFilters(
            status=data.get("status") or "",
            urgency=data.get("urgency") or "",
            channel=data.get("channel") or "",
            overdue=bool(data.get("overdue")),
            q=data.get("q") or "",
        )
        tips = selectors.tip_list_for(user=user, filters=filters)
        context["page"] = Paginator(tips, PAGE_SIZE).get_page(request.GET.get("page"))
        audit.record(
            action=AuditAction.LIST,
            actor=user,
            object_type=TIP_TYPE,
            search=filters.q,
            details={"filters": sorted(name for name in form.fields if request.GET.get(name))},
        )
    return render_page_or_partial(request, "intake/tip_list.html", context, partial="results")


@require_permission(selectors.TRIAGE, object_type=TIP_TYPE)
@require_http_methods(["GET", "POST"])
def tip_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    posted = request.method == "POST"
    form = forms.TipForm(request.POST) if posted else forms.TipForm()
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            tip = services.tip_record(
                actor=user,
                channel=data["channel"],
                received_at=data["received_at"],
                urgency=data["urgency"],
                reporter_anonymous=data["reporter_anonymous"],
                reporter_name=data["reporter_name"],
                reporter_contact=data["reporter_contact"],
                description=data["description"],
                country=data["country"],
                province=data.get("province"),
                commune=data.get("commune"),
                people_mentioned=data["people_mentioned"],
            )
        except PermissionRefused:
            return permission_denied(request, object_type=TIP_TYPE)
        except FORM_ERRORS as exc:
            _show_refusal(form, exc)
        else:
            messages.success(request, _("The tip %(reference)s was recorded.") % {"reference": tip.reference})
            return HttpResponseRedirect(reverse("intake:tip_detail", args=[tip.pk]))
    return render(request, "intake/tip_form.html", {"form": form}, status=400 if form.errors else 200)


@require_permission(selectors.TRIAGE, object_type=TIP_TYPE)
@require_GET
def commune_options(request: HttpRequest) -> HttpResponse:
    """htmx: the communes of the chosen province, as options of the tip's commune select."""
    code = request.GET.get("province", "")
    province = geo.province_list().filter(code=code).first() if code else None
    communes = list(geo.commune_list(province=province)) if province is not None else []
    return render(request, "cases/_commune_options.html", {"communes": communes})


def _tip_page(
    request: HttpRequest, user: User, tip: Tip, *, status: int = 200, **forms_given: Any
) -> HttpResponse:
    agencies = selectors.receiving_agencies()
    version = {"version": tip.version}
    find = (request.GET.get("find") or request.POST.get("find") or "").strip()
    found: list[tuple[Person, str]] = []
    if len(find) >= 2:
        persons = people_selectors.person_list_for(user=_viewer(user), q=find)[:MATCHES_SHOWN]
        found = [(p, people_selectors.display_name_for(user=_viewer(user), person=p)) for p in persons]
        audit.record(
            action=AuditAction.LIST,
            actor=user,
            object_type=Person._meta.label_lower,
            search=find,
            details={"filters": ["find"]},
        )
    context = {
        "tip": tip,
        "overdue": Tip.objects.filter(selectors.overdue_q(), pk=tip.pk).exists(),
        "assign_form": forms.TipAssignForm(initial=version, agencies=agencies.exclude(pk=tip.agency_id)),
        "link_form": forms.TipLinkForm(initial=version),
        "open_form": forms.TipOpenCaseForm(initial=version, agencies=agencies),
        "close_form": forms.TipCloseForm(initial=version),
        "find": find,
        "found": found,
        "can_open_case": user.has_perm("cases.refer"),
        "person_name": (
            people_selectors.display_name_for(user=_viewer(user), person=tip.person) if tip.person else ""
        ),
    }
    context.update(forms_given)
    return render(request, "intake/tip_detail.html", context, status=status)


@require_permission(selectors.TRIAGE, object_type=TIP_TYPE)
@require_GET
def tip_detail(request: HttpRequest, tip_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    tip = _tip(user, tip_id)
    response = _tip_page(request, user, tip)
    audit.record(action=AuditAction.VIEW, actor=user, agency=tip.agency, obj=tip)
    return response


def tip_action(view: View) -> View:
    """A triage form posted to a tip: the permission (403), the tip in reach (404), then the view."""

    @require_permission(selectors.TRIAGE, object_type=TIP_TYPE)
    @require_POST
    @wraps(view)
    def wrapped(request: HttpRequest, tip_id: uuid.UUID) -> HttpResponse:
        user = _user(request)
        tip = _tip(user, tip_id)
        try:
            return view(request, user, tip)
        except NotFound as exc:
            raise Http404 from exc
        except PermissionRefused:
            return permission_denied(request, object_type=TIP_TYPE, object_id=str(tip.pk))

    return wrapped


def _triage(
    request: HttpRequest,
    user: User,
    tip: Tip,
    form: Any,
    name: str,
    act: Callable[[dict[str, Any]], Any],
    message: str,
) -> HttpResponse:
    """Validate, call the service, then back to the tip; or the tip again with the form's errors."""
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except FORM_ERRORS as exc:
            _show_refusal(form, exc)
        else:
            messages.success(request, message)
            return HttpResponseRedirect(reverse("intake:tip_detail", args=[tip.pk]))
    tip.refresh_from_db()
    return _tip_page(request, user, tip, status=400, **{name: form})


@tip_action
def tip_assign(request: HttpRequest, user: User, tip: Tip) -> HttpResponse:
    form = forms.TipAssignForm(request.POST, agencies=selectors.receiving_agencies())
    return _triage(
        request,
        user,
        tip,
        form,
        "assign_form",
        lambda d: services.tip_assign(actor=user, tip=tip, expected_version=d["version"], agency=d["agency"]),
        _("The tip was assigned."),
    )


def _person_or_none(user: User, person_id: Any) -> Person | None:
    return people_selectors.person_get_for(user=_viewer(user), person_id=person_id) if person_id else None


@tip_action
def tip_link(request: HttpRequest, user: User, tip: Tip) -> HttpResponse:
    form = forms.TipLinkForm(request.POST)

    def act(d: dict[str, Any]) -> Any:
        case = None
        reference = (d.get("case_reference") or "").strip()
        if reference:
            case = (
                case_selectors.case_list_for(user=user, filters=case_selectors.CaseFilters(search=reference))
                .filter(reference__iexact=reference)
                .first()
            )
            if case is None:
                raise ValidationFailed(
                    field_errors={"case_reference": [_("No case with this reference in your reach.")]}
                )
        return services.tip_link(
            actor=user,
            tip=tip,
            expected_version=d["version"],
            person=_person_or_none(user, d.get("person")),
            case=case,
        )

    return _triage(request, user, tip, form, "link_form", act, _("The tip was linked."))


@tip_action
def tip_open_case(request: HttpRequest, user: User, tip: Tip) -> HttpResponse:
    form = forms.TipOpenCaseForm(request.POST, agencies=selectors.receiving_agencies())
    return _triage(
        request,
        user,
        tip,
        form,
        "open_form",
        lambda d: services.tip_open_case(
            actor=user,
            tip=tip,
            expected_version=d["version"],
            receiving_agency=d["receiving_agency"],
            person=_person_or_none(user, d.get("person")),
            full_name=d.get("full_name") or "",
            sex=d["sex"],
        ),
        _("A case was opened and the receiving agency notified."),
    )


@tip_action
def tip_close(request: HttpRequest, user: User, tip: Tip) -> HttpResponse:
    """Closing asks first: the first post shows the confirmation, the confirmed one closes."""
    form = forms.TipCloseForm(request.POST)
    if form.is_valid() and not form.cleaned_data.get("confirmed"):
        return _tip_page(request, user, tip, close_form=form, confirm_close=True)
    return _triage(
        request,
        user,
        tip,
        form,
        "close_form",
        lambda d: services.tip_close(actor=user, tip=tip, expected_version=d["version"], reason=d["reason"]),
        _("The tip was closed."),
    )


# --- Notices -------------------------------------------------------------------------------------


@require_permission(selectors.CASES_VIEW, object_type="intake.referralnotice")
@require_POST
def notice_acknowledge(request: HttpRequest, notice_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    try:
        notice = selectors.notice_get_for(user=user, notice_id=notice_id)
        services.notice_acknowledge(actor=user, notice=notice)
    except NotFound as exc:
        raise Http404 from exc
    except InvalidTransition as exc:
        messages.info(request, exc.message)
    else:
        messages.success(request, _("The referral was acknowledged."))
    return HttpResponseRedirect(reverse("home"))
