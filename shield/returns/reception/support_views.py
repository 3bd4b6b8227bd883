"""The page of support given at reception to one returnee: a compact form (a plain POST form that
the reception sitting also includes in each member's card, with `next` to come back to) and the
support already given, each with a link to the referrals app's void page.

Reading needs `returns.view` reaching the reception's agency; giving needs `returns.receive`.
"""

import uuid
from collections.abc import Iterable
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from shield import audit
from shield.accounts.models import User
from shield.audit.models import AuditAction
from shield.audit.refusals import permission_denied
from shield.core.errors import ApplicationError
from shield.core.pagination import CappedPaginator
from shield.people.selectors import display_name_for
from shield.referrals.models import SupportDelivery
from shield.referrals.support import regimes
from shield.referrals.support.pages import refused_on_form, require_any
from shield.returns.models import ReceptionMember
from shield.returns.reception import selectors, support, support_selectors
from shield.returns.reception.selectors import VIEW
from shield.returns.reception.support_forms import ReceptionSupportForm

MEMBER = ReceptionMember._meta.label_lower
PAGE_SIZE = 20
# How many of a member's deliveries the sitting's card lists (the page lists them all, by pages).
CARD_LIMIT = 5


def safe_next(request: HttpRequest, value: str) -> str:
    """`value` when it is a path or URL of this site (no open redirect), else ""."""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def _page_url(member: ReceptionMember) -> str:
    return reverse("returns:member_support", args=[member.pk])


def support_panel(
    *,
    user: User,
    member: ReceptionMember,
    deliveries: Iterable[SupportDelivery],
    next_url: str,
    form: ReceptionSupportForm | None = None,
    more: bool = False,
) -> dict[str, Any]:
    """What `_member_support.html` needs for one member (`support` in its context)."""
    back = next_url or _page_url(member)
    return {
        "member": member,
        "form": form or ReceptionSupportForm(initial={"next": next_url}, auto_id=f"ms-{member.pk}-%s"),
        "deliveries": list(deliveries),
        "more": more,
        "next": next_url,
        "action": _page_url(member),
        "void_query": urlencode({"next": back}),
        "can_give": user.has_perm(support.RECEIVE),
    }


def attach_support_panels(*, user: User, members: list[ReceptionMember], next_url: str) -> None:
    """For the reception sitting: set `member.support_panel` on each of `members` (one query for
    all their deliveries), to include `_member_support.html` with `support=member.support_panel`."""
    found = support_selectors.supports_by_member(members=members)
    for one in members:
        rows = found.get(one.pk, [])
        one.support_panel = support_panel(  # type: ignore[attr-defined]
            user=user,
            member=one,
            deliveries=rows[:CARD_LIMIT],
            next_url=next_url,
            more=len(rows) > CARD_LIMIT,
        )


@require_any(VIEW, support.RECEIVE, object_type=MEMBER)
def member_support(request: HttpRequest, member_id: uuid.UUID) -> HttpResponse:
    user = cast(User, request.user)
    member = selectors.member_get_for(user=user, member_id=member_id)
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    form = ReceptionSupportForm(
        request.POST or None, initial={"next": next_url}, auto_id=f"ms-{member.pk}-%s"
    )
    if request.method == "POST":
        if not user.has_perm(support.RECEIVE):
            return permission_denied(request, object_type=MEMBER, object_id=str(member_id))
        if form.is_valid():
            data = form.cleaned_data
            try:
                support.member_support_give(
                    actor=user,
                    member=member,
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
                messages.success(request, _("The support given at reception is recorded."))
                return HttpResponseRedirect(next_url or _page_url(member))
    rows = support_selectors.member_support_list(member=member)
    page = CappedPaginator(rows, PAGE_SIZE, count_in_order=False).get_page(request.GET.get("page"))
    audit.record(
        action=AuditAction.VIEW,
        actor=user,
        agency=member.event.agency,
        obj=member,
        details={"part": "support"},
    )
    context = {
        "member": member,
        "event": member.event,
        "name": display_name_for(user=user, person=member.return_record.person),
        "page": page,
        "support": support_panel(
            user=user, member=member, deliveries=page.object_list, next_url=next_url, form=form
        ),
        "regimes": regimes.regimes_in_force(timezone.localdate()),
    }
    return render(
        request, "returns/reception/member_support.html", context, status=400 if form.errors else 200
    )
