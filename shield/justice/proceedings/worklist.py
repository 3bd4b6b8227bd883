"""The justice officer's worklist (`/justice/worklist/`): one page of sections, each a registered
work queue, so other justice parts add sections without editing this module.

How to add a section (the children part adds deadlines, interviews planned, diversion reports due):

    # shield/justice/children/registrations.py
    from shield.justice.proceedings import worklist

    def register() -> None:
        worklist.register_section(
            worklist.Section(
                key="justice_deadlines",        # unique; also the home page queue's key
                title=_("Deadlines due or breached"),   # gettext_lazy, with its vi translation
                rows=deadline_rows,             # (user, today) -> list[worklist.Row], at most `limit`
                items=deadlines_due,            # (user, today) -> QuerySet of what waits (counted)
                url_name="justice:deadlines",   # the full list of the same items (optional: "")
                query="",                       # its filter, e.g. "due=week"
                permission="justice.view",
                order=10,                       # lower comes first (hearings are 20)
            )
        )

`rows` and `items` read through the selectors (access applied: `access.visible_q`) and must agree
with each other (`rows` is usually the first `limit` of `items`); `rows` answers at most `limit`
rows (`Row(proceeding, label, due, breached)`), in the order the officer should work them, in a
fixed number of queries (not one per row). Each section is also registered as a queue in
`shield.notifications.worklists` (same key, title and items), so the home page's "Waiting for you"
panel counts it, with every other queue in one statement, and links to the worklist page.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise

from shield.accounts.models import User
from shield.notifications import worklists

SECTION_LIMIT = 20


@dataclass(frozen=True)
class Row:
    """One line of a section: what is due, about which proceeding, when, and whether it is late.
    `proceeding` needs `pk` and `reference`; `url` defaults to the proceeding's page."""

    proceeding: Any
    label: str
    due: datetime.date | datetime.datetime | None
    breached: bool = False
    url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def has_time(self) -> bool:
        return isinstance(self.due, datetime.datetime)

    def link(self) -> str:
        return self.url or reverse("justice:proceeding_detail", args=[self.proceeding.pk])


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    rows: Callable[[User, datetime.date, int], list[Row]]
    items: Callable[[User, datetime.date], QuerySet[Any]]
    url_name: str = ""
    query: str = ""
    permission: str = "justice.view"
    order: int = 50

    def count(self, user: User, today: datetime.date) -> int:
        return worklists.capped_count(self.items(user, today))

    def url(self) -> str:
        if not self.url_name:
            return ""
        base = reverse(self.url_name)
        return f"{base}?{self.query}" if self.query else base


@dataclass(frozen=True)
class Filled:
    """A section with one user's rows and count, as the page shows it."""

    section: Section
    rows: list[Row]
    count: int

    @property
    def shown(self) -> str:
        return f"{worklists.COUNT_CAP}+" if self.count > worklists.COUNT_CAP else str(self.count)

    @property
    def more(self) -> bool:
        return self.count > len(self.rows)


_sections: dict[str, Section] = {}


def register_section(section: Section) -> None:
    """Add (or replace) a section, and register its home-page queue under the same key."""
    _sections[section.key] = section
    worklists.register(
        worklists.Worklist(
            key=section.key,
            title=section.title,
            items=lambda user: section.items(user, timezone.localdate()),
            url_name="justice:worklist",
            query=f"section={section.key}",
            permission=section.permission,
            order=60 + section.order // 10,
        )
    )


def unregister_section(key: str) -> None:
    _sections.pop(key, None)
    worklists.unregister(key)


def sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.key))


def sections_for(
    user: User, *, today: datetime.date | None = None, limit: int = SECTION_LIMIT
) -> list[Filled]:
    """The sections this user may open, each with its first `limit` rows and its count."""
    day = today or timezone.localdate()
    filled: list[Filled] = []
    for section in sections():
        if section.permission and not user.has_perm(section.permission):
            continue
        rows = section.rows(user, day, limit)
        count = len(rows) if len(rows) < limit else section.count(user, day)
        filled.append(Filled(section, rows, count))
    return filled
