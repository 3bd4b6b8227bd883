"""What a statistics page shows: raw aggregates to a national statistician, protected ones to
everybody else.

Everything that leaves Shield (downloads, exports, the PDF report, releases, the API's tables) is
protected by `disclosure.protect`. On screen:

- a holder of `statistics.view` with a **national** scope (the statistician) sees the raw
  aggregates: the unique individuals, the records behind them and the range. They produce the
  official figures and must see what they check and publish (a count of 3 in a province is a data
  question before it is a disclosure one); they see no person, only counts, and every page they
  read is audited;
- anybody else (a supervisor, whose scope is a province or an agency: small numbers there are
  people their colleagues know) sees the tables of a page protected together as a release would
  be: primary suppression below the indicator's threshold (`<5`), secondary suppression so that a
  withheld cell cannot be worked out from the page's margins (`x`), no records and no range.
"""

from collections.abc import Sequence

from django.contrib.auth.models import AnonymousUser

from shield.accounts.models import User
from shield.accounts.policy import memberships_with
from shield.accounts.roles import Scope
from shield.statistics import disclosure
from shield.statistics.indicators import indicator_get
from shield.statistics.selectors import VIEW
from shield.statistics.tables import Table


def protected_on_screen(user: User | AnonymousUser | None) -> bool:
    """True unless the user sees statistics with a national scope."""
    return not any(m.scope == Scope.NATIONAL for m in memberships_with(user, VIEW))


def protect_for_screen(tables: Sequence[Table]) -> list[disclosure.ProtectedTable]:
    """The tables of one page protected together (the lowest threshold of their indicators)."""
    if not tables:
        return []
    threshold = min(indicator_get(t.indicator).threshold for t in tables)
    return disclosure.protect(list(tables), threshold=threshold, method="heuristic").tables
