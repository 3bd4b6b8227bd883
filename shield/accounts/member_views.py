"""Pages for running an agency without the Django admin: members, invitations, roles, deactivation,
two-factor reset and sign-in history; agencies for system administrators. Thin: a form, one
selector or service, a page."""

from collections.abc import Callable
from uuid import UUID

from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from shield.accounts import member_selectors, member_services, policy, selectors
from shield.accounts.member_forms import (
    AgencyForm,
    InviteAcceptForm,
    InviteForm,
    MemberFilterForm,
    ReasonForm,
    RoleForm,
)
from shield.accounts.models import Agency, GrantStatus, User
from shield.audit.refusals import require_permission
from shield.core.errors import ApplicationError, NotFound
from shield.core.forms import add_application_error
from shield.core.pagination import CappedPaginator

MEMBERS_PER_PAGE = 25
# More matches than this and the list asks for a filter instead of counting on.
MEMBERS_CAP = 1000
SIGN_INS_PER_PAGE = 50
SIGN_INS_CAP = 5000
AGENCIES_PER_PAGE = 50

manage_agency = require_permission("accounts.manage_agency", object_type="accounts.user")
manage_system = require_permission("accounts.manage_system", object_type="accounts.agency")


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _agency(request: HttpRequest, agency_id: UUID) -> Agency:
    try:
        return selectors.agency_get_managed_by(user=request.user, agency_id=agency_id)
    except NotFound as exc:
        raise Http404 from exc


def _member(request: HttpRequest, agency: Agency, member_id: UUID) -> User:
    try:
        return member_selectors.member_get_for(user=request.user, agency=agency, member_id=member_id)
    except NotFound as exc:
        raise Http404 from exc


def _member_url(agency: Agency, member: User) -> str:
    return reverse("accounts:member_detail", args=[agency.pk, member.pk])


def _posted(request: HttpRequest) -> QueryDict | None:
    """The POST data, an empty POST included (`request.POST or None` would leave the form unbound
    and skip its 'required' errors)."""
    return request.POST if request.method == "POST" else None


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


@manage_agency
@require_GET
def member_list(request: HttpRequest, agency_id: UUID) -> HttpResponse:
    agency = _agency(request, agency_id)
    form = MemberFilterForm(request.GET or None)
    filters = member_selectors.MemberFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = member_selectors.MemberFilters(search=data["q"], role=data["role"], status=data["status"])
    people = member_selectors.member_list_for(user=request.user, agency=agency, filters=filters)
    page = CappedPaginator(people, MEMBERS_PER_PAGE, MEMBERS_CAP, count_in_order=False).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/member_list.html",
        {"agency": agency, "form": form, "page": page, "filtered": any(vars(filters).values())},
    )


@manage_agency
@require_http_methods(["GET", "POST"])
def member_invite(request: HttpRequest, agency_id: UUID) -> HttpResponse:
    agency = _agency(request, agency_id)
    actor = _actor(request)
    system = policy.has_permission(actor, member_services.MANAGE_SYSTEM)
    form = InviteForm(_posted(request), system=system)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member, grant = member_services.user_invite(
                actor=actor,
                agency=agency,
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                role=data["role"],
                scope=data["scope"],
                site_url=_site_url(request),
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": member.email})
            if grant.status == GrantStatus.PENDING:
                messages.info(request, _("The role waits for a second administrator's approval."))
            return HttpResponseRedirect(_member_url(agency, member))
    return render(request, "accounts/member_invite.html", {"agency": agency, "form": form})


@manage_agency
@require_GET
def member_detail(request: HttpRequest, agency_id: UUID, member_id: UUID) -> HttpResponse:
    agency = _agency(request, agency_id)
    member = _member(request, agency, member_id)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return render(
        request,
        "accounts/member_detail.html",
        {
            "agency": agency,
            "member": member,
            "invited": not member.has_usable_password(),
            "has_two_factor": TOTPDevice.objects.filter(user=member, confirmed=True).exists(),
            "is_self": member.pk == request.user.pk,
        },
    )


@manage_agency
@require_http_methods(["GET", "POST"])
def member_role_give(request: HttpRequest, agency_id: UUID, member_id: UUID) -> HttpResponse:
    agency = _agency(request, agency_id)
    member = _member(request, agency, member_id)
    actor = _actor(request)
    form = RoleForm(_posted(request), system=policy.has_permission(actor, member_services.MANAGE_SYSTEM))
    if request.method == "POST" and form.is_valid():
        try:
            grant = member_services.membership_give(
                actor=actor,
                agency=agency,
                user=member,
                role=form.cleaned_data["role"],
                scope=form.cleaned_data["scope"],
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            if grant.status == GrantStatus.PENDING:
                messages.info(request, _("The role waits for a second administrator's approval."))
            else:
                messages.success(request, _("The role was given."))
            return HttpResponseRedirect(_member_url(agency, member))
    return render(
        request, "accounts/member_role_give.html", {"agency": agency, "member": member, "form": form}
    )


def _confirm(
    request: HttpRequest,
    *,
    agency: Agency,
    member: User,
    title: str,
    explanation: str,
    button: str,
    act: Callable[[str], object],
    done: str,
    reason: bool = True,
) -> HttpResponse:
    """A confirmation page (with a reason where the step needs one); POST does it."""
    form = ReasonForm(_posted(request)) if reason else None
    error = ""
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            act(form.cleaned_data["reason"] if form is not None else "")
        except ApplicationError as exc:
            if form is not None:
                add_application_error(form, exc)
            else:
                error = exc.message
        else:
            messages.success(request, done)
            return HttpResponseRedirect(_member_url(agency, member))
    return render(
        request,
        "accounts/member_confirm.html",
        {
            "agency": agency,
            "member": member,
            "title": title,
            "explanation": explanation,
            "button": button,
            "form": form,
            "error": error,
        },
    )


@manage_agency
@require_http_methods(["GET", "POST"])
def member_invite_resend(request: HttpRequest, agency_id: UUID, member_id: UUID) -> HttpResponse:
    agency = _agency(request, agency_id)
    member = _member(request, agency, member_id)
    actor = _actor(request)
    return _confirm(
        request,
        agency=agency,
        member=member,
        title=_("Send the invitation again?"),
        explanation=_("A new link is emailed to %(email)s; links sent before stop working.")
        % {"email": member.email},
        button=_("Send the invitation"),
        act=lambda _reason: member_services.user_invite_resend(
            actor=actor, agency=agency, user=member, site_url=_site_url(request)
        ),
        done=_("Invitation sent to %(email)s.") % {"email": member.email},
        reason=False,
    )


@manage_agency
@require_http_methods(["GET", "POST"])
def membership_end(
    request: HttpRequest, agency_id: UUID, member_id: UUID, membership_id: UUID
) -> HttpResponse:
    agency = _agency(request, agency_id)
    member = _member(request, agency, member_id)
    try:
        membership = member_selectors.membership_get_for(
            agency=agency, member=member, membership_id=membership_id
        )
    except NotFound as exc:
        raise Http404 from exc
    actor = _actor(request)
    return _confirm(
        request,
        agency=agency,
        member=member,
        title=_("End this role?"),
        explanation=_(
            "%(name)s stops being %(role)s here at once. "
            "The membership is kept as a record, with its end date."
        )
        % {"name": member, "role": membership.get_role_display()},
        button=_("End the role"),
        act=lambda reason: member_services.membership_end_in_reach(
            actor=actor, membership=membership, reason=reason
        ),
        done=_("The role was ended."),
    )


@manage_agency
@require_http_methods(["GET", "POST"])
def member_deactivate(request: HttpRequest, agency_id: UUID, member_id: UUID) -> HttpResponse:
    agency = _agency(request, agency_id)
    member = _member(request, agency, member_id)
    actor = _actor(request)
    return _confirm(
        request,
        agency=agency,
        member=member,
        title=_("Deactivate this account?"),
        explanation=_(
            "%(name)s can no longer sign in, is signed out everywhere, and their API tokens are revoked. "
            "Their roles stay as they are and come back if the account is reactivated."
        )
        % {"name": member},
        button=_("Deactivate"),
        act=lambda reason: member_services.user_deactivate(actor=actor, user=member, reason=reason),
        done=_("The account was deactivated."),
    )


@manage_agency
@require_http_methods(["GET", "POST"])
def member_reactivate(request: HttpRequest, agency_id: UUID, member_id: UUID) -> HttpResponse:
    agency = _agency(request, agency_id)
    member = _member(request, agency, member_id)
    actor = _actor(request)
    return _confirm(
        request,
        agency=agency,
        member=member,
        title=_("Reactivate this account?"),
        explanation=_("%(name)s can sign in again, with the roles they had.") % {"name": member},
        button=_("Reactivate"),
        act=lambda reason: member_services.user_reactivate(actor=actor, user=member, reason=reason),
        done=_("The account was reactivated."),
    )


@manage_agency
@require_http_methods(["GET", "POST"])
def member_two_factor_reset(request: HttpRequest, agency_id: UUID, member_id: UUID) -> HttpResponse:
    agency = _agency(request, agency_id)
    member = _member(request, agency, member_id)
    actor = _actor(request)
    return _confirm(
        request,
        agency=agency,
        member=member,
        title=_("Reset two-factor sign-in?"),
        explanation=_(
            "The authenticator %(name)s uses now stops working; they set up a new one at their next "
            "sign-in. Do this only when you are sure it is them asking (a lost or replaced phone)."
        )
        % {"name": member},
        button=_("Reset two-factor sign-in"),
        act=lambda reason: member_services.two_factor_reset(actor=actor, user=member, reason=reason),
        done=_("Two-factor sign-in was reset."),
    )


@manage_agency
@require_GET
def member_sign_ins(request: HttpRequest, agency_id: UUID, member_id: UUID) -> HttpResponse:
    agency = _agency(request, agency_id)
    member = _member(request, agency, member_id)
    events = member_selectors.sign_in_history_of(member=member)
    page = CappedPaginator(events, SIGN_INS_PER_PAGE, SIGN_INS_CAP).get_page(request.GET.get("page"))
    return render(
        request, "accounts/member_sign_ins.html", {"agency": agency, "member": member, "page": page}
    )


@require_http_methods(["GET", "POST"])
def invite_accept(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The invited person's page: open to anyone holding a valid link, nothing else."""
    member = member_services.invite_user_for(uidb64=uidb64, token=token)
    if member is None:
        return render(request, "accounts/invite_accept.html", {"invalid": True}, status=404)
    form = InviteAcceptForm(member, _posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            member_services.user_invite_accept(
                user=member, token=token, password=form.cleaned_data["new_password1"]
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            if request.user.is_authenticated:
                logout(request)  # someone else's session on this browser must not carry on
            messages.success(request, _("Your password is set. Sign in with your username and new password."))
            return HttpResponseRedirect(reverse("accounts:login"))
    return render(request, "accounts/invite_accept.html", {"form": form, "member": member})


@manage_system
@require_http_methods(["GET", "POST"])
def agency_create(request: HttpRequest) -> HttpResponse:
    form = AgencyForm(_posted(request), new=True)
    if request.method == "POST" and form.is_valid():
        try:
            agency = member_services.agency_add(actor=_actor(request), values=form.values())
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Agency created."))
            return HttpResponseRedirect(reverse("accounts:agency_edit", args=[agency.pk]))
    return render(request, "accounts/agency_form.html", {"form": form, "agency": None})


@manage_system
@require_http_methods(["GET", "POST"])
def agency_edit(request: HttpRequest, agency_id: UUID) -> HttpResponse:
    try:
        agency = member_selectors.agency_get_for_system(user=request.user, agency_id=agency_id)
    except NotFound as exc:
        raise Http404 from exc
    initial = {
        "kind": agency.kind,
        "code": agency.code,
        "name_vi": agency.name_vi,
        "name_en": agency.name_en,
        "province": agency.province_id,
        "parent": agency.parent_id,
        "border_gate": agency.border_gate_id,
        "is_active": agency.is_active,
        "version": agency.version,
    }
    form = AgencyForm(_posted(request), initial=initial)
    form.fields["parent"].queryset = Agency.objects.exclude(pk=agency.pk).order_by("name_vi")  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            member_services.agency_update(
                actor=_actor(request),
                agency=agency,
                values=form.values(),
                expected_version=form.cleaned_data["version"],
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Agency saved."))
            return HttpResponseRedirect(reverse("accounts:agency_list"))
    return render(request, "accounts/agency_form.html", {"form": form, "agency": agency})
