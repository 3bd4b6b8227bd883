"""Pages of the person registry: find, register, read and correct people.

Thin, as everywhere: each view checks the page's permission, validates a form, calls one selector
or service and renders. Reads go through `shield.people.selectors` (scoped: another agency's
person answers 404), writes through `shield.people.services`. A page that shows a person's
details writes a `view` audit event; a child's name is shown as `display_name_for` allows.
"""

import datetime
import hashlib
import uuid
from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shield import audit
from shield.accounts import policy
from shield.accounts.models import Agency, User
from shield.audit.models import AuditAction
from shield.audit.refusals import permission_denied, require_permission
from shield.core import saved_searches
from shield.core.access import AccessSubject
from shield.core.errors import ApplicationError, NotFound, StaleVersion
from shield.core.forms import add_application_error
from shield.core.htmx import is_htmx, render_page_or_partial
from shield.core.pagination import CappedPaginator
from shield.geo import selectors as geo
from shield.people import birth_dates, candidates, selectors, services
from shield.people import notices as person_notices
from shield.people.forms import (
    AliasForm,
    DocumentFixForm,
    DocumentForm,
    PersonEditForm,
    PersonRegisterForm,
    PersonSearchForm,
    RelationshipForm,
    data_with_parsed_name,
)
from shield.people.models import BirthDatePrecision, DocumentStatus, IdentityDocument, Person
from shield.people.names import initials, parse_name, split_name

PERSON_TYPE = Person._meta.label_lower
VIEW_PERMISSION = selectors.VIEW_PERMISSION
REGISTER_PERMISSION = "people.register"
PAGE_SIZE = 25
SEARCH_SCOPE = "people"
CANDIDATES_SHOWN = 10
RELATED_OPTIONS_SHOWN = 8


@dataclass(frozen=True)
class PersonRow:
    """A person as this user may see them in a list or a page header."""

    person: Person
    name: str
    name_hidden: bool
    birth: str
    birth_note: str
    # "Possibly the same person": what resembles (candidates.Evidence), when listed as a candidate.
    evidence: tuple[candidates.Evidence, ...] = ()
    # What other apps say about the person (notices.PersonNotice): "merged into ...".
    notices: tuple[person_notices.PersonNotice, ...] = ()


def _user(request: HttpRequest) -> User:
    # require_permission has run: a signed-in accounts.User.
    return cast(User, request.user)


def _viewer(user: User) -> AccessSubject:
    # accounts.User is the AccessSubject the selectors take; Django's has_perm signature differs
    # only in its type hints.
    return cast(AccessSubject, user)


def _age_on(estimated_age: int, estimated_on: datetime.date, today: datetime.date) -> int:
    years = (
        today.year - estimated_on.year - ((today.month, today.day) < (estimated_on.month, estimated_on.day))
    )
    return estimated_age + max(years, 0)


def describe_birth(person: Person, today: datetime.date | None = None) -> tuple[str, str]:
    """(what is known of the birth, how precisely) as shown: `14/03/2010`, `03/2010` (month and
    year), `2010` (year only), `about 15 years old` (estimated on …)."""
    precision = person.birth_date_precision
    if precision == BirthDatePrecision.ESTIMATED_AGE and person.estimated_age is not None:
        on = person.age_estimated_on or timezone.localdate()
        age = _age_on(person.estimated_age, on, today or timezone.localdate())
        return (
            _("about %(age)d years old") % {"age": age},
            _("estimated on %(date)s") % {"date": on.strftime("%d/%m/%Y")},
        )
    if person.birth_date is None:
        return _("Not known"), ""
    if precision == BirthDatePrecision.YEAR:
        return person.birth_date.strftime("%Y"), _("year only")
    if precision == BirthDatePrecision.MONTH:
        return person.birth_date.strftime("%m/%Y"), _("month and year")
    return person.birth_date.strftime("%d/%m/%Y"), ""


def _row(user: User, person: Person, **extra: Any) -> PersonRow:
    name = selectors.display_name_for(user=_viewer(user), person=person)
    birth, note = describe_birth(person)
    return PersonRow(
        person=person, name=name, name_hidden=name != person.full_name, birth=birth, birth_note=note, **extra
    )


def _candidate_rows(user: User, found: list[candidates.Candidate]) -> list[PersonRow]:
    return [_row(user, c.person, evidence=c.evidence) for c in found]


def _get_person(user: User, person_id: uuid.UUID) -> Person:
    try:
        return selectors.person_get_for(user=_viewer(user), person_id=person_id)
    except NotFound as exc:
        raise Http404 from exc


def _refuse(request: HttpRequest, person: Person) -> HttpResponse:
    return permission_denied(request, object_type=PERSON_TYPE, object_id=str(person.pk))


# --- list ---------------------------------------------------------------------------------------


@require_permission(VIEW_PERMISSION, object_type=PERSON_TYPE)
@require_http_methods(["GET", "POST"])
def person_list(request: HttpRequest) -> HttpResponse:
    """The registry, searched. The search form posts: names stay out of the URL (`saved_searches`)."""
    fields = PersonSearchForm.FILTER_NAMES
    if moved := saved_searches.redirect_to_key(
        request, scope=SEARCH_SCOPE, fields=fields, text_fields=("q",)
    ):
        return moved
    data, expired = saved_searches.search_data(request, scope=SEARCH_SCOPE)
    user = _user(request)
    form = PersonSearchForm(data)
    context: dict[str, Any] = {
        "form": form,
        "page": None,
        "rows": [],
        "filtered": form.has_filters(),
        "search_expired": expired,
        "can_register": user.has_perm(REGISTER_PERMISSION),
    }
    if form.is_valid():
        filters = form.filters()
        persons = selectors.person_list_for(user=_viewer(user), **filters)
        page = CappedPaginator(persons, PAGE_SIZE).get_page(request.GET.get("page"))
        shown = list(page.object_list)
        said = person_notices.notices_for(_viewer(user), shown)
        context.update(page=page, rows=[_row(user, p, notices=tuple(said.get(p.pk, ()))) for p in shown])
        audit.record(
            action=AuditAction.LIST,
            actor=user,
            object_type=PERSON_TYPE,
            search=filters["q"],
            details={"filters": sorted(name for name in fields if data.get(name))},
        )
    return render_page_or_partial(request, "people/person_list.html", context, partial="results")


# --- register and edit --------------------------------------------------------------------------


def _registering_agency(user: User) -> Agency:
    """The agency of the user's first membership that may register people: it owns the person."""
    return policy.memberships_with(user, REGISTER_PERMISSION)[0].agency


def _possible_duplicates(user: User, values: dict[str, Any]) -> tuple[list[PersonRow], int, str]:
    """Persons the user can see who may be the one being registered (`people.candidates`: the
    same family and given name born within a year, or the same document): (shown, how many, key).

    The key changes when the matches change, so a confirmation given for one list does not
    carry over to another.
    """
    born = birth_dates.stored_birth(
        precision=values["birth_date_precision"],
        birth_date=values.get("birth_date"),
        estimated_age=values.get("estimated_age"),
        age_estimated_on=values.get("age_estimated_on") or timezone.localdate(),
    )
    probe = candidates.probe_for_values(values, birth_year=born.birth_year)
    found = candidates.candidates_for(user=_viewer(user), probe=probe, limit=CANDIDATES_SHOWN)
    # Typing a name into the form is a search of the registry, whether or not anyone is registered.
    audit.record(
        action=AuditAction.LIST,
        actor=user,
        object_type=PERSON_TYPE,
        search=str(values.get("full_name") or ""),
        details={"filters": ["candidates"]},
    )
    if not found:
        return [], 0, ""
    fingerprint = f"{len(found)}|{'|'.join(str(c.person.pk) for c in found)}"
    key = hashlib.sha256(fingerprint.encode()).hexdigest()[:32]
    return _candidate_rows(user, found), len(found), key


def _form_page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    form = context["form"]
    full_name = str(form["full_name"].value() or "")
    context.setdefault("parsed", parse_name(full_name) if full_name.strip() else None)
    context.setdefault("typed", split_name(full_name))
    return render(request, "people/person_form.html", context)


@require_permission(REGISTER_PERMISSION, object_type=PERSON_TYPE)
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    context: dict[str, Any] = {"person": None, "candidates": [], "candidate_total": 0}
    if request.method == "GET":
        return _form_page(request, {**context, "form": PersonRegisterForm()})
    if "refresh_communes" in request.POST:  # without JavaScript: show the province's communes
        return _form_page(request, {**context, "form": PersonRegisterForm(initial=request.POST.dict())})
    form = PersonRegisterForm(request.POST)
    if form.is_valid():
        values = form.service_values()
        candidates, total, key = _possible_duplicates(user, values)
        confirmed = bool(request.POST.get("register_anyway")) and form.cleaned_data["seen_candidates"] == key
        context.update(candidates=candidates, candidate_total=total)
        if candidates and not confirmed:
            data = data_with_parsed_name(request.POST)
            data["seen_candidates"] = key
            context["candidates_changed"] = bool(request.POST.get("register_anyway"))
            return _form_page(request, {**context, "form": PersonRegisterForm(data)})
        try:
            person = services.person_register(actor=user, owner_agency=_registering_agency(user), **values)
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("The person was registered."))
            return HttpResponseRedirect(reverse("people:person_detail", args=[person.pk]))
    return _form_page(request, {**context, "form": form})


@require_permission(REGISTER_PERMISSION, object_type=PERSON_TYPE)
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    person = _get_person(user, person_id)
    row = _row(user, person)
    if row.name_hidden:
        return _refuse(request, person)
    context: dict[str, Any] = {"person": person, "row": row}
    if request.method == "GET":
        form = PersonEditForm(initial=PersonEditForm.initial_for(person))
        response = _form_page(request, {**context, "form": form})
        audit.record(action=AuditAction.VIEW, actor=user, obj=person)
        return response
    if "refresh_communes" in request.POST:
        return _form_page(request, {**context, "form": PersonEditForm(initial=request.POST.dict())})
    form = PersonEditForm(request.POST)
    if form.is_valid():
        try:
            services.person_update(
                actor=user,
                person=person,
                expected_version=form.cleaned_data["version"],
                **form.service_values(),
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
            context["stale"] = isinstance(exc, StaleVersion)
        else:
            messages.success(request, _("The changes were saved."))
            return HttpResponseRedirect(reverse("people:person_detail", args=[person.pk]))
    return _form_page(request, {**context, "form": form})


@require_permission(REGISTER_PERMISSION, object_type=PERSON_TYPE)
@require_GET
def parse_name_preview(request: HttpRequest) -> HttpResponse:
    """htmx: the name parts as read from the full name being typed."""
    full_name = request.GET.get("full_name", "")[:200]
    parsed = parse_name(full_name)
    form = PersonRegisterForm(
        initial={
            "family_name": parsed.family,
            "middle_name": parsed.middle,
            "given_name": parsed.given,
            "parsed_from": full_name,
        }
    )
    context = {"form": form, "parsed": parsed if full_name.strip() else None, "typed": split_name(full_name)}
    return render(request, "people/person_form.html#name_parts", context)


@require_permission(REGISTER_PERMISSION, object_type=PERSON_TYPE)
@require_GET
def commune_options(request: HttpRequest) -> HttpResponse:
    """htmx: the communes of the chosen province, as options of the commune select."""
    code = request.GET.get("home_province", "")
    province = geo.province_list().filter(code=code).first() if code else None
    communes = list(geo.commune_list(province=province)) if province is not None else []
    return render(request, "people/person_form.html#commune_options", {"communes": communes})


# --- detail and its sections --------------------------------------------------------------------


def _documents_with_fix_forms(
    person: Person, failed: DocumentFixForm | None, failed_id: uuid.UUID | None
) -> list[IdentityDocument]:
    """The documents, each current one carrying its correction form (the one that failed, with its
    errors, or a fresh one holding the entry's details and version)."""
    documents = list(
        selectors.document_list(person=person).select_related("replaced_by", "status_changed_by")
    )
    for document in documents:
        if document.status != DocumentStatus.CURRENT:
            continue
        if failed is not None and document.pk == failed_id:
            document.fix_form = failed  # type: ignore[attr-defined]
            continue
        document.fix_form = DocumentFixForm(  # type: ignore[attr-defined]
            document_id=document.pk,
            initial={
                "kind": document.kind,
                "number": document.number,
                "issuing_country": str(document.issuing_country),
                "issued_on": document.issued_on,
                "expires_on": document.expires_on,
                "version": document.version,
            },
        )
    return documents


def _detail_context(user: User, person: Person, **extra: Any) -> dict[str, Any]:
    row = _row(user, person)
    can_register = user.has_perm(REGISTER_PERMISSION)
    aliases = [
        (alias, initials(alias.name) if row.name_hidden else alias.name)
        for alias in selectors.alias_list(person=person)
    ]
    notices = person_notices.notices_for(_viewer(user), [person]).get(person.pk, [])
    # Merged into another record: read-only, the notice links to the kept record.
    merged_away = any(notice.superseded for notice in notices)
    context: dict[str, Any] = {
        "person": person,
        "row": row,
        "merged_away": merged_away,
        "is_child": person.is_child(),
        "documents": _documents_with_fix_forms(person, extra.get("fix_form"), extra.get("fix_document_id")),
        "aliases": aliases,
        "relationships": selectors.relationship_list_for(user=_viewer(user), person=person),
        "show_contact": can_register,
        "can_edit": can_register and not row.name_hidden and not merged_away,
        "document_form": DocumentForm(),
        "alias_form": AliasForm(),
        "relationship_form": RelationshipForm(person=person),
        "related_options": [],
        "notices": notices,
        "same_person_candidates": _candidate_rows(
            user, candidates.candidates_for_person(user=_viewer(user), person=person)
        ),
    }
    context.update(extra)
    return context


@require_permission(VIEW_PERMISSION, object_type=PERSON_TYPE)
@require_GET
def person_detail(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    person = _get_person(user, person_id)
    response = render(request, "people/person_detail.html", _detail_context(user, person))
    audit.record(action=AuditAction.VIEW, actor=user, obj=person)
    return response


def _section(request: HttpRequest, user: User, person: Person, section: str, **extra: Any) -> HttpResponse:
    """One section of the detail page for htmx, or the whole page (audited as a view) without it."""
    response = render_page_or_partial(
        request, "people/person_detail.html", _detail_context(user, person, **extra), partial=section
    )
    if not is_htmx(request):
        audit.record(action=AuditAction.VIEW, actor=user, obj=person)
    return response


def _section_saved(
    request: HttpRequest, user: User, person: Person, section: str, message: str
) -> HttpResponse:
    if is_htmx(request):
        return _section(request, user, person, section, saved_message=message, saved_section=section)
    messages.success(request, message)
    return HttpResponseRedirect(f"{reverse('people:person_detail', args=[person.pk])}#{section}")


def _writable_person(request: HttpRequest, person_id: uuid.UUID) -> tuple[User, Person, HttpResponse | None]:
    user = _user(request)
    person = _get_person(user, person_id)
    refusal = _refuse(request, person) if _row(user, person).name_hidden else None
    return user, person, refusal


@require_permission(REGISTER_PERMISSION, object_type=PERSON_TYPE)
@require_POST
def document_add(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    user, person, refusal = _writable_person(request, person_id)
    if refusal:
        return refusal
    form = DocumentForm(request.POST)
    if form.is_valid():
        try:
            services.document_add(actor=user, person=person, **form.cleaned_data)
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            return _section_saved(request, user, person, "documents", _("The document was added."))
    return _section(request, user, person, "documents", document_form=form)


@require_permission(REGISTER_PERMISSION, object_type=PERSON_TYPE)
@require_POST
def document_fix(request: HttpRequest, person_id: uuid.UUID, document_id: uuid.UUID) -> HttpResponse:
    """Correct a document (a new entry replaces it) or mark it entered in error; nothing is deleted."""
    user, person, refusal = _writable_person(request, person_id)
    if refusal:
        return refusal
    try:
        document = selectors.document_get(person=person, document_id=document_id)
    except NotFound as exc:
        raise Http404 from exc
    form = DocumentFixForm(request.POST, document_id=document.pk)
    stale = False
    if form.is_valid():
        data = dict(form.cleaned_data)
        action, reason, version = data.pop("action"), data.pop("reason"), data.pop("version")
        try:
            if action == DocumentFixForm.CORRECT:
                services.document_correct(
                    actor=user, document=document, expected_version=version, reason=reason, **data
                )
                message = _("The document was corrected; the wrong entry is kept, marked as replaced.")
            else:
                services.document_mark_entered_in_error(
                    actor=user, document=document, expected_version=version, reason=reason
                )
                message = _("The document was marked entered in error; it no longer counts.")
        except ApplicationError as exc:
            add_application_error(form, exc)
            stale = isinstance(exc, StaleVersion)
        else:
            return _section_saved(request, user, person, "documents", message)
    response = _section(request, user, person, "documents", fix_form=form, fix_document_id=document.pk)
    response.status_code = 409 if stale else 400
    return response


@require_permission(REGISTER_PERMISSION, object_type=PERSON_TYPE)
@require_POST
def alias_add(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    user, person, refusal = _writable_person(request, person_id)
    if refusal:
        return refusal
    form = AliasForm(request.POST)
    if form.is_valid():
        try:
            services.alias_add(actor=user, person=person, **form.cleaned_data)
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            return _section_saved(request, user, person, "aliases", _("The other name was added."))
    return _section(request, user, person, "aliases", alias_form=form)


def _related_options(user: User, person: Person, q: str) -> list[PersonRow]:
    if len(q.strip()) < 2:
        return []
    found = selectors.person_list_for(user=_viewer(user), q=q).exclude(pk=person.pk)[:RELATED_OPTIONS_SHOWN]
    rows = [_row(user, p) for p in found]
    audit.record(
        action=AuditAction.LIST, actor=user, object_type=PERSON_TYPE, search=q, details={"filters": ["q"]}
    )
    return rows


@require_permission(REGISTER_PERMISSION, object_type=PERSON_TYPE)
@require_GET
def related_person_options(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """htmx: registered persons matching what is typed, to choose the related person from."""
    user = _user(request)
    person = _get_person(user, person_id)
    options = _related_options(user, person, request.GET.get("related_q", "")[:200])
    context = {"person": person, "related_options": options, "related_searched": True}
    return render(request, "people/person_detail.html#related_options", context)


@require_permission(REGISTER_PERMISSION, object_type=PERSON_TYPE)
@require_POST
def relationship_add(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    user, person, refusal = _writable_person(request, person_id)
    if refusal:
        return refusal
    if "find_related" in request.POST:  # without JavaScript: list the matches, save nothing
        q = request.POST.get("related_q", "")[:200]
        return _section(
            request,
            user,
            person,
            "relationships",
            relationship_form=RelationshipForm(initial=request.POST.dict(), person=person),
            related_options=_related_options(user, person, q),
            related_searched=True,
        )
    form = RelationshipForm(request.POST, person=person)
    if form.is_valid():
        data = form.cleaned_data
        related = None
        if data.get("related_person"):
            try:
                related = selectors.person_get_for(user=_viewer(user), person_id=data["related_person"])
            except NotFound:
                form.add_error("related_person", _("Choose a person from the list."))
        if not form.errors:
            try:
                services.relationship_add(
                    actor=user,
                    person=person,
                    kind=data["kind"],
                    related_person=related,
                    related_name=data.get("related_name") or "",
                    notes=data.get("notes") or "",
                )
            except ApplicationError as exc:
                add_application_error(form, exc)
            else:
                return _section_saved(
                    request, user, person, "relationships", _("The relationship was added.")
                )
    options = _related_options(user, person, str(form["related_q"].value() or ""))
    chosen = str(form["related_person"].value() or "")
    return _section(
        request,
        user,
        person,
        "relationships",
        relationship_form=form,
        related_options=options,
        related_chosen=chosen,
    )
