"""Panels other apps add to the home page, without accounts importing them.

An app registers a panel in its AppConfig.ready(): a template and a function computing its
context for the signed-in user. Panels whose permission the user lacks are skipped.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from shield.accounts.models import User


@dataclass(frozen=True)
class HomePanel:
    key: str
    template_name: str
    context: Callable[[User], dict[str, Any]]
    permission: str | None = None
    order: int = 100


_panels: dict[str, HomePanel] = {}


def register(panel: HomePanel) -> None:
    _panels[panel.key] = panel


def unregister(key: str) -> None:
    _panels.pop(key, None)


def panels_for(user: User) -> list[tuple[HomePanel, dict[str, Any]]]:
    chosen = [p for p in _panels.values() if p.permission is None or user.has_perm(p.permission)]
    return [(panel, panel.context(user)) for panel in sorted(chosen, key=lambda p: (p.order, p.key))]
