"""Merging two records of one person, and undoing it, losing nothing.

A merge moves every row that points at the merged person to the survivor: documents, other
names, relationships, cases, consents and whatever later apps add. The rows are found from
`Person._meta.related_objects`, so a new app's foreign keys are moved without changing this
module. Excluded: the people app's search keys (rebuilt through `people.services`, they are
derived) and linkage's own tables (they describe the merge). Each moved row is recorded
(model, primary key, field) on the `PersonMerge`, so an unmerge puts exactly those rows back.
Rows with a `version` get a new one, so an editor holding the old one is told to reload.

Two kinds of row stay with the merged person, because moving them would break a rule:

- a row that also points at the survivor through another field (a relationship between the two:
  it would relate the survivor to themselves);
- a one-to-one row the survivor already has.

The merged person's active document that the survivor also holds is set inactive (one active
copy per person is a database rule) and reactivated on unmerge. The caller has read both
persons through `people.selectors.person_get_for` and checked the permissions.
"""

import uuid
from typing import Any

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import F, ForeignKey, Model, OneToOneField, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shield import audit
from shield.accounts.models import User
from shield.audit.models import AuditAction
from shield.core.errors import InvalidTransition, ValidationFailed
from shield.linkage.clusters import pair_key
from shield.linkage.models import (
    Decision,
    PairDecision,
    PairStatus,
    PersonIndividual,
    PersonMerge,
    ReviewPair,
)
from shield.people import services as people_services
from shield.people.models import IdentityDocument, Person, PersonNameToken

# Derived from the person (rebuilt, not moved), or linkage's own record of who is who.
NOT_MOVED_MODELS = {PersonNameToken}
NOT_MOVED_APPS = {"linkage"}


def _person_foreign_keys() -> list[ForeignKey[Any, Any]]:
    """Every foreign key to Person that a merge moves."""
    fields = []
    for relation in Person._meta.related_objects:
        model = relation.related_model
        if not isinstance(model, type) or model in NOT_MOVED_MODELS:
            continue
        if model._meta.app_label in NOT_MOVED_APPS or model._meta.proxy:
            continue
        field = relation.field
        if isinstance(field, ForeignKey) and field.concrete:
            fields.append(field)
    return fields


def _has_field(model: type[Model], name: str) -> bool:
    return any(f.name == name for f in model._meta.concrete_fields)


def _stamp(model: type[Model]) -> dict[str, Any]:
    """The bookkeeping an UPDATE must do by hand: a new version, the time."""
    values: dict[str, Any] = {}
    if _has_field(model, "version"):
        values["version"] = F("version") + 1
    if _has_field(model, "updated_at"):
        values["updated_at"] = timezone.now()
    return values


def _other_person_fields(field: ForeignKey[Any, Any]) -> list[str]:
    model = field.model
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, ForeignKey) and f.related_model is Person and f.name != field.name
    ]


def _rows_to_move(field: ForeignKey[Any, Any], *, merged: Person, survivor: Person) -> list[Any]:
    model = field.model
    rows = model._base_manager.filter(**{field.name: merged})
    for other in _other_person_fields(field):
        rows = rows.exclude(**{other: survivor})
    if isinstance(field, OneToOneField) and model._base_manager.filter(**{field.name: survivor}).exists():
        return []
    return list(rows.order_by("pk").values_list("pk", flat=True))


def _duplicate_documents(*, merged: Person, survivor: Person) -> list[str]:
    held = set(
        IdentityDocument.objects.filter(person=survivor, is_active=True).values_list(
            "kind", "number_normalized"
        )
    )
    return [
        str(document.pk)
        for document in IdentityDocument.objects.filter(person=merged, is_active=True).order_by("pk")
        if (document.kind, document.number_normalized) in held
    ]


def merged_into(person: Person) -> PersonMerge | None:
    return (
        PersonMerge.objects.filter(merged=person, unmerged_at__isnull=True).select_related("survivor").first()
    )


def _lock(*persons: Person) -> None:
    # Two merges of the same persons at once must not both move rows: the second waits here.
    list(Person.objects.select_for_update().filter(pk__in=[p.pk for p in persons]).order_by("pk"))


@transaction.atomic
def person_merge(
    *,
    actor: User,
    survivor: Person,
    merged: Person,
    reason: str,
    review_pair: ReviewPair | None = None,
) -> PersonMerge:
    """Fold `merged` into `survivor`. The two must have been confirmed as the same person."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(field_errors={"reason": [str(_("Say why these records are merged."))]})
    if survivor.pk == merged.pk:
        raise ValidationFailed(_("A person cannot be merged with themselves."))
    _lock(survivor, merged)
    low, high = pair_key(str(survivor.pk), str(merged.pk))
    if not PairDecision.objects.filter(
        person_low_id=uuid.UUID(low), person_high_id=uuid.UUID(high), decision=Decision.SAME
    ).exists():
        raise InvalidTransition(_("Only two records confirmed as the same person can be merged."))
    if PersonMerge.objects.filter(Q(merged=merged) | Q(merged=survivor), unmerged_at__isnull=True).exists():
        raise InvalidTransition(_("One of these records has already been merged into another."))

    deactivated = _duplicate_documents(merged=merged, survivor=survivor)
    IdentityDocument.objects.filter(pk__in=deactivated).update(is_active=False, updated_at=timezone.now())
    moved: list[dict[str, str]] = []
    try:
        with transaction.atomic():
            for field in _person_foreign_keys():
                model = field.model
                pks = _rows_to_move(field, merged=merged, survivor=survivor)
                if not pks:
                    continue
                model._base_manager.filter(pk__in=pks).update(**{field.name: survivor}, **_stamp(model))
                label = model._meta.label
                moved += [{"model": label, "pk": str(pk), "field": field.name} for pk in pks]
    except IntegrityError as exc:
        raise ValidationFailed(
            _("Their linked records conflict, so these records cannot be merged. Nothing was changed.")
        ) from exc
    people_services.person_search_keys_refresh(person=survivor)
    merge = PersonMerge.objects.create(
        survivor=survivor,
        merged=merged,
        review_pair=review_pair,
        moved=moved,
        deactivated_documents=deactivated,
        merged_by=actor,
        reason=reason,
    )
    individual = (
        PersonIndividual.objects.filter(person=survivor).values_list("individual_id", flat=True).first()
    )
    if individual is not None:
        PersonIndividual.objects.update_or_create(person=merged, defaults={"individual_id": individual})
    # Questions about the merged record are moot now; the next run asks about the survivor.
    ReviewPair.objects.filter(Q(person_low=merged) | Q(person_high=merged), status=PairStatus.OPEN).exclude(
        pk__in=[review_pair.pk] if review_pair is not None else []
    ).update(status=PairStatus.SUPERSEDED, updated_at=timezone.now())
    changed = sorted({entry["model"] for entry in moved})
    audit.record(
        action=AuditAction.MERGE, actor=actor, obj=merge, changed_fields=["survivor", "merged", "moved"]
    )
    audit.record(action=AuditAction.MERGE, actor=actor, obj=survivor, changed_fields=changed)
    audit.record(
        action=AuditAction.MERGE,
        actor=actor,
        obj=merged,
        changed_fields=[*changed, *(["identity_documents.is_active"] if deactivated else [])],
    )
    return merge


@transaction.atomic
def person_unmerge(*, actor: User, merge: PersonMerge, reason: str) -> PersonMerge:
    """Undo a merge: every row it moved goes back to the merged person, the documents it set
    inactive are active again. Refused, with nothing changed, when the survivor has itself been
    merged since (undo that first) or a moved row no longer points at the survivor."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(field_errors={"reason": [str(_("Say why the merge is undone."))]})
    merge = PersonMerge.objects.select_for_update().select_related("survivor", "merged").get(pk=merge.pk)
    if merge.unmerged_at is not None:
        raise InvalidTransition(_("This merge has already been undone."))
    survivor, merged = merge.survivor, merge.merged
    _lock(survivor, merged)
    if PersonMerge.objects.filter(merged=survivor, unmerged_at__isnull=True).exists():
        raise InvalidTransition(
            _("The kept record has since been merged into another: undo that merge first.")
        )
    by_target: dict[tuple[str, str], list[str]] = {}
    for entry in merge.moved:
        by_target.setdefault((entry["model"], entry["field"]), []).append(entry["pk"])
    for (label, field), pks in by_target.items():
        model = apps.get_model(label)
        rows = model._base_manager.filter(pk__in=pks, **{field: survivor})
        if rows.count() != len(pks):
            raise InvalidTransition(
                _("Records this merge moved have changed since, so it cannot be undone automatically.")
            )
        rows.update(**{field: merged}, **_stamp(model))
    IdentityDocument.objects.filter(pk__in=merge.deactivated_documents).update(
        is_active=True, updated_at=timezone.now()
    )
    people_services.person_search_keys_refresh(person=survivor)
    people_services.person_search_keys_refresh(person=merged)
    merge.unmerged_by, merge.unmerged_at, merge.unmerge_reason = actor, timezone.now(), reason
    merge.save(update_fields=["unmerged_by", "unmerged_at", "unmerge_reason", "updated_at"])
    changed = sorted({entry["model"] for entry in merge.moved})
    audit.record(
        action=AuditAction.UNMERGE,
        actor=actor,
        obj=merge,
        changed_fields=["unmerged_by", "unmerged_at", "unmerge_reason"],
    )
    audit.record(action=AuditAction.UNMERGE, actor=actor, obj=survivor, changed_fields=changed)
    audit.record(action=AuditAction.UNMERGE, actor=actor, obj=merged, changed_fields=changed)
    return merge
