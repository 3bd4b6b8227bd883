"""Writes to users, agencies and memberships; each one audited in its own transaction."""

from collections.abc import Iterable
from uuid import UUID

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shield import audit
from shield.accounts import policy
from shield.accounts.models import Agency, GrantStatus, Membership, RoleGrant, User
from shield.accounts.roles import STAFF_ROLES, Role, Scope, needs_second_approval
from shield.accounts.token_models import RevokeReason
from shield.accounts.token_services import (
    api_tokens_enforce_agency_roles,
    api_tokens_enforce_two_factor,
    api_tokens_revoke,
)
from shield.audit import reasons
from shield.audit.models import AuditAction
from shield.core.concurrency import save_versioned
from shield.core.errors import InvalidTransition, PermissionRefused, ValidationFailed


def _sync_staff_flag(user: User) -> None:
    """Only system administrators reach the Django admin site."""
    is_staff = Membership.objects.filter(
        user=user, is_active=True, role__in=list(STAFF_ROLES), agency__is_active=True
    ).exists()
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    if User.objects.filter(username=username).exists():
        raise ValidationFailed(field_errors={"username": [_("A user with that username already exists.")]})
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(field_errors={"password": list(exc.messages)}) from exc
    user.set_password(password)
    user.save()
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=user,
        changed_fields=["username", "first_name", "last_name", "email", "password"],
    )
    return user


@transaction.atomic
def user_password_set(*, actor: User, user: User, password: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(field_errors={"password": list(exc.messages)}) from exc
    user.set_password(password)
    user.save(update_fields=["password", "updated_at"])
    audit.record(action=AuditAction.PASSWORD_CHANGE, actor=actor, obj=user, changed_fields=["password"])
    api_tokens_revoke(actor=actor, user=user, reason=RevokeReason.PASSWORD_CHANGE)


@transaction.atomic
def agency_create(
    *,
    actor: User | None,
    kind: str,
    code: str,
    name_vi: str,
    name_en: str,
    province_id: UUID,
    parent: Agency | None = None,
    border_gate_id: UUID | None = None,
) -> Agency:
    if Agency.objects.filter(code=code).exists():
        raise ValidationFailed(field_errors={"code": [_("An agency with that code already exists.")]})
    agency = Agency.objects.create(
        kind=kind,
        code=code,
        name_vi=name_vi,
        name_en=name_en,
        province_id=province_id,
        parent=parent,
        border_gate_id=border_gate_id,
    )
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        agency=agency,
        obj=agency,
        changed_fields=["kind", "code", "name_vi", "name_en", "province", "parent", "border_gate"],
    )
    return agency


def _membership_create(
    *, actor: User | None, user: User, agency: Agency, role: str, scope: str
) -> Membership:
    """The one place a membership becomes active (a bootstrap grant or an approved request)."""
    if Membership.objects.filter(user=user, agency=agency, role=role, is_active=True).exists():
        raise ValidationFailed(field_errors={"role": [_("This user already has that role in this agency.")]})
    membership = Membership.objects.create(user=user, agency=agency, role=role, scope=scope)
    _sync_staff_flag(user)
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        agency=agency,
        obj=membership,
        changed_fields=["user", "agency", "role", "scope"],
    )
    api_tokens_enforce_two_factor(actor=actor, user=user)
    return membership


def membership_grant_check(*, user: User, agency: Agency, role: str, scope: str) -> None:
    """Raise ValidationFailed when this grant cannot be made (forms call it to show field errors)."""
    if role not in Role.values:
        raise ValidationFailed(field_errors={"role": [_("Unknown role.")]})
    if scope not in Scope.values:
        raise ValidationFailed(field_errors={"scope": [_("Unknown scope.")]})
    if Membership.objects.filter(user=user, agency=agency, role=role, is_active=True).exists():
        raise ValidationFailed(field_errors={"role": [_("This user already has that role in this agency.")]})
    if RoleGrant.objects.filter(user=user, agency=agency, role=role, status=GrantStatus.PENDING).exists():
        raise ValidationFailed(field_errors={"role": [_("This role is already waiting for approval.")]})


@transaction.atomic
def membership_grant(
    *, actor: User | None, user: User, agency: Agency, role: str, scope: str = Scope.AGENCY
) -> Membership | RoleGrant:
    """Give `user` a role, or ask for it when the role reads case data or administers the system
    (four eyes, `roles.needs_second_approval`).

    `actor=None` is the system bootstrap (`bootstrap_admin`, the demo loaders, test set-up): the
    membership is granted at once. Every web and admin path passes the signed-in administrator,
    so there a role that reads case data returns a pending RoleGrant that a second administrator
    approves (`membership_grant_approve`) before the membership exists.
    """
    membership_grant_check(user=user, agency=agency, role=role, scope=scope)
    if actor is None:
        return _membership_create(actor=None, user=user, agency=agency, role=role, scope=scope)
    grant = membership_request(actor=actor, user=user, agency=agency, role=role, scope=scope)
    return grant.membership or grant


@transaction.atomic
def membership_request(*, actor: User, user: User, agency: Agency, role: str, scope: str) -> RoleGrant:
    """Record an administrator's grant: pending when the role needs a second approval, else granted now."""
    membership_grant_check(user=user, agency=agency, role=role, scope=scope)
    grant = RoleGrant(user=user, agency=agency, role=role, scope=scope, requested_by=actor)
    if not needs_second_approval(role):
        grant.status, grant.decided_at = GrantStatus.GRANTED, timezone.now()
        grant.membership = _membership_create(actor=actor, user=user, agency=agency, role=role, scope=scope)
    grant.save(force_insert=True)
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        agency=agency,
        obj=grant,
        changed_fields=["user", "agency", "role", "scope", "status"],
    )
    return grant


def _pending_for_decision(*, actor: User, grant: RoleGrant) -> RoleGrant:
    locked = RoleGrant.objects.select_for_update().select_related("user", "agency").get(pk=grant.pk)
    if not policy.has_permission(actor, "accounts.manage_system"):
        raise PermissionRefused()
    if locked.status != GrantStatus.PENDING:
        raise InvalidTransition(_("This request was already decided."))
    if actor.pk in (locked.requested_by_id, locked.user_id):
        raise PermissionRefused(
            _("A second administrator must decide: not the one who asked, nor the person who gets the role.")
        )
    return locked


@transaction.atomic
def membership_grant_approve(*, actor: User, grant: RoleGrant) -> Membership:
    """The second administrator's approval: the membership becomes active now."""
    locked = _pending_for_decision(actor=actor, grant=grant)
    locked.membership = _membership_create(
        actor=actor, user=locked.user, agency=locked.agency, role=locked.role, scope=locked.scope
    )
    locked.status, locked.decided_by, locked.decided_at = GrantStatus.APPROVED, actor, timezone.now()
    locked.save(update_fields=["membership", "status", "decided_by", "decided_at", "updated_at"])
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        agency=locked.agency,
        obj=locked,
        changed_fields=["status", "decided_by", "decided_at", "membership"],
    )
    return locked.membership


@transaction.atomic
def membership_grant_refuse(*, actor: User, grant: RoleGrant) -> RoleGrant:
    """The second administrator's refusal: no membership; the request stays as a record."""
    locked = _pending_for_decision(actor=actor, grant=grant)
    locked.status, locked.decided_by, locked.decided_at = GrantStatus.REFUSED, actor, timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        agency=locked.agency,
        obj=locked,
        changed_fields=["status", "decided_by", "decided_at"],
    )
    return locked


@transaction.atomic
def membership_end(*, actor: User, membership: Membership, reason: str) -> Membership:
    """Memberships are ended, never deleted, so the record of who could see what survives."""
    if not reason.strip():
        raise ValidationFailed(field_errors={"reason": [_("Say why the membership ends.")]})
    membership.is_active = False
    membership.ended_at = timezone.now()
    membership.save(update_fields=["is_active", "ended_at", "updated_at"])
    _sync_staff_flag(membership.user)
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        agency=membership.agency,
        obj=membership,
        changed_fields=["is_active", "ended_at"],
        reason=reasons.keep(reason),
    )
    return membership


@transaction.atomic
def agency_two_factor_roles_set(
    *, actor: User, agency: Agency, roles: Iterable[str], expected_version: int | None
) -> Agency:
    chosen = sorted(set(roles))
    unknown = [r for r in chosen if r not in Role.values]
    if unknown:
        raise ValidationFailed(field_errors={"roles": [_("Unknown role.")]})
    added = set(chosen) - set(agency.two_factor_roles or [])
    agency.two_factor_roles = chosen
    save_versioned(agency, expected_version=expected_version, fields=["two_factor_roles", "updated_at"])
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        agency=agency,
        obj=agency,
        changed_fields=["two_factor_roles"],
    )
    api_tokens_enforce_agency_roles(actor=actor, agency=agency, roles=added)
    return agency


def admin_change_record(*, actor: User, obj: object, created: bool, changed_fields: Iterable[str]) -> None:
    """Audit a save made through the Django admin site (called inside the admin's transaction)."""
    from django.db.models import Model

    assert isinstance(obj, Model)
    changed_fields = list(changed_fields)
    if isinstance(obj, Membership):
        _sync_staff_flag(obj.user)
    audit.record(
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        actor=actor,
        agency=obj if isinstance(obj, Agency) else getattr(obj, "agency", None),
        obj=obj,
        changed_fields=changed_fields,
    )
    # The admin site saves models directly, so the tokens these changes end are revoked here.
    if isinstance(obj, User) and not obj.is_active:
        api_tokens_revoke(actor=actor, user=obj, reason=RevokeReason.DEACTIVATED)
    elif isinstance(obj, Membership):
        api_tokens_enforce_two_factor(actor=actor, user=obj.user)
    elif isinstance(obj, Agency) and "two_factor_roles" in changed_fields:
        api_tokens_enforce_agency_roles(actor=actor, agency=obj, roles=obj.two_factor_roles or [])


@transaction.atomic
def user_two_factor_reset(*, actor: User, user: User, reason: str) -> int:
    """Remove a user's authenticators (a lost phone); they enrol again at their next sign-in.

    Credentials are not records about a person, so they are removed rather than kept; the audit
    event keeps who did it and why.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not reason.strip():
        raise ValidationFailed(field_errors={"reason": [_("Say why two-factor sign-in is reset.")]})
    removed, _details = TOTPDevice.objects.filter(user=user).delete()
    audit.record(
        action=AuditAction.TWO_FACTOR,
        actor=actor,
        obj=user,
        changed_fields=["totp_device"],
        reason=reasons.keep(reason),
    )
    return removed
