"""Pages of proceedings: the list, opening one, its detail (full, or steps and hearings only for a
linked protection case's workers), a form per service, and the justice officer's worklist.

Views are thin: the page's permission (audited 403), the record through a selector (404 when out
of reach), a form, one service, a redirect. A full page showing one proceeding writes a `view`
audit event; a list writes a `list` event.
"""

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shield import audit
from shield.accounts import policy
from shield.accounts.models import Agency, Membership, User
from shield.accounts.roles import ROLE_PERMISSIONS
from shield.audit.models import AuditAction
from shield.audit.refusals import permission_denied, require_permission
from shield.cases import selectors as case_selectors
from shield.cases.models import Case
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
from shield.core.htmx import render_page_or_partial
from shield.core.pagination import CappedPaginator
from shield.justice.models import Party, Proceeding, ProceedingHolding
from shield.justice.proceedings import access, forms, offences, selectors, services, worklist
from shield.people import selectors as people_selectors

PROCEEDING_TYPE = Proceeding._meta.label_lower
PAGE_SIZE = 25
MATCHES_SHOWN = 5
FORM_ERRORS = (ValidationFailed, InvalidTransition, StaleVersion, VersionRequired)

View = Callable[..., HttpResponse]


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _show_refusal(form: Any, error: ApplicationError) -> None:
    add_application_error(form, error)
    if error.field_errors and error.message != str(type(error).default_message):
        form.add_error(None, error.message)


# --- The list ------------------------------------------------------------------------------------


@require_permission(access.VIEW, object_type=PROCEEDING_TYPE)
@require_GET
def proceeding_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = forms.ProceedingFilterForm(request.GET)
    context: dict[str, Any] = {"form": form, "page": None, "filtered": form.has_filters()}
    if form.is_valid():
        data = form.cleaned_data
        agency = data.get("holding_agency")
        filters = selectors.ProceedingFilters(
            status=data.get("status") or "",
            holding_agency_id=agency.pk if agency else None,
            offence=data.get("offence") or "",
            trafficking_only=bool(data.get("trafficking")),
            has_child_parties=bool(data.get("children")),
            q=data.get("q") or "",
        )
        items = selectors.proceeding_list_for(user=user, filters=filters)
        context["page"] = CappedPaginator(items, PAGE_SIZE, count_in_order=False).get_page(
            request.GET.get("page")
        )
        selectors.mark_child_parties(list(context["page"].object_list))
        context["offences"] = offences.offences()
        audit.record(
            action=AuditAction.LIST,
            actor=user,
            object_type=PROCEEDING_TYPE,
            search=filters.q,
            details={"filters": sorted(name for name in form.fields if request.GET.get(name))},
        )
    context["can_open"] = user.has_perm(access.EDIT)
    return render_page_or_partial(
        request, "justice/proceedings/proceeding_list.html", context, partial="results"
    )


# --- Opening -------------------------------------------------------------------------------------


def _agencies_for_opening(user: User) -> QuerySet[Agency]:
    reach = policy.scope_q(user, access.EDIT, agency_path="pk", province_path="province")
    return forms.justice_agencies().filter(reach) if reach != access.NOTHING else Agency.objects.none()


@require_permission(access.EDIT, object_type=PROCEEDING_TYPE)
@require_http_methods(["GET", "POST"])
def proceeding_open(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    agencies = _agencies_for_opening(user)
    posted = request.method == "POST"
    form = forms.ProceedingOpenForm(request.POST if posted else None, agencies=agencies)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            proceeding = services.proceeding_open(
                actor=user,
                kind=data["kind"],
                offence_codes=data["offences"],
                holding_agency=data["holding_agency"],
                holding_role=data["holding_role"],
                reported_at=data["reported_at"],
                summary=data["summary"],
            )
        except PermissionRefused:
            return permission_denied(request, object_type=PROCEEDING_TYPE)
        except FORM_ERRORS as exc:
            _show_refusal(form, exc)
        else:
            messages.success(
                request, _("The proceeding %(reference)s was opened.") % {"reference": proceeding.reference}
            )
            return HttpResponseRedirect(reverse("justice:proceeding_detail", args=[proceeding.pk]))
    return render(
        request,
        "justice/proceedings/proceeding_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


# --- Detail --------------------------------------------------------------------------------------


def _officers_for(proceeding: Proceeding) -> QuerySet[User]:
    roles = [role for role, granted in ROLE_PERMISSIONS.items() if access.EDIT in granted]
    agencies = ProceedingHolding.objects.filter(proceeding=proceeding).values("agency_id")
    members = Membership.objects.filter(role__in=roles, is_active=True, agency_id__in=agencies)
    return User.objects.filter(is_active=True, pk__in=members.values("user_id")).order_by(
        "last_name", "first_name"
    )


def _found_persons(request: HttpRequest, user: User) -> tuple[str, list[tuple[Any, str]]]:
    find = (request.GET.get("find") or "").strip()[:80]
    if len(find) < 2:
        return find, []
    viewer = cast(AccessSubject, user)
    persons = people_selectors.person_list_for(user=viewer, q=find)[:MATCHES_SHOWN]
    audit.record(
        action=AuditAction.LIST,
        actor=user,
        object_type="people.person",
        search=find,
        details={"filters": ["find"]},
    )
    return find, [(p, people_selectors.display_name_for(user=viewer, person=p)) for p in persons]


def _detail_page(
    request: HttpRequest, user: User, proceeding: Proceeding, *, status: int = 200, **given: Any
) -> HttpResponse:
    version = {"version": proceeding.version}
    can_edit = access.can_edit(user=user, proceeding=proceeding)
    parties = selectors.parties_of(user=user, proceeding=proceeding)
    find, found = _found_persons(request, user) if can_edit else ("", [])
    context: dict[str, Any] = {
        "proceeding": proceeding,
        "full": True,
        "can_edit": can_edit and proceeding.status != "closed",
        "offences": [(o, offences.get(o.code)) for o in selectors.offences_of(proceeding)],
        "holdings": list(selectors.holdings_of(proceeding)),
        "steps": list(selectors.steps_of(proceeding)),
        "parties": [
            (
                party,
                forms.OutcomeForm(initial={"version": party.version}, auto_id=f"id_outcome_{party.pk}_%s"),
                forms.CaseLinkForm(
                    initial={
                        "version": party.version,
                        "case_reference": getattr(party.protection_case, "reference", ""),
                    },
                    auto_id=f"id_link_{party.pk}_%s",
                ),
            )
            for party in parties
        ],
        "assignments": list(selectors.assignments_of(proceeding)),
        "sees_children": access.can_see_child_identity(user, proceeding),
        "find": find,
        "found": [
            (person, name, forms.PartyForm(initial={"person": person.pk}, auto_id=f"id_party_{person.pk}_%s"))
            for person, name in found
        ],
    }
    if context["can_edit"]:
        context.update(
            step_form=forms.StepForm(initial=version),
            hand_over_form=forms.HandOverForm(initial=version),
            assign_form=forms.AssignForm(officers=_officers_for(proceeding)),
        )
    failed = given.pop("failed_party", None)
    if failed is not None:
        context["parties"] = [
            (
                party,
                given.pop("outcome_form", outcome) if party.pk == failed else outcome,
                given.pop("link_form", link) if party.pk == failed else link,
            )
            for party, outcome, link in context["parties"]
        ]
    context.update(given)
    return render(request, "justice/proceedings/proceeding_detail.html", context, status=status)


@login_required
@require_GET
def proceeding_detail(request: HttpRequest, proceeding_id: uuid.UUID) -> HttpResponse:
    """The full page for those who see the proceeding; its steps and hearing dates only for the
    workers of a linked protection case; 404 for everyone else."""
    user = _user(request)
    try:
        proceeding, full = selectors.proceeding_restricted_get_for(user=user, proceeding_id=proceeding_id)
    except NotFound as exc:
        raise Http404 from exc
    if full:
        response = _detail_page(request, user, proceeding)
    else:
        response = render(
            request,
            "justice/proceedings/proceeding_restricted.html",
            {"proceeding": proceeding, "steps": list(selectors.steps_of(proceeding))},
        )
    audit.record(
        action=AuditAction.VIEW,
        actor=user,
        agency=proceeding.holding_agency,
        obj=proceeding,
        details={"view": "full" if full else "restricted"},
    )
    return response


def proceeding_action(view: View) -> View:
    """A form posted to a proceeding: `justice.edit` (403), the proceeding in reach (404), the view."""

    @require_permission(access.EDIT, object_type=PROCEEDING_TYPE)
    @require_POST
    @wraps(view)
    def wrapped(request: HttpRequest, proceeding_id: uuid.UUID, **kwargs: Any) -> HttpResponse:
        user = _user(request)
        try:
            proceeding = selectors.proceeding_get_for(user=user, proceeding_id=proceeding_id)
            return view(request, user, proceeding, **kwargs)
        except NotFound as exc:
            raise Http404 from exc
        except PermissionRefused:
            return permission_denied(request, object_type=PROCEEDING_TYPE, object_id=str(proceeding_id))

    return wrapped


def _act(
    request: HttpRequest,
    user: User,
    proceeding: Proceeding,
    form: Any,
    name: str,
    act: Callable[[dict[str, Any]], Any],
    message: str,
    **extra: Any,
) -> HttpResponse:
    """Validate, call the service, back to the proceeding; or the page again with the form's errors."""
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except FORM_ERRORS as exc:
            _show_refusal(form, exc)
        else:
            messages.success(request, message)
            return HttpResponseRedirect(reverse("justice:proceeding_detail", args=[proceeding.pk]))
    proceeding.refresh_from_db()
    return _detail_page(request, user, proceeding, status=400, **{name: form, **extra})


@proceeding_action
def step_add(request: HttpRequest, user: User, proceeding: Proceeding) -> HttpResponse:
    form = forms.StepForm(request.POST)
    return _act(
        request,
        user,
        proceeding,
        form,
        "step_form",
        lambda d: services.step_record(
            actor=user,
            proceeding=proceeding,
            expected_version=d["version"],
            kind=d["kind"],
            occurred_on=d.get("occurred_on"),
            scheduled_for=d.get("scheduled_for"),
            note=d.get("note") or "",
        ),
        _("The step was recorded."),
    )


@proceeding_action
def hand_over(request: HttpRequest, user: User, proceeding: Proceeding) -> HttpResponse:
    form = forms.HandOverForm(request.POST)
    return _act(
        request,
        user,
        proceeding,
        form,
        "hand_over_form",
        lambda d: services.proceeding_hand_over(
            actor=user,
            proceeding=proceeding,
            expected_version=d["version"],
            to_agency=d["to_agency"],
            to_role=d["to_role"],
        ),
        _("The proceeding was handed over."),
    )


@proceeding_action
def assign(request: HttpRequest, user: User, proceeding: Proceeding) -> HttpResponse:
    form = forms.AssignForm(request.POST, officers=_officers_for(proceeding))
    return _act(
        request,
        user,
        proceeding,
        form,
        "assign_form",
        lambda d: services.officer_assign(actor=user, proceeding=proceeding, officer=d["officer"]),
        _("The officer was assigned."),
    )


@proceeding_action
def unassign(
    request: HttpRequest, user: User, proceeding: Proceeding, assignment_id: uuid.UUID
) -> HttpResponse:
    assignment = selectors.assignment_get_for(user=user, assignment_id=assignment_id)
    if assignment.proceeding_id != proceeding.pk:
        raise Http404
    form = forms.UnassignForm(request.POST)
    return _act(
        request,
        user,
        proceeding,
        form,
        "unassign_form",
        lambda d: services.officer_unassign(actor=user, assignment=assignment),
        _("The assignment was ended."),
    )


def _case_by_reference(user: User, reference: str) -> Case | None:
    reference = reference.strip()
    if not reference:
        return None
    case = (
        case_selectors.case_list_for(user=user, filters=case_selectors.CaseFilters(search=reference))
        .filter(reference__iexact=reference)
        .first()
    )
    if case is None:
        raise ValidationFailed(
            field_errors={"case_reference": [_("No case with this reference in your reach.")]}
        )
    return case


@proceeding_action
def party_add(request: HttpRequest, user: User, proceeding: Proceeding) -> HttpResponse:
    form = forms.PartyForm(request.POST)

    def act(d: dict[str, Any]) -> Party:
        try:
            person = people_selectors.person_get_for(user=cast(AccessSubject, user), person_id=d["person"])
        except NotFound:
            raise ValidationFailed(field_errors={"person": [_("Person not found.")]}) from None
        return services.party_add(
            actor=user,
            proceeding=proceeding,
            person=person,
            role=d["role"],
            event_on=d["event_on"],
            family_matter=d.get("family_matter") or "",
            protection_case=_case_by_reference(user, d.get("case_reference") or ""),
        )

    return _act(request, user, proceeding, form, "party_form", act, _("The party was added."))


def _party_of(user: User, proceeding: Proceeding, party_id: uuid.UUID) -> Party:
    party = selectors.party_get_for(user=user, party_id=party_id)
    if party.proceeding_id != proceeding.pk:
        raise NotFound()
    return party


@proceeding_action
def party_outcome(
    request: HttpRequest, user: User, proceeding: Proceeding, party_id: uuid.UUID
) -> HttpResponse:
    party = _party_of(user, proceeding, party_id)
    form = forms.OutcomeForm(request.POST, auto_id=f"id_outcome_{party.pk}_%s")
    return _act(
        request,
        user,
        proceeding,
        form,
        "outcome_form",
        lambda d: services.party_outcome_set(
            actor=user,
            party=party,
            expected_version=d["version"],
            outcome=d["outcome"],
            outcome_on=d["outcome_on"],
            sentence_custodial=d.get("sentence_custodial"),
            sentence_months=d.get("sentence_months"),
        ),
        _("The outcome was recorded."),
        failed_party=party.pk,
    )


@proceeding_action
def party_link(request: HttpRequest, user: User, proceeding: Proceeding, party_id: uuid.UUID) -> HttpResponse:
    party = _party_of(user, proceeding, party_id)
    form = forms.CaseLinkForm(request.POST, auto_id=f"id_link_{party.pk}_%s")
    return _act(
        request,
        user,
        proceeding,
        form,
        "link_form",
        lambda d: services.party_link_case(
            actor=user,
            party=party,
            expected_version=d["version"],
            case=_case_by_reference(user, d.get("case_reference") or ""),
        ),
        _("The protection case link was saved."),
        failed_party=party.pk,
    )


# --- Worklist ------------------------------------------------------------------------------------


@require_permission(access.VIEW, object_type=PROCEEDING_TYPE)
@require_GET
def worklist_page(request: HttpRequest) -> HttpResponse:
    """The justice officer's worklist: every registered section (hearings this week here; deadlines,
    interviews and diversion reports from the children part), or one (`?section=key`)."""
    user = _user(request)
    chosen = request.GET.get("section", "")
    filled = worklist.sections_for(user)
    if chosen and any(f.section.key == chosen for f in filled):
        filled = [f for f in filled if f.section.key == chosen]
    audit.record(
        action=AuditAction.LIST, actor=user, object_type=PROCEEDING_TYPE, details={"filters": ["worklist"]}
    )
    return render(request, "justice/proceedings/worklist.html", {"sections": filled, "chosen": chosen})
