"""Shelter pages: the vacancy board, a shelter's page, its beds, admissions, discharges, holds."""

import datetime
import uuid
from typing import cast

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shield import audit
from shield.accounts.models import User
from shield.audit.models import AuditAction
from shield.core.errors import ApplicationError, PermissionRefused
from shield.core.htmx import render_page_or_partial
from shield.core.lookups import one_or_not_found
from shield.core.pagination import CappedPaginator
from shield.people.selectors import display_name_for
from shield.referrals.models import Referral, ReferralStatus, Service, ShelterStay
from shield.referrals.shelters import forms, selectors, services
from shield.referrals.support import access
from shield.referrals.support.pages import reasoned_step, refused_on_form, require_any

SHELTER = Service._meta.label_lower
STAY = ShelterStay._meta.label_lower
READERS = access.SHELTER_READERS
PAGE_SIZE = 25


BOARD_PAGE_SIZE = 25


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _reachable(request: HttpRequest, referrals: QuerySet[Referral]) -> None:
    """A referral posted that the user may not act on answers 404, like any record out of reach."""
    if request.method == "POST" and request.POST.get("referral"):
        one_or_not_found(referrals, request.POST["referral"])


@require_any(*READERS, object_type=SHELTER)
def vacancy_board(request: HttpRequest) -> HttpResponse:
    """Opens on the user's province (no `province` in the query); "All provinces" is one choice
    away. Shelters paginated; beds, stays and holds counted in SQL (one query a page)."""
    data = request.GET.copy()
    if "province" not in data:
        memberships = _user(request).active_memberships()
        province = memberships[0].agency.province_id if memberships else None
        data["province"] = str(province) if province else ""
    form = forms.VacancyFilterForm(data)
    filters = selectors.VacancyFilters()
    if form.is_valid():
        province = form.cleaned_data["province"]
        filters = selectors.VacancyFilters(
            province_id=province.pk if province else None,
            category=form.cleaned_data["category"] or "",
            with_free_beds_only=bool(form.cleaned_data["free_only"]),
        )
    number = request.GET.get("page", "1")
    board = selectors.vacancy_board_page(
        user=request.user,
        filters=filters,
        page_size=BOARD_PAGE_SIZE,
        page=int(number) if number.isdigit() and 0 < int(number) < 10_000 else 1,
    )
    # The page's links: a paginator over the board's count (the rows are already the page's).
    page = Paginator(range(board.count), BOARD_PAGE_SIZE).get_page(number)
    context = {
        "form": form,
        "board": board.rows,
        "page": page,
        "totals": board.totals,
        "today": timezone.localdate(),
    }
    return render_page_or_partial(
        request, "referrals/shelters/vacancy_board.html", context, partial="results"
    )


@require_any(*READERS, object_type=SHELTER)
def shelter_detail(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    shelter = selectors.shelter_get_for(user=user, service_id=service_id)
    audit.record(action=AuditAction.VIEW, actor=user, agency=shelter.provider.agency, obj=shelter)
    stays = selectors.stay_list_for(
        user=user, service=shelter, current_only=request.GET.get("stays") != "all"
    )
    page: Page[ShelterStay] = CappedPaginator(stays, PAGE_SIZE).get_page(request.GET.get("page"))
    holds = list(selectors.hold_list_for(user=user, service=shelter))
    for stay in page.object_list:
        stay.shown_name = display_name_for(user=user, person=stay.person)
    for hold in holds:
        hold.shown_name = display_name_for(user=user, person=hold.referral.person)  # type: ignore[attr-defined]
    staff = selectors.is_shelter_staff(user, shelter)
    context = {
        "shelter": shelter,
        "beds": selectors.beds_today(shelter),
        "inventories": selectors.inventories_of(shelter)[:12],
        "page": page,
        "all_stays": request.GET.get("stays") == "all",
        "holds": holds,
        "utilisation": selectors.utilisation_for(service=shelter),
        "can_keep_beds": services.may_keep_beds(user, shelter),
        "can_admit": staff or user.has_perm(access.SUPERVISE) or user.has_perm("cases.edit"),
        "can_hold": staff or user.has_perm(access.MAKE),
    }
    return render(request, "referrals/shelters/shelter_detail.html", context)


@require_any(access.DELIVER, access.MANAGE_DIRECTORY, object_type=SHELTER)
def inventory_create(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    shelter = selectors.shelter_get_for(user=user, service_id=service_id)
    if not services.may_keep_beds(user, shelter):
        raise PermissionRefused()
    current = selectors.inventory_on(shelter, timezone.localdate())
    initial = {c: current.beds(c) for c in ("girls", "boys", "women", "men", "families")} if current else {}
    form = forms.InventoryForm(
        request.POST or None, initial={**initial, "effective_from": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.bed_inventory_record(
                actor=user,
                service=shelter,
                effective_from=data["effective_from"],
                beds={c: data[c] for c in ("girls", "boys", "women", "men", "families")},
                note=data["note"],
            )
        except ApplicationError as error:
            if not refused_on_form(form, error):
                raise
        else:
            messages.success(request, _("The new bed inventory is recorded."))
            return HttpResponseRedirect(reverse("referrals:shelter_detail", args=[shelter.pk]))
    status = 400 if request.method == "POST" else 200
    return render(
        request, "referrals/shelters/inventory_form.html", {"shelter": shelter, "form": form}, status=status
    )


@require_any(access.DELIVER, access.SUPERVISE, "cases.edit", object_type=SHELTER)
def admit(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    shelter = selectors.shelter_get_for(user=user, service_id=service_id)
    if not (
        selectors.is_shelter_staff(user, shelter)
        or user.has_perm(access.SUPERVISE)
        or (shelter.provider.is_external and user.has_perm("cases.edit"))
    ):
        raise PermissionRefused()
    referrals = selectors.admittable_referrals_for(user=user, service=shelter)
    _reachable(request, referrals)
    candidates = list(referrals[:200])
    labels = {r.pk: f"{r.reference} · {display_name_for(user=user, person=r.person)}" for r in candidates}
    initial = {"referral": request.GET.get("referral")} if request.GET.get("referral") else None
    form = forms.AdmissionForm(request.POST or None, referrals=referrals, labels=labels, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            stay = services.shelter_admit(
                actor=user,
                referral=data["referral"],
                category=data["category"],
                admitted_on=data["admitted_on"],
                planned_exit_on=data["planned_exit_on"],
                override_reason=data["override_reason"],
            )
        except ApplicationError as error:
            if not refused_on_form(form, error):
                raise
        else:
            messages.success(request, _("Admitted. The referral is now in service."))
            return HttpResponseRedirect(reverse("referrals:shelter_detail", args=[stay.service_id]))
    context = {
        "shelter": shelter,
        "form": form,
        "beds": selectors.beds_today(shelter),
        "has_candidates": bool(candidates),
        "may_override": access.has_any(user, (access.SUPERVISE,)),
    }
    return render(request, "referrals/shelters/admit_form.html", context, status=400 if form.errors else 200)


@require_any(access.DELIVER, access.SUPERVISE, "cases.edit", object_type=STAY)
def discharge(request: HttpRequest, stay_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    stay = selectors.stay_get_for(user=user, stay_id=stay_id)
    form = forms.DischargeForm(request.POST or None, initial={"version": stay.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.shelter_discharge(
                actor=user,
                stay=stay,
                version=data["version"],
                discharged_on=data["discharged_on"],
                destination=data["destination"],
                reason=data["reason"],
            )
        except ApplicationError as error:
            if not refused_on_form(form, error):
                raise
        else:
            messages.success(request, _("The stay has ended; the bed is free."))
            return HttpResponseRedirect(reverse("referrals:shelter_detail", args=[stay.service_id]))
    context = {"stay": stay, "form": form, "name": display_name_for(user=user, person=stay.person)}
    return render(
        request, "referrals/shelters/discharge_form.html", context, status=400 if form.errors else 200
    )


@require_any(access.DELIVER, access.MAKE, object_type=SHELTER)
def hold_create(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    shelter = selectors.shelter_get_for(user=user, service_id=service_id)
    open_referrals = Referral.objects.filter(
        service=shelter, status__in=[ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.WAITLISTED]
    ).filter(
        access.visible_cases_q(user, case_path="case")
        | access.staff_q(user, access.DELIVER, provider_path="provider")
    )
    _reachable(request, open_referrals)
    form = forms.HoldForm(request.POST or None, referrals=open_referrals.order_by("-sent_at"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.bed_hold_place(
                actor=user,
                referral=data["referral"],
                category=data["category"],
                held_until=timezone.now() + datetime.timedelta(days=data["days"]),
            )
        except ApplicationError as error:
            if not refused_on_form(form, error):
                raise
        else:
            messages.success(request, _("The bed is held."))
            return HttpResponseRedirect(reverse("referrals:shelter_detail", args=[shelter.pk]))
    context = {"shelter": shelter, "form": form, "beds": selectors.beds_today(shelter)}
    return render(request, "referrals/shelters/hold_form.html", context, status=400 if form.errors else 200)


@require_any(access.DELIVER, access.MAKE, object_type="referrals.bedhold")
def hold_release(request: HttpRequest, hold_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    hold = selectors.hold_get_for(user=user, hold_id=hold_id)
    form = forms.ReleaseForm(request.POST or None, initial={"version": hold.version})
    return reasoned_step(
        request,
        form=form,
        write=lambda version, reason: services.bed_hold_release(
            actor=user, hold=hold, version=version, reason=reason
        ),
        done=_("The bed is released."),
        redirect_to=reverse("referrals:shelter_detail", args=[hold.service_id]),
        template="referrals/shelters/hold_release.html",
        context={"hold": hold, "form": form},
    )
