"""Recording a child's detention: an episode, its later changes (release, death, aftercare) and
the family's visits. Keyword-only, atomic, refusals that say why, audit in the same transaction."""

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shield import audit
from shield.accounts.models import Agency, User
from shield.accounts.policy import memberships_with
from shield.audit.models import AuditAction
from shield.core.concurrency import save_versioned
from shield.core.errors import NotFound, PermissionRefused, StaleVersion, ValidationFailed, VersionRequired
from shield.justice.models import DetentionEpisode, DetentionKind, FamilyVisit, Party, PlaceKind
from shield.justice.models.detention import AFTERCARE_MAX, PLACE_NAME_MAX
from shield.justice.proceedings.access import EDIT, proceedings_in_reach

EDITABLE = (
    "kind",
    "place_name",
    "place_kind",
    "started_on",
    "ended_on",
    "separated_from_adults",
    "died_on",
    "aftercare_received",
    "aftercare_detail",
)


def _editing_agency(actor: User) -> Agency:
    memberships = memberships_with(actor, EDIT)
    if not memberships:
        raise PermissionRefused(_("Your role does not let you record detention."))
    return memberships[0].agency


def _check_reach(actor: User, party: Party) -> None:
    """The party's proceeding must be in the actor's reach for editing (else: not found)."""
    if not proceedings_in_reach(actor, EDIT).filter(pk=party.proceeding_id).exists():
        raise NotFound()


def _clean(values: dict[str, Any], *, today: datetime.date) -> dict[str, Any]:
    """Check one episode's facts together; every problem named on its field."""
    errors: dict[str, list[str]] = {}
    place_name = (values.get("place_name") or "").strip()
    values["place_name"] = place_name
    values["aftercare_detail"] = (values.get("aftercare_detail") or "").strip()
    if not place_name:
        errors["place_name"] = [_("Name the place of detention.")]
    elif len(place_name) > PLACE_NAME_MAX:
        errors["place_name"] = [_("At most %(n)d characters.") % {"n": PLACE_NAME_MAX}]
    if values.get("kind") not in DetentionKind.values:
        errors["kind"] = [_("Choose a kind of detention.")]
    if values.get("place_kind") not in PlaceKind.values:
        errors["place_kind"] = [_("Choose a kind of place.")]
    started: datetime.date | None = values.get("started_on")
    ended: datetime.date | None = values.get("ended_on")
    died: datetime.date | None = values.get("died_on")
    if started is None:
        errors["started_on"] = [_("Give the first day of detention.")]
    elif started > today:
        errors["started_on"] = [_("Detention cannot start in the future.")]
    if ended is not None:
        if ended > today:
            errors["ended_on"] = [_("The release cannot be in the future.")]
        elif started is not None and ended < started:
            errors["ended_on"] = [_("The episode cannot end before it started.")]
    if died is not None:
        if ended is None:
            values["ended_on"] = ended = died
        elif ended != died:
            errors["died_on"] = [
                _("A death in detention ends the episode: the end date must be the date of death.")
            ]
        if died > today:
            errors["died_on"] = [_("The date of death cannot be in the future.")]
        elif started is not None and died < started:
            errors["died_on"] = [_("The date of death is before the episode started.")]
    if values.get("aftercare_received") is not None and (ended is None or died is not None):
        errors["aftercare_received"] = [_("Aftercare is recorded once the child has been released.")]
    if values.get("aftercare_received") is not True and values["aftercare_detail"]:
        errors["aftercare_detail"] = [_("Describe aftercare only when the child received it.")]
    if len(values["aftercare_detail"]) > AFTERCARE_MAX:
        errors["aftercare_detail"] = [_("At most %(n)d characters.") % {"n": AFTERCARE_MAX}]
    if errors:
        raise ValidationFailed(field_errors=errors)
    return values


def _refuse_overlap(party: Party, values: dict[str, Any], *, exclude: Any = None) -> None:
    """A child is in one place at a time: episodes of a party may not overlap."""
    start: datetime.date = values["started_on"]
    end: datetime.date | None = values.get("ended_on")
    others = DetentionEpisode.objects.filter(party=party).exclude(pk=exclude)
    clash = others.filter(ended_on__isnull=True) | others.filter(ended_on__gte=start)
    if end is not None:
        clash = clash.filter(started_on__lte=end)
    if clash.exists():
        raise ValidationFailed(
            field_errors={"started_on": [_("This overlaps another detention episode of the same child.")]}
        )


@transaction.atomic
def episode_record(
    *,
    actor: User,
    party: Party,
    kind: str,
    place_name: str,
    place_kind: str,
    started_on: datetime.date,
    separated_from_adults: bool,
    ended_on: datetime.date | None = None,
    died_on: datetime.date | None = None,
    aftercare_received: bool | None = None,
    aftercare_detail: str = "",
) -> DetentionEpisode:
    """Record a child party's detention episode (children only: the indicators count children)."""
    agency = _editing_agency(actor)
    _check_reach(actor, party)
    if not party.is_child:
        raise ValidationFailed(_("Detention episodes are recorded for child parties only."))
    values = _clean(
        {
            "kind": kind,
            "place_name": place_name,
            "place_kind": place_kind,
            "started_on": started_on,
            "ended_on": ended_on,
            "separated_from_adults": separated_from_adults,
            "died_on": died_on,
            "aftercare_received": aftercare_received,
            "aftercare_detail": aftercare_detail,
        },
        today=timezone.localdate(),
    )
    Party.objects.select_for_update().filter(pk=party.pk).first()  # one writer per child at a time
    _refuse_overlap(party, values)
    episode = DetentionEpisode.objects.create(party=party, agency=agency, recorded_by=actor, **values)
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        agency=agency,
        obj=episode,
        changed_fields=list(values),
        details={"proceeding": str(party.proceeding_id), "party": str(party.pk)},
    )
    return episode


@transaction.atomic
def episode_update(
    *, actor: User, episode: DetentionEpisode, expected_version: int | None, **changes: Any
) -> DetentionEpisode:
    """Change an episode (release, death, aftercare, a corrected place or date). A stale or
    missing version is refused before anything else, and nothing is written."""
    if expected_version is None:
        raise VersionRequired()
    if expected_version != episode.version:
        raise StaleVersion()
    agency = _editing_agency(actor)
    _check_reach(actor, episode.party)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationFailed(field_errors={name: [_("This field cannot be changed.")] for name in unknown})
    values = {name: getattr(episode, name) for name in EDITABLE}
    values.update(changes)
    values = _clean(values, today=timezone.localdate())
    Party.objects.select_for_update().filter(pk=episode.party_id).first()
    _refuse_overlap(episode.party, values, exclude=episode.pk)
    changed = [name for name in EDITABLE if getattr(episode, name) != values[name]]
    for name in changed:
        setattr(episode, name, values[name])
    save_versioned(episode, expected_version=expected_version, fields=changed)
    audit.record(action=AuditAction.UPDATE, actor=actor, agency=agency, obj=episode, changed_fields=changed)
    return episode


@transaction.atomic
def family_visit_record(*, actor: User, episode: DetentionEpisode, visited_on: datetime.date) -> FamilyVisit:
    """A contact with a parent, guardian or adult family member, during the episode."""
    agency = _editing_agency(actor)
    _check_reach(actor, episode.party)
    today = timezone.localdate()
    last = episode.ended_on or today
    if visited_on > today:
        raise ValidationFailed(field_errors={"visited_on": [_("A visit cannot be in the future.")]})
    if visited_on < episode.started_on or visited_on > last:
        raise ValidationFailed(
            field_errors={"visited_on": [_("The visit must fall within the detention episode.")]}
        )
    visit = FamilyVisit.objects.create(episode=episode, visited_on=visited_on, recorded_by=actor)
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        agency=agency,
        obj=visit,
        changed_fields=["visited_on"],
        details={"episode": str(episode.pk)},
    )
    return visit
