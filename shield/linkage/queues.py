"""The linkage app's work queue (see `shield.notifications.worklists`): pairs waiting for review."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from shield.accounts.models import User
from shield.linkage import selectors
from shield.linkage.models import PairStatus, ReviewPair
from shield.notifications import worklists


def pairs_waiting(user: User) -> QuerySet[ReviewPair]:
    return selectors.review_pair_list_for(user=user, status=PairStatus.OPEN)


def register() -> None:
    worklists.register(
        worklists.Worklist(
            key="linkage_pairs",
            title=_("Possible duplicate persons waiting for review"),
            items=pairs_waiting,
            url_name="linkage:review_list",
            query=f"status={PairStatus.OPEN.value}",
            permission=selectors.REVIEW_PERMISSION,
            order=50,
        )
    )
