"""What the followup part plugs into other apps at start-up: the worker's "follow-ups due" queue
and the cases app's closure check (a case with an active reintegration plan does not close)."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shield.accounts.models import User
from shield.cases import closure_checks
from shield.cases.models import Case
from shield.notifications import worklists
from shield.returns.followup import selectors
from shield.returns.models import FollowUp

QUEUE_KEY = "returns_followups_due"


def followups_due(user: User) -> QuerySet[FollowUp]:
    return selectors.due_for(user)


def plans_pending(case: Case) -> list[str]:
    """A case closes only once its plans' last follow-up is done or loss of contact is approved."""
    if selectors.open_plans_of_case(case.pk).exists():
        return [
            _(
                "A reintegration plan of this case still has follow-ups to do; the case closes once "
                "the last one is done or a loss of contact is approved."
            )
        ]
    return []


def register() -> None:
    closure_checks.register("returns.followup", plans_pending)
    worklists.register(
        worklists.Worklist(
            key=QUEUE_KEY,
            title=gettext_lazy("Follow-ups due"),
            items=followups_due,
            url_name="returns:followup_list",
            query="mine=on&due=soon",
            permission=selectors.FOLLOW_UP,
            order=44,
        )
    )
