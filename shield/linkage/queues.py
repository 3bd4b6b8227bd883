"""The linkage app's work queue (see `shield.notifications.worklists`): pairs waiting for review."""

from django.utils.translation import gettext_lazy as _

from shield.accounts.models import User
from shield.linkage import selectors
from shield.linkage.models import PairStatus
from shield.notifications import worklists


def pairs_waiting_count(user: User) -> int:
    return worklists.capped_count(selectors.review_pair_list_for(user=user, status=PairStatus.OPEN))


def register() -> None:
    worklists.register(
        worklists.Worklist(
            key="linkage_pairs",
            title=_("Possible duplicate persons waiting for review"),
            count=pairs_waiting_count,
            url_name="linkage:review_list",
            query=f"status={PairStatus.OPEN.value}",
            permission=selectors.REVIEW_PERMISSION,
            order=50,
        )
    )
