"""The notification pages: the list (filters, pagination), following one, mark all read, settings."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shield.accounts.models import User
from shield.core.errors import NotFound, ValidationFailed
from shield.core.pagination import CappedPaginator
from shield.notifications import selectors, services
from shield.notifications.forms import NotificationFilterForm, NotificationSettingsForm
from shield.notifications.models import NotificationSettings


def _signed_in(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    form = NotificationFilterForm(request.GET or None)
    filters = form.filters() if form.is_valid() else selectors.NotificationFilters()
    found = selectors.notifications_for(_signed_in(request), filters)
    page = CappedPaginator(found, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    items = selectors.shown(list(page.object_list))
    return render(
        request,
        "notifications/list.html",
        {"form": form, "page": page, "items": items, "filters": filters},
    )


@login_required
@require_POST
def notification_open(request: HttpRequest, notification_id: UUID) -> HttpResponse:
    """Mark the notification read and go where it leads (a path of this site, else the list)."""
    try:
        notification = services.notification_mark_read(
            actor=_signed_in(request), notification_id=notification_id
        )
    except NotFound as exc:
        raise Http404 from exc
    target = notification.url
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ) or not target.startswith("/"):
        target = reverse("notifications:list")
    return HttpResponseRedirect(target)


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    try:
        count = services.notifications_mark_all_read(
            actor=_signed_in(request), kind=request.POST.get("kind", "")[:40]
        )
    except ValidationFailed:
        count = 0
    messages.success(request, _("Notifications marked read: %(count)d.") % {"count": count})
    return HttpResponseRedirect(reverse("notifications:list"))


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    user = _signed_in(request)
    current = NotificationSettings.objects.filter(user=user).first()
    if request.method == "POST":
        form = NotificationSettingsForm(request.POST)
        if form.is_valid():
            services.notification_settings_set(actor=user, email=form.cleaned_data["email"])
            messages.success(request, _("Your notification settings are saved."))
            return HttpResponseRedirect(reverse("notifications:settings"))
    else:
        form = NotificationSettingsForm(initial={"email": bool(current and current.email)})
    return render(request, "notifications/settings.html", {"form": form, "has_address": bool(user.email)})
