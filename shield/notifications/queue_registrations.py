"""The home page's "Waiting for you" panel, and the queues of the apps below notifications.

Accounts sits below this layer and cannot register its own queue; its pending role grants are
registered here, through accounts' selector. Apps above (cases, intake, linkage) register theirs
in their own AppConfig.ready().
"""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from shield.accounts import home_panels, selectors
from shield.accounts.models import User
from shield.notifications import worklists


def _pending_grants(user: User) -> QuerySet[Any]:
    return selectors.role_grant_pending_list(user=user)


def register() -> None:
    home_panels.register(
        home_panels.HomePanel(
            key="waiting_for_you",
            template_name="notifications/home_waiting.html",
            context=worklists.home_panel,
            order=1,
        )
    )
    worklists.register(
        worklists.Worklist(
            key="role_grants",
            title=_("Roles waiting for a second administrator"),
            items=_pending_grants,
            url_name="accounts:grant_list",
            permission="accounts.manage_system",
            order=80,
        )
    )
