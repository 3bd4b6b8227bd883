"""Pages for API tokens: "My API tokens" (list, revoke one, revoke all) and, for an agency
administrator, the tokens of the agency's members. Revoking asks for confirmation first."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from shield.accounts import selectors, token_selectors, token_services
from shield.accounts.models import Agency, User
from shield.accounts.token_models import ApiToken, RevokeReason
from shield.audit.refusals import require_permission
from shield.core.errors import NotFound
from shield.core.pagination import CappedPaginator

PAGE_SIZE = 25


def _signed_in(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _page(request: HttpRequest, tokens: QuerySet[ApiToken]) -> object:
    return CappedPaginator(tokens, PAGE_SIZE).get_page(request.GET.get("page"))


def _one(tokens: QuerySet[ApiToken], token_id: UUID) -> ApiToken:
    token = tokens.filter(pk=token_id).first()
    if token is None:
        raise Http404
    return token


def _managed_agency(request: HttpRequest, agency_id: UUID) -> Agency:
    try:
        return selectors.agency_get_managed_by(user=request.user, agency_id=agency_id)
    except NotFound as exc:
        raise Http404 from exc


@login_required
@require_GET
def my_tokens(request: HttpRequest) -> HttpResponse:
    page = _page(request, token_selectors.token_list_own(user=_signed_in(request)))
    return render(request, "accounts/token_list.html", {"page": page, "agency": None})


@login_required
@require_http_methods(["GET", "POST"])
def my_token_revoke(request: HttpRequest, token_id: UUID) -> HttpResponse:
    user = _signed_in(request)
    token = _one(token_selectors.token_list_own(user=user), token_id)
    back = reverse("accounts:my_tokens")
    if request.method == "POST":
        token_services.api_token_revoke(actor=user, token=token, reason=RevokeReason.OWNER)
        messages.success(request, _("Token %(prefix)s revoked.") % {"prefix": token.prefix})
        return HttpResponseRedirect(back)
    return render(request, "accounts/token_revoke.html", {"token": token, "back": back})


@login_required
@require_http_methods(["GET", "POST"])
def my_tokens_revoke_all(request: HttpRequest) -> HttpResponse:
    user = _signed_in(request)
    back = reverse("accounts:my_tokens")
    if request.method == "POST":
        count = token_services.api_tokens_revoke(actor=user, user=user, reason=RevokeReason.OWNER)
        messages.success(request, _("Tokens revoked: %(count)d.") % {"count": count})
        return HttpResponseRedirect(back)
    return render(request, "accounts/token_revoke.html", {"token": None, "back": back})


@require_permission("accounts.manage_agency", object_type="accounts.apitoken")
@require_GET
def agency_tokens(request: HttpRequest, agency_id: UUID) -> HttpResponse:
    agency = _managed_agency(request, agency_id)
    tokens = token_selectors.token_list_managed_by(user=request.user, agency_id=agency.pk)
    return render(request, "accounts/token_list.html", {"page": _page(request, tokens), "agency": agency})


@require_permission("accounts.manage_agency", object_type="accounts.apitoken")
@require_http_methods(["GET", "POST"])
def agency_token_revoke(request: HttpRequest, agency_id: UUID, token_id: UUID) -> HttpResponse:
    agency = _managed_agency(request, agency_id)
    token = _one(token_selectors.token_list_managed_by(user=request.user, agency_id=agency.pk), token_id)
    user = _signed_in(request)
    back = reverse("accounts:agency_tokens", args=[agency.pk])
    if request.method == "POST":
        reason = RevokeReason.OWNER if token.user_id == user.pk else RevokeReason.ADMINISTRATOR
        token_services.api_token_revoke(actor=user, token=token, reason=reason)
        messages.success(request, _("Token %(prefix)s revoked.") % {"prefix": token.prefix})
        return HttpResponseRedirect(back)
    return render(request, "accounts/token_revoke.html", {"token": token, "back": back, "agency": agency})
