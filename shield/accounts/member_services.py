"""Writes an agency administrator makes about the people of their agency: invitations, roles given and
ended, accounts deactivated and reactivated, two-factor reset; and a system administrator's changes
to agencies. Each checks the actor's reach first and writes its audit event in the same transaction.

An agency administrator reaches the agencies they manage (their own and those below it) and gives
roles up to agency scope; a system administrator reaches every agency, role and scope.
"""

from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from shield import audit
from shield.accounts import policy, services
from shield.accounts.models import Agency, Membership, RoleGrant, User
from shield.accounts.roles import Role, Scope
from shield.accounts.token_models import RevokeReason
from shield.accounts.token_services import api_tokens_revoke
from shield.audit import reasons
from shield.audit.models import AuditAction
from shield.core.concurrency import save_versioned
from shield.core.errors import PermissionRefused, ValidationFailed

MANAGE_SYSTEM = "accounts.manage_system"
# What an agency administrator may hand out; wider scopes and the system role are a system
# administrator's to give, so an agency cannot widen its own reach.
AGENCY_ADMIN_SCOPES = frozenset({Scope.OWN, Scope.AGENCY})
AGENCY_ADMIN_REFUSED_ROLES = frozenset({Role.SYSTEM_ADMIN})


def _is_system_admin(actor: User) -> bool:
    return policy.has_permission(actor, MANAGE_SYSTEM)


def _managed_ids(actor: User) -> set[object]:
    return {a.pk for a in policy.agencies_managed_by(actor)}


def require_manages_agency(*, actor: User, agency: Agency) -> None:
    if agency.pk not in _managed_ids(actor):
        raise PermissionRefused(_("You do not manage this agency."))


def require_role_in_reach(*, actor: User, agency: Agency, role: str, scope: str) -> None:
    """Refuse a role or scope above the actor's reach, saying which and why."""
    require_manages_agency(actor=actor, agency=agency)
    if _is_system_admin(actor):
        return
    if role in AGENCY_ADMIN_REFUSED_ROLES:
        raise ValidationFailed(
            field_errors={"role": [_("Only a system administrator can give the system administrator role.")]}
        )
    if scope not in AGENCY_ADMIN_SCOPES:
        raise ValidationFailed(
            field_errors={
                "scope": [
                    _(
                        "An agency administrator gives roles for the agency or the person's own records; "
                        "province and national scope are given by a system administrator."
                    )
                ]
            }
        )


def require_manages_user(*, actor: User, user: User) -> None:
    """An agency administrator acts only on people who work nowhere outside their reach."""
    if actor.pk == user.pk:
        raise PermissionRefused(_("You cannot do this to your own account; ask another administrator."))
    if _is_system_admin(actor):
        return
    managed = _managed_ids(actor)
    held = list(Membership.objects.filter(user=user, is_active=True).values_list("agency_id", "role"))
    if any(role in AGENCY_ADMIN_REFUSED_ROLES for _agency, role in held):
        raise PermissionRefused(_("This person is a system administrator; only a system administrator can."))
    if any(agency_id not in managed for agency_id, _role in held):
        raise PermissionRefused(
            _("This person also works for an agency you do not manage; ask a system administrator.")
        )
    known = Membership.objects.filter(user=user, agency_id__in=managed).exists() or (
        RoleGrant.objects.filter(user=user, agency_id__in=managed).exists()
    )
    if not known:
        raise PermissionRefused()


# --- invitations -----------------------------------------------------------------------------


def invite_path(user: User) -> str:
    """The set-password link's path; Django's token generator signs the user's current password
    hash and last sign-in, so the link stops working once used (or once a newer invite is sent)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("accounts:invite_accept", args=[uid, default_token_generator.make_token(user)])


def _send_invite(*, actor: User, user: User, agency: Agency, site_url: str) -> None:
    context = {
        "user": user,
        "agency_vi": agency.name_vi,
        "agency_en": agency.name_en,
        "link": site_url.rstrip("/") + invite_path(user),
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        "sender": actor.get_full_name() or actor.username,
    }
    # Who is invited has no language chosen yet: the message is written in Vietnamese, then English.
    parts = []
    for language in ("vi", "en"):
        with translation.override(language):
            parts.append(render_to_string("accounts/email/invite.txt", context).strip())
    with translation.override("vi"):
        subject_vi = _("Your Shield account")
    with translation.override("en"):
        subject_en = _("Your Shield account")
    send_mail(
        f"{subject_vi} / {subject_en}",
        "\n\n----------\n\n".join(parts) + "\n",
        None,
        [user.email],
    )


@transaction.atomic
def user_invite(
    *,
    actor: User,
    agency: Agency,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    scope: str,
    site_url: str,
) -> tuple[User, RoleGrant]:
    """Create an account without a password and email its holder a one-time set-password link.

    The administrator never sees or sets the password. The role goes through `membership_request`:
    one that reads case data waits for a second administrator, the others start at once. The mail
    is sent last, inside the transaction: if it cannot be sent, nothing is created.
    """
    require_role_in_reach(actor=actor, agency=agency, role=role, scope=scope)
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationFailed(field_errors={"username": [_("A user with that username already exists.")]})
    if not email.strip():
        raise ValidationFailed(
            field_errors={"email": [_("The invitation is sent by email: give an address.")]}
        )
    user = User(username=username, first_name=first_name.strip(), last_name=last_name.strip(), email=email)
    user.set_unusable_password()
    user.save()
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        agency=agency,
        obj=user,
        changed_fields=["username", "first_name", "last_name", "email", "invitation"],
    )
    grant = services.membership_request(actor=actor, user=user, agency=agency, role=role, scope=scope)
    _send_invite(actor=actor, user=user, agency=agency, site_url=site_url)
    return user, grant


@transaction.atomic
def user_invite_resend(*, actor: User, agency: Agency, user: User, site_url: str) -> None:
    """A new link; the earlier ones stop working (the unusable password they signed changes)."""
    require_manages_agency(actor=actor, agency=agency)
    require_manages_user(actor=actor, user=user)
    if user.has_usable_password():
        raise ValidationFailed(_("This person has already set a password; there is no invitation to send."))
    if not user.is_active:
        raise ValidationFailed(_("This account is deactivated: reactivate it first."))
    if not user.email:
        raise ValidationFailed(_("This account has no email address."))
    user.set_unusable_password()
    user.save(update_fields=["password", "updated_at"])
    audit.record(
        action=AuditAction.UPDATE, actor=actor, agency=agency, obj=user, changed_fields=["invitation"]
    )
    _send_invite(actor=actor, user=user, agency=agency, site_url=site_url)


def invite_user_for(*, uidb64: str, token: str) -> User | None:
    """The invited user whose link this is, or None when the link is wrong, used or expired."""
    from django.utils.http import urlsafe_base64_decode

    try:
        pk = UUID(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, TypeError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or user.has_usable_password() or not default_token_generator.check_token(user, token):
        return None
    return user


@transaction.atomic
def user_invite_accept(*, user: User, token: str, password: str) -> None:
    """The invited person sets their own password (the validators of every password apply)."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.has_usable_password() or not default_token_generator.check_token(locked, token):
        raise ValidationFailed(_("This invitation link has already been used or has expired."))
    services.user_password_set(actor=locked, user=locked, password=password)


# --- roles ------------------------------------------------------------------------------------


@transaction.atomic
def membership_give(*, actor: User, agency: Agency, user: User, role: str, scope: str) -> RoleGrant:
    """Give a role within the actor's reach; four eyes as `membership_request` decides."""
    require_role_in_reach(actor=actor, agency=agency, role=role, scope=scope)
    if actor.pk == user.pk:
        raise PermissionRefused(_("You cannot give yourself a role; ask another administrator."))
    return services.membership_request(actor=actor, user=user, agency=agency, role=role, scope=scope)


@transaction.atomic
def membership_end_in_reach(*, actor: User, membership: Membership, reason: str) -> Membership:
    """End a membership the actor could have given (an agency administrator cannot end a system
    administrator's role, nor a province-wide one)."""
    require_role_in_reach(actor=actor, agency=membership.agency, role=membership.role, scope=membership.scope)
    if not membership.is_active:
        raise ValidationFailed(_("This membership has already ended."))
    return services.membership_end(actor=actor, membership=membership, reason=reason)


# --- the account ------------------------------------------------------------------------------


def _sessions_end(user: User) -> int:
    """Sign the user out everywhere. Sessions are signed cookies' server halves, not records, so
    they are deleted; only live ones are read (the idle timeout keeps them few)."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def _require_reason(reason: str, message: str) -> str:
    if not reason.strip():
        raise ValidationFailed(field_errors={"reason": [message]})
    return reasons.keep(reason)


@transaction.atomic
def user_deactivate(*, actor: User, user: User, reason: str) -> None:
    """Sign-in refused from now on, API tokens revoked, open sessions ended; memberships stay as
    they are, so reactivating gives back exactly what the person had."""
    require_manages_user(actor=actor, user=user)
    kept = _require_reason(reason, _("Say why the account is deactivated."))
    if not user.is_active:
        raise ValidationFailed(_("This account is already deactivated."))
    user.is_active = False
    user.save(update_fields=["is_active", "updated_at"])
    audit.record(action=AuditAction.UPDATE, actor=actor, obj=user, changed_fields=["is_active"], reason=kept)
    api_tokens_revoke(actor=actor, user=user, reason=RevokeReason.DEACTIVATED)
    _sessions_end(user)


@transaction.atomic
def user_reactivate(*, actor: User, user: User, reason: str) -> None:
    require_manages_user(actor=actor, user=user)
    kept = _require_reason(reason, _("Say why the account is reactivated."))
    if user.is_active:
        raise ValidationFailed(_("This account is already active."))
    user.is_active = True
    user.save(update_fields=["is_active", "updated_at"])
    audit.record(action=AuditAction.UPDATE, actor=actor, obj=user, changed_fields=["is_active"], reason=kept)


@transaction.atomic
def two_factor_reset(*, actor: User, user: User, reason: str) -> int:
    """A lost phone: the user's authenticators go, and they set one up at their next sign-in."""
    require_manages_user(actor=actor, user=user)
    return services.user_two_factor_reset(actor=actor, user=user, reason=reason)


# --- agencies (system administrators) ---------------------------------------------------------

AGENCY_FIELDS = (
    "kind",
    "code",
    "name_vi",
    "name_en",
    "province_id",
    "parent_id",
    "border_gate_id",
    "is_active",
)


def _require_system(actor: User) -> None:
    if not _is_system_admin(actor):
        raise PermissionRefused(_("Only a system administrator manages agencies."))


def _check_parent(agency: Agency | None, parent: Agency | None) -> None:
    if parent is None or agency is None:
        return
    if parent.pk in policy.agency_and_descendant_ids(agency):
        raise ValidationFailed(
            field_errors={"parent": [_("An agency cannot sit under itself or under one of its own units.")]}
        )


@transaction.atomic
def agency_add(*, actor: User, values: dict[str, Any]) -> Agency:
    """A system administrator's new agency (the bootstrap path is `services.agency_create`)."""
    _require_system(actor)
    return services.agency_create(
        actor=actor,
        kind=values["kind"],
        code=values["code"],
        name_vi=values["name_vi"],
        name_en=values["name_en"],
        province_id=values["province_id"],
        parent=values.get("parent"),
        border_gate_id=values.get("border_gate_id"),
    )


@transaction.atomic
def agency_update(
    *, actor: User, agency: Agency, values: dict[str, Any], expected_version: int | None
) -> Agency:
    """Change an agency; a stale version (someone saved since the form was opened) is refused whole."""
    _require_system(actor)
    parent = values.get("parent")
    _check_parent(agency, parent)
    code = values["code"]
    if Agency.objects.filter(code=code).exclude(pk=agency.pk).exists():
        raise ValidationFailed(field_errors={"code": [_("An agency with that code already exists.")]})
    new = {**values, "parent_id": parent.pk if parent else None}
    changed = [name for name in AGENCY_FIELDS if getattr(agency, name) != new.get(name)]
    for name in AGENCY_FIELDS:
        setattr(agency, name, new.get(name))
    save_versioned(agency, expected_version=expected_version, fields=list(AGENCY_FIELDS))
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        agency=agency,
        obj=agency,
        changed_fields=[name.removesuffix("_id") for name in changed],
    )
    return agency
