"""Reads of shelters: beds in force, occupancy counted from stays and live holds, the vacancy board,
utilisation by month, stays and holds as a user may see them.

Shelters, their beds and vacancies are no personal data: every holder of `referrals.make`,
`referrals.deliver`, `referrals.supervise` or `referrals.manage_directory` sees them nationally.
Stays name people: a stay is seen by the shelter's own staff (`referrals.deliver` reaching the
provider's agency) and by whoever sees its case. Missing and forbidden both raise NotFound.
"""

import calendar
import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import timezone

from shield.accounts import policy
from shield.cases.selectors import Viewer
from shield.core.lookups import one_or_not_found
from shield.referrals.models import (
    SHELTER_SERVICE_TYPE,
    BedCategory,
    BedHold,
    BedInventory,
    HoldStatus,
    Referral,
    ReferralStatus,
    Service,
    ServiceStatus,
    ShelterStay,
)
from shield.referrals.support import access


def may_read_shelters(user: Viewer | None) -> bool:
    return access.has_any(user, access.SHELTER_READERS)


def shelter_list_for(*, user: Viewer) -> QuerySet[Service]:
    """Every shelter service (any status) for a user who may read shelters; none otherwise."""
    if not may_read_shelters(user):
        return Service.objects.none()
    return (
        Service.objects.filter(service_type=SHELTER_SERVICE_TYPE)
        .select_related("provider", "provider__agency", "province")
        .order_by("province__name", "name")
    )


def shelter_get_for(*, user: Viewer, service_id: uuid.UUID | str) -> Service:
    return one_or_not_found(shelter_list_for(user=user), service_id)


def is_shelter_staff(user: Viewer | None, service: Service) -> bool:
    return access.is_provider_staff(user, service.provider)


# --- Beds and occupancy -------------------------------------------------------------------------


def inventory_on(service: Service, day: datetime.date) -> BedInventory | None:
    """The inventory in force on `day`: the latest one that started on or before it."""
    return (
        BedInventory.objects.filter(service=service, effective_from__lte=day)
        .order_by("-effective_from", "-created_at")
        .first()
    )


def inventories_of(service: Service) -> list[BedInventory]:
    return list(
        BedInventory.objects.filter(service=service).select_related("recorded_by").order_by("-effective_from")
    )


def occupied_on(service: Service, day: datetime.date) -> dict[str, int]:
    """Persons staying on the night of `day`, per category (admitted on or before, not discharged
    by then): counted from stays."""
    rows = (
        ShelterStay.objects.filter(service=service, admitted_on__lte=day)
        .filter(Q(discharged_on__isnull=True) | Q(discharged_on__gt=day))
        .values("category")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {r["category"]: r["n"] for r in rows}


def live_holds(
    service: Service, *, at: datetime.datetime | None = None, excluding: uuid.UUID | None = None
) -> dict[str, int]:
    """Beds held now per category: active holds whose deadline has not passed."""
    rows = BedHold.objects.filter(
        service=service, status=HoldStatus.ACTIVE, held_until__gt=at or timezone.now()
    )
    if excluding is not None:
        rows = rows.exclude(pk=excluding)
    return {r["category"]: r["n"] for r in rows.values("category").annotate(n=Count("pk")).order_by()}


@dataclass(frozen=True)
class CategoryBeds:
    category: str
    beds: int
    occupied: int
    held: int

    @property
    def free(self) -> int:
        return max(self.beds - self.occupied - self.held, 0)

    @property
    def label(self) -> str:
        return str(BedCategory(self.category).label)


def beds_today(service: Service, *, day: datetime.date | None = None) -> list[CategoryBeds]:
    day = day or timezone.localdate()
    inventory = inventory_on(service, day)
    occupied, held = occupied_on(service, day), live_holds(service)
    return [
        CategoryBeds(c, inventory.beds(c) if inventory else 0, occupied.get(c, 0), held.get(c, 0))
        for c in BedCategory.values
    ]


# --- The vacancy board ----------------------------------------------------------------------------


@dataclass(frozen=True)
class VacancyFilters:
    province_id: uuid.UUID | None = None
    category: str = ""
    with_free_beds_only: bool = False


@dataclass
class VacancyRow:
    """One shelter on the board: its beds per category today."""

    service: Service
    categories: list[CategoryBeds] = field(default_factory=list)

    @property
    def beds(self) -> int:
        return sum(c.beds for c in self.categories)

    @property
    def free(self) -> int:
        return sum(c.free for c in self.categories)

    @property
    def occupied(self) -> int:
        return sum(c.occupied for c in self.categories)

    @property
    def held(self) -> int:
        return sum(c.held for c in self.categories)


def beds_for_shelters(shelters: list[Service]) -> dict[uuid.UUID, list[CategoryBeds]]:
    """Today's beds per category of each shelter, in three queries whatever the number of stays:
    the inventories in force (a correlated subquery picks the latest per shelter), open stays
    counted per shelter and category in SQL (the partial index `stay_open`), live holds likewise."""
    today, now = timezone.localdate(), timezone.now()
    ids = [s.pk for s in shelters]
    if not ids:
        return {}
    latest = (
        BedInventory.objects.filter(service=OuterRef("service"), effective_from__lte=today)
        .order_by("-effective_from", "-created_at")
        .values("pk")[:1]
    )
    # Plain tuples, not model instances: the board reads a few numbers per row.
    columns = ["service_id", *BedCategory.values]
    beds = {
        row[0]: dict(zip(BedCategory.values, row[1:], strict=True))
        for row in BedInventory.objects.filter(service_id__in=ids, pk=Subquery(latest)).values_list(*columns)
    }
    occupied: dict[tuple[uuid.UUID, str], int] = defaultdict(int)
    for service_id, category, n in (
        ShelterStay.objects.filter(service_id__in=ids, discharged_on__isnull=True)
        .values_list("service_id", "category")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        occupied[(service_id, category)] = n
    held: dict[tuple[uuid.UUID, str], int] = defaultdict(int)
    for service_id, category, n in (
        BedHold.objects.filter(service_id__in=ids, status=HoldStatus.ACTIVE, held_until__gt=now)
        .values_list("service_id", "category")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        held[(service_id, category)] = n
    nothing: dict[str, int] = {}
    return {
        pk: [
            CategoryBeds(c, beds.get(pk, nothing).get(c, 0), occupied[(pk, c)], held[(pk, c)])
            for c in BedCategory.values
        ]
        for pk in ids
    }


def vacancy_board_for(*, user: Viewer, filters: VacancyFilters | None = None) -> list[VacancyRow]:
    """Free beds today per active shelter and category, from stays and live holds.

    Four queries whatever the number of stays: the shelters, their inventories in force (one
    correlated subquery picks the latest per shelter), open stays counted per shelter and category
    in SQL (the partial index `stay_open` covers it), live holds counted likewise.
    """
    f = filters or VacancyFilters()
    if not may_read_shelters(user):
        return []
    services = Service.objects.filter(service_type=SHELTER_SERVICE_TYPE, status=ServiceStatus.ACTIVE)
    if f.province_id:
        services = services.filter(province_id=f.province_id)
    shelters = list(
        services.select_related("province", "provider")
        .only("id", "name", "status", "province__name", "provider__name")
        .order_by("province__name", "name")
    )
    if not shelters:
        return []
    counts = beds_for_shelters(shelters)
    categories = [f.category] if f.category else list(BedCategory.values)
    board = []
    for shelter in shelters:
        row = VacancyRow(service=shelter)
        for cell in counts[shelter.pk]:
            if cell.category in categories and (cell.beds or cell.occupied or cell.held):
                row.categories.append(cell)
        if not row.categories or (f.with_free_beds_only and row.free == 0):
            continue
        board.append(row)
    return board


# --- Utilisation ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthUtilisation:
    month: datetime.date  # the first day
    bed_nights: int
    capacity_nights: int

    @property
    def rate(self) -> float | None:
        return self.bed_nights / self.capacity_nights if self.capacity_nights else None

    @property
    def percent(self) -> str:
        rate = self.rate
        return "—" if rate is None else f"{rate * 100:.1f}%"


def _month_start(day: datetime.date, back: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


def _window(month: datetime.date, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The nights of `month` counted: from its first day to its last, or to last night if the
    month is under way. Returned as [start, end) dates."""
    last = calendar.monthrange(month.year, month.month)[1]
    end = month + datetime.timedelta(days=last)
    return month, min(end, today)


def _capacity_nights(inventories: list[BedInventory], start: datetime.date, end: datetime.date) -> int:
    """Beds x nights over [start, end), following the inventory in force each night."""
    ordered = sorted(inventories, key=lambda i: (i.effective_from, i.created_at))
    total, day = 0, start
    while day < end:
        in_force = [i for i in ordered if i.effective_from <= day]
        total += in_force[-1].total if in_force else 0
        day += datetime.timedelta(days=1)
    return total


def utilisation_for(
    *, service: Service, months: int = 12, today: datetime.date | None = None
) -> list[MonthUtilisation]:
    """Utilisation per month, newest first: bed-nights ÷ (beds x nights) (HUD HMIS).

    Bed-nights are summed in SQL, one query for all the months: each stay contributes the nights
    of the month it covers (from admission, or the month's first day, to discharge, or the window's
    end). Beds x nights follows the inventory in force each night (a handful of rows).
    """
    today = today or timezone.localdate()
    windows = [_window(_month_start(today, back), today) for back in range(months)]
    aggregates = {}
    for index, (start, end) in enumerate(windows):
        lo, hi = Value(start, output_field=DateField()), Value(end, output_field=DateField())
        nights = ExpressionWrapper(
            Least(Coalesce(F("discharged_on"), hi), hi) - Greatest(F("admitted_on"), lo),
            output_field=DurationField(),
        )
        covers = Q(admitted_on__lt=end) & (Q(discharged_on__isnull=True) | Q(discharged_on__gt=start))
        aggregates[f"m{index}"] = Sum(nights, filter=covers)
    sums = ShelterStay.objects.filter(service=service).aggregate(**aggregates) if windows else {}
    inventories = list(BedInventory.objects.filter(service=service))
    result = []
    for index, (start, end) in enumerate(windows):
        spent = sums.get(f"m{index}")
        bed_nights = spent.days if isinstance(spent, datetime.timedelta) else int(spent or 0)
        result.append(MonthUtilisation(start, bed_nights, _capacity_nights(inventories, start, end)))
    return result


# --- Stays and holds -----------------------------------------------------------------------------


def stays_visible_q(user: Viewer | None) -> Q:
    return access.visible_cases_q(user, case_path="case") | access.staff_q(
        user, access.DELIVER, provider_path="service__provider"
    )


def stay_list_for(
    *, user: Viewer, service: Service | None = None, current_only: bool = False
) -> QuerySet[ShelterStay]:
    rows = ShelterStay.objects.filter(stays_visible_q(user))
    if service is not None:
        rows = rows.filter(service=service)
    if current_only:
        rows = rows.filter(discharged_on__isnull=True)
    return rows.select_related("person", "case", "service", "referral").order_by(
        "-admitted_on", "-created_at"
    )


def stay_get_for(*, user: Viewer, stay_id: uuid.UUID | str) -> ShelterStay:
    rows = ShelterStay.objects.filter(stays_visible_q(user)).select_related(
        "person",
        "case",
        "case__owner_agency",
        "service",
        "service__provider",
        "service__provider__agency",
        "referral",
    )
    return one_or_not_found(rows, stay_id)


def holds_visible_q(user: Viewer | None) -> Q:
    return (
        access.visible_cases_q(user, case_path="referral__case")
        | access.staff_q(user, access.DELIVER, provider_path="service__provider")
        | policy.scope_q(user, access.MAKE, agency_path="referral__from_agency")
    )


def hold_list_for(*, user: Viewer, service: Service, live_only: bool = True) -> QuerySet[BedHold]:
    rows = BedHold.objects.filter(holds_visible_q(user), service=service)
    if live_only:
        rows = rows.filter(status=HoldStatus.ACTIVE, held_until__gt=timezone.now())
    return rows.select_related("referral", "referral__person", "held_by").order_by("held_until")


def hold_get_for(*, user: Viewer, hold_id: uuid.UUID | str) -> BedHold:
    rows = BedHold.objects.filter(holds_visible_q(user)).select_related(
        "service", "service__provider", "referral", "referral__case", "referral__person"
    )
    return one_or_not_found(rows, hold_id)


def admittable_referrals_for(*, user: Viewer, service: Service) -> QuerySet[Referral]:
    """Accepted referrals to this shelter without a stay yet, which the user may admit."""
    staff = is_shelter_staff(user, service)
    if not (
        staff
        or access.has_any(user, (access.SUPERVISE,))
        or (service.provider.is_external and access.has_any(user, ("cases.edit",)))
    ):
        return Referral.objects.none()
    rows = Referral.objects.filter(service=service, status=ReferralStatus.ACCEPTED).exclude(
        pk__in=ShelterStay.objects.filter(service=service).values("referral_id")
    )
    if not staff:
        # The referring side's workers see their cases; a supervisor over the shelter's agency
        # admits beyond capacity without seeing the case (services.shelter_admit).
        over_shelter = policy.scope_q(user, access.SUPERVISE, agency_path="to_agency")
        rows = rows.filter(access.visible_cases_q(user, case_path="case")) | rows.filter(over_shelter)
    return rows.select_related("person", "case").order_by("accepted_at")


def referral_for_admission(*, user: Viewer, service: Service, referral_id: uuid.UUID | str) -> Referral:
    return one_or_not_found(admittable_referrals_for(user=user, service=service), referral_id)
