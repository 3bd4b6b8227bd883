"""The intake panels of the home page: the gate's recent screenings, referrals received."""

from typing import Any

from shield.accounts.models import User
from shield.cases.models import Case
from shield.intake import selectors


def gate_panel(user: User) -> dict[str, Any]:
    return {
        "recent": selectors.gate_recent(user=user, limit=5),
        "drafts": list(selectors.drafts_of(user=user)[:5]),
    }


def case_origin_panel(user: User, case: Case) -> dict[str, Any] | None:
    """On a case's overview: the screening or tip it came from, if the user may see them."""
    screenings, tips = selectors.origins_of_case(user=user, case=case)
    if not screenings and not tips:
        return None
    return {"screenings": screenings, "tips": tips}


def referral_notices_panel(user: User) -> dict[str, Any]:
    return {"notices": selectors.notices_for(user=user)}
