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
    `count_exact` says which. Pages run up to the one holding the cap-th item."""

    default_cap = 1000

    def __init__(self, object_list: Any, per_page: int, cap: int | None = None, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap if cap is not None else self.default_cap

    @cached_property
    def _counted(self) -> int:
        # One more than the cap tells "exactly the cap" from "more": COUNT over a LIMITed subquery.
        head = self.object_list[: self.cap + 1]
        return head.count() if isinstance(head, QuerySet) else len(head)

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def count_exact(self) -> bool:
        return self._counted <= self.cap
