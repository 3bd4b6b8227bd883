"""Users, the agencies they work for and the memberships that give them a role and a scope."""

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from shield.accounts.roles import AgencyKind, Role, Scope
from shield.accounts.token_models import ApiToken as ApiToken  # the app's models, kept in their own module
from shield.core.models import BaseModel, VersionedModel


class User(AbstractUser):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        """Family name first, as Vietnamese names are written (last_name holds family + middle)."""
        return f"{self.last_name} {self.first_name}".strip()

    def active_memberships(self) -> list["Membership"]:
        """Active memberships in active agencies, cached on the instance for the request."""
        cached: list[Membership] | None = getattr(self, "_active_memberships", None)
        if cached is None:
            cached = list(
                Membership.objects.filter(user=self, is_active=True, agency__is_active=True)
                .select_related("agency", "agency__province")
                .order_by("created_at")
            )
            self._active_memberships = cached
        return cached

    @property
    def primary_membership(self) -> "Membership | None":
        memberships = self.active_memberships()
        return memberships[0] if memberships else None

    @property
    def primary_agency(self) -> "Agency | None":
        membership = self.primary_membership
        return membership.agency if membership else None

    def scope_q(
        self,
        permission: str,
        *,
        agency_path: str,
        province_path: str | None = None,
        owner_path: str | None = None,
    ) -> Q:
        from shield.accounts import policy

        return policy.scope_q(
            self, permission, agency_path=agency_path, province_path=province_path, owner_path=owner_path
        )


class Agency(VersionedModel):
    kind = models.CharField(_("kind"), max_length=30, choices=AgencyKind.choices)
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, related_name="agencies", verbose_name=_("province")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent agency"),
    )
    border_gate = models.ForeignKey(
        "geo.BorderGate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        verbose_name=_("border gate"),
    )
    two_factor_roles = models.JSONField(_("roles that must use two-factor sign-in"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name_vi"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="agency_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi

    def requires_two_factor(self, role: str) -> bool:
        return role in (self.two_factor_roles or [])


class Membership(BaseModel):
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("user")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("agency")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices, default=Scope.AGENCY)
    is_active = models.BooleanField(_("active"), default=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        ordering = ["agency__name_vi", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"],
                condition=Q(is_active=True),
                name="membership_one_active_role_per_agency",
            ),
            models.CheckConstraint(
                condition=Q(is_active=True) | Q(ended_at__isnull=False),
                name="membership_inactive_has_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.agency}"


class PasswordHistory(BaseModel):
    """A password hash a user had, so a new password can be refused for re-using a recent one.

    Only the hash (with its salt, as Django stores it) is kept, never the password.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="password_history", verbose_name=_("user")
    )
    password = models.CharField(_("password hash"), max_length=128)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("previous password")
        verbose_name_plural = _("previous passwords")

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d}"


class SignInAddress(BaseModel):
    """Failed sign-ins from one client address, across every username, in the current window.

    Kept in the database (not a per-process cache) so every server worker sees the same count;
    see shield.accounts.sign_in for the delay and the short block it drives.
    """

    ip_address = models.GenericIPAddressField(_("IP address"), unique=True)
    failures = models.PositiveIntegerField(_("failures in the window"), default=0)
    window_started_at = models.DateTimeField(_("window started at"))
    blocked_until = models.DateTimeField(_("blocked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in address")
        verbose_name_plural = _("sign-in addresses")

    def __str__(self) -> str:
        return self.ip_address


class GrantStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a second administrator")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    GRANTED = "granted", _("Granted at once (no second approval needed)")


class RoleGrant(BaseModel):
    """A request to give `user` a role in `agency`. A role that reads case data becomes a membership
    only when a second administrator (neither the requester nor the grantee) approves; the database
    refuses a decision by either of them."""

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="role_grants", verbose_name=_("user")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="role_grants", verbose_name=_("agency")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices, default=Scope.AGENCY)
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=GrantStatus.choices, default=GrantStatus.PENDING
    )
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    membership = models.OneToOneField(
        Membership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grant",
        verbose_name=_("membership"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"],
                condition=Q(status="pending"),
                name="role_grant_one_pending",
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True)
                | (~Q(decided_by=models.F("requested_by")) & ~Q(decided_by=models.F("user"))),
                name="role_grant_four_eyes",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="role_grant_decided_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.agency}"
