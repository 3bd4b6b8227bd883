"""AuditEvent: append-only; each event's hash covers its content and the previous event's hash."""

import datetime
import hashlib
import json
import uuid
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shield.core.encryption import EncryptedTextField
from shield.core.models import BaseModel

GENESIS_HASH = "0" * 64


class AuditAction(models.TextChoices):
    VIEW = "view", _("View")
    LIST = "list", _("List")
    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    TRANSITION = "transition", _("Change of stage")
    MERGE = "merge", _("Merge")
    UNMERGE = "unmerge", _("Undo merge")
    EXPORT = "export", _("Export")
    IMPORT = "import", _("Import")
    LOGIN = "login", _("Sign-in")
    LOGOUT = "logout", _("Sign-out")
    LOGIN_FAILED = "login_failed", _("Failed sign-in")
    LOCKED_OUT = "locked_out", _("Locked out")
    PASSWORD_CHANGE = "password_change", _("Password change")
    TWO_FACTOR = "two_factor", _("Two-factor change")
    PERMISSION_DENIED = "permission_denied", _("Permission denied")
    ADDRESS_BLOCKED = "address_blocked", _("Sign-in address blocked")
    TOKEN_ISSUE = "token_issue", _("API token issued")
    TOKEN_NEW_ADDRESS = "token_new_address", _("API token used from a new address")
    TOKEN_REVOKE = "token_revoke", _("API token revoked")
    OUT_OF_REACH = "out_of_reach", _("Request for a record out of reach")
    OUT_OF_REACH_SUMMARY = "out_of_reach_summary", _("Requests for records out of reach (summary)")


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be updated.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be deleted.")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be updated.")


class AuditEvent(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True)
    occurred_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_username = models.CharField(_("actor's username"), max_length=150, blank=True)
    agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency"),
    )
    action = models.CharField(_("action"), max_length=30, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=100, blank=True, db_index=True)
    changed_fields = models.JSONField(_("changed fields"), default=list, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    # Facts the code writes, never personal data or free text: a search's keyed hashes
    # (`search_terms`), the filters used, counts. The hash covers them only when present, so events
    # written before the column existed keep their hashes.
    details = models.JSONField(_("details"), default=dict, blank=True)
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id", "sequence"])]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be deleted.")

    def canonical_payload(self) -> str:
        """The exact text the hash covers; changing any audited column changes it."""
        return json.dumps(
            {
                "sequence": self.sequence,
                # In UTC, as the database hands it back, whatever zone the caller's value was in.
                "occurred_at": self.occurred_at.astimezone(datetime.UTC).isoformat(),
                "actor": str(self.actor_id) if self.actor_id else None,
                "actor_username": self.actor_username,
                "agency": str(self.agency_id) if self.agency_id else None,
                "action": self.action,
                "object_type": self.object_type,
                "object_id": self.object_id,
                "changed_fields": list(self.changed_fields or []),
                "reason": self.reason,
                "ip_address": self.ip_address,
                "request_id": self.request_id,
                "previous_hash": self.previous_hash,
                **({"details": self.details} if self.details else {}),
            },
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
        )

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical_payload().encode("utf-8")).hexdigest()


class StoredReason(models.Model):
    """A typed reason that has no record of its own to live on (a risk change, an ended membership).

    Encrypted like case notes and referenced from the audit event (`shield.audit.reasons`), so the
    append-only chain never holds the text: the row can be erased without breaking the chain.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    text = EncryptedTextField(_("reason"))

    class Meta:
        verbose_name = _("stored reason")
        verbose_name_plural = _("stored reasons")

    def __str__(self) -> str:
        return str(self.pk)


class OutOfReachWindow(models.Model):
    """How many records out of their reach one user asked for in one time window.

    A counter, not a record: `shield.audit.reach` reads and bumps it to decide which requests get
    an event of their own, and removes it once the window's summary (if any) is written.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("actor")
    )
    window_start = models.DateTimeField(_("window start"))
    requests = models.PositiveIntegerField(_("requests"), default=0)
    recorded = models.PositiveIntegerField(_("recorded one by one"), default=0)

    class Meta:
        verbose_name = _("out-of-reach window")
        verbose_name_plural = _("out-of-reach windows")
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "window_start"], name="audit_reach_window_once_per_actor"
            )
        ]
        indexes = [models.Index(fields=["window_start"])]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.window_start:%Y-%m-%d %H:%M} {self.requests}"


class VerificationStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    FAILED = "failed", _("Failed")


class ChainVerification(BaseModel):
    """One whole-chain verification asked for from the audit pages, run by the task worker.

    `checked` rises while it runs (the page polls it); the outcome is kept: intact, or the first
    broken event. It names events by number only, never their content.
    """

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=VerificationStatus.choices, default=VerificationStatus.QUEUED
    )
    total = models.PositiveBigIntegerField(_("events to check"), default=0)
    checked = models.PositiveBigIntegerField(_("events checked"), default=0)
    intact = models.BooleanField(_("intact"), null=True, blank=True)
    break_sequence = models.PositiveBigIntegerField(_("first broken event"), null=True, blank=True)
    break_event_id = models.UUIDField(_("id of the first broken event"), null=True, blank=True)
    break_kind = models.CharField(_("kind of break"), max_length=20, blank=True)
    break_detail = models.CharField(_("what is broken"), max_length=500, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit chain verification")
        verbose_name_plural = _("audit chain verifications")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_status_display()}"

    @property
    def is_active(self) -> bool:
        return self.status in (VerificationStatus.QUEUED, VerificationStatus.RUNNING)

    @property
    def progress(self) -> int:
        if self.status == VerificationStatus.FINISHED:
            return 100
        if not self.total:
            return 0
        return min(99, self.checked * 100 // self.total)

    @property
    def not_picked_up(self) -> bool:
        from shield.core.workers import not_picked_up

        return self.status == VerificationStatus.QUEUED and not_picked_up(queued_at=self.created_at)
