"""Detention pages: the list for justice officers, a child party's detention history (with a form
to record an episode) and one episode (its changes and family visits).

Reading needs `justice.view`, writing `justice.edit`; a party or episode outside the user's reach
answers 404. Children's names are masked unless the reader is assigned to the proceeding.
"""

import uuid
from typing import Any, cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shield import audit
from shield.accounts.models import User
from shield.audit.models import AuditAction
from shield.audit.refusals import permission_denied, require_permission
from shield.core.errors import ApplicationError, NotFound
from shield.core.forms import add_application_error
from shield.core.pagination import CappedPaginator
from shield.justice.children import rules
from shield.justice.detention import limits, selectors, services
from shield.justice.detention.forms import (
    EpisodeEditForm,
    EpisodeFilterForm,
    EpisodeForm,
    VisitForm,
    initial_of,
)
from shield.justice.models import DetentionEpisode, Party
from shield.justice.proceedings.access import EDIT, VIEW, assigned_proceeding_ids
from shield.justice.proceedings.selectors import party_name_in_list as party_name

PAGE_SIZE = 25
EPISODE_TYPE = DetentionEpisode._meta.label_lower
PARTY_TYPE = Party._meta.label_lower


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "404.html", status=404)


@require_permission(VIEW, object_type=EPISODE_TYPE)
@require_http_methods(["GET"])
def episode_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = EpisodeFilterForm(request.GET)
    filters = selectors.EpisodeFilters()
    if form.is_valid():
        filters = selectors.EpisodeFilters(kind=form.cleaned_data["kind"], state=form.cleaned_data["state"])
    episodes = selectors.episode_list_for(user=user, filters=filters)
    page = CappedPaginator(episodes, PAGE_SIZE).get_page(request.GET.get("page"))
    assigned = assigned_proceeding_ids(user)
    child_rules = rules.ChildRules.current()
    rows = [
        {
            "episode": e,
            "name": party_name(party=e.party, person=e.party.person, assigned=assigned),
            "days": selectors.days_held(e),
            "limit": limits.view_of(e, child_rules=child_rules),
        }
        for e in page.object_list
    ]
    return render(request, "justice/detention/episode_list.html", {"form": form, "page": page, "rows": rows})


@require_permission(VIEW, object_type=PARTY_TYPE)
@require_http_methods(["GET", "POST"])
def party_detention(request: HttpRequest, party_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    try:
        party = selectors.party_get_for(user=user, party_id=party_id)
    except NotFound:
        return _not_found(request)
    can_edit = user.has_perm(EDIT)
    form = EpisodeForm()
    if request.method == "POST":
        if not can_edit:
            return permission_denied(request, object_type=PARTY_TYPE, object_id=str(party_id))
        form = EpisodeForm(request.POST)
        if form.is_valid():
            try:
                episode = services.episode_record(actor=user, party=party, **form.service_values())
            except NotFound:
                return _not_found(request)
            except ApplicationError as exc:
                add_application_error(form, exc)
            else:
                messages.success(request, _("Detention episode recorded."))
                return redirect("justice:detention_episode", episode_id=episode.pk)
    else:
        audit.record(action=AuditAction.VIEW, actor=user, obj=party, details={"page": "detention_history"})
    episodes = selectors.episodes_of_party(party=party)
    child_rules = rules.ChildRules.current()
    context: dict[str, Any] = {
        "party": party,
        "name": party_name(party=party, person=party.person, assigned=assigned_proceeding_ids(user)),
        "episodes": [
            {
                "episode": e,
                "days": selectors.days_held(e),
                "limit": limits.view_of(e, child_rules=child_rules),
            }
            for e in episodes
        ],
        "form": form,
        "can_edit": can_edit and party.is_child,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "justice/detention/party_detention.html", context, status=status)


@require_permission(VIEW, object_type=EPISODE_TYPE)
@require_http_methods(["GET", "POST"])
def episode_detail(request: HttpRequest, episode_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    try:
        episode = selectors.episode_get_for(user=user, episode_id=episode_id)
    except NotFound:
        return _not_found(request)
    can_edit = user.has_perm(EDIT)
    form = EpisodeEditForm(initial=initial_of(episode))
    visit_form = VisitForm()
    status = 200
    if request.method == "POST":
        if not can_edit:
            return permission_denied(request, object_type=EPISODE_TYPE, object_id=str(episode_id))
        try:
            if request.POST.get("action") == "visit":
                visit_form = VisitForm(request.POST)
                if visit_form.is_valid():
                    try:
                        services.family_visit_record(
                            actor=user, episode=episode, visited_on=visit_form.cleaned_data["visited_on"]
                        )
                    except ApplicationError as exc:
                        if isinstance(exc, NotFound):
                            raise
                        add_application_error(visit_form, exc)
                    else:
                        messages.success(request, _("Family visit recorded."))
                        return redirect("justice:detention_episode", episode_id=episode.pk)
            else:
                form = EpisodeEditForm(request.POST)
                if form.is_valid():
                    try:
                        services.episode_update(
                            actor=user,
                            episode=episode,
                            expected_version=form.cleaned_data["version"],
                            **form.service_values(),
                        )
                    except ApplicationError as exc:
                        if isinstance(exc, NotFound):
                            raise
                        add_application_error(form, exc)
                    else:
                        messages.success(request, _("Detention episode saved."))
                        return redirect("justice:detention_episode", episode_id=episode.pk)
        except NotFound:
            return _not_found(request)
        status = 400
    else:
        audit.record(action=AuditAction.VIEW, actor=user, obj=episode)
    context = {
        "episode": episode,
        "party": episode.party,
        "name": party_name(
            party=episode.party, person=episode.party.person, assigned=assigned_proceeding_ids(user)
        ),
        "days": selectors.days_held(episode),
        "limit": limits.view_of(episode, child_rules=rules.ChildRules.current()),
        "visits": list(selectors.visits_of(episode=episode)[:200]),
        "form": form,
        "visit_form": visit_form,
        "can_edit": can_edit,
    }
    return render(request, "justice/detention/episode_detail.html", context, status=status)
