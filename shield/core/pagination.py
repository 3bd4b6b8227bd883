"""Page-numbered lists over large tables without counting every match.

Django's `Paginator` counts the whole filtered set to number the pages. Over a million persons or
hundreds of thousands of cases that exact `COUNT(*)` visits every match (360,000 rows for
`nguyen`) and costs far more than the page itself, which an index yields in order from its first
entries. Nobody pages through a thousand results either: they refine the search. So list pages
count up to a cap and say "more than 1,000" beyond it.
"""

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """A `Paginator` whose count stops at `cap`: `count` is exact up to the cap, else the cap, and
    `count_exact` says which. Pages run up to the one holding the cap-th item.

    `count_in_order`: count the first cap + 1 rows in the list's own order when an index yields
    that order (the person list reads its name key's index and stops at the cap); count them in
    any order when the list's order means sorting every match (cases newest first, found by a
    person's name), so that the database may stop at whichever cap + 1 it finds first.
    """

    default_cap = 1000

    def __init__(
        self,
        object_list: Any,
        per_page: int,
        cap: int | None = None,
        *,
        count_in_order: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap if cap is not None else self.default_cap
        self.count_in_order = count_in_order

    @cached_property
    def _counted(self) -> int:
        # One more than the cap tells "exactly the cap" from "more": COUNT over a LIMITed subquery.
        head = self.object_list
        if isinstance(head, QuerySet) and not self.count_in_order:
            head = head.order_by()
        head = head[: self.cap + 1]
        return head.count() if isinstance(head, QuerySet) else len(head)

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def count_exact(self) -> bool:
        return self._counted <= self.cap
