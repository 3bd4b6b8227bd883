"""Reading the directory, with access applied: what other parts (referrals, shelters, support) call.

`service_search_for` is the directory search. What a user may type in `q`: any words of a service's
name, its provider's name, its type (Vietnamese or English) or its province and commune, with or
without diacritics (folded as people's names are: lower case, no accents, đ→d), in any order; every
word must match as the start of a word (`ly` finds `lý`, not `ably`). Each word is one `LIKE` on the
service's denormalised `search_text`, which keeps a space before every word.

Missing and forbidden both raise `NotFound`.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from shield.accounts.models import Agency
from shield.core.errors import NotFound
from shield.people.names import fold_name
from shield.referrals.directory import access
from shield.referrals.directory.access import AnyUser
from shield.referrals.directory.taxonomy import ServiceType
from shield.referrals.directory.taxonomy import is_shelter as _is_shelter
from shield.referrals.directory.taxonomy import service_types as _service_types
from shield.referrals.models import Provider, Service, ServiceArea, ServiceStatus
from shield.referrals.models.directory import codes_field

# At most this many words of a search are used (a search is bounded).
MAX_SEARCH_WORDS = 8
DEFAULT_CAPACITY_FRESH_DAYS = 7


@dataclass(frozen=True)
class ServiceFilters:
    """What the directory search takes; empty fields do not filter.

    `province`: a province id; the service is in it or serves it (an area served). `age` and `sex`
    are the person's: services whose eligibility takes them. `has_capacity`: capacity available now
    (see `has_capacity_q`). Closed services show only with `include_closed`.
    """

    q: str = ""
    province: uuid.UUID | str | None = None
    service_type: str = ""
    age: int | None = None
    sex: str = ""
    language: str = ""
    child_friendly: bool = False
    has_capacity: bool = False
    include_closed: bool = False
    provider: uuid.UUID | str | None = None

    def used(self) -> list[str]:
        """Names of the filters in use (for the audit event: names, never values)."""
        return [
            name
            for name in (
                "q",
                "province",
                "service_type",
                "age",
                "sex",
                "language",
                "child_friendly",
                "has_capacity",
                "include_closed",
                "provider",
            )
            if getattr(self, name) not in (None, "", False)
        ]


def capacity_fresh_days() -> int:
    return int(getattr(settings, "SHIELD_DIRECTORY_CAPACITY_FRESH_DAYS", DEFAULT_CAPACITY_FRESH_DAYS))


def capacity_fresh_since(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(days=capacity_fresh_days())


def has_capacity_q(now: datetime.datetime | None = None) -> Q:
    """Capacity now: something available, counted within the last N days (a stale count says nothing)."""
    return Q(capacity_available__gt=0, capacity_updated_at__gte=capacity_fresh_since(now))


def has_capacity_now(service: Service, now: datetime.datetime | None = None) -> bool:
    return bool(
        service.capacity_available
        and service.capacity_updated_at is not None
        and service.capacity_updated_at >= capacity_fresh_since(now)
    )


def search_words(text: str) -> list[str]:
    return list(dict.fromkeys(fold_name(text or "").split()))[:MAX_SEARCH_WORDS]


def _visible_services(user: AnyUser) -> QuerySet[Service]:
    if not access.can_use_directory(user):
        return Service.objects.none()
    services = Service.objects.all()
    if not access.manages_directory(user):
        services = services.filter(provider__is_active=True)
    return services


def service_search_for(*, user: AnyUser, filters: ServiceFilters) -> QuerySet[Service]:
    """The services matching `filters` that this user may see, by name then id; not paginated."""
    services = _visible_services(user)
    if not filters.include_closed:
        services = services.exclude(status=ServiceStatus.CLOSED)
    for word in search_words(filters.q):
        services = services.filter(search_text__contains=f" {word}")
    if filters.province:
        # An uncorrelated IN: the database reads the (few) areas of the province once and can
        # use the province index, where a correlated EXISTS would be evaluated for every row.
        served = ServiceArea.objects.filter(province_id=filters.province).values("service_id")
        services = services.filter(Q(province_id=filters.province) | Q(pk__in=served))
    if filters.service_type:
        services = services.filter(service_type=filters.service_type)
    if filters.age is not None:
        services = services.filter(Q(min_age__isnull=True) | Q(min_age__lte=filters.age)).filter(
            Q(max_age__isnull=True) | Q(max_age__gte=filters.age)
        )
    if filters.sex:
        services = services.filter(Q(sexes="") | Q(sexes__contains=codes_field([filters.sex])))
    if filters.language:
        services = services.filter(languages__contains=codes_field([filters.language]))
    if filters.child_friendly:
        services = services.filter(child_friendly=True)
    if filters.has_capacity:
        services = services.filter(has_capacity_q())
    if filters.provider:
        services = services.filter(provider_id=filters.provider)
    return services.select_related("provider", "province").order_by("name", "id")


# The refer form shows at most this many services found (the worker narrows the search).
REFER_SEARCH_LIMIT = 20


def referable_services_for(*, user: AnyUser) -> QuerySet[Service]:
    """The services this user may refer a person to: active, of an active provider."""
    return (
        _visible_services(user)
        .filter(status=ServiceStatus.ACTIVE, provider__is_active=True)
        .select_related("provider", "province")
    )


def referable_search_for(
    *, user: AnyUser, q: str = "", age: int | None = None, sex: str = ""
) -> list[Service]:
    """The refer form's service picker: the directory search (folded words, any order) over the
    services a referral may go to, filtered by the person's age and sex; at most
    `REFER_SEARCH_LIMIT`, by name."""
    found = service_search_for(user=user, filters=ServiceFilters(q=q, age=age, sex=sex))
    return list(found.filter(status=ServiceStatus.ACTIVE, provider__is_active=True)[:REFER_SEARCH_LIMIT])


def service_get_for(*, user: AnyUser, service_id: uuid.UUID | str) -> Service:
    """One service this user may see (closed ones too), else NotFound."""
    try:
        return _visible_services(user).select_related("provider", "province", "commune").get(pk=service_id)
    except (Service.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def provider_list_for(*, user: AnyUser, q: str = "") -> QuerySet[Provider]:
    if not access.can_use_directory(user):
        return Provider.objects.none()
    providers = Provider.objects.all()
    if not access.manages_directory(user):
        providers = providers.filter(is_active=True)
    for word in search_words(q):
        providers = providers.filter(name__icontains=word)
    return providers.select_related("province", "agency").order_by("name", "id")


def provider_get_for(*, user: AnyUser, provider_id: uuid.UUID | str) -> Provider:
    try:
        return provider_list_for(user=user).get(pk=provider_id)
    except (Provider.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def provider_services_for(*, user: AnyUser, provider: Provider) -> QuerySet[Service]:
    return service_search_for(user=user, filters=ServiceFilters(provider=provider.pk, include_closed=True))


def provider_for_agency(agency: Agency | None) -> Provider | None:
    """The directory entry of a Shield agency, if it has one."""
    if agency is None:
        return None
    return Provider.objects.filter(agency=agency).first()


def service_types() -> list[ServiceType]:
    """The taxonomy (`data/service_types.json`) with Vietnamese and English labels."""
    return _service_types()


def is_shelter(service_type: str) -> bool:
    return _is_shelter(service_type)


def areas_of(service: Service) -> list[ServiceArea]:
    return list(service.areas.select_related("province", "commune"))
