"""Support pages: the list of support delivered, recording one, its detail, voiding it."""

import uuid
from typing import cast

from django.contrib import messages
from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from shield import audit
from shield.accounts.models import User
from shield.audit.models import AuditAction
from shield.cases import selectors as case_selectors
from shield.cases.models import CarePlanAction
from shield.core.errors import ApplicationError, NotFound
from shield.core.htmx import render_page_or_partial
from shield.core.lookups import one_or_not_found
from shield.core.pagination import CappedPaginator
from shield.people.selectors import display_name_for
from shield.referrals.models import Provider, Referral, SupportDelivery
from shield.referrals.support import access, forms, regimes, selectors, services
from shield.referrals.support.pages import reasoned_step, refused_on_form, require_any

DELIVERY = SupportDelivery._meta.label_lower
READERS = ("cases.view", access.DELIVER, access.RECEPTION_VIEW)
# Who records support under a referral or a care-plan action (the "record" pages).
RECORDERS = ("cases.edit", access.DELIVER)
# Who may void a delivery: its recorders, and reception staff for immediate support.
WRITERS = (*RECORDERS, access.RECEIVE)
PAGE_SIZE = 25


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


@require_any(*READERS, object_type=DELIVERY)
def delivery_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = forms.DeliveryFilterForm(request.GET or None)
    page: Page[SupportDelivery] | None = None
    if not request.GET or form.is_valid():
        data = form.cleaned_data if request.GET else {}
        filters = selectors.DeliveryFilters(
            support_type=data.get("support_type") or "",
            delivered_from=data.get("delivered_from"),
            delivered_to=data.get("delivered_to"),
            include_voided=bool(data.get("include_voided")),
        )
        rows = selectors.delivery_list_for(user=user, filters=filters)
        page = CappedPaginator(rows, PAGE_SIZE, count_in_order=False).get_page(request.GET.get("page"))
        for delivery in page.object_list:
            delivery.shown_name = display_name_for(user=user, person=delivery.person)
        audit.record(action=AuditAction.LIST, actor=user, object_type=DELIVERY)
    context = {
        "form": form,
        "page": page,
        "filtered": bool(request.GET),
        "can_record": access.has_any(user, RECORDERS),
    }
    return render_page_or_partial(request, "referrals/support/delivery_list.html", context, partial="results")


def _referral_for(user: User, referral_id: str) -> Referral:
    """A referral the user may record support under: theirs to deliver, or of a case they see."""
    rows = Referral.objects.filter(
        access.staff_q(user, access.DELIVER, provider_path="provider")
        | access.visible_cases_q(user, case_path="case")
    ).select_related("case", "person", "provider")
    return one_or_not_found(rows, referral_id)


def _action_for(user: User, action_id: str) -> CarePlanAction:
    rows = CarePlanAction.objects.filter(
        access.visible_cases_q(user, case_path="goal__plan__case")
    ).select_related("goal__plan__case", "goal__plan__case__person")
    return one_or_not_found(rows, action_id)


@require_any(*RECORDERS, object_type=DELIVERY)
def delivery_create(request: HttpRequest) -> HttpResponse:
    """Record support under `?referral=<id>` or `?action=<id>` (a care-plan action, external provider)."""
    user = _user(request)
    referral_id, action_id = request.GET.get("referral", ""), request.GET.get("action", "")
    referral = _referral_for(user, referral_id) if referral_id else None
    action = _action_for(user, action_id) if action_id and not referral else None
    if referral is None and action is None:
        raise NotFound()
    case = referral.case if referral else action.goal.plan.case  # type: ignore[union-attr]
    form = forms.DeliveryForm(request.POST or None)
    providers = Provider.objects.filter(agency__isnull=True, is_active=True).order_by("name")
    provider_form = forms.ProviderChoiceForm(request.POST or None) if action else None
    if provider_form is not None:
        provider_form.fields["provider"].queryset = providers  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid() and (provider_form is None or provider_form.is_valid()):
        data = form.cleaned_data
        try:
            delivery = services.support_delivery_record(
                actor=user,
                referral=referral,
                care_plan_action=action,
                provider=provider_form.cleaned_data["provider"] if provider_form else None,
                support_type=data["support_type"],
                delivered_on=data["delivered_on"],
                quantity=data["quantity"],
                unit=data["unit"],
                amount_vnd=data["amount_vnd"],
                deviation_reason=data["deviation_reason"],
            )
        except ApplicationError as error:
            if not refused_on_form(form, error):
                raise
        else:
            messages.success(request, _("The support delivered is recorded."))
            return HttpResponseRedirect(reverse("referrals:delivery_detail", args=[delivery.pk]))
    context = {
        "form": form,
        "provider_form": provider_form,
        "referral": referral,
        "action": action,
        "case": case,
        "name": display_name_for(user=user, person=case.person),
        "regimes": regimes.regimes_in_force(timezone.localdate()),
    }
    status = 400 if (form.errors or (provider_form is not None and provider_form.errors)) else 200
    return render(request, "referrals/support/delivery_form.html", context, status=status)


@require_any(*READERS, object_type=DELIVERY)
def delivery_detail(request: HttpRequest, delivery_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    delivery = selectors.delivery_get_for(user=user, delivery_id=delivery_id)
    audit.record(action=AuditAction.VIEW, actor=user, agency=delivery.answering_agency, obj=delivery)
    context = {
        "delivery": delivery,
        "name": display_name_for(user=user, person=delivery.person),
        "can_void": delivery.voided_at is None and access.may_change(user, delivery),
        "sees_case": delivery.case is not None and case_selectors.can_view(user=user, case=delivery.case),
    }
    return render(request, "referrals/support/delivery_detail.html", context)


@require_any(*WRITERS, object_type=DELIVERY)
def delivery_void(request: HttpRequest, delivery_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    delivery = selectors.delivery_get_for(user=user, delivery_id=delivery_id)
    form = forms.VoidForm(request.POST or None, initial={"version": delivery.version})
    done_url = reverse("referrals:delivery_detail", args=[delivery.pk])
    back = request.POST.get("next") or request.GET.get("next") or ""
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        done_url = back
    context = {"delivery": delivery, "form": form, "next": done_url}
    return reasoned_step(
        request,
        form=form,
        write=lambda version, reason: services.support_delivery_void(
            actor=user, delivery=delivery, version=version, reason=reason
        ),
        done=_("The record is voided. It stays in the history, out of the totals."),
        redirect_to=done_url,
        template="referrals/support/delivery_void.html",
        context=context,
    )
