"""Reading re-victimisation alerts with access applied, and what a viewer may learn of the source.

Alerts are the former case owner's agency's records: a user reaches an alert through
`returns.follow_up` or `returns.supervise` in a scope covering `owner_agency` (`scope_q`), or as
its owner. Missing and out-of-reach alerts both answer 404.

The source record (the screening, tip or person that met the returnee again) belongs to another
app and often another agency: `source_visible` asks that app's own selectors whether this viewer
may open it, and only then is it linked; otherwise the page says who holds it.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.urls import reverse

from shield.accounts import policy
from shield.accounts.models import User
from shield.core.lookups import one_or_not_found
from shield.intake import selectors as intake_selectors
from shield.people import selectors as people_selectors
from shield.returns.models import MetAgainSource, RevictimisationAlert

FOLLOW_UP = "returns.follow_up"
SUPERVISE = "returns.supervise"
READERS = (FOLLOW_UP, SUPERVISE)


def alert_visible_q(user: User) -> Q:
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    reach = Q(pk__in=[])
    for permission in READERS:
        if policy.has_permission(user, permission):
            reach |= user.scope_q(permission, agency_path="owner_agency") | Q(owner=user)
    return reach


@dataclass(frozen=True)
class AlertFilters:
    mine: bool = False
    acknowledged: str = ""  # "", "yes", "no"
    source: str = ""
    met_from: datetime.date | None = None
    met_to: datetime.date | None = None


def alert_list_for(*, user: User, filters: AlertFilters | None = None) -> QuerySet[RevictimisationAlert]:
    """Alerts the user may see, newest meeting first."""
    f = filters or AlertFilters()
    rows = RevictimisationAlert.objects.filter(alert_visible_q(user))
    if f.mine:
        rows = rows.filter(owner=user)
    if f.acknowledged == "yes":
        rows = rows.filter(acknowledged_at__isnull=False)
    elif f.acknowledged == "no":
        rows = rows.filter(acknowledged_at__isnull=True)
    if f.source:
        rows = rows.filter(source=f.source)
    if f.met_from is not None:
        rows = rows.filter(met_at__date__gte=f.met_from)
    if f.met_to is not None:
        rows = rows.filter(met_at__date__lte=f.met_to)
    return rows.select_related("source_agency", "owner_agency", "owner", "return_record", "person").order_by(
        "-met_at", "-id"
    )


def alert_get_for(*, user: User, alert_id: uuid.UUID | str) -> RevictimisationAlert:
    rows = RevictimisationAlert.objects.filter(alert_visible_q(user)).select_related(
        "source_agency", "owner_agency", "owner", "return_record", "plan", "plan__case", "person",
        "individual", "acknowledged_by",
    )  # fmt: skip
    return one_or_not_found(rows, alert_id)


def open_for(user: User) -> QuerySet[RevictimisationAlert]:
    """The home queue: alerts not yet acknowledged that are the user's own or their agency's."""
    return alert_list_for(user=user, filters=AlertFilters(acknowledged="no"))


def source_visible(*, user: User, alert: RevictimisationAlert) -> bool:
    """Whether the viewer may open the source record through its own app's selectors."""
    if alert.source == MetAgainSource.SCREENING:
        return intake_selectors.screening_list_for(user=user).filter(pk=alert.source_id).exists()
    if alert.source == MetAgainSource.TIP:
        return intake_selectors.tip_list_for(user=user).filter(pk=alert.source_id).exists()
    return people_selectors.person_list_for(user=user).filter(pk=alert.source_id).exists()


def source_url(*, user: User, alert: RevictimisationAlert) -> str | None:
    """The source record's page if the viewer may open it, else None ("held by …; ask them")."""
    if not source_visible(user=user, alert=alert):
        return None
    if alert.source == MetAgainSource.SCREENING:
        return reverse("intake:screening_detail", args=[alert.source_id])
    if alert.source == MetAgainSource.TIP:
        return reverse("intake:tip_detail", args=[alert.source_id])
    return reverse("people:person_detail", args=[alert.source_id])
