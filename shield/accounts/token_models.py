"""API tokens: only a hash of each secret is kept, and every token expires and can be revoked."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shield.core.models import BaseModel


class RevokeReason(models.TextChoices):
    OWNER = "owner", _("Revoked by its owner")
    SIGN_OUT = "sign_out", _("Signed out")
    ADMINISTRATOR = "administrator", _("Revoked by an administrator")
    PASSWORD_CHANGE = "password_change", _("Password changed")
    DEACTIVATED = "deactivated", _("Account deactivated")
    LOCKED_OUT = "locked_out", _("Account locked out")
    TWO_FACTOR_REQUIRED = "two_factor_required", _("Role now requires two-factor sign-in")


class TokenStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class ApiToken(BaseModel):
    """One issued token. The secret is shown once, at issue; the database keeps its SHA-256 and a
    short random prefix (not part of the secret) by which people tell their tokens apart."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    prefix = models.CharField(_("prefix"), max_length=16, db_index=True)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    created_ip = models.GenericIPAddressField(_("issued from"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"))
    two_factor = models.BooleanField(_("issued after a two-factor check"), default=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(_("last used from"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoke_reason = models.CharField(
        _("revoke reason"), max_length=30, choices=RevokeReason.choices, blank=True
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        indexes = [models.Index(fields=["user", "-created_at"], name="apitoken_user_created")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(revoked_at__isnull=True) & Q(revoke_reason=""))
                | (Q(revoked_at__isnull=False) & ~Q(revoke_reason="")),
                name="apitoken_revoked_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.prefix

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return TokenStatus.REVOKED
        if self.expires_at <= timezone.now():
            return TokenStatus.EXPIRED
        return TokenStatus.ACTIVE

    def get_status_display(self) -> str:
        return str(TokenStatus(self.status).label)
