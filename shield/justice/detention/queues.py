"""The detention part's work queues: children in the user's reach held now, and the worklist
section (also a home-page queue) of children whose custody or detention limit is near or passed."""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shield.accounts.models import User
from shield.justice.children import rules
from shield.justice.detention import limits, selectors
from shield.justice.proceedings import worklist
from shield.justice.proceedings.access import VIEW
from shield.notifications import worklists

LIMITS_KEY = "justice_detention_limits"


def held_now(user: User) -> QuerySet[Any]:
    """The same filter as the list's `?state=open`."""
    return selectors.episode_list_for(user=user, filters=selectors.EpisodeFilters(state=selectors.OPEN))


def limits_items(user: User, today: datetime.date) -> QuerySet[Any]:
    """The same filter as the list's `?state=limits`."""
    return selectors.limits_near_or_breached_for(user=user)


def limit_rows(user: User, today: datetime.date, limit: int) -> list[worklist.Row]:
    """The first `limit` children near or past their limit, soonest limit first (two queries: the
    administrator's values and the rows)."""
    child_rules = rules.ChildRules.current()
    now = timezone.now()
    rows = []
    items = selectors.limits_near_or_breached_for(user=user, child_rules=child_rules)
    for episode in items[:limit]:
        view = limits.view_of(episode, child_rules=child_rules, now=now)
        if view is None:
            continue
        label = _("%(kind)s: limit %(hours)d h") % {
            "kind": episode.get_kind_display(),
            "hours": view.limit.hours,
        }
        if not view.limit.verified:
            label = f"{label} ({_('unverified')})"
        rows.append(
            worklist.Row(
                proceeding=episode.party.proceeding,
                label=str(label),
                due=view.ends_at,
                breached=view.state == "breached",
                url=reverse("justice:detention_episode", kwargs={"episode_id": episode.pk}),
            )
        )
    return sorted(rows, key=lambda r: r.due or now)


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
    worklist.register_section(
        worklist.Section(
            key=LIMITS_KEY,
            title=_("Detention limits near or breached"),
            rows=limit_rows,
            items=limits_items,
            url_name="justice:detention_list",
            query=f"state={selectors.LIMITS}",
            permission=VIEW,
            order=11,
        )
    )
