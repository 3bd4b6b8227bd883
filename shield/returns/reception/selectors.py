"""Reading returns, verification requests and receptions with access applied (returns.view in a
scope covering the receiving agency)."""

import uuid
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from shield.accounts import policy
from shield.accounts.models import Membership, User
from shield.accounts.roles import ROLE_PERMISSIONS
from shield.cases.models import Case
from shield.cases.selectors import visible_q as case_visible_q
from shield.core.lookups import one_or_not_found
from shield.people import selectors as people_selectors
from shield.returns.models import (
    ReceptionEvent,
    ReceptionMember,
    Return,
    VerificationRequest,
    VerificationStatus,
)

VIEW = "returns.view"
VERIFY = "returns.verify"
RECEIVE = "returns.receive"


def _reach(user: User, agency_path: str) -> Q:
    if not user.is_authenticated or not user.is_active or not policy.has_permission(user, VIEW):
        return Q(pk__in=[])
    return user.scope_q(VIEW, agency_path=agency_path)


def return_list_for(*, user: User) -> QuerySet[Return]:
    return Return.objects.filter(_reach(user, "agency")).select_related("person", "agency", "border_gate")


def return_get_for(*, user: User, return_id: uuid.UUID | str) -> Return:
    return one_or_not_found(return_list_for(user=user), return_id)


def verification_list_for(*, user: User) -> QuerySet[VerificationRequest]:
    return VerificationRequest.objects.filter(_reach(user, "return_record__agency")).select_related(
        "return_record", "return_record__person"
    )


def verifications_due(user: User) -> QuerySet[VerificationRequest]:
    """The worklist: requests not yet answered, soonest due first."""
    return (
        verification_list_for(user=user)
        .exclude(status=VerificationStatus.ANSWERED)
        .order_by("answer_due_at", "id")
    )


def reception_list_for(*, user: User) -> QuerySet[ReceptionEvent]:
    return ReceptionEvent.objects.filter(_reach(user, "agency")).select_related("border_gate", "agency")


def reception_get_for(*, user: User, event_id: uuid.UUID | str) -> ReceptionEvent:
    return one_or_not_found(reception_list_for(user=user), event_id)


# --- Pages: the returns list's filters and what a return's or a reception's page shows -----------


@dataclass(frozen=True)
class ReturnFilters:
    status: str = ""
    country: str = ""
    border_gate: uuid.UUID | None = None
    # A reference (one word with a digit or a hyphen), or a person's name or document number as the
    # registry searches them (words in any order, with or without diacritics).
    q: str = ""


def _looks_like_reference(text: str) -> bool:
    """One word with a digit or a hyphen (`RET-20260601-A1B2C3`): names have neither."""
    return len(text.split()) == 1 and any(ch.isdigit() or ch == "-" for ch in text)


def return_search_for(*, user: User, filters: ReturnFilters | None = None) -> QuerySet[Return]:
    """The returns the user may see, newest first, narrowed by `filters`. A name finds the persons
    the registry finds by it (`people.selectors.person_ids_matching`, which keeps children's names
    unfindable for a user who may not see them); the returns' own scope still applies."""
    f = filters or ReturnFilters()
    rows = return_list_for(user=user)
    if f.status:
        rows = rows.filter(status=f.status)
    if f.country:
        rows = rows.filter(country=f.country)
    if f.border_gate is not None:
        rows = rows.filter(border_gate_id=f.border_gate)
    text = f.q.strip()
    if text:
        matches = Q(pk__in=[])
        if _looks_like_reference(text):
            matches |= Q(reference__icontains=text)
        person_ids = people_selectors.person_ids_matching(user=user, q=text)
        if person_ids is not None:
            matches |= Q(person_id__in=person_ids)
        rows = rows.filter(matches)
    return rows.order_by("-created_at", "-id")


def return_detail_get_for(*, user: User, return_id: uuid.UUID | str) -> Return:
    """One return with what its page shows, in one query: person, agency, gate, case, who recorded
    it, its verification request and its reception member (both reached with the return: their
    access is the return's), and `case_visible` — whether the viewer may open its case. Read the
    optional ones with `getattr(record, "verification", None)`."""
    visible_case = Case.objects.filter(case_visible_q(user), pk=OuterRef("case_id"))
    rows = (
        return_list_for(user=user)
        .select_related(
            "case",
            "created_by",
            "verification",
            "verification__checked_by",
            "verification__decided_by",
            "reception_member",
            "reception_member__event",
            "reception_member__event__border_gate",
        )
        .annotate(case_visible=Exists(visible_case))
    )
    return one_or_not_found(rows, return_id)


def verification_of(*, user: User, record: Return) -> VerificationRequest | None:
    """The verification request of a return the user reached, if any."""
    return (
        verification_list_for(user=user)
        .filter(return_record=record)
        .select_related("checked_by", "decided_by")
        .first()
    )


def verification_get_for(*, user: User, request_id: uuid.UUID | str) -> VerificationRequest:
    rows = verification_list_for(user=user).select_related(
        "return_record__agency", "return_record__border_gate", "checked_by", "decided_by"
    )
    return one_or_not_found(rows, request_id)


def reception_detail_get_for(*, user: User, event_id: uuid.UUID | str) -> ReceptionEvent:
    rows = reception_list_for(user=user).select_related("created_by")
    return one_or_not_found(rows, event_id)


def reception_members(event: ReceptionEvent) -> QuerySet[ReceptionMember]:
    """The members of a reception reached through a selector, in order, with what the table shows."""
    return (
        ReceptionMember.objects.filter(event=event)
        .select_related("return_record", "return_record__person", "screening", "commune", "referral")
        .order_by("position")
    )


def reception_officers(event: ReceptionEvent) -> QuerySet[User]:
    return User.objects.filter(pk__in=event.officers.values("officer_id")).order_by(
        "first_name", "last_name", "username"
    )


def receivers_of(user: User) -> QuerySet[User]:
    """Who may be named among a reception's officers: active members of the user's primary agency
    whose role grants `returns.receive`."""
    agency = user.primary_agency
    if agency is None:
        return User.objects.none()
    roles = [role for role, granted in ROLE_PERMISSIONS.items() if RECEIVE in granted]
    members = Membership.objects.filter(
        agency=agency, is_active=True, role__in=roles, user__is_active=True
    ).values("user_id")
    return User.objects.filter(pk__in=members).order_by("first_name", "last_name", "username")


def _may(user: User, permission: str, agency_path: str) -> Q:
    """Writes: the record must be in reach of the write permission too, not only of `returns.view`."""
    return user.scope_q(permission, agency_path=agency_path)


def return_get_to_change(*, user: User, return_id: uuid.UUID | str, permission: str) -> Return:
    rows = return_list_for(user=user).filter(_may(user, permission, "agency"))
    return one_or_not_found(rows, return_id)


def verification_get_to_change(*, user: User, request_id: uuid.UUID | str) -> VerificationRequest:
    rows = verification_list_for(user=user).filter(_may(user, VERIFY, "return_record__agency"))
    return one_or_not_found(rows.select_related("return_record__agency"), request_id)


def reception_search_for(*, user: User, status: str = "") -> QuerySet[ReceptionEvent]:
    """Receptions the user may see, latest handover first, with their number of members."""
    rows = reception_list_for(user=user)
    if status:
        rows = rows.filter(status=status)
    # A correlated count per row of the page (not GROUP BY over every match before the LIMIT).
    members = (
        ReceptionMember.objects.filter(event=OuterRef("pk"))
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return rows.annotate(member_count=Coalesce(Subquery(members), 0)).order_by("-received_at", "-id")


def reception_get_to_change(*, user: User, event_id: uuid.UUID | str) -> ReceptionEvent:
    rows = reception_list_for(user=user).filter(_may(user, RECEIVE, "agency"))
    return one_or_not_found(rows, event_id)


# A member's page and answer show its reception (gate, agency), return and person, screening and
# commune: one statement.
_MEMBER_RELATED = (
    "event",
    "event__agency",
    "event__border_gate",
    "return_record",
    "return_record__person",
    "screening",
    "commune",
)


def _members_of(events: QuerySet[ReceptionEvent]) -> QuerySet[ReceptionMember]:
    return ReceptionMember.objects.filter(event__in=events.values("pk")).select_related(*_MEMBER_RELATED)


def member_get_for(*, user: User, member_id: uuid.UUID | str) -> ReceptionMember:
    """One returnee of a reception the user may see (out of reach answers 404 like missing)."""
    return one_or_not_found(_members_of(reception_list_for(user=user)), member_id)


def member_get_to_change(*, user: User, member_id: uuid.UUID | str) -> ReceptionMember:
    """One returnee of a reception the user may see and receive returnees in."""
    events = reception_list_for(user=user).filter(_may(user, RECEIVE, "agency"))
    return one_or_not_found(_members_of(events), member_id)
