"""Writes to the reference geography, each audited in the same transaction."""

from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from shield.audit.models import AuditAction
from shield.audit.services import record
from shield.geo import loading
from shield.geo.models import BorderGate, Commune, Province
from shield.geo.selectors import province_lookup_clear


@transaction.atomic
def divisions_sync(
    *, actor: AbstractBaseUser | AnonymousUser | None = None
) -> tuple[loading.SyncCounts, loading.SyncCounts]:
    """Bring provinces and communes in line with the installed vietnam-provinces package."""
    province_counts, commune_counts = loading.divisions_sync(Province, Commune)
    for model, counts in ((Province, province_counts), (Commune, commune_counts)):
        if counts.created or counts.updated:
            record(
                action=AuditAction.IMPORT,
                actor=actor,
                object_type=model._meta.label_lower,
                reason=f"vietnam-provinces sync: {counts.created} created, {counts.updated} updated",
            )
    # After commit, so a rolled-back sync cannot leave a table built from rows that never landed.
    transaction.on_commit(province_lookup_clear)
    return province_counts, commune_counts


@transaction.atomic
def border_gate_save(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    gate: BorderGate,
    created: bool,
    changed_fields: Iterable[str],
) -> BorderGate:
    """Save a border gate edited by an administrator (validated by the caller's form)."""
    gate.save()
    record(
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        actor=actor,
        obj=gate,
        changed_fields=changed_fields,
    )
    return gate
