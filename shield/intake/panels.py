"""The intake panels of the home page: the gate's recent screenings, overdue tips, referrals received."""

from typing import Any

from shield.accounts.models import User
from shield.intake import selectors


def gate_panel(user: User) -> dict[str, Any]:
    return {
        "recent": selectors.gate_recent(user=user, limit=5),
        "drafts": list(selectors.drafts_of(user=user)[:5]),
    }


def overdue_tips_panel(user: User) -> dict[str, Any]:
    tips, total = selectors.tips_overdue_for(user=user)
    return {"tips": tips, "total": total, "more": max(total - len(tips), 0)}


def referral_notices_panel(user: User) -> dict[str, Any]:
    return {"notices": selectors.notices_for(user=user)}
