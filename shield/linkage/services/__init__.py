"""Every write of the linkage app; each audited in the same transaction as its change.

Services do not check permissions or scopes: views and API views read the pair or persons
through `shield.linkage.selectors` / `shield.people.selectors` and check the capability first.
"""

from shield.linkage.services.decisions import pair_decide
from shield.linkage.services.merges import merged_into, person_merge, person_unmerge
from shield.linkage.services.runs import person_records, run_cancel, run_create, run_execute, run_start

__all__ = [
    "merged_into",
    "pair_decide",
    "person_merge",
    "person_records",
    "person_unmerge",
    "run_cancel",
    "run_create",
    "run_execute",
    "run_start",
]
