"""Pages of linkage: the review queue, a pair side by side (decide, merge, unmerge), and runs.

Thin, as everywhere: each view checks the page's permission (403, audited), reads through
`shield.linkage.selectors` (a pair whose persons the reviewer cannot both see answers 404),
validates a form, calls one service and renders. Reading a pair is audited as a `view` of the
pair and of both persons, whose details it shows.
"""

import uuid
from typing import Any, cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shield import audit
from shield.accounts.models import User
from shield.audit.models import AuditAction
from shield.audit.refusals import permission_denied, require_permission
from shield.core.access import AccessSubject
from shield.core.errors import ApplicationError, InvalidTransition, NotFound, StaleVersion
from shield.core.forms import add_application_error
from shield.core.htmx import is_htmx, render_page_or_partial
from shield.core.pagination import CappedPaginator
from shield.linkage import presenters, selectors, services
from shield.linkage.forms import DecisionForm, MergeForm, ReviewFilterForm, RunStartForm, UnmergeForm
from shield.linkage.models import LinkageRun, PairStatus, ReviewPair

PAIR_TYPE = ReviewPair._meta.label_lower
RUN_TYPE = LinkageRun._meta.label_lower
REVIEW = selectors.REVIEW_PERMISSION
RUN = selectors.RUN_PERMISSION
PAGE_SIZE = 25


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _viewer(user: User) -> AccessSubject:
    return cast(AccessSubject, user)


def _may_merge(user: User) -> bool:
    return all(user.has_perm(p) for p in selectors.MERGE_PERMISSIONS)


def _get_pair(user: User, pair_id: uuid.UUID) -> ReviewPair:
    try:
        return selectors.review_pair_get_for(user=_viewer(user), pair_id=pair_id)
    except NotFound as exc:
        raise Http404 from exc


# --- the queue ------------------------------------------------------------------------------


@require_permission(REVIEW, object_type=PAIR_TYPE)
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ReviewFilterForm(request.GET)
    context: dict[str, Any] = {"form": form, "page": None, "rows": [], "filtered": form.has_filters()}
    if form.is_valid():
        pairs = selectors.review_pair_list_for(user=_viewer(user), **form.filters())
        page = CappedPaginator(pairs, PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(page=page, rows=[presenters.pair_row(_viewer(user), p) for p in page.object_list])
        # The queue shows the persons of each pair side by side: a list of personal data.
        audit.record(action=AuditAction.LIST, actor=user, object_type=PAIR_TYPE)
    return render_page_or_partial(request, "linkage/review_list.html", context, partial="results")


# --- one pair -------------------------------------------------------------------------------


def _pair_context(user: User, pair: ReviewPair, **extra: Any) -> dict[str, Any]:
    viewer = _viewer(user)
    left = presenters.side(viewer, pair.person_low, selectors.individual_code_of(pair.person_low))
    right = presenters.side(viewer, pair.person_high, selectors.individual_code_of(pair.person_high))
    merges = list(selectors.merges_of_pair(pair))
    active_merge = next((m for m in merges if m.is_active), None)
    may_merge = _may_merge(user) and not (left.name_hidden or right.name_hidden)
    context: dict[str, Any] = {
        "pair": pair,
        "left": left,
        "right": right,
        "percent": round(pair.match_probability * 100),
        "evidence": presenters.evidence_rows(pair),
        "is_open": pair.status == PairStatus.OPEN,
        "decision_form": DecisionForm(initial={"version": pair.version}),
        "may_merge": may_merge and pair.status == PairStatus.CONFIRMED and active_merge is None,
        "may_unmerge": may_merge and active_merge is not None,
        "merge_form": MergeForm(choices=_survivor_choices(left, right)),
        "unmerge_form": UnmergeForm(),
        "merges": [{"merge": merge, "summary": presenters.merge_summary(merge)} for merge in merges],
        "active_merge": active_merge,
    }
    context.update(extra)
    return context


def _survivor_choices(left: presenters.Side, right: presenters.Side) -> list[tuple[str, str]]:
    return [
        (str(s.person.pk), f"{s.name} · {s.person.owner_agency.name} · {s.person.created_at:%d/%m/%Y}")
        for s in (left, right)
    ]


def _audit_pair_read(user: User, pair: ReviewPair) -> None:
    audit.record(action=AuditAction.VIEW, actor=user, obj=pair)
    audit.record(action=AuditAction.VIEW, actor=user, obj=pair.person_low)
    audit.record(action=AuditAction.VIEW, actor=user, obj=pair.person_high)


def _pair_page(
    request: HttpRequest, user: User, pair: ReviewPair, status: int = 200, **extra: Any
) -> HttpResponse:
    context = _pair_context(user, pair, fragment=is_htmx(request), **extra)
    response = render_page_or_partial(
        request, "linkage/pair_detail.html", context, partial="main", status=status
    )
    _audit_pair_read(user, pair)
    return response


@require_permission(REVIEW, object_type=PAIR_TYPE)
@require_GET
def pair_detail(request: HttpRequest, pair_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    return _pair_page(request, user, _get_pair(user, pair_id))


@require_permission(REVIEW, object_type=PAIR_TYPE)
@require_POST
def pair_decide(request: HttpRequest, pair_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    pair = _get_pair(user, pair_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.pair_decide(
                actor=user,
                pair=pair,
                decision=data["decision"],
                reason=data["reason"],
                expected_version=data["version"],
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
            stale = isinstance(exc, StaleVersion | InvalidTransition)
            pair = _get_pair(user, pair_id)
            return _pair_page(
                request, user, pair, status=409 if stale else 400, decision_form=form, stale=stale
            )
        messages.success(request, presenters.decision_message(data["decision"]))
        return HttpResponseRedirect(reverse("linkage:pair_detail", args=[pair.pk]))
    return _pair_page(request, user, pair, status=400, decision_form=form)


def _merging_user(request: HttpRequest, pair_id: uuid.UUID) -> tuple[User, ReviewPair, HttpResponse | None]:
    user = _user(request)
    pair = _get_pair(user, pair_id)
    if not _may_merge(user):
        return user, pair, permission_denied(request, object_type=PAIR_TYPE, object_id=str(pair.pk))
    return user, pair, None


@require_permission(REVIEW, object_type=PAIR_TYPE)
@require_POST
def pair_merge(request: HttpRequest, pair_id: uuid.UUID) -> HttpResponse:
    user, pair, refusal = _merging_user(request, pair_id)
    if refusal:
        return refusal
    viewer = _viewer(user)
    left, right = presenters.side(viewer, pair.person_low), presenters.side(viewer, pair.person_high)
    if left.name_hidden or right.name_hidden:
        return permission_denied(request, object_type=PAIR_TYPE, object_id=str(pair.pk))
    form = MergeForm(request.POST, choices=_survivor_choices(left, right))
    if form.is_valid():
        keep = form.cleaned_data["survivor"]
        survivor, merged = (left, right) if keep == str(left.person.pk) else (right, left)
        try:
            services.person_merge(
                actor=user,
                survivor=survivor.person,
                merged=merged.person,
                reason=form.cleaned_data["reason"],
                review_pair=pair,
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(
                request, _("The two records were merged. The merge can be undone from this page.")
            )
            return HttpResponseRedirect(reverse("linkage:pair_detail", args=[pair.pk]))
    return _pair_page(request, user, pair, status=400, merge_form=form)


@require_permission(REVIEW, object_type=PAIR_TYPE)
@require_POST
def pair_unmerge(request: HttpRequest, pair_id: uuid.UUID, merge_id: uuid.UUID) -> HttpResponse:
    user, pair, refusal = _merging_user(request, pair_id)
    if refusal:
        return refusal
    try:
        merge = selectors.merge_get_for_pair(pair=pair, merge_id=merge_id)
    except NotFound as exc:
        raise Http404 from exc
    form = UnmergeForm(request.POST)
    if form.is_valid():
        try:
            services.person_unmerge(actor=user, merge=merge, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("The merge was undone: both records are as they were."))
            return HttpResponseRedirect(reverse("linkage:pair_detail", args=[pair.pk]))
    return _pair_page(request, user, pair, status=400, unmerge_form=form)


# --- runs -----------------------------------------------------------------------------------


@require_permission(RUN, object_type=RUN_TYPE)
@require_GET
def run_list(request: HttpRequest) -> HttpResponse:
    page = CappedPaginator(selectors.run_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "latest": selectors.run_latest(), "form": RunStartForm()}
    return render_page_or_partial(request, "linkage/run_list.html", context, partial="runs")


@require_permission(RUN, object_type=RUN_TYPE)
@require_http_methods(["GET", "POST"])
def run_start(request: HttpRequest) -> HttpResponse:
    """A confirmation page; the confirmed form queues the run and shows its progress."""
    user = _user(request)
    form = RunStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.run_start(actor=user)
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("The linkage run was queued."))
            return HttpResponseRedirect(reverse("linkage:run_detail", args=[run.pk]))
    status = 400 if request.method == "POST" else 200
    return render_page_or_partial(
        request, "linkage/run_start.html", {"form": form}, partial="form", status=status
    )


@require_permission(RUN, object_type=RUN_TYPE)
@require_GET
def run_detail(request: HttpRequest, run_id: uuid.UUID) -> HttpResponse:
    """The run with its progress; htmx polls the `progress` partial until the run has ended."""
    try:
        run = selectors.run_get(run_id=run_id)
    except NotFound as exc:
        raise Http404 from exc
    return render_page_or_partial(request, "linkage/run_detail.html", {"run": run}, partial="progress")


@require_permission(RUN, object_type=RUN_TYPE)
@require_POST
def run_cancel(request: HttpRequest, run_id: uuid.UUID) -> HttpResponse:
    """Cancel a queued run no worker has started, so that it stops blocking the next run."""
    try:
        run = selectors.run_get(run_id=run_id)
    except NotFound as exc:
        raise Http404 from exc
    try:
        services.run_cancel(actor=_user(request), run=run)
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The linkage run was cancelled. You can start a new one."))
    return HttpResponseRedirect(reverse("linkage:run_detail", args=[run.pk]))
