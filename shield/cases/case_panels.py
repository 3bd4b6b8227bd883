"""Panels other apps add to a case's overview, without cases importing them.

Intake, for one, knows which screening or tip opened a case; cases sits below it and cannot ask.
An app registers a panel in its AppConfig.ready(): a template and a function computing its context
for the user and the case (already read through `case_get_for`, so the user may see the case), or
None when the panel has nothing to show for this case.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from shield.accounts.models import User
from shield.cases.models import Case


@dataclass(frozen=True)
class CasePanel:
    key: str
    template_name: str
    context: Callable[[User, Case], dict[str, Any] | None]
    order: int = 100


_panels: dict[str, CasePanel] = {}


def register(panel: CasePanel) -> None:
    _panels[panel.key] = panel


def unregister(key: str) -> None:
    _panels.pop(key, None)


def panels_for(user: User, case: Case) -> list[tuple[CasePanel, dict[str, Any]]]:
    shown = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.key)):
        context = panel.context(user, case)
        if context is not None:
            shown.append((panel, context))
    return shown
