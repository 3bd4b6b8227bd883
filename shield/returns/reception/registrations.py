"""What the reception part plugs into other apps at start-up: the verification work queue."""

from django.utils.translation import gettext_lazy as _

from shield.notifications import worklists
from shield.returns.reception import selectors

QUEUE_KEY = "returns_verifications_due"


def register() -> None:
    worklists.register(
        worklists.Worklist(
            key=QUEUE_KEY,
            title=_("Verification requests to answer"),
            items=selectors.verifications_due,
            url_name="returns:verification_list",
            query="due=yes",
            permission=selectors.VERIFY,
            order=44,
        )
    )
