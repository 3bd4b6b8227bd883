"""Factories for people. Persons are made through the service, so their derived fields (parsed
name, search keys, year of birth, home province) are what production would store."""

import datetime
import re
from typing import Any

from shield.accounts.models import Agency, User
from shield.accounts.roles import Role
from shield.accounts.tests.factories import AgencyFactory, member
from shield.people import services
from shield.people.models import IdentityDocument, Person, Sex


def person(
    *,
    full_name: str = "Nguyễn Thị Hoa",
    sex: str = Sex.FEMALE,
    owner_agency: Agency | None = None,
    actor: User | None = None,
    **fields: Any,
) -> Person:
    """A person registered by `actor` (a new case worker of `owner_agency` unless given)."""
    if actor is None:
        actor = member(Role.CASE_WORKER, agency=owner_agency or AgencyFactory.create())
    if owner_agency is None:
        owner_agency = actor.primary_agency
        assert owner_agency is not None
    fields.setdefault("birth_date", datetime.date(1995, 3, 14))
    return services.person_register(
        actor=actor, owner_agency=owner_agency, full_name=full_name, sex=sex, **fields
    )


def document(
    *, of: Person, kind: str = "cccd", number: str = "001195012345", **fields: Any
) -> IdentityDocument:
    return services.document_add(actor=of.registered_by, person=of, kind=kind, number=number, **fields)


# Ids, request ids and hashes are random hex: they can contain "0900" by chance, so the text
# checked for leaks leaves them out.
_RANDOM_HEX = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}|[0-9a-f]{32,64}")


def audit_text() -> str:
    """Every audit row as text, without its random ids and hashes, for "nothing leaked" checks."""
    from shield.audit.models import AuditEvent

    return _RANDOM_HEX.sub("", " ".join(str(row) for row in AuditEvent.objects.values_list()))
