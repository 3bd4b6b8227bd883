"""The interface lower layers use to ask 'what may this user see?' without importing accounts."""

from typing import Any, Protocol, runtime_checkable

from django.db.models import Q


@runtime_checkable
class AccessSubject(Protocol):
    """Implemented by accounts.User; see shield.accounts.policy for the rules."""

    # `obj` is Any so that Django's `has_perm(perm, obj: Model | None)` satisfies the protocol.
    def has_perm(self, perm: str, obj: Any = None) -> bool: ...

    def scope_q(
        self,
        permission: str,
        *,
        agency_path: str,
        province_path: str | None = None,
        owner_path: str | None = None,
    ) -> Q: ...
