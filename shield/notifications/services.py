"""The one way any app tells users that something waits for them, and the writes a user makes to
their own notifications (mark read, email opt-in).

Apps call `notify()` from their services, inside the transaction of the act it reports: if the act
rolls back, so does the notification, and the email goes out only once the act is committed.
Creating a notification writes no audit event of its own: the act that raised it is audited, and
one event per recipient would only repeat it.
"""

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from shield import audit
from shield.accounts.models import Agency, Membership, User
from shield.accounts.roles import ROLE_PERMISSIONS
from shield.audit.models import AuditAction
from shield.core.errors import NotFound, ValidationFailed
from shield.notifications.models import ONCE_PER_TARGET, Kind, Notification, NotificationSettings
from shield.notifications.texts import ALLOWED_PARAMS


def _roles_with(permission: str) -> list[str]:
    return [role for role, granted in ROLE_PERMISSIONS.items() if permission in granted]


def members_with(*, agency: Agency, permission: str) -> list[User]:
    """Active users holding `permission` through an active membership of `agency` itself.

    Members of the agency, not everyone whose scope reaches it: a national supervisor would
    otherwise hear of every care plan in the country.
    """
    user_ids = (
        Membership.objects.filter(
            agency=agency,
            agency__is_active=True,
            is_active=True,
            user__is_active=True,
            role__in=_roles_with(permission),
        )
        .values_list("user_id", flat=True)
        .distinct()
    )
    return list(User.objects.filter(pk__in=user_ids))


def users_with(permission: str) -> list[User]:
    """Active users holding `permission` through any active membership, whatever the agency: for
    work that is not any one agency's (possible duplicates across the registry)."""
    user_ids = (
        Membership.objects.filter(
            agency__is_active=True, is_active=True, user__is_active=True, role__in=_roles_with(permission)
        )
        .values_list("user_id", flat=True)
        .distinct()
    )
    return list(User.objects.filter(pk__in=user_ids))


def _clean_params(params: Mapping[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for key, value in params.items():
        if key not in ALLOWED_PARAMS:
            raise ValueError(f"Notification parameter {key!r} is not allowed (see texts.ALLOWED_PARAMS).")
        if not isinstance(value, str | int | bool) or len(str(value)) > ALLOWED_PARAMS[key]:
            raise ValueError(f"Notification parameter {key!r} must be a short string, number or flag.")
        cleaned[key] = value
    return cleaned


def _clean_url(url: str) -> str:
    if (
        not url.startswith("/")
        or len(url) > Notification._meta.get_field("url").max_length  # type: ignore[operator]
        or not url_has_allowed_host_and_scheme(url, allowed_hosts=None)
    ):
        raise ValueError("A notification leads to a local path of this site.")
    return url


def _target(target: models.Model | None) -> tuple[str, str]:
    if target is None:
        return "", ""
    return target._meta.label_lower, str(target.pk)


@transaction.atomic
def notify(
    *,
    kind: Kind | str,
    url: str,
    params: Mapping[str, Any] | None = None,
    recipients: Iterable[User] | None = None,
    agency: Agency | None = None,
    permission: str | None = None,
    target: models.Model | None = None,
    actor: User | None = None,
) -> list[Notification]:
    """Notify `recipients`, or the members of `agency` holding `permission`, of `kind`.

    The actor is never notified of their own act; inactive users are skipped. `params` may hold
    only the keys in `texts.ALLOWED_PARAMS` (references, codes, counts), never names or narrative.
    Kinds in `ONCE_PER_TARGET` notify a recipient at most once per `target`, however often they
    are raised. Emails to users who opted in are sent by a task after the transaction commits.
    Returns the notifications created.
    """
    if Kind(kind) in ONCE_PER_TARGET and target is None:
        raise ValueError("This kind of notification needs a target to be raised once per target.")
    people: dict[object, User] = {}
    if recipients is not None:
        people.update((u.pk, u) for u in recipients if u is not None)
    if agency is not None:
        if permission is None:
            raise ValueError("Notifying an agency needs the permission its recipients hold.")
        people.update((u.pk, u) for u in members_with(agency=agency, permission=permission))
    if actor is not None:
        people.pop(actor.pk, None)
    chosen = [u for u in people.values() if u.is_active]
    if not chosen:
        return []
    cleaned, link = _clean_params(params or {}), _clean_url(url)
    target_type, target_id = _target(target)
    rows = [
        Notification(
            recipient=user,
            kind=kind,
            params=cleaned,
            url=link,
            target_type=target_type,
            target_id=target_id,
        )
        for user in chosen
    ]
    if Kind(kind) in ONCE_PER_TARGET:
        already = set(
            Notification.objects.filter(
                kind=kind, target_type=target_type, target_id=target_id, recipient__in=[u.pk for u in chosen]
            ).values_list("recipient_id", flat=True)
        )
        rows = [row for row in rows if row.recipient_id not in already]
        # Two sweeps at once: the unique constraint keeps the second one's rows out.
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        rows = list(Notification.objects.filter(pk__in=[row.pk for row in rows]))
    else:
        Notification.objects.bulk_create(rows)
    _email_later([row.pk for row in rows if row.recipient_id in _opted_in([u.pk for u in chosen])])
    return rows


def _opted_in(user_ids: list[object]) -> set[object]:
    return set(
        NotificationSettings.objects.filter(user_id__in=user_ids, email=True).values_list(
            "user_id", flat=True
        )
    )


def _email_later(notification_ids: list[object]) -> None:
    if not notification_ids:
        return
    from shield.notifications.tasks import notification_emails_send

    ids = [str(pk) for pk in notification_ids]
    transaction.on_commit(lambda: notification_emails_send.enqueue(ids))


@transaction.atomic
def notification_mark_read(*, actor: User, notification_id: uuid.UUID | str) -> Notification:
    """Mark one of the actor's own notifications read (again is harmless); another user's is 404.

    Not audited: it changes nothing but the reader's own bell.
    """
    try:
        found = Notification.objects.select_for_update().get(pk=notification_id, recipient=actor)
    except (Notification.DoesNotExist, DjangoValidationError, ValueError, TypeError) as exc:
        raise NotFound() from exc
    if found.read_at is None:
        found.read_at = timezone.now()
        found.save(update_fields=["read_at", "updated_at"])
    return found


@transaction.atomic
def notifications_mark_all_read(*, actor: User, kind: str = "") -> int:
    """Mark every unread notification of the actor (of one kind, if given) read; returns how many."""
    unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if kind:
        if kind not in Kind.values:
            raise ValidationFailed(field_errors={"kind": [_("Choose a kind of notification.")]})
        unread = unread.filter(kind=kind)
    now = timezone.now()
    return unread.update(read_at=now, updated_at=now)


@transaction.atomic
def notification_settings_set(*, actor: User, email: bool) -> NotificationSettings:
    """Set whether the actor also receives their notifications by email (audited)."""
    found, _created = NotificationSettings.objects.select_for_update().get_or_create(user=actor)
    if found.email != email:
        found.email = email
        found.save(update_fields=["email", "updated_at"])
        audit.record(action=AuditAction.UPDATE, actor=actor, obj=found, changed_fields=["email"])
    return found
