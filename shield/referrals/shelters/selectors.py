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
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models import (
    Field as ModelField,
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


@dataclass(frozen=True)
class VacancyPage:
    """One page of the board: its rows, how many shelters the whole board has, and the totals of
    the whole board (beds, free, occupied, held)."""

    rows: list[VacancyRow]
    count: int
    totals: dict[str, int]


def _categories_sql(table: str, condition: str) -> str:
    counts = ", ".join(
        f"SUM(CASE WHEN category = '{c}' THEN 1 ELSE 0 END) AS {c}" for c in BedCategory.values
    )
    return f"SELECT service_id, {counts} FROM {table} WHERE {condition} GROUP BY service_id"  # noqa: S608 (fixed names only)


def _board_sql(*, province: bool, category: str, free_only: bool, limit: bool) -> str:
    """One statement (PostgreSQL and SQLite): per active shelter, the beds of the inventory in
    force, the open stays and the live holds of each category, pivoted to one row; the totals of the
    categories shown; the whole board's count and totals as window sums; one page in order.

    Only fixed names enter the text (tables, the category chosen from `BedCategory`); the values
    are parameters."""
    shown = [category] if category else list(BedCategory.values)
    cells = ", ".join(
        f"COALESCE(inv.{c}, 0) AS b_{c}, COALESCE(st.{c}, 0) AS o_{c}, COALESCE(h.{c}, 0) AS h_{c}"
        for c in BedCategory.values
    )
    beds = " + ".join(f"b_{c}" for c in shown)
    occupied = " + ".join(f"o_{c}" for c in shown)
    held = " + ".join(f"h_{c}" for c in shown)
    free = " + ".join(
        f"(CASE WHEN b_{c} - o_{c} - h_{c} > 0 THEN b_{c} - o_{c} - h_{c} ELSE 0 END)" for c in shown
    )
    per_cell = ", ".join(f"b_{c}, o_{c}, h_{c}" for c in BedCategory.values)
    inventory, stay, hold = (
        BedInventory._meta.db_table,
        ShelterStay._meta.db_table,
        BedHold._meta.db_table,
    )
    return f"""
WITH inv AS (
    SELECT i.service_id, {", ".join(f"i.{c}" for c in BedCategory.values)} FROM {inventory} i
    WHERE i.id = (
        SELECT j.id FROM {inventory} j WHERE j.service_id = i.service_id AND j.effective_from <= %s
        ORDER BY j.effective_from DESC, j.created_at DESC LIMIT 1
    )
), st AS ({_categories_sql(stay, "discharged_on IS NULL")}
), h AS ({_categories_sql(hold, "status = %s AND held_until > %s")}
), cells AS (
    SELECT s.id, pv.name AS province, s.name, {cells}
    FROM {Service._meta.db_table} s
    JOIN geo_province pv ON pv.id = s.province_id
    LEFT JOIN inv ON inv.service_id = s.id
    LEFT JOIN st ON st.service_id = s.id
    LEFT JOIN h ON h.service_id = s.id
    WHERE s.service_type = %s AND s.status = %s {"AND s.province_id = %s" if province else ""}
), shown AS (
    SELECT cells.*, {beds} AS beds, {occupied} AS occupied, {held} AS held, {free} AS free FROM cells
)
SELECT id, {per_cell}, COUNT(*) OVER (), SUM(beds) OVER (), SUM(free) OVER (),
       SUM(occupied) OVER (), SUM(held) OVER ()
FROM shown
WHERE beds + occupied + held > 0 {"AND free > 0" if free_only else ""}
ORDER BY province, name, id
{"LIMIT %s OFFSET %s" if limit else ""}
"""  # noqa: S608 (fixed names only, values are parameters)


def vacancy_board_page(
    *,
    user: Viewer,
    filters: VacancyFilters | None = None,
    page_size: int | None = None,
    page: int = 1,
) -> VacancyPage:
    """The board (one page of `page_size` shelters, or all of them): two queries whatever the
    number of shelters, stays and holds, the numbers computed in SQL (`_board_sql`), then the
    page's shelters read for their names."""
    f = filters or VacancyFilters()
    empty = VacancyPage([], 0, {"beds": 0, "free": 0, "occupied": 0, "held": 0})
    if not may_read_shelters(user) or (f.category and f.category not in BedCategory.values):
        return empty
    today, now = timezone.localdate(), timezone.now()

    def prep(model: type[Model], name: str, value: object) -> Any:
        column = model._meta.get_field(name)
        assert isinstance(column, ModelField)
        return column.get_db_prep_value(value, connection)

    params: list[Any] = [
        prep(BedInventory, "effective_from", today),
        HoldStatus.ACTIVE.value,
        prep(BedHold, "held_until", now),
        SHELTER_SERVICE_TYPE,
        ServiceStatus.ACTIVE.value,
    ]
    if f.province_id:
        params.append(prep(Service, "province", f.province_id))
    if page_size:
        params += [page_size, max(page - 1, 0) * page_size]
    sql = _board_sql(
        province=bool(f.province_id),
        category=f.category,
        free_only=f.with_free_beds_only,
        limit=bool(page_size),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    if not found:
        return empty
    width = 3 * len(BedCategory.values)
    ids = [Service._meta.pk.to_python(r[0]) for r in found]
    shelters = (
        Service.objects.select_related("province", "provider")
        .only("id", "name", "status", "province__name", "provider__name")
        .in_bulk(ids)
    )
    shown = [f.category] if f.category else list(BedCategory.values)
    rows = []
    for pk, record in zip(ids, found, strict=True):
        numbers = dict(
            zip(BedCategory.values, zip(*[iter(record[1 : 1 + width])] * 3, strict=True), strict=True)
        )
        cells = [CategoryBeds(c, *numbers[c]) for c in shown if any(numbers[c])]
        rows.append(VacancyRow(service=shelters[pk], categories=cells))
    last = found[0][1 + width :]
    totals = dict(zip(("beds", "free", "occupied", "held"), (int(n or 0) for n in last[1:]), strict=True))
    return VacancyPage(rows, int(last[0]), totals)


def vacancy_board_for(*, user: Viewer, filters: VacancyFilters | None = None) -> list[VacancyRow]:
    """Free beds today per active shelter and category, from stays and live holds: the whole board
    in two queries (`vacancy_board_page`)."""
    return vacancy_board_page(user=user, filters=filters).rows


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
