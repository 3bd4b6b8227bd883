"""Sign-in, two-factor, password change, the home page and agency security settings."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from shield.accounts import home_panels, selectors, services, token_services, two_factor
from shield.accounts.forms import SignInForm, TokenForm, TwoFactorRolesForm
from shield.accounts.models import User
from shield.accounts.token_models import RevokeReason
from shield.audit.refusals import require_permission
from shield.core.errors import ApplicationError, NotFound


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from django.conf import settings

        return super().get_context_data(idle_minutes=settings.SHIELD_IDLE_TIMEOUT_MINUTES, **kwargs)


class SignOutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        from shield import audit
        from shield.audit.models import AuditAction

        audit.record(
            action=AuditAction.PASSWORD_CHANGE,
            actor=self.request.user,
            obj=self.request.user,
            changed_fields=["password"],
        )
        token_services.api_tokens_revoke(
            actor=self.request.user,  # type: ignore[arg-type]
            user=self.request.user,  # type: ignore[arg-type]
            reason=RevokeReason.PASSWORD_CHANGE,
        )
        messages.success(self.request, _("Your password was changed."))
        return response


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    return render(
        request,
        "accounts/home.html",
        {
            "memberships": user.active_memberships(),
            "capabilities": selectors.capability_links_of(user=user),
            "panels": home_panels.panels_for(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    device = two_factor.pending_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.device_confirm(request=request, user=user, token=form.cleaned_data["token"]):
            messages.success(request, _("Two-factor sign-in is set up."))
            return HttpResponseRedirect(_safe_next(request, reverse("home")))
        form.add_error("token", _("That code is not right. Check the time on your phone and try again."))
    return render(
        request,
        "accounts/two_factor_setup.html",
        {"form": form, "qr_svg": two_factor.qr_svg(device), "secret_key": two_factor.manual_key(device)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.session_verify(request=request, user=user, token=form.cleaned_data["token"]):
            return HttpResponseRedirect(_safe_next(request, reverse("home")))
        form.add_error("token", _("That code is not right. Check the time on your phone and try again."))
    return render(request, "accounts/two_factor_verify.html", {"form": form})


@require_permission("accounts.manage_agency", object_type="accounts.agency")
def agency_list(request: HttpRequest) -> HttpResponse:
    from shield.accounts import member_selectors
    from shield.core.pagination import CappedPaginator

    # A system administrator sees every agency, inactive ones too, to edit them.
    system = request.user.has_perm("accounts.manage_system")
    agencies = (
        member_selectors.agency_list_for_system(user=request.user)
        if system
        else selectors.agency_list_managed_by(user=request.user).order_by("name_vi")
    )
    page = CappedPaginator(agencies, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/agency_list.html", {"page": page, "agencies": page, "system": system})


@require_permission("accounts.manage_agency", object_type="accounts.agency")
@require_http_methods(["GET", "POST"])
def agency_security(request: HttpRequest, agency_id: str) -> HttpResponse:
    try:
        agency = selectors.agency_get_managed_by(user=request.user, agency_id=agency_id)
    except (NotFound, ValueError) as exc:
        raise Http404 from exc
    user = request.user
    assert isinstance(user, User)
    form = TwoFactorRolesForm(
        request.POST or None, initial={"roles": agency.two_factor_roles, "version": agency.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_two_factor_roles_set(
                actor=user,
                agency=agency,
                roles=form.cleaned_data["roles"],
                expected_version=form.cleaned_data["version"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Security settings saved."))
            return HttpResponseRedirect(reverse("accounts:agency_security", args=[agency.pk]))
    return render(request, "accounts/agency_security.html", {"agency": agency, "form": form})


@require_permission("accounts.manage_system", object_type="accounts.rolegrant")
@require_GET
def grant_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    grants = list(selectors.role_grant_pending_list(user=user)[: selectors.PENDING_GRANTS_SHOWN])
    return render(request, "accounts/grant_list.html", {"grants": grants})


def _grant_decide(request: HttpRequest, grant_id: str, *, approve: bool) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    try:
        grant = selectors.role_grant_get_pending(user=user, grant_id=grant_id)
    except NotFound as exc:
        raise Http404 from exc
    error = ""
    if request.method == "POST":
        try:
            if approve:
                services.membership_grant_approve(actor=user, grant=grant)
            else:
                services.membership_grant_refuse(actor=user, grant=grant)
        except ApplicationError as exc:
            error = exc.message
        else:
            messages.success(
                request, _("The role was granted.") if approve else _("The request was refused.")
            )
            return HttpResponseRedirect(reverse("accounts:grant_list"))
    return render(request, "accounts/grant_decide.html", {"grant": grant, "approve": approve, "error": error})


@require_permission("accounts.manage_system", object_type="accounts.rolegrant")
@require_http_methods(["GET", "POST"])
def grant_approve(request: HttpRequest, grant_id: str) -> HttpResponse:
    """GET asks for confirmation; POST approves."""
    return _grant_decide(request, grant_id, approve=True)


@require_permission("accounts.manage_system", object_type="accounts.rolegrant")
@require_http_methods(["GET", "POST"])
def grant_refuse(request: HttpRequest, grant_id: str) -> HttpResponse:
    """GET asks for confirmation; POST refuses."""
    return _grant_decide(request, grant_id, approve=False)
