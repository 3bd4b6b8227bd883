"""The directory's pages: search, a service, a provider, and the forms that keep them.

Reading needs one of the directory's permissions (`access.can_use_directory`); keeping it,
`referrals.manage_directory` (and the provider in the keeper's reach, else 403); capacity, the
keepers or the provider's own staff. Detail pages record a `view` audit event, the search a `list`.
"""

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shield import audit
from shield.accounts import policy
from shield.accounts.models import Agency, User
from shield.audit.models import AuditAction
from shield.audit.refusals import permission_denied
from shield.cases import selectors as case_selectors
from shield.cases.models import Case
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
from shield.referrals.directory import access, forms, presenters, selectors, services
from shield.referrals.models import Provider, Service, ServiceStatus

PAGE_SIZE = 20
SERVICE_TYPE = Service._meta.label_lower
PROVIDER_TYPE = Provider._meta.label_lower
FORM_ERRORS = (ValidationFailed, InvalidTransition, StaleVersion, VersionRequired)

View = Callable[..., HttpResponse]

# Who may refer a person to a service (the "Refer" button of a service page).
REFER = "referrals.make"


def user_of(request: HttpRequest) -> User:
    return cast(User, request.user)


def directory_page(*, keepers_only: bool = False) -> Callable[[View], View]:
    """Sign-in first; then the directory's readers (or only its keepers), else the audited 403."""

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = user_of(request)
            allowed = access.manages_directory(user) if keepers_only else access.can_use_directory(user)
            if not allowed:
                object_id = next((str(v) for v in kwargs.values()), "")
                return permission_denied(request, object_type=SERVICE_TYPE, object_id=object_id)
            try:
                return view(request, *args, **kwargs)
            except NotFound as exc:
                raise Http404 from exc

        return wrapped

    return decorate


def _refer_case(request: HttpRequest, user: User) -> Case | None:
    """The case a worker is choosing a service for (`?case=<id>`, from the refer form): only a case
    they may refer from (`referrals.make`, the case editable), else None (the parameter is ignored)."""
    case_id = request.GET.get("case") or ""
    try:
        uuid.UUID(case_id)
    except ValueError:
        return None
    if not policy.has_permission(user, REFER):
        return None
    try:
        case = case_selectors.case_get_for(user=user, case_id=case_id)
    except NotFound:
        return None
    return case if case_selectors.can_edit(user=user, case=case) else None


def _refused(request: HttpRequest, obj: Provider | Service) -> HttpResponse:
    return permission_denied(request, object_type=obj._meta.label_lower, object_id=str(obj.pk))


def _show(form: Any, exc: ApplicationError) -> None:
    add_application_error(form, exc)


@directory_page()
@require_http_methods(["GET"])
def service_search(request: HttpRequest) -> HttpResponse:
    """The directory: filters in the URL (nothing personal is searched here), a capped count."""
    user = user_of(request)
    form = forms.ServiceSearchForm(request.GET or None)
    context: dict[str, Any] = {
        "form": form,
        "page": None,
        "rows": [],
        "filtered": form.has_filters(),
        "can_keep": access.manages_directory(user),
        "refer_case": _refer_case(request, user),
    }
    if form.is_bound and not form.is_valid():
        return render_page_or_partial(request, "referrals/directory/search.html", context, partial="results")
    filters = form.filters() if form.is_bound else selectors.ServiceFilters()
    found = selectors.service_search_for(user=user, filters=filters)
    page = CappedPaginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context.update(page=page, rows=presenters.service_rows(list(page.object_list)))
    audit.record(
        action=AuditAction.LIST,
        actor=user,
        object_type=SERVICE_TYPE,
        search=filters.q,
        details={"filters": filters.used()},
    )
    return render_page_or_partial(request, "referrals/directory/search.html", context, partial="results")


@directory_page()
@require_http_methods(["GET"])
def service_detail(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    service = selectors.service_get_for(user=user, service_id=service_id)
    audit.record(action=AuditAction.VIEW, actor=user, agency=service.provider.agency, obj=service)
    context = presenters.service_detail(user=user, service=service)
    refer_case = _refer_case(request, user)
    referable = service.status == ServiceStatus.ACTIVE and service.provider.is_active
    context["refer_case"] = refer_case if referable else None
    return render(request, "referrals/directory/service_detail.html", context)


@directory_page()
@require_http_methods(["GET"])
def provider_detail(request: HttpRequest, provider_id: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    provider = selectors.provider_get_for(user=user, provider_id=provider_id)
    audit.record(action=AuditAction.VIEW, actor=user, agency=provider.agency, obj=provider)
    found = selectors.provider_services_for(user=user, provider=provider)
    page = CappedPaginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "provider": provider,
        "page": page,
        "rows": presenters.service_rows(list(page.object_list)),
        "can_edit": access.manages_provider(user, provider),
    }
    return render(request, "referrals/directory/provider_detail.html", context)


def _agencies_for_new_provider(user: User) -> Any:
    agencies = Agency.objects.filter(is_active=True, provider__isnull=True).order_by("name_vi")
    if access.manages_everything(user):
        return agencies
    return agencies.filter(pk__in=access.managed_agency_ids(user))


@directory_page(keepers_only=True)
@require_http_methods(["GET", "POST"])
def provider_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    kwargs = {"agencies": _agencies_for_new_provider(user), "allow_external": access.manages_everything(user)}
    form = forms.ProviderCreateForm(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            provider = services.provider_create(
                actor=user, agency=form.cleaned_data.get("agency"), **form.changes()
            )
        except PermissionRefused:
            return permission_denied(request, object_type=PROVIDER_TYPE)
        except FORM_ERRORS as exc:
            _show(form, exc)
        else:
            messages.success(request, _("The provider was added to the directory."))
            return HttpResponseRedirect(reverse("referrals:provider_detail", args=[provider.pk]))
    return render(request, "referrals/directory/provider_form.html", {"form": form, "provider": None})


@directory_page(keepers_only=True)
@require_http_methods(["GET", "POST"])
def provider_edit(request: HttpRequest, provider_id: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    provider = selectors.provider_get_for(user=user, provider_id=provider_id)
    if not access.manages_provider(user, provider):
        return _refused(request, provider)
    initial = {name: getattr(provider, name) for name in services.PROVIDER_FIELDS} | {
        "version": provider.version
    }
    form = forms.ProviderEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_update(
                actor=user,
                provider=provider,
                expected_version=form.cleaned_data["version"],
                changes=form.changes(),
            )
        except FORM_ERRORS as exc:
            _show(form, exc)
        else:
            messages.success(request, _("The provider was saved."))
            return HttpResponseRedirect(reverse("referrals:provider_detail", args=[provider.pk]))
    return render(request, "referrals/directory/provider_form.html", {"form": form, "provider": provider})


@directory_page(keepers_only=True)
@require_http_methods(["GET", "POST"])
def service_create(request: HttpRequest, provider_id: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    provider = selectors.provider_get_for(user=user, provider_id=provider_id)
    if not access.manages_provider(user, provider):
        return _refused(request, provider)
    form = forms.ServiceForm(request.POST or None, initial={"province": provider.province_id})
    if request.method == "POST" and form.is_valid():
        try:
            service = services.service_create(
                actor=user, provider=provider, data=form.changes(), areas=form.areas_served()
            )
        except FORM_ERRORS as exc:
            _show(form, exc)
        else:
            messages.success(request, _("The service was added to the directory."))
            return HttpResponseRedirect(reverse("referrals:service_detail", args=[service.pk]))
    context = {"form": form, "provider": provider, "service": None}
    return render(request, "referrals/directory/service_form.html", context)


@directory_page(keepers_only=True)
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    service = selectors.service_get_for(user=user, service_id=service_id)
    if not access.manages_provider(user, service.provider):
        return _refused(request, service)
    form = forms.ServiceEditForm(request.POST or None, initial=presenters.service_initial(service))
    if request.method == "POST" and form.is_valid():
        try:
            services.service_update(
                actor=user,
                service=service,
                expected_version=form.cleaned_data["version"],
                changes=form.changes(),
                areas=form.areas_served(),
            )
        except FORM_ERRORS as exc:
            _show(form, exc)
        else:
            messages.success(request, _("The service was saved."))
            return HttpResponseRedirect(reverse("referrals:service_detail", args=[service.pk]))
    context = {"form": form, "provider": service.provider, "service": service}
    return render(request, "referrals/directory/service_form.html", context)


@directory_page()
@require_http_methods(["GET", "POST"])
def service_capacity(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    service = selectors.service_get_for(user=user, service_id=service_id)
    if not access.may_set_capacity(user, service):
        return _refused(request, service)
    initial = {
        "capacity_available": service.capacity_available,
        "capacity_maximum": service.capacity_maximum,
        "version": service.version,
    }
    form = forms.CapacityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.service_capacity_set(
                actor=user,
                service=service,
                expected_version=data["version"],
                available=data["capacity_available"],
                maximum=data.get("capacity_maximum"),
            )
        except FORM_ERRORS as exc:
            _show(form, exc)
        else:
            messages.success(request, _("The capacity was updated."))
            return HttpResponseRedirect(reverse("referrals:service_detail", args=[service.pk]))
    return render(request, "referrals/directory/capacity_form.html", {"form": form, "service": service})


@directory_page(keepers_only=True)
@require_http_methods(["GET", "POST"])
def service_status(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    """Change a service's status; closing asks for a confirmation first (the GET page)."""
    user = user_of(request)
    service = selectors.service_get_for(user=user, service_id=service_id)
    if not access.manages_provider(user, service.provider):
        return _refused(request, service)
    wanted = request.POST.get("status") or request.GET.get("status") or ServiceStatus.CLOSED
    form = forms.StatusForm(
        request.POST if request.method == "POST" else None,
        initial={"status": wanted, "version": service.version},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.service_status_set(
                actor=user,
                service=service,
                expected_version=data["version"],
                status=data["status"],
                reason=data.get("reason") or "",
            )
        except FORM_ERRORS as exc:
            _show(form, exc)
        else:
            messages.success(request, _("The service's status was changed."))
            return HttpResponseRedirect(reverse("referrals:service_detail", args=[service.pk]))
    context = {"form": form, "service": service, "closing": wanted == ServiceStatus.CLOSED}
    return render(request, "referrals/directory/status_form.html", context)
