"""The detention part's work queue: children in the user's reach who are held now."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from shield.accounts.models import User
from shield.justice.detention import selectors
from shield.justice.proceedings.access import VIEW
from shield.notifications import worklists


def held_now(user: User) -> QuerySet[Any]:
    """The same filter as the list's `?state=open`."""
    return selectors.episode_list_for(user=user, filters=selectors.EpisodeFilters(state=selectors.OPEN))


def register() -> None:
    worklists.register(
        worklists.Worklist(
            key="justice_children_held",
            title=_("Children held in custody or detention now"),
            items=held_now,
            url_name="justice:detention_list",
            query=f"state={selectors.OPEN}",
            permission=VIEW,
            order=55,
        )
    )
