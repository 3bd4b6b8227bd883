"""Alert pages: the list (mine / my agency's), one alert (audited read), acknowledging it."""

import uuid
from typing import cast

from django.contrib import messages
from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from shield import audit
from shield.accounts.models import User
from shield.audit.models import AuditAction
from shield.core.errors import ApplicationError
from shield.core.htmx import render_page_or_partial
from shield.core.pagination import CappedPaginator
from shield.people.selectors import display_name_for
from shield.referrals.support.pages import refused_on_form, require_any
from shield.returns.alerts import forms, selectors, services
from shield.returns.models import RevictimisationAlert

ALERT = RevictimisationAlert._meta.label_lower
PAGE_SIZE = 25


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


@require_any(*selectors.READERS, object_type=ALERT)
def alert_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = forms.AlertFilterForm(request.GET or None)
    page: Page[RevictimisationAlert] | None = None
    if not request.GET or form.is_valid():
        data = form.cleaned_data if request.GET else {}
        filters = selectors.AlertFilters(
            mine=bool(data.get("mine")),
            acknowledged=data.get("acknowledged") or "",
            source=data.get("source") or "",
            met_from=data.get("met_from"),
            met_to=data.get("met_to"),
        )
        rows = selectors.alert_list_for(user=user, filters=filters)
        page = CappedPaginator(rows, PAGE_SIZE, count_in_order=False).get_page(request.GET.get("page"))
        for alert in page.object_list:
            alert.shown_name = display_name_for(user=user, person=alert.person)
        audit.record(action=AuditAction.LIST, actor=user, object_type=ALERT)
    context = {"form": form, "page": page, "filtered": bool(request.GET)}
    return render_page_or_partial(request, "returns/alerts/alert_list.html", context, partial="results")


def _detail_context(user: User, alert: RevictimisationAlert) -> dict[str, object]:
    return {
        "alert": alert,
        "name": display_name_for(user=user, person=alert.person),
        "source_url": selectors.source_url(user=user, alert=alert),
    }


@require_any(*selectors.READERS, object_type=ALERT)
def alert_detail(request: HttpRequest, alert_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    alert = selectors.alert_get_for(user=user, alert_id=alert_id)
    audit.record(action=AuditAction.VIEW, actor=user, agency=alert.owner_agency, obj=alert)
    return render(request, "returns/alerts/alert_detail.html", _detail_context(user, alert))


@require_any(*selectors.READERS, object_type=ALERT)
def alert_acknowledge(request: HttpRequest, alert_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    alert = selectors.alert_get_for(user=user, alert_id=alert_id)
    form = forms.AcknowledgeForm(request.POST or None, initial={"version": alert.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.alert_acknowledge(actor=user, alert=alert, version=form.cleaned_data["version"])
        except ApplicationError as error:
            if not refused_on_form(form, error):
                raise
        else:
            messages.success(request, _("The alert is acknowledged."))
            return HttpResponseRedirect(reverse("returns:alert_detail", args=[alert.pk]))
    context = {**_detail_context(user, alert), "form": form}
    return render(
        request, "returns/alerts/alert_acknowledge.html", context, status=400 if form.errors else 200
    )
