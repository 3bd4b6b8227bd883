"""What must be done before a case closes, as told by the apps above cases.

The cases app sits below the apps that add work to a case (returns' reintegration follow-up, …)
and cannot import them. Those apps register a check at start-up: a function of the case that
answers the reasons (translated texts) the case cannot close yet; an empty list lets it close.
The closure request and its approval both ask `blocking_reasons`.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shield.cases.models import Case

Check = Callable[["Case"], list[str]]

_checks: dict[str, Check] = {}


def register(key: str, check: Check) -> None:
    """Register (or replace) the check known by `key`."""
    _checks[key] = check


def blocking_reasons(case: "Case") -> list[str]:
    reasons: list[str] = []
    for key in sorted(_checks):
        reasons.extend(_checks[key](case))
    return reasons
