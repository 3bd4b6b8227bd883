"""Template context: the signed-in user's membership and capabilities, for navigation by role."""

from typing import Any

from django.http import HttpRequest

from shield.accounts import policy


def shield_user(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"shield_perms": frozenset(), "shield_membership": None}
    return {
        "shield_perms": policy.permissions_of(user),
        "shield_membership": user.primary_membership,
    }
