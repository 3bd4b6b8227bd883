"""Reads of the person registry, limited to the persons the user's memberships reach.

A person is reached through `people.view` by the scope of the user's membership: their own
registrations (own), their agency's and its sub-agencies' (agency), those of agencies in their
province (province) or all (national). Missing and out-of-scope persons both raise NotFound.
"""

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shield.core.access import AccessSubject
from shield.core.lookups import one_or_not_found
from shield.geo.models import Province
from shield.people import birth_dates
from shield.people.identity_numbers import normalize_number
from shield.people.models import Alias, IdentityDocument, Person, PersonNameToken, Relationship
from shield.people.names import initials
from shield.people.search import looks_like_document_number, parse_query, search_plan

VIEW_PERMISSION = "people.view"
SEE_CHILD_NAMES_PERMISSION = "people.see_child_names"


def _scope(user: AccessSubject) -> Q:
    # TODO(cases): people.view should also reach the persons of cases the user can see (a case
    # transferred to their agency). People may not import cases, but it can follow the reverse
    # relation by name (`cases__...`), as audit follows its foreign keys to accounts.
    return user.scope_q(VIEW_PERMISSION, agency_path="owner_agency", owner_path="registered_by")


# The order of `person_list_for`, as annotations: the folded name and id, read from the driving
# key's row when a name is searched so that its index yields the page in order. Cursor pagination
# orders and positions by these names.
SORT_ORDER = ("sort_name", "sort_id")


def person_list_for(
    *,
    user: AccessSubject,
    q: str = "",
    province: Province | None = None,
    birth_year: int | None = None,
) -> QuerySet[Person]:
    """Persons the user may see, ordered by folded name, narrowed by a search and filters.

    `q` is searched as a Vietnamese user expects: words in any order, any case, with or without
    diacritics (`nguyen thi hoa`, `Nguyễn Thị Hoa`, `NGUYEN HOA`), Văn and Thị optional,
    Hoàng/Huỳnh and Vũ/Võ alike, aliases included; a four-digit year in it (`hoa 1995`) filters
    by year of birth unless `birth_year` is given. A query that looks like a document number (at
    least six letters and digits, mostly digits) finds the persons holding a document whose
    number starts with it instead. `province` filters by home province.

    Every word must match a whole name word (`hoa` finds Hoa and Hòa, not Hoàng); see
    `shield.people.search` for why names are searched through a table of keys. For a user
    without `people.see_child_names`, a name finds only persons surely adult, since finding a
    masked child by name would reveal it.
    """
    persons = Person.objects.filter(_scope(user))
    sort = {"sort_name": F("name_folded"), "sort_id": F("id")}
    year_filtered = False
    q = (q or "").strip()
    if q and looks_like_document_number(q):
        persons = persons.filter(pk__in=_document_holders(q))
    elif q:
        query = parse_query(q)
        if birth_year is None:
            birth_year = query.birth_year
        plan = search_plan(query.keys)
        if plan is not None:
            persons = persons.filter(_adults_only_unless_allowed(user))
            # Join the driving key (one row per person at most: (token, person) is the key) and
            # order by its copy of the name, so its index yields the page in order; the year is
            # checked on the same row (one filter() call, one join).
            key_row: dict[str, object] = {"name_keys__token": plan.driver}
            if birth_year is not None:
                key_row["name_keys__birth_year"] = birth_year
                year_filtered = True
            persons = persons.filter(**key_row)
            sort = {"sort_name": F("name_keys__name_folded"), "sort_id": F("name_keys__person_id")}
            for key in plan.probes:
                persons = persons.filter(pk__in=_holders_of_key(key))
    if province is not None:
        persons = persons.filter(home_province=province)
    if birth_year is not None and not year_filtered:
        persons = persons.filter(birth_year=birth_year)
    return (
        persons.annotate(**sort)
        .select_related("home_province", "home_commune", "owner_agency")
        .defer("contact")  # encrypted; a list neither shows nor decrypts it
        .order_by(*SORT_ORDER)
    )


def _document_holders(q: str) -> QuerySet[IdentityDocument, uuid.UUID]:
    holders = IdentityDocument.objects.filter(number_normalized__startswith=normalize_number(q))
    return holders.values_list("person_id", flat=True)


def _holders_of_key(key: str) -> QuerySet[PersonNameToken, uuid.UUID]:
    return PersonNameToken.objects.filter(token=key).values_list("person_id", flat=True)


def _adults_only_unless_allowed(user: AccessSubject, path: str = "") -> Q:
    """For a user without `people.see_child_names`, a name finds only persons surely adult, since
    finding a masked child by name would reveal it: born 19 years ago or more, which covers every
    precision (the stored date is less than a year before the latest possible one)."""
    if user.has_perm(SEE_CHILD_NAMES_PERMISSION):
        return Q()
    return Q(**{f"{path}birth_date__lte": birth_dates.add_years(timezone.localdate(), -19)})


def person_ids_matching(*, user: AccessSubject, q: str) -> QuerySet[Any, uuid.UUID] | None:
    """The ids of persons, in any scope, whose name or document number matches `q` as
    `person_list_for` searches; None when `q` asks for nothing.

    For other apps narrowing their own records by a person (cases by the person's name): they
    apply their own access rules to those records. Names follow the same plan as the list (the
    rarest pair of words drives, a year is checked in the key row), and the same child-name rule.
    """
    q = (q or "").strip()
    if q and looks_like_document_number(q):
        return _document_holders(q)
    query = parse_query(q)
    plan = search_plan(query.keys)
    if plan is None:
        return None
    rows = PersonNameToken.objects.filter(token=plan.driver)
    if query.birth_year is not None:
        rows = rows.filter(birth_year=query.birth_year)
    for key in plan.probes:
        rows = rows.filter(person_id__in=_holders_of_key(key))
    rows = rows.filter(_adults_only_unless_allowed(user, path="person__"))
    return rows.values_list("person_id", flat=True)


def person_get_for(*, user: AccessSubject, person_id: uuid.UUID | str) -> Person:
    """One person the user may see; missing, malformed and out-of-scope ids all raise NotFound.

    Views and API views call this before any service that changes the person.
    """
    persons = Person.objects.filter(_scope(user)).select_related(
        "home_province", "home_commune", "owner_agency", "registered_by"
    )
    return one_or_not_found(persons, person_id)


def masked_name(person: Person) -> str:
    """Initials and year of birth (`N. T. H. (2012)`): who it is for those who know, no more."""
    parts = [p for p in (person.family_name, person.middle_name, person.given_name) if p]
    shown = initials(" ".join(parts) or person.full_name)
    return f"{shown} ({person.birth_year})" if person.birth_year else shown


def display_name_for(*, user: AccessSubject, person: Person, on: datetime.date | None = None) -> str:
    """The person's name as this user may see it in lists and exports.

    A child's name (under 18 on `on`, today by default) is masked for users without
    `people.see_child_names`; so is the name of a person whose age is unknown, since they may be
    a child.
    """
    if person.is_child(on) is False or user.has_perm(SEE_CHILD_NAMES_PERMISSION):
        return person.full_name
    return masked_name(person)


def document_list(*, person: Person) -> QuerySet[IdentityDocument]:
    """The documents of a person obtained through `person_get_for`: active first."""
    return IdentityDocument.objects.filter(person=person).order_by("-is_active", "kind", "created_at")


def document_get(*, person: Person, document_id: uuid.UUID) -> IdentityDocument:
    """One document of a person obtained through `person_get_for`; NotFound otherwise."""
    return one_or_not_found(IdentityDocument.objects.filter(person=person), document_id)


def alias_list(*, person: Person) -> QuerySet[Alias]:
    """The other names of a person obtained through `person_get_for`."""
    return Alias.objects.filter(person=person).order_by("created_at")


@dataclass(frozen=True)
class RelatedEntry:
    """One relationship as a user may see it.

    `related_person` is set only when the user may see that person too; `name` is what to show:
    the related person's name (masked as `display_name_for` does), the name recorded for someone
    not in the registry, or a placeholder for a registered person outside the user's reach.
    """

    relationship: Relationship
    related_person: Person | None
    name: str


def relationship_list_for(*, user: AccessSubject, person: Person) -> list[RelatedEntry]:
    """The relationships of a person obtained through `person_get_for`, without revealing related
    persons the user cannot see."""
    relationships = list(Relationship.objects.filter(person=person).order_by("created_at"))
    related_ids = {r.related_person_id for r in relationships if r.related_person_id}
    visible = (
        {p.pk: p for p in Person.objects.filter(_scope(user), pk__in=related_ids)} if related_ids else {}
    )
    entries = []
    for relationship in relationships:
        related = visible.get(relationship.related_person_id) if relationship.related_person_id else None
        if related is not None:
            name = display_name_for(user=user, person=related)
        elif relationship.related_person_id:
            name = relationship.related_name or str(_("a person registered by another agency"))
        else:
            name = relationship.related_name
        entries.append(RelatedEntry(relationship=relationship, related_person=related, name=name))
    return entries
