"""The home-page panel of statistics: where the dashboard, the pivot and the exports are."""

from typing import Any

from shield.accounts.models import User
from shield.statistics.dashboards import scope_label

EXPORT = "statistics.export"


def home_panel(user: User) -> dict[str, Any]:
    return {"scope": scope_label(user), "can_export": user.has_perm(EXPORT)}
