"""Answers Django's `has_perm` from Shield roles, so every app checks capabilities the Django way."""

from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from shield.accounts import policy
from shield.accounts.models import User


class RolePermissionBackend(BaseBackend):
    """Grants nothing at login (authenticate returns None); only answers permission questions."""

    def get_all_permissions(self, user_obj: AbstractBaseUser | AnonymousUser, obj: object = None) -> set[str]:
        if obj is not None or not isinstance(user_obj, User):
            return set()
        return set(policy.permissions_of(user_obj))

    def has_perm(self, user_obj: AbstractBaseUser | AnonymousUser, perm: str, obj: object = None) -> bool:
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj: AbstractBaseUser | AnonymousUser, app_label: str) -> bool:
        return any(p.startswith(f"{app_label}.") for p in self.get_all_permissions(user_obj))
