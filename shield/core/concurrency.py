"""Optimistic concurrency: a write names the version it read; a stale one is refused whole."""

from collections.abc import Iterable

from django.db.models import F
from django.utils import timezone

from shield.core.errors import StaleVersion, VersionRequired
from shield.core.models import VersionedModel


def save_versioned(instance: VersionedModel, *, expected_version: int | None, fields: Iterable[str]) -> None:
    """Write `fields` only if the row still has `expected_version`, then bump the version.

    The check and the write are one UPDATE ... WHERE version = %s, so two editors cannot both win.
    """
    if expected_version is None:
        raise VersionRequired()
    names = list(dict.fromkeys(fields))
    if hasattr(instance, "updated_at"):
        # QuerySet.update() skips auto_now, so stamp the time here.
        instance.updated_at = timezone.now()
        if "updated_at" not in names:
            names.append("updated_at")
    values = {name: getattr(instance, name) for name in names}
    model = type(instance)
    updated = model._default_manager.filter(pk=instance.pk, version=expected_version).update(
        version=F("version") + 1, **values
    )
    if updated != 1:
        raise StaleVersion()
    instance.version = expected_version + 1
