"""Recording a child's detention: an episode, its later changes (release, death, aftercare) and
the family's visits. Keyword-only, atomic, refusals that say why, audit in the same transaction."""

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shield import audit
from shield.accounts.models import Agency, User
from shield.accounts.policy import memberships_with
from shield.audit.models import AuditAction
from shield.core.concurrency import save_versioned
from shield.core.errors import NotFound, PermissionRefused, StaleVersion, ValidationFailed, VersionRequired
from shield.justice.children import rules
from shield.justice.children.services import justify_exception
from shield.justice.detention import limits
from shield.justice.models import (
    ChildDeadlineBreach,
    DetentionEpisode,
    DetentionKind,
    FamilyVisit,
    Party,
    PlaceKind,
    ProceedingStatus,
)
from shield.justice.models.detention import AFTERCARE_MAX, PLACE_NAME_MAX
from shield.justice.proceedings.access import EDIT, proceedings_in_reach
from shield.notifications.models import Kind
from shield.notifications.services import notify

EDITABLE = (
    "kind",
    "place_name",
    "place_kind",
    "started_on",
    "started_time",
    "ended_on",
    "ended_time",
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
    started_time: datetime.time | None = values.get("started_time")
    ended_time: datetime.time | None = values.get("ended_time")
    now = timezone.now()
    if (
        started is not None
        and "started_on" not in errors
        and started_time is not None
        and limits.start_instant(started, started_time) > now
    ):
        errors["started_time"] = [_("Detention cannot start in the future.")]
    if ended_time is not None and ended is None:
        errors["ended_time"] = [_("Give the day of release with its time.")]
    elif ended is not None and ended_time is not None and "ended_on" not in errors:
        released_at = limits.start_instant(ended, ended_time)
        if released_at > now:
            errors["ended_time"] = [_("The release cannot be in the future.")]
        elif started is not None and released_at <= limits.start_instant(started, started_time):
            errors["ended_time"] = [_("The release is before the start of detention.")]
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


def _limit_check(
    *, actor: User, party: Party, values: dict[str, Any], justification: str, already: str
) -> tuple[rules.DetentionLimit | None, str]:
    """An episode ended after the child's limit needs the one override path's justification
    (`children.services.justify_exception`); one justified before stays while the end is unchanged
    beyond the limit. Returns the limit and the justification to keep."""
    limit = limits.limit_of(
        kind=values["kind"],
        started_on=values["started_on"],
        started_time=values.get("started_time"),
        is_child=party.is_child,
        child_rules=rules.ChildRules.current(),
    )
    ended_at = limits.end_instant(values.get("ended_on"), values.get("ended_time"))
    # A release after the limit; a death is recorded whatever the limit (it shows as exceeded).
    exceeded = (
        limit is not None
        and ended_at is not None
        and ended_at > limit.ends_at
        and values.get("died_on") is None
    )
    if exceeded and already and not justification.strip():
        return limit, already
    assert limit is not None or not exceeded
    refusal = ""
    if exceeded and limit is not None:
        refusal = _(
            "Refused under %(law)s: a child may be held %(hours)d hours in %(kind)s; this episode "
            "ends after %(end)s. An assigned officer may justify it."
        ) % {
            "law": limit.law,
            "hours": limit.hours,
            "kind": DetentionKind(values["kind"]).label,
            "end": timezone.localtime(limit.ends_at).strftime("%d/%m/%Y %H:%M"),
        }
        if not limit.verified:
            refusal = f"{refusal} {_('(This figure is not verified: an administrator may set it.)')}"
    kept = justify_exception(
        actor=actor,
        proceeding=party.proceeding,
        breaches=(rules.DETENTION_LIMIT_EXCEEDED,) if exceeded else (),
        justification=justification,
        refusal=refusal,
        nothing_to_justify=_("This episode is within the child's limit: nothing needs justifying."),
    )
    return limit, kept or (already if exceeded else "")


def _resolve_limit_breach(episode: DetentionEpisode) -> None:
    """A released child: the breach noted while held is done (it stays on record)."""
    ended_at = limits.end_instant(episode.ended_on, episode.ended_time)
    if ended_at is not None:
        ChildDeadlineBreach.objects.filter(episode=episode, resolved_at__isnull=True).update(
            resolved_at=ended_at
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
    started_time: datetime.time | None = None,
    ended_on: datetime.date | None = None,
    ended_time: datetime.time | None = None,
    died_on: datetime.date | None = None,
    aftercare_received: bool | None = None,
    aftercare_detail: str = "",
    justification: str = "",
) -> DetentionEpisode:
    """Record a child party's detention episode (children only: the indicators count children).
    An episode ending after the child's custody or detention limit is refused (`RuleRefused`)
    unless an assigned officer holding `justice.justify_exception` gives a justification."""
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
            "started_time": started_time,
            "ended_on": ended_on,
            "ended_time": ended_time,
            "separated_from_adults": separated_from_adults,
            "died_on": died_on,
            "aftercare_received": aftercare_received,
            "aftercare_detail": aftercare_detail,
        },
        today=timezone.localdate(),
    )
    Party.objects.select_for_update().filter(pk=party.pk).first()  # one writer per child at a time
    _refuse_overlap(party, values)
    _limit, kept = _limit_check(
        actor=actor, party=party, values=values, justification=justification, already=""
    )
    episode = DetentionEpisode.objects.create(
        party=party,
        agency=agency,
        recorded_by=actor,
        limit_justification=kept,
        limit_justified_by=actor if kept else None,
        **values,
    )
    details = {"proceeding": str(party.proceeding_id), "party": str(party.pk)}
    if kept:
        details["rules_exceeded"] = rules.DETENTION_LIMIT_EXCEEDED
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        agency=agency,
        obj=episode,
        changed_fields=list(values) + (["limit_justification"] if kept else []),
        details=details,
    )
    return episode


@transaction.atomic
def episode_update(
    *,
    actor: User,
    episode: DetentionEpisode,
    expected_version: int | None,
    justification: str = "",
    **changes: Any,
) -> DetentionEpisode:
    """Change an episode (release, death, aftercare, a corrected place or date). A stale or
    missing version is refused before anything else, and nothing is written. A release after the
    child's limit needs a justification (as `episode_record`)."""
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
    _limit, kept = _limit_check(
        actor=actor,
        party=episode.party,
        values=values,
        justification=justification,
        already=episode.limit_justification,
    )
    changed = [name for name in EDITABLE if getattr(episode, name) != values[name]]
    for name in changed:
        setattr(episode, name, values[name])
    if kept != episode.limit_justification:
        episode.limit_justification = kept
        episode.limit_justified_by = actor if kept else None
        changed += ["limit_justification", "limit_justified_by"]
    save_versioned(episode, expected_version=expected_version, fields=changed)
    _resolve_limit_breach(episode)
    details = {"rules_exceeded": rules.DETENTION_LIMIT_EXCEEDED} if kept else {}
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        agency=agency,
        obj=episode,
        changed_fields=changed,
        details=details or None,
    )
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


def detention_limits_breached_notify(*, now: datetime.datetime | None = None) -> int:
    """Children held past their custody or detention limit in open proceedings: note each episode's
    breach once (`ChildDeadlineBreach` with the episode, unique) and tell the officers assigned,
    through the same notification as the other child deadlines. Run by `notify_child_deadlines`.
    Returns the notifications made."""
    now = now or timezone.now()
    child_rules = rules.ChildRules.current()
    created = 0
    episodes = (
        DetentionEpisode.objects.filter(
            limits.open_limit_q(child_rules, now=now, breached_only=True),
            party__proceeding__status=ProceedingStatus.OPEN,
        )
        .exclude(limit_breaches__isnull=False)
        .select_related("party", "party__proceeding")
        .order_by("pk")
    )
    for episode in episodes.iterator(chunk_size=500):
        view = limits.view_of(episode, child_rules=child_rules, now=now)
        if view is None or view.state != "breached":
            continue
        proceeding = episode.party.proceeding
        try:
            with transaction.atomic():
                breach = ChildDeadlineBreach.objects.create(
                    party=episode.party, key=view.limit.key, episode=episode, due_at=view.ends_at
                )
                officers = [
                    a.officer
                    for a in proceeding.assignments.filter(ended_at__isnull=True).select_related("officer")
                ]
                made = notify(
                    kind=Kind.CHILD_DEADLINE_BREACHED,
                    recipients=officers,
                    target=breach,
                    url=reverse("justice:detention_episode", kwargs={"episode_id": episode.pk}),
                    params={
                        "reference": proceeding.reference,
                        "due": timezone.localdate(view.ends_at).isoformat(),
                    },
                )
                created += len(made)
        except IntegrityError:
            continue  # noted by a sweep running at the same time
    return created
