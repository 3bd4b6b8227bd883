"""Factories for users, agencies and memberships; every app's tests build actors with these."""

from typing import Any

import factory
from factory.django import DjangoModelFactory

from shield.accounts.models import Agency, Membership, User
from shield.accounts.roles import AgencyKind, Role, Scope
from shield.geo.models import Province

DEFAULT_PASSWORD = "correct-horse-battery-42"


def province(code: str = "01") -> Province:
    """A province from the loaded geography (the data migration loads all 34)."""
    return Province.objects.get(code=code)


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def save_password(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save()


class AgencyFactory(DjangoModelFactory[Agency]):
    class Meta:
        model = Agency

    kind = AgencyKind.SOCIAL_PROTECTION
    code = factory.Sequence(lambda n: f"agency-{n}")
    name_vi = factory.Sequence(lambda n: f"Cơ quan {n}")
    name_en = factory.Sequence(lambda n: f"Agency {n}")
    province = factory.LazyFunction(lambda: province("01"))


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.CASE_WORKER
    scope = Scope.AGENCY


def member(
    role: str = Role.CASE_WORKER, *, agency: Agency | None = None, scope: str = Scope.AGENCY, **user: Any
) -> User:
    """A user holding one role in one agency (a new agency unless given)."""
    account: User = UserFactory.create(**user)
    MembershipFactory(user=account, agency=agency or AgencyFactory(), role=role, scope=scope)
    if role == Role.SYSTEM_ADMIN:
        account.is_staff = True
        account.save(update_fields=["is_staff"])
    return account
