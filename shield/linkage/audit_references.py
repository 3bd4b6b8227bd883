"""References the audit log shows for linkage runs (see `shield.audit.references`): when it was queued."""

from collections.abc import Mapping, Sequence

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from shield.audit import references
from shield.audit.references import Reference
from shield.core.access import AccessSubject
from shield.linkage.models import LinkageRun
from shield.linkage.selectors import RUN_PERMISSION


def _runs(user: AccessSubject, ids: Sequence[str]) -> Mapping[str, Reference]:
    may_open = user.has_perm(RUN_PERMISSION)
    rows = LinkageRun.objects.filter(pk__in=references.uuids(ids).values()).values_list("pk", "created_at")
    return {
        str(pk): Reference(
            _("Run of %(time)s")
            % {"time": formats.date_format(timezone.localtime(created), "SHORT_DATETIME_FORMAT")},
            reverse("linkage:run_detail", args=[pk]) if may_open else "",
        )
        for pk, created in rows
    }


def register() -> None:
    references.register("linkage.linkagerun", _runs)
