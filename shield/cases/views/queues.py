"""The supervisor's approvals: care plans and closures waiting for a decision, in one list."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from shield import audit
from shield.audit.models import AuditAction
from shield.audit.refusals import require_permission
from shield.cases import forms, presenters, selectors
from shield.cases.views.common import CASE_TYPE, SUPERVISE, user_of
from shield.core.htmx import render_page_or_partial
from shield.core.pagination import CappedPaginator

PAGE_SIZE = 25


@require_permission(SUPERVISE, object_type=CASE_TYPE)
@require_GET
def approval_list(request: HttpRequest) -> HttpResponse:
    """Each row links to the case's tab where the plan or closure is approved or returned."""
    user = user_of(request)
    form = forms.ApprovalFilterForm(request.GET)
    context: dict[str, Any] = {"form": form, "page": None, "rows": [], "filtered": form.has_filters()}
    if form.is_valid():
        data = form.cleaned_data
        items = selectors.approvals_for(user=user, kind=data.get("kind") or "", search=data.get("q") or "")
        page = CappedPaginator(items, PAGE_SIZE, count_in_order=False).get_page(request.GET.get("page"))
        context.update(page=page, rows=presenters.approval_rows(list(page.object_list)))
        audit.record(
            action=AuditAction.LIST,
            actor=user,
            object_type=CASE_TYPE,
            details={"queue": "approvals", "filters": sorted(n for n in ("q", "kind") if data.get(n))},
        )
    return render_page_or_partial(request, "cases/approval_list.html", context, partial="results")
