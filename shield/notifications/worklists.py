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

A queue gives `items(user)`, the queryset of what waits (its selector, access applied), and the
home page counts every such queue of the user in ONE statement (`capped_counts`): the page's
query count does not grow as apps add queues. A queue that cannot be a queryset gives `count(user)`
instead and costs its own query.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.functional import Promise

from shield.accounts.models import User

COUNT_CAP = 100


@dataclass(frozen=True)
class Worklist:
    """One queue. `items(user)` is the queryset of what waits (counted with the user's other queues
    in one statement), or `count(user)` answers how many (one query; `capped_count` helps); with
    `items`, `count` is derived from it. `url_name` and `query` name the filtered list page
    (`reverse(url_name)?query`)."""

    key: str
    title: str | Promise
    url_name: str
    count: Callable[[User], int] = None  # type: ignore[assignment]  # derived from `items` if not given
    items: Callable[[User], QuerySet[Any]] | None = None
    query: str = ""
    permission: str | None = None
    order: int = 100
    # Optional, for a queue worth splitting (my cases by stage): (label, count, extra query) for
    # each non-empty part, in one query; asked only when the queue is not empty.
    breakdown: Callable[[User], list[tuple[str, int, str]]] | None = None

    def __post_init__(self) -> None:
        if (self.count is None) == (self.items is None):
            raise ValueError(f"Worklist {self.key!r} needs exactly one of `items` and `count`.")
        if self.count is None:
            items = self.items
            assert items is not None
            object.__setattr__(self, "count", lambda user: capped_count(items(user)))

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


def capped_counts(querysets: list[QuerySet[Any]]) -> list[int]:
    """`capped_count` of each queryset, all in one statement: `SELECT (SELECT COUNT(*) FROM (… LIMIT
    101)), …` built from each queryset's own SQL, so every access rule the selectors apply holds."""
    if not querysets:
        return []
    columns: list[str] = []
    params: list[Any] = []
    for number, items in enumerate(querysets):
        try:
            sql, item_params = items.order_by().values("pk")[: COUNT_CAP + 1].query.sql_with_params()
        except EmptyResultSet:  # `none()`, or a filter on an empty list: nothing to ask the database
            columns.append("0")
            continue
        # The SQL is Django's own compilation of the selector; values travel as parameters.
        columns.append(f"(SELECT COUNT(*) FROM ({sql}) AS queue_{number})")  # noqa: S608
        params.extend(item_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns), params)
        row = cursor.fetchone()
    return [int(n) for n in row]


def open_to(user: User) -> list[Worklist]:
    """The queues this user may open (holds their permission)."""
    return [w for w in registered() if w.permission is None or user.has_perm(w.permission)]


def waiting_for(user: User) -> list[Waiting]:
    """The user's non-empty queues with their counts, in the registered order."""
    queues = open_to(user)
    batched = [w for w in queues if w.items is not None]
    counted = dict(
        zip((w.key for w in batched), capped_counts([w.items(user) for w in batched if w.items]), strict=True)
    )
    waiting: list[Waiting] = []
    for worklist in queues:
        count = counted[worklist.key] if worklist.key in counted else worklist.count(user)
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
