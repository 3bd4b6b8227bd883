"""The group reception sitting: one page for a whole handover at a border gate.

The page shows the event, a form to add a returnee (found in the registry or registered now) and one
card per member: the intake instrument's questions and the outcome, then to whom the returnee is
handed (family and who, a commune, or a referral made on the member's refer page). Without
JavaScript every card is a plain form (POST, redirect, the member's version in the form; a stale
version is refused with a message and what was typed is shown again). With JavaScript
(`static/returns/reception.js`) every change is autosaved to `sitting_draft` (JSON, the member's
version in If-Match), kept on the device while offline and sent again when the connection is back.
"""

import json
import uuid
from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shield import audit
from shield.accounts.models import User
from shield.audit.models import AuditAction
from shield.core.errors import ApplicationError, NotFound, PermissionRefused, StaleVersion, VersionRequired
from shield.core.lookups import one_or_not_found
from shield.geo import selectors as geo
from shield.intake.instruments import Definition
from shield.intake.models import ScreeningStatus
from shield.people.selectors import display_name_for, person_get_for, person_list_for
from shield.referrals.directory import selectors as directory
from shield.referrals.support.pages import refused_on_form, require_any
from shield.returns.models import Disposition, ReceptionEvent, ReceptionMember, ReceptionStatus
from shield.returns.reception import selectors, services
from shield.returns.reception import sitting_forms as forms
from shield.returns.reception.support_views import attach_support_panels

RECEIVE = services.RECEIVE
REFER = "referrals.make"
EVENT = ReceptionEvent._meta.label_lower
MEMBER = ReceptionMember._meta.label_lower
SEARCH_RESULTS = 10
# The services offered first on the refer page, before the officer searches the directory.
FIRST_OFFERED = ("shelter", "health_care")
DRAFT_BODY_MAX = 64_000


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _event(user: User, event_id: uuid.UUID) -> ReceptionEvent:
    return selectors.reception_get_for(user=user, event_id=event_id)


def _members(event: ReceptionEvent) -> Any:
    return event.members.select_related(
        "return_record__person", "screening__instrument", "commune", "referral__provider"
    ).order_by("position")


def _member(event: ReceptionEvent, member_id: uuid.UUID) -> ReceptionMember:
    return one_or_not_found(_members(event), member_id)


def _sitting_url(event: ReceptionEvent, member: ReceptionMember | None = None) -> str:
    url = reverse("returns:reception_sitting", args=[event.pk])
    return f"{url}#member-{member.position}" if member is not None else url


@dataclass
class Card:
    member: ReceptionMember
    name: str
    form: forms.MemberCardForm
    stage: str  # "screen", "dispose" or "done"


class _Lookups:
    """What every card needs once per page: provinces, communes by province, instruments."""

    def __init__(self, event: ReceptionEvent) -> None:
        self._by_code = {p.code: p for p in geo.province_list()}
        self.provinces = [(p.code, p.name) for p in self._by_code.values()]
        gate_province = event.border_gate.province_id
        self.default_province = next((p.code for p in self._by_code.values() if p.pk == gate_province), "")
        self._communes: dict[str, list[tuple[str, str]]] = {}
        self._definitions: dict[Any, Definition] = {}

    def communes(self, code: str) -> list[tuple[str, str]]:
        if code not in self._communes:
            found = self._by_code.get(code)
            self._communes[code] = (
                [(c.code, c.name) for c in geo.commune_list(province=found)] if found else []
            )
        return self._communes[code]

    def definition(self, member: ReceptionMember) -> Definition:
        assert member.screening is not None
        instrument = member.screening.instrument
        if instrument.pk not in self._definitions:
            self._definitions[instrument.pk] = instrument.parsed
        return self._definitions[instrument.pk]


def _definition_of(member: ReceptionMember) -> Definition:
    assert member.screening is not None
    return member.screening.instrument.parsed


def _stage(member: ReceptionMember) -> str:
    if member.disposition != Disposition.PENDING:
        return "done"
    if member.screening is not None and member.screening.status == ScreeningStatus.DRAFT:
        return "screen"
    return "dispose"


def _card_form(
    lookups: _Lookups, member: ReceptionMember, data: Any = None, version: int | None = None
) -> forms.MemberCardForm:
    draft = dict(member.draft or {})
    province = str((data.get("province") if data is not None else None) or draft.get("province") or "")
    province = province or lookups.default_province
    initial = {"version": member.version, "province": lookups.default_province, **draft}
    if data is not None and version is not None:
        data = data.copy()
        data["version"] = str(version)
    return forms.MemberCardForm(
        data,
        initial=initial,
        definition=lookups.definition(member),
        provinces=lookups.provinces,
        communes=lookups.communes(province),
        prefix_id=str(member.position),
    )


def _page(
    request: HttpRequest,
    event: ReceptionEvent,
    *,
    failed: tuple[uuid.UUID, forms.MemberCardForm] | None = None,
    register: forms.RegisterForm | None = None,
    complete: forms.CompleteForm | None = None,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    lookups = _Lookups(event)
    cards = []
    for member in _members(event):
        form = failed[1] if failed is not None and failed[0] == member.pk else _card_form(lookups, member)
        name = display_name_for(user=user, person=member.return_record.person)
        cards.append(Card(member=member, name=name, form=form, stage=_stage(member)))
    attach_support_panels(
        user=user,
        members=[card.member for card in cards],
        next_url=reverse("returns:reception_sitting", args=[event.pk]),
    )
    search = forms.PersonSearchForm(request.GET or None)
    found: list[tuple[Any, str]] | None = None
    if request.GET.get("q") and search.is_valid() and search.cleaned_data["q"]:
        rows = person_list_for(user=user, q=search.cleaned_data["q"])[:SEARCH_RESULTS]
        found = [(p, display_name_for(user=user, person=p)) for p in rows]
        audit.record(
            action=AuditAction.LIST, actor=user, object_type="people.person", search=search.cleaned_data["q"]
        )
    context = {
        "event": event,
        "officers": [o.officer for o in event.officers.select_related("officer")],
        "is_open": event.status == ReceptionStatus.OPEN,
        "cards": cards,
        "search": search,
        "found": found,
        "register": register or forms.RegisterForm(),
        "complete": complete or forms.CompleteForm(initial={"version": event.version}),
        "pending": sum(1 for c in cards if c.stage != "done"),
        "refusal": refusal,
    }
    return render(request, "returns/reception/sitting.html", context, status=status)


@require_any(RECEIVE, object_type=EVENT)
@require_GET
def reception_sitting(request: HttpRequest, event_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    event = _event(user, event_id)
    audit.record(action=AuditAction.VIEW, actor=user, agency=event.agency, obj=event)
    return _page(request, event)


@require_any(RECEIVE, object_type=EVENT)
@require_POST
def sitting_add(request: HttpRequest, event_id: uuid.UUID) -> HttpResponse:
    """Add a returnee: the registry person chosen from the search, or one registered now."""
    user = _user(request)
    event = _event(user, event_id)
    chosen = forms.AddPersonForm(request.POST)
    register = forms.RegisterForm(request.POST)
    try:
        if "person" in request.POST:
            if not chosen.is_valid():
                raise NotFound()
            person = person_get_for(user=user, person_id=chosen.cleaned_data["person"])
            member = services.member_add(actor=user, event=event, person=person)
        elif register.is_valid():
            data = register.cleaned_data
            member = services.member_add(
                actor=user,
                event=event,
                full_name=data["full_name"],
                sex=data.get("sex") or "",
                birth_year=data.get("birth_year"),
            )
        else:
            return _page(request, event, register=register, status=400)
    except ApplicationError as error:
        if not refused_on_form(register, error):
            raise
        return _page(request, event, register=register, status=400)
    messages.success(request, _("Returnee %(number)s added.") % {"number": member.position})
    return HttpResponseRedirect(_sitting_url(event, member))


def _commune(province: str, code: str) -> Any:
    if not code:
        return None
    found = geo.province_list().filter(code=province).first() if province else None
    if found is None:
        return None
    return geo.commune_list(province=found).filter(code=code).first()


@require_any(RECEIVE, object_type=MEMBER)
@require_POST
def sitting_member(request: HttpRequest, event_id: uuid.UUID, member_id: uuid.UUID) -> HttpResponse:
    """One card posted without JavaScript: save the draft, record the screening, or hand on."""
    user = _user(request)
    event = _event(user, event_id)
    member = _member(event, member_id)
    if event.status != ReceptionStatus.OPEN or member.disposition != Disposition.PENDING:
        refusal = _("This reception is completed.") if event.status != ReceptionStatus.OPEN else ""
        refusal = refusal or _("This returnee has already been handed on.")
        return _page(request, event, refusal=refusal, status=400)
    lookups = _Lookups(event)
    form = _card_form(lookups, member, request.POST)
    action = request.POST.get("action", "draft")
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "screen":
                services.member_screen(
                    actor=user,
                    member=member,
                    version=data["version"],
                    outcome=data.get("outcome") or "",
                    data={"answers": form.answers()},
                )
                done = _("The screening of returnee %(number)s is recorded.")
            elif action == "dispose":
                services.member_dispose(
                    actor=user,
                    member=member,
                    version=data["version"],
                    disposition=data.get("disposition") or "",
                    handed_to=data.get("handed_to") or "",
                    commune=_commune(data.get("province") or "", data.get("commune") or ""),
                )
                done = _("Returnee %(number)s is handed on.")
            else:
                draft = forms.draft_from(request.POST, lookups.definition(member))
                services.member_save_draft(actor=user, member=member, version=data["version"], draft=draft)
                done = _("The card of returnee %(number)s is saved.")
        except (StaleVersion, VersionRequired):
            current = ReceptionMember.objects.only("version").get(pk=member.pk).version
            form = _card_form(lookups, member, request.POST, version=current)
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Someone else saved this returnee's card after you opened it. What you typed is "
                    "shown below: check it against the saved card and save again."
                ),
            )
        except ApplicationError as error:
            if not refused_on_form(form, error):
                raise
        else:
            messages.success(request, done % {"number": member.position})
            return HttpResponseRedirect(_sitting_url(event, member))
    return _page(request, event, failed=(member.pk, form), status=400)


def _json_error(status: int, detail: str, **extra: Any) -> JsonResponse:
    return JsonResponse({"detail": detail, **extra}, status=status)


def _if_match(request: HttpRequest, body: dict[str, Any]) -> int | None:
    header = request.headers.get("If-Match", "").strip()
    if header.startswith("W/"):
        header = header[2:]
    header = header.strip('"')
    raw = header or body.get("version")
    if raw is None or raw == "" or isinstance(raw, bool):
        return None
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


@require_POST
def sitting_draft(request: HttpRequest, event_id: uuid.UUID, member_id: uuid.UUID) -> HttpResponse:
    """Autosave (JSON): `{"draft": {...}}` with the member's version in If-Match (or `version`).
    200 with the new version; 412 when someone saved in between; 428 without a version."""
    user = _user(request)
    if not user.is_authenticated:
        return _json_error(401, _("Sign in again: your session has ended."))
    if not user.has_perm(RECEIVE):
        audit.record(
            action=AuditAction.PERMISSION_DENIED, actor=user, object_type=MEMBER, object_id=str(member_id)
        )
        return _json_error(403, _("You may not record receptions."))
    try:
        member = _member(_event(user, event_id), member_id)
    except NotFound:
        return _json_error(404, _("Not found."))
    if len(request.body) > DRAFT_BODY_MAX:
        return _json_error(400, _("The draft is too long."))
    try:
        body = json.loads(request.body or b"{}")
        if not isinstance(body, dict):
            raise ValueError("body")
        draft = forms.clean_draft(body.get("draft"), _definition_of(member))
    except ValueError:
        return _json_error(400, _("The draft could not be read."))
    version = _if_match(request, body)
    if version is None:
        return _json_error(428, _("The draft names no version: reload the page."))
    try:
        member = services.member_save_draft(actor=user, member=member, version=version, draft=draft)
    except StaleVersion:
        current = ReceptionMember.objects.only("version").get(pk=member.pk).version
        return _json_error(
            412,
            _(
                "Someone else saved this returnee's card. Your text is kept on this device: "
                "reload to compare."
            ),
            version=current,
        )
    except PermissionRefused:
        return _json_error(403, _("You may not record receptions."))
    except ApplicationError as error:
        return _json_error(409, error.message)
    response = JsonResponse({"version": member.version, "saved_at": timezone.now().isoformat()})
    response["ETag"] = f'"{member.version}"'
    return response


@require_any(RECEIVE, object_type=EVENT)
@require_GET
def sitting_communes(request: HttpRequest, event_id: uuid.UUID) -> HttpResponse:
    """The communes of a province (JSON), for the card's commune list when the province changes."""
    _event(_user(request), event_id)
    code = request.GET.get("province", "")[:2]
    province = geo.province_list().filter(code=code).first() if code else None
    communes = geo.commune_list(province=province) if province is not None else []
    return JsonResponse({"communes": [{"code": c.code, "name": c.name} for c in communes]})


@require_any(RECEIVE, object_type=EVENT)
@require_POST
def sitting_complete(request: HttpRequest, event_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    event = _event(user, event_id)
    form = forms.CompleteForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.reception_complete(
                actor=user,
                event=event,
                version=data["version"],
                receipt_number=data.get("receipt_number") or "",
                receipt_signed_at=timezone.now() if data.get("receipt_signed") else None,
            )
        except ApplicationError as error:
            if not refused_on_form(form, error):
                raise
        else:
            messages.success(request, _("The reception is completed."))
            return HttpResponseRedirect(_sitting_url(event))
    return _page(request, event, complete=form, status=400)


def _offered(user: User, q: str, member: ReceptionMember) -> list[Any]:
    person = member.return_record.person
    if q:
        return directory.referable_search_for(user=user, q=q, sex=person.sex or "")
    first = directory.referable_services_for(user=user).filter(service_type__in=FIRST_OFFERED)
    return list(first.order_by("name", "id")[: directory.REFER_SEARCH_LIMIT])


@require_any(RECEIVE, object_type=MEMBER)
def sitting_refer(request: HttpRequest, event_id: uuid.UUID, member_id: uuid.UUID) -> HttpResponse:
    """Refer one returnee to a service of the directory (a shelter, a health service)."""
    user = _user(request)
    if not user.has_perm(REFER):
        raise PermissionRefused()
    event = _event(user, event_id)
    member = _member(event, member_id)
    q = request.GET.get("q", "")[:200]
    form = forms.ReferForm(
        request.POST or None,
        initial={"version": member.version},
        services=directory.referable_services_for(user=user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.member_refer(
                actor=user,
                member=member,
                version=data["version"],
                provider=data["service"].provider,
                service=data["service"],
                reason=data["reason"],
                urgency=data["urgency"],
                consent=bool(data.get("consent")),
                consent_given_by=data.get("consent_given_by") or "person",
                guardian_name=data.get("guardian_name") or "",
                legal_basis=data.get("legal_basis") or "",
                override=bool(data.get("override")),
            )
        except ApplicationError as error:
            if not refused_on_form(form, error):
                raise
        else:
            messages.success(request, _("Returnee %(number)s is referred.") % {"number": member.position})
            return HttpResponseRedirect(_sitting_url(event, member))
    if request.method != "POST":
        audit.record(action=AuditAction.VIEW, actor=user, agency=event.agency, obj=member)
    chosen = str(form["service"].value() or "")
    context = {
        "event": event,
        "member": member,
        "name": display_name_for(user=user, person=member.return_record.person),
        "form": form,
        "q": q,
        "offered": _offered(user, q, member),
        "chosen": chosen,
        "has_case": member.return_record.case_id is not None,
        "is_open": event.status == ReceptionStatus.OPEN and member.disposition == Disposition.PENDING,
    }
    return render(
        request, "returns/reception/sitting_refer.html", context, status=400 if form.errors else 200
    )


__all__ = [
    "reception_sitting",
    "sitting_add",
    "sitting_communes",
    "sitting_complete",
    "sitting_draft",
    "sitting_member",
    "sitting_refer",
]
