"""Reading releases: who sees which, and what earlier releases published for a period.

An approved release is published: anyone who may see statistics (`statistics.view`) may read it. A
draft or a submitted release is work in progress: only those who assemble or approve releases see
it. Missing and hidden both answer NotFound.
"""

import uuid
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from shield.core.errors import NotFound
from shield.statistics.models import Release, ReleaseStatus

VIEW = "statistics.view"
RELEASE = "statistics.release"
APPROVE = "statistics.approve"


def works_on_releases(user: Any) -> bool:
    return bool(user.has_perm(RELEASE) or user.has_perm(APPROVE))


def _visible_q(user: Any) -> Q:
    if works_on_releases(user):
        return Q()
    if user.has_perm(VIEW):
        return Q(status=ReleaseStatus.APPROVED)
    return Q(pk__in=[])


def release_list_for(*, user: Any, status: str | None = None, period: str | None = None) -> QuerySet[Release]:
    """Releases `user` may see, newest first; `status` and `period` narrow the list."""
    releases = Release.objects.filter(_visible_q(user))
    if status:
        releases = releases.filter(status=status)
    if period:
        releases = releases.filter(period=period)
    return releases.select_related("assembled_by", "approved_by", "replaces", "correction").order_by(
        "-created_at", "-id"
    )


def release_get_for(*, user: Any, release_id: uuid.UUID) -> Release:
    release = (
        Release.objects.filter(_visible_q(user), pk=release_id)
        .select_related("assembled_by", "submitted_by", "approved_by", "replaces", "correction")
        .first()
    )
    if release is None:
        raise NotFound(_("No such release."))
    return release


def approved_for_period(period: str, *, exclude: uuid.UUID | None = None) -> list[Release]:
    """Every approved release for `period` (superseded ones too: what they published stays out)."""
    releases = Release.objects.filter(period=period, status=ReleaseStatus.APPROVED)
    if exclude is not None:
        releases = releases.exclude(pk=exclude)
    return list(releases.order_by("approved_at", "id"))


def superseded_by(release: Release) -> Release | None:
    """The approved correction of `release`, if any (a draft correction supersedes nothing yet)."""
    correction: Release | None = getattr(release, "correction", None)
    if correction is not None and correction.status == ReleaseStatus.APPROVED:
        return correction
    return None
