"""Detected victims for the shapes' end-to-end tests (counting's factories, plus consent)."""

import datetime
from typing import Any

from shield.cases.models import Case, Consent, ConsentGivenBy, ConsentScope
from shield.statistics.tests.factories import agency, victim


def consenting_victim(*, at: Any = None, consent: bool = True, **kwargs: Any) -> Case:
    """A victim detected in 2025 (by default) whose person consented to use in statistics."""
    kwargs.setdefault("decided_on", datetime.date(2025, 5, 10))
    case = victim(at=at or agency(), **kwargs)
    if consent:
        Consent.objects.create(
            case=case,
            person=case.person,
            scope=ConsentScope.STATISTICS,
            given_by=ConsentGivenBy.PERSON,
            given_on=datetime.date(2025, 5, 10),
            recorded_by=case.created_by,
        )
    return case
