"""Work queues: what is waiting for a user, counted on the home page and worked on a filtered list.

One pattern for every app. An app registers a `Worklist` in its AppConfig.ready() (as it registers
a home panel): a key, a title, the permission that opens the queue, a function counting the
queue's items for a user, and the address of the list page, filtered to the same items, where the
user works them. The count function reads through the app's own selectors (access applied) and
runs one query; the list page applies the same filter, so the figure on the home page and the list
agree. Apps above this layer register their queues; this module imports none of them.

The home page shows one panel, "Waiting for you", with each non-empty queue the user may open.
Counts stop at `COUNT_CAP`: a queue of more than a hundred items is shown as "100+", and nobody
needs the exact figure to start on it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.functional import Promise

from shield.accounts.models import User

COUNT_CAP = 100


@dataclass(frozen=True)
class Worklist:
    """One queue. `count(user)` answers how many items wait (one query; `capped_count` helps);
    `url_name` and `query` name the filtered list page (`reverse(url_name)?query`)."""

    key: str
    title: str | Promise
    count: Callable[[User], int]
    url_name: str
    query: str = ""
    permission: str | None = None
    order: int = 100
    # Optional, for a queue worth splitting (my cases by stage): (label, count, extra query) for
    # each non-empty part, in one query; asked only when the queue is not empty.
    breakdown: Callable[[User], list[tuple[str, int, str]]] | None = None

    def url(self) -> str:
        base = reverse(self.url_name)
        return f"{base}?{self.query}" if self.query else base


@dataclass(frozen=True)
class Part:
    """One part of a queue's breakdown, with the address of the list narrowed to it."""

    label: str
    count: int
    url: str


@dataclass(frozen=True)
class Waiting:
    """A queue with its count for one user, as the home page shows it."""

    worklist: Worklist
    count: int
    parts: tuple[Part, ...] = ()

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP

    @property
    def shown(self) -> str:
        return f"{COUNT_CAP}+" if self.capped else str(self.count)


_worklists: dict[str, Worklist] = {}


def register(worklist: Worklist) -> None:
    _worklists[worklist.key] = worklist


def unregister(key: str) -> None:
    _worklists.pop(key, None)


def registered() -> list[Worklist]:
    return sorted(_worklists.values(), key=lambda w: (w.order, w.key))


def get(key: str) -> Worklist:
    return _worklists[key]


def capped_count(items: QuerySet[Any]) -> int:
    """How many items, counting at most one past `COUNT_CAP` (one query, without sorting)."""
    return items.order_by()[: COUNT_CAP + 1].count()


def open_to(user: User) -> list[Worklist]:
    """The queues this user may open (holds their permission)."""
    return [w for w in registered() if w.permission is None or user.has_perm(w.permission)]


def waiting_for(user: User) -> list[Waiting]:
    """The user's non-empty queues with their counts, in the registered order."""
    waiting: list[Waiting] = []
    for worklist in open_to(user):
        count = worklist.count(user)
        if count <= 0:
            continue
        parts: tuple[Part, ...] = ()
        if worklist.breakdown is not None:
            base = worklist.url()
            joiner = "&" if "?" in base else "?"
            parts = tuple(
                Part(label, n, f"{base}{joiner}{extra}") for label, n, extra in worklist.breakdown(user)
            )
        waiting.append(Waiting(worklist, count, parts))
    return waiting


def home_panel(user: User) -> dict[str, Any]:
    """The context of the home page's "Waiting for you" panel."""
    return {"waiting": waiting_for(user)}
