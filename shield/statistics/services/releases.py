"""Publishing releases: assemble (and recount while a draft), submit, approve, return, correct.

The state machine: draft → submitted → approved (frozen), and submitted → draft when the approver
returns it with a reason. An approved release never changes again: a correction is a new draft that
names it (`replaces`), and once approved it supersedes it. The approver must hold
`statistics.approve` and be neither the person who assembled the tables nor the one who submitted
them (four eyes; the database refuses it too, `release_four_eyes`). Each service is keyword-only,
atomic, locks the row, checks the version the user read (412 stale, 428 none) and writes its audit
event in the same transaction.

Every build is protected against what earlier approved releases for the same period published, and
the release remembers which those were: if another release for the period is approved meanwhile,
approval is refused until the draft is recounted against it.
"""

import logging
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shield import audit
from shield.accounts.models import User
from shield.audit import reasons
from shield.audit.models import AuditAction
from shield.core.concurrency import save_versioned
from shield.core.errors import (
    ApplicationError,
    InvalidTransition,
    PermissionRefused,
    StaleVersion,
    ValidationFailed,
    VersionRequired,
)
from shield.statistics import indicators, reports
from shield.statistics.models import BuildState, Release, ReleaseStatus
from shield.statistics.models.releases import REASON_MAX, TITLE_MAX
from shield.statistics.periods import Period
from shield.statistics.selectors.releases import APPROVE, RELEASE, approved_for_period
from shield.statistics.services import release_content

logger = logging.getLogger(__name__)


class ReleaseTampered(ApplicationError):
    """The stored content no longer matches its hash: someone changed a frozen release."""

    status_code = 409
    default_message = gettext_lazy(
        "This release's content does not match its hash: it was changed after it was frozen. "
        "It cannot be downloaded; tell the system administrator."
    )


def _require(actor: User, permission: str) -> None:
    if not actor.has_perm(permission):
        raise PermissionRefused()


def _locked(release: Release) -> Release:
    return Release.objects.select_for_update().get(pk=release.pk)


def _check_version(release: Release, expected_version: int | None) -> int:
    if expected_version is None:
        raise VersionRequired()
    if expected_version != release.version:
        raise StaleVersion()
    return expected_version


def _check_state(release: Release, *allowed: str) -> None:
    if release.status == ReleaseStatus.APPROVED:
        raise InvalidTransition(_("This release is approved and frozen: make a correction instead."))
    if release.status not in allowed:
        raise InvalidTransition(
            _("Not possible while the release is %(status)s.") % {"status": release.get_status_display()}
        )


def _document(release: Release) -> dict[str, Any]:
    return release_content.hashed_document(
        period=release.period,
        title_vi=release.title_vi,
        title_en=release.title_en,
        replaces=str(release.replaces_id) if release.replaces_id else None,
        content=release.content,
    )


def hash_of(release: Release) -> str:
    return release_content.content_hash(_document(release))


def verify(release: Release) -> None:
    """Raise ReleaseTampered when the stored content, titles or period no longer match the hash."""
    if not release.content_hash or hash_of(release) != release.content_hash:
        raise ReleaseTampered()


def _clean_titles(title_vi: str, title_en: str) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    title_vi, title_en = (title_vi or "").strip(), (title_en or "").strip()
    for name, value in (("title_vi", title_vi), ("title_en", title_en)):
        if not value:
            errors[name] = [_("Give the release a title.")]
        elif len(value) > TITLE_MAX:
            errors[name] = [_("At most %(n)d characters.") % {"n": TITLE_MAX}]
    if errors:
        raise ValidationFailed(field_errors=errors)
    return title_vi, title_en


def _clean_period(period: str) -> str:
    try:
        return Period.parse(period).code
    except ValueError as exc:
        raise ValidationFailed(
            field_errors={"period": [_("Give a year (2025), a quarter (2025-Q3) or a month (2025-07).")]}
        ) from exc


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(field_errors={"reason": [_("Say why.")]})
    if len(reason) > REASON_MAX:
        raise ValidationFailed(field_errors={"reason": [_("At most %(n)d characters.") % {"n": REASON_MAX}]})
    return reason


def _specs(table_set: str, specs: Sequence[reports.TableSpec] | None) -> list[reports.TableSpec]:
    if specs:
        return list(specs)
    if not table_set:
        raise ValidationFailed(field_errors={"table_set": [_("Choose a set of tables.")]})
    try:
        return reports.specs_of_set(table_set)
    except KeyError as exc:
        raise ValidationFailed(field_errors={"table_set": [_("No such set of tables.")]}) from exc


def _check_specs(specs: Sequence[reports.TableSpec]) -> None:
    """Refuse at once what counting would refuse later in the task: an unknown indicator or a
    dimension it may not be cut by."""
    for spec in specs:
        try:
            indicator = indicators.indicator_get(spec.indicator)
        except KeyError as exc:
            raise ValidationFailed(field_errors={"specs": [_("No such indicator.")]}) from exc
        if set(spec.dimensions) - set(indicator.dimensions) or len(set(spec.dimensions)) != len(
            spec.dimensions
        ):
            raise ValidationFailed(
                field_errors={"specs": [_("This indicator cannot be cut by these dimensions.")]}
            )


def _queue(*, actor: User, release: Release) -> list[str]:
    """Mark the release for (re)assembly by `actor` and name the fields changed; the caller saves
    them and then calls `_enqueue` in the same transaction (the task row commits with them)."""
    release.assembled_by, release.assembled_at = actor, timezone.now()
    release.build_state, release.build_progress, release.build_step, release.build_error = (
        BuildState.QUEUED,
        0,
        "",
        "",
    )
    release.build_token = uuid.uuid4()
    return [
        "assembled_by",
        "assembled_at",
        "build_state",
        "build_progress",
        "build_step",
        "build_error",
        "build_token",
    ]


def _enqueue(release: Release) -> Release:
    from shield.statistics.tasks import release_assemble as assemble_task

    assemble_task.enqueue(str(release.pk), str(release.build_token))
    # The immediate backend (tests) has already assembled it by now: hand back what it wrote.
    release.refresh_from_db()
    return release


def _progress(release_id: Any, token: uuid.UUID) -> Callable[[int, str], None]:
    def update(percent: int, step: str) -> None:
        Release.objects.filter(pk=release_id, build_token=token).update(
            build_progress=min(99, percent), build_step=step[:100]
        )

    return update


def release_assemble(*, release_id: Any, token: Any) -> str:
    """The task's body: count the tables with the assembler's scope, protect them against every
    approved release for the period, and store the frozen form (with which releases it was
    protected against) and its hash, audited as the assembler's update. A failure is kept on the
    release (the page says so); a task whose token is stale writes nothing."""
    token = uuid.UUID(str(token))
    claimed = Release.objects.filter(
        pk=release_id, build_token=token, build_state=BuildState.QUEUED, status=ReleaseStatus.DRAFT
    ).update(build_state=BuildState.RUNNING, build_progress=1, build_step="start")
    if not claimed:
        return "skipped"
    release = Release.objects.select_related("assembled_by").get(pk=release_id)
    earlier = approved_for_period(release.period, exclude=release.pk)
    try:
        report = reports.report_build(
            user=release.assembled_by,
            period=release.period,
            specs=[reports.spec_of(s) for s in release.specs],
            published=release_content.published_tables(r.content for r in earlier),
            progress=_progress(release.pk, token),
        )
    except Exception as error:  # kept on the release for the assembler; the page says it failed
        Release.objects.filter(pk=release.pk, build_token=token).update(
            build_state=BuildState.FAILED, build_error=f"{type(error).__name__}: {error}"[:500]
        )
        logger.exception("release %s: assembly failed", release.pk)
        return BuildState.FAILED
    content = release_content.content_of(report)
    content["protected_against"] = [str(r.pk) for r in earlier]
    with transaction.atomic():
        locked = _locked(release)
        if locked.build_token != token or locked.status != ReleaseStatus.DRAFT:
            return "skipped"
        locked.content = content
        locked.build_state, locked.build_progress, locked.build_step = BuildState.DONE, 100, "done"
        locked.content_hash = hash_of(locked)
        fields = ["content", "content_hash", "build_state", "build_progress", "build_step"]
        save_versioned(locked, expected_version=locked.version, fields=fields)
        audit.record(
            action=AuditAction.UPDATE,
            actor=locked.assembled_by,
            obj=locked,
            changed_fields=fields,
            details={"assembled": True, "tables": len(report.tables), "audit_ok": report.audit_ok},
        )
    return BuildState.DONE


@transaction.atomic
def release_create(
    *,
    actor: User,
    period: str,
    title_vi: str,
    title_en: str,
    table_set: str = "",
    specs: Sequence[reports.TableSpec] | None = None,
) -> Release:
    """A draft release of the tables of `table_set` (or `specs`) for `period`, queued for assembly
    (`release_assemble`: counted with the actor's scope, protected against earlier releases for
    the period too)."""
    _require(actor, RELEASE)
    errors: dict[str, list[str]] = {}
    for check in (lambda: _clean_titles(title_vi, title_en), lambda: _clean_period(period)):
        try:
            check()
        except ValidationFailed as exc:
            errors.update(exc.field_errors)
    try:
        chosen = _specs(table_set, specs)
    except ValidationFailed as exc:
        errors.update(exc.field_errors)
    if errors:
        raise ValidationFailed(field_errors=errors)
    _check_specs(chosen)
    title_vi, title_en = _clean_titles(title_vi, title_en)
    release = Release(
        period=_clean_period(period),
        title_vi=title_vi,
        title_en=title_en,
        table_set=table_set if not specs else "",
        specs=[reports.spec_as_dict(spec) for spec in chosen],
    )
    _queue(actor=actor, release=release)
    release.save(force_insert=True)
    audit.record(action=AuditAction.CREATE, actor=actor, obj=release, details={"period": release.period})
    return _enqueue(release)


@transaction.atomic
def release_rebuild(*, actor: User, release: Release, expected_version: int | None) -> Release:
    """Recount a draft (new data, or an earlier release approved since): the assembler becomes the
    actor, so they cannot approve it either."""
    _require(actor, RELEASE)
    locked = _locked(release)
    _check_version(locked, expected_version)
    _check_state(locked, ReleaseStatus.DRAFT)
    fields = _queue(actor=actor, release=locked)
    save_versioned(locked, expected_version=locked.version, fields=fields)
    audit.record(action=AuditAction.UPDATE, actor=actor, obj=locked, changed_fields=fields)
    return _enqueue(locked)


@transaction.atomic
def release_submit(*, actor: User, release: Release, expected_version: int | None) -> Release:
    _require(actor, RELEASE)
    locked = _locked(release)
    _check_version(locked, expected_version)
    _check_state(locked, ReleaseStatus.DRAFT)
    if locked.build_state != BuildState.DONE:
        raise InvalidTransition(_("The tables are not assembled yet: wait for the assembly to finish."))
    if not locked.content.get("audit_ok", False):
        raise InvalidTransition(_("The disclosure audit of this release failed: it cannot be submitted."))
    locked.status, locked.submitted_by, locked.submitted_at = ReleaseStatus.SUBMITTED, actor, timezone.now()
    locked.returned_reason = ""
    fields = ["status", "submitted_by", "submitted_at", "returned_reason"]
    save_versioned(locked, expected_version=locked.version, fields=fields)
    audit.record(
        action=AuditAction.TRANSITION,
        actor=actor,
        obj=locked,
        changed_fields=fields,
        reason="draft → submitted",
    )
    return locked


@transaction.atomic
def release_approve(*, actor: User, release: Release, expected_version: int | None) -> Release:
    """Freeze a submitted release. Refused to whoever assembled or submitted it, when its content no
    longer matches the hash it was submitted with, or when another release for the period was
    approved after it was assembled (recount it first), or when what it corrects was already
    corrected."""
    _require(actor, APPROVE)
    locked = _locked(release)
    _check_version(locked, expected_version)
    _check_state(locked, ReleaseStatus.SUBMITTED)
    if actor.pk in {locked.assembled_by_id, locked.submitted_by_id}:
        raise PermissionRefused(_("A second person must approve: you assembled or submitted this release."))
    verify(locked)
    earlier = {str(r.pk) for r in approved_for_period(locked.period, exclude=locked.pk)}
    if earlier != set(locked.content.get("protected_against", [])):
        raise InvalidTransition(
            _(
                "Another release for this period was approved after this one was assembled: "
                "return it so that it is recounted against it."
            )
        )
    if locked.replaces_id is not None:
        replaced = Release.objects.select_for_update().get(pk=locked.replaces_id)
        if replaced.status != ReleaseStatus.APPROVED:
            raise InvalidTransition(_("The release this one corrects is not approved."))
    locked.status, locked.approved_by, locked.approved_at = ReleaseStatus.APPROVED, actor, timezone.now()
    fields = ["status", "approved_by", "approved_at"]
    save_versioned(locked, expected_version=locked.version, fields=fields)
    audit.record(
        action=AuditAction.TRANSITION,
        actor=actor,
        obj=locked,
        changed_fields=fields,
        reason="submitted → approved",
        details={"content_hash": locked.content_hash},
    )
    return locked


@transaction.atomic
def release_return(*, actor: User, release: Release, reason: str, expected_version: int | None) -> Release:
    """Send a submitted release back to draft with the reason (the approver's, or the submitter
    taking it back)."""
    if not (actor.has_perm(APPROVE) or actor.has_perm(RELEASE)):
        raise PermissionRefused()
    reason = _clean_reason(reason)
    locked = _locked(release)
    _check_version(locked, expected_version)
    _check_state(locked, ReleaseStatus.SUBMITTED)
    locked.status, locked.returned_reason = ReleaseStatus.DRAFT, reason
    locked.submitted_by, locked.submitted_at = None, None
    fields = ["status", "returned_reason", "submitted_by", "submitted_at"]
    save_versioned(locked, expected_version=locked.version, fields=fields)
    audit.record(
        action=AuditAction.TRANSITION,
        actor=actor,
        obj=locked,
        changed_fields=fields,
        reason=reasons.join("submitted → draft", reasons.reference(locked, "returned_reason")),
    )
    return locked


@transaction.atomic
def release_correct(
    *, actor: User, release: Release, reason: str, expected_version: int | None = None
) -> Release:
    """A new draft for the same period and tables that names `release` (approved) as the one it
    replaces; its tables are protected against everything already published for the period."""
    _require(actor, RELEASE)
    reason = _clean_reason(reason)
    locked = _locked(release)
    if expected_version is not None:
        _check_version(locked, expected_version)
    if locked.status != ReleaseStatus.APPROVED:
        raise InvalidTransition(_("Only an approved release can be corrected; change the draft instead."))
    if Release.objects.filter(replaces=locked).exists():
        raise InvalidTransition(_("This release already has a correction: correct that one instead."))
    correction = Release(
        period=locked.period,
        title_vi=locked.title_vi,
        title_en=locked.title_en,
        table_set=locked.table_set,
        replaces=locked,
        correction_reason=reason,
        specs=locked.specs,
    )
    _queue(actor=actor, release=correction)
    correction.save(force_insert=True)
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=correction,
        reason=reasons.join(f"correction of {locked.pk}", reasons.reference(correction, "correction_reason")),
        details={"period": correction.period, "replaces": str(locked.pk)},
    )
    return _enqueue(correction)
