"""Pages of the reception part: the verification requests list (filtered to those due)."""

from typing import cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shield.accounts.models import User
from shield.core.pagination import CappedPaginator
from shield.referrals.support.pages import require_any
from shield.returns.models import VerificationRequest
from shield.returns.reception import selectors

PAGE_SIZE = 25


@require_any(selectors.VIEW, object_type=VerificationRequest._meta.label_lower)
def verification_list(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    if request.GET.get("due") == "yes":
        rows = selectors.verifications_due(user)
    else:
        rows = selectors.verification_list_for(user=user).order_by("answer_due_at", "id")
    page = CappedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "returns/reception/verification_list.html", {"page": page})
