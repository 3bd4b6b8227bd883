"""Referrals at national scale for the bench: a directory, ~500,000 referrals, shelter stays.

Runs on top of a database already filled by `manage.py demo_data --persons N` (cases, persons,
agencies, users) and adds, with bulk inserts (COPY on PostgreSQL, `bulk_create` elsewhere):

- a directory of a few thousand services: every receiving Shield agency (social protection,
  women's union, NGO) as a provider with a full range of services, and about a thousand external
  providers (clinics, legal aid centres, vocational schools) over the 34 provinces, skewed to the
  big cities;
- referrals from the cases' agencies, mostly closed (completed with an outcome, declined,
  cancelled, revoked) and a few percent open (sent, accepted, waitlisted, in service, the recent
  ones), concentrated on the Shield agencies' inboxes, each with its timeline of steps;
- shelter stays, when the shelters part's models are present.

Every generated referral's reference starts with `BENCH-`, and the directory's rows have ids derived
from a fixed namespace, so `--replace` removes exactly what an earlier run added (bench data only:
never run it on a database with real records). Synthetic, seeded: two runs with the same options
give the same data.
"""

from __future__ import annotations

import datetime
import importlib
import json
import random
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from django.apps import apps
from django.db import connection, models, transaction
from django.utils import timezone

from shield.accounts.models import Agency, Membership, User
from shield.accounts.roles import Role, Scope
from shield.core.encryption import EncryptedTextField, encrypt
from shield.geo.models import Province
from shield.referrals.models import (
    Provider,
    Referral,
    ReferralOutcome,
    ReferralStatus,
    ReferralStep,
    ReferralUrgency,
    Service,
    ServiceStatus,
)

REFERENCE_PREFIX = "BENCH-"
NAMESPACE = uuid.UUID("6f1c2a56-3e0b-4f5e-9a37-5b0c2d7e9a16")
BATCH = 20_000

# Agencies of these kinds receive referrals (they run shelters and services).
RECEIVING_KINDS = ("social_protection", "womens_union", "ngo")

# Law 53/2024 Ch. V support, HTCDS support-plan types, shelter and family tracing. The directory
# part's taxonomy (`data/service_types.json`) wins when it exists.
FALLBACK_SERVICE_TYPES = (
    "shelter",
    "travel_home",
    "health_care",
    "health_insurance",
    "psychological_support",
    "legal_aid",
    "education_vocational",
    "employment_counselling",
    "hardship_allowance",
    "loans",
    "family_tracing",
)

# What external providers are, by service type: (name pattern in Vietnamese, capacity unit).
EXTERNAL_KINDS: dict[str, tuple[str, str]] = {
    "health_care": ("Bệnh viện Đa khoa {place}", "lượt khám"),
    "psychological_support": ("Trung tâm Tham vấn Tâm lý {place}", "buổi"),
    "legal_aid": ("Trung tâm Trợ giúp pháp lý Nhà nước {place}", "vụ việc"),
    "education_vocational": ("Trường Trung cấp Nghề {place}", "chỗ học"),
    "employment_counselling": ("Trung tâm Dịch vụ việc làm {place}", "lượt"),
    "health_insurance": ("Bảo hiểm xã hội {place}", ""),
    "loans": ("Ngân hàng Chính sách xã hội chi nhánh {place}", ""),
    "shelter": ("Mái ấm {place}", "giường"),
    "family_tracing": ("Hội Chữ thập đỏ {place}", "hồ sơ"),
}

# Where the bench's referrals come from and go: most traffic in the big cities and the border.
PROVINCE_WEIGHTS = {"ha_noi": 8, "ho_chi_minh": 8, "an_giang": 5, "lao_cai": 4, "quang_ninh": 4}

# Referrals are made in time order over YEARS years (inserted in that order, as a live system
# appends them). Those of the last OPEN_DAYS days are mostly still open; a few older ones are still
# in service; the rest closed.
YEARS = 4
OPEN_DAYS = 60
CLOSED_WEIGHTS = {
    ReferralStatus.COMPLETED: 80,
    ReferralStatus.DECLINED: 7,
    ReferralStatus.CANCELLED: 6,
    ReferralStatus.REVOKED: 1,
}
OUTCOME_WEIGHTS = {
    ReferralOutcome.SUCCESSFUL: 78,
    ReferralOutcome.CLIENT_REFUSED: 6,
    ReferralOutcome.LACK_OF_CAPACITY: 5,
    ReferralOutcome.NO_LONGER_NEEDED: 4,
    ReferralOutcome.UNABLE_TO_CONTACT_CLIENT: 4,
    ReferralOutcome.UNABLE_TO_CONTACT_PROVIDER: 1,
    ReferralOutcome.OTHER: 2,
}
URGENCY_HOURS = {ReferralUrgency.IMMEDIATE: 1, ReferralUrgency.URGENT: 24, ReferralUrgency.ROUTINE: 72}
URGENCY_WEIGHTS = {ReferralUrgency.IMMEDIATE: 10, ReferralUrgency.URGENT: 30, ReferralUrgency.ROUTINE: 60}

REASONS = (
    "Cần chỗ ở an toàn ngay sau khi được giải cứu.",
    "Khám sức khỏe và điều trị sau thời gian bị bóc lột lao động.",
    "Hỗ trợ tâm lý: nạn nhân có biểu hiện sang chấn.",
    "Trợ giúp pháp lý để tham gia tố tụng.",
    "Học nghề để tái hòa nhập cộng đồng.",
    "Tìm kiếm, liên lạc với gia đình.",
    "Hỗ trợ chi phí đi lại về nơi cư trú.",
    "Trợ cấp khó khăn ban đầu.",
)
LEGAL_BASIS = (
    "Luật Phòng, chống mua bán người 2024, Điều 32: hỗ trợ nạn nhân không cần sự đồng ý khi khẩn cấp."
)


@dataclass
class Figures:
    """What a run added and how long it took."""

    providers: int = 0
    services: int = 0
    areas: int = 0
    referrals: int = 0
    steps: int = 0
    stays: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def bench_id(kind: str, number: int) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{kind}-{number}")


def service_types() -> dict[str, str]:
    """Type code → Vietnamese label, from the directory's taxonomy when it exists."""
    path = Path(__file__).resolve().parent / "data" / "service_types.json"
    if path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
        items = data if isinstance(data, list) else data.get("types", data.get("service_types", []))
        labels = {str(i["code"]): str(i.get("label_vi") or i["code"]) for i in items if isinstance(i, dict)}
        if labels:
            return labels
    return {code: code.replace("_", " ") for code in FALLBACK_SERVICE_TYPES}


def _extras(*, kind: str, label: str, province: Province, number: int, rng: random.Random) -> dict[str, Any]:
    """What the directory part's fields hold (eligibility, contact, address): ignored without them."""
    minimum = rng.choice([None, None, None, None, 0, 16, 18])
    maximum = 17 if minimum == 0 else rng.choice([None, None, 60]) if minimum else None
    shelter = kind == "shelter"
    return {
        "description": f"{label}: tiếp nhận người được giới thiệu từ các cơ quan bảo vệ.",
        "min_age": minimum,
        "max_age": maximum,
        "sexes": rng.choice(["", "", "", "|female|", "|male|"])
        if not shelter
        else rng.choice(["", "|female|"]),
        "victim_status": "any",
        "languages": rng.choice(["|vi|", "|vi|", "|en|vi|", "|hmn|vi|", "|km|vi|", "|vi|zh|"]),
        "child_friendly": rng.random() < 0.3,
        "schedule": "Cả ngày, mọi ngày" if shelter else "Thứ Hai - Thứ Sáu, 7:30-17:00",
        "contact_name": rng.choice(["Nguyễn Thị Lan", "Trần Văn Hùng", "Lê Thị Mai", "Phạm Minh Đức"]),
        "contact_phone": f"0{rng.randint(200_000_000, 999_999_999)}",
        "address": f"Số {number}, đường Trần Phú, {province.name}",
        "address_redacted": shelter,
    }


# --- Bulk writing ------------------------------------------------------------------------------


class Writer:
    """Rows as {attname: value} dicts into a model's table: COPY on PostgreSQL, bulk_create
    elsewhere. Fields a row leaves out take their default (callables called per row)."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields]
        self.encrypted: dict[str, str] = {}
        self.attnames = {f.attname for f in self.fields}

    def _value(self, f: models.Field[Any, Any], row: dict[str, Any]) -> Any:
        if f.attname in row:
            value = row[f.attname]
        elif f.has_default():
            value = f.get_default()
        elif f.null:
            value = None
        else:
            value = f.get_default()  # "" for text fields
        if value is None:
            return None
        if isinstance(f, EncryptedTextField):
            if value == "":
                return ""
            cached = self.encrypted.get(value)
            if cached is None:
                # One token per distinct text (synthetic data repeats its texts): decrypts the same.
                cached = self.encrypted[value] = encrypt(str(value))
            return cached
        if isinstance(f, models.JSONField):
            return json.dumps(value, ensure_ascii=False)
        return value

    def write(self, rows: Iterable[dict[str, Any]]) -> int:
        written = 0
        if connection.vendor == "postgresql":
            columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
            table = connection.ops.quote_name(self.model._meta.db_table)
            with connection.cursor() as cursor:
                raw = cursor.cursor  # psycopg 3
                with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row([self._value(f, row) for f in self.fields])
                        written += 1
            return written
        batch: list[models.Model] = []
        for row in rows:
            batch.append(self.model(**{k: v for k, v in row.items() if k in self.attnames}))
            if len(batch) >= 1_000:
                self.model._default_manager.bulk_create(batch)
                written += len(batch)
                batch = []
        if batch:
            self.model._default_manager.bulk_create(batch)
            written += len(batch)
        return written


def _batched(rows: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# --- The directory ------------------------------------------------------------------------------


@dataclass
class Directory:
    services: list[
        tuple[uuid.UUID, uuid.UUID, uuid.UUID | None, str, int | None]
    ]  # id, provider, agency, type, hours
    shield_services: list[int]  # positions in `services` of the Shield agencies' services
    external_services: list[int]


def _provinces() -> tuple[list[Province], list[int]]:
    provinces = list(Province.objects.order_by("code"))
    weights = [PROVINCE_WEIGHTS.get(p.codename, 1) for p in provinces]
    return provinces, weights


def receiving_agencies() -> list[Agency]:
    return list(Agency.objects.filter(kind__in=RECEIVING_KINDS, is_active=True).order_by("code"))


def ensure_receiving_staff(*, password: str, out: TextIO) -> dict[uuid.UUID, User]:
    """A service-provider account at each receiving agency (the demo's own when it has one)."""
    staff: dict[uuid.UUID, User] = {}
    from shield.accounts import services as accounts

    for agency in receiving_agencies():
        membership = (
            Membership.objects.filter(agency=agency, role=Role.SERVICE_PROVIDER, is_active=True)
            .select_related("user")
            .order_by("user__username")
            .first()
        )
        if membership is not None:
            staff[agency.pk] = membership.user
            continue
        username = f"bench.{agency.code}"[:150]
        user = User.objects.filter(username=username).first()
        if user is None:
            user = accounts.user_create(
                actor=None, username=username, password=password, first_name="Bench", last_name=agency.code
            )
        accounts.membership_grant(
            actor=None, user=user, agency=agency, role=Role.SERVICE_PROVIDER, scope=Scope.AGENCY
        )
        out.write(f"  created {username} (service provider staff of {agency.code})\n")
        staff[agency.pk] = user
    return staff


def _service_row(
    *,
    sid: uuid.UUID,
    provider: uuid.UUID,
    name: str,
    kind: str,
    province: Province,
    unit: str,
    rng: random.Random,
    now: datetime.datetime,
    label: str,
    number: int,
) -> dict[str, Any]:
    status = rng.choices(
        [ServiceStatus.ACTIVE, ServiceStatus.TEMPORARILY_CLOSED, ServiceStatus.CLOSED], [90, 7, 3]
    )[0]
    maximum = rng.choice([10, 20, 30, 50, 100]) if unit else None
    available = rng.randint(0, maximum) if maximum is not None and rng.random() < 0.8 else None
    return {
        "id": sid,
        "created_at": now,
        "updated_at": now,
        "provider_id": provider,
        "name": name[:200],
        "service_type": kind,
        "status": status,
        "province_id": province.pk,
        "response_hours": rng.choice([None, None, None, 4, 24, 48]),
        "capacity_unit": unit,
        "capacity_available": available,
        "capacity_maximum": maximum,
        "capacity_updated_at": now - datetime.timedelta(hours=rng.randint(1, 24 * 30)) if maximum else None,
        **_extras(kind=kind, label=label, province=province, number=number, rng=rng),
    }


def _search_text(
    services: list[dict[str, Any]], names: dict[uuid.UUID, str], provinces: dict[Any, Province]
) -> None:
    """The directory part's folded search words of each service (`search_text_of`), when it has them."""
    try:
        search_text_of = importlib.import_module("shield.referrals.directory.services").search_text_of
    except (ImportError, AttributeError):
        return
    fields = {f.attname for f in Service._meta.concrete_fields}
    for row in services:
        service = Service(**{k: v for k, v in row.items() if k in fields and k != "commune_id"})
        service.province = provinces[row["province_id"]]
        row["search_text"] = search_text_of(service, Provider(name=names[row["provider_id"]]))


def _areas(services: list[dict[str, Any]], provinces: list[Province], rng: random.Random) -> int:
    """One service in ten also serves one to three other provinces (HSDS service_area)."""
    area_model = _model("ServiceArea")
    if area_model is None:
        return 0
    rows = []
    for row in services:
        if rng.random() >= 0.1:
            continue
        for province in rng.sample(provinces, k=rng.randint(1, 3)):
            if province.pk == row["province_id"]:
                continue
            rows.append(
                {
                    "id": uuid.UUID(int=rng.getrandbits(128), version=4),
                    "created_at": row["created_at"],
                    "updated_at": row["created_at"],
                    "service_id": row["id"],
                    "province_id": province.pk,
                    "commune_id": None,
                }
            )
    return Writer(area_model).write(rows)


def build_directory(*, external_providers: int, rng: random.Random, figures: Figures) -> Directory:
    """Providers for the receiving agencies (missing ones) and external providers, with services."""
    now = timezone.now()
    types = service_types()
    provinces, weights = _provinces()
    by_id = {p.pk: p for p in provinces}
    providers: list[dict[str, Any]] = []
    services: list[dict[str, Any]] = []
    names: dict[uuid.UUID, str] = {}
    number = 0

    # Shield agencies: their provider (existing or new), then one service of every type.
    for agency in receiving_agencies():
        existing = Provider.objects.filter(agency=agency).first()
        if existing is not None:
            pid, names[existing.pk] = existing.pk, existing.name
        else:
            pid = bench_id("provider-agency", uuid.UUID(str(agency.pk)).int % 10**12)
            names[pid] = agency.name_vi
            providers.append(
                {
                    "id": pid,
                    "created_at": now,
                    "updated_at": now,
                    "agency_id": agency.pk,
                    "name": agency.name_vi,
                    "province_id": agency.province_id,
                    "is_active": True,
                    "kind": agency.kind,
                    "phone": f"024{rng.randint(3_000_000, 9_999_999)}",
                }
            )
        for kind, label in types.items():
            number += 1
            services.append(
                _service_row(
                    sid=bench_id("service", number),
                    provider=pid,
                    name=f"{label} — {names[pid]}",
                    kind=kind,
                    province=by_id[agency.province_id],
                    unit="giường" if kind == "shelter" else "",
                    rng=rng,
                    now=now,
                    label=label,
                    number=number,
                )
            )
    shield_count = len(services)

    # External providers: one main kind each, one to five services, in a weighted province.
    kinds = [k for k in EXTERNAL_KINDS if k in types] or list(types)
    for i in range(external_providers):
        kind = rng.choice(kinds)
        province = rng.choices(provinces, weights)[0]
        pattern, unit = EXTERNAL_KINDS.get(kind, ("Cơ sở {place}", ""))
        pid = bench_id("provider", i)
        names[pid] = pattern.format(place=f"{province.name} số {i % 97 + 1}")
        providers.append(
            {
                "id": pid,
                "created_at": now,
                "updated_at": now,
                "agency_id": None,
                "name": names[pid],
                "province_id": province.pk,
                "is_active": rng.random() > 0.02,
                "kind": "",
                "phone": f"0{rng.randint(200_000_000, 999_999_999)}",
            }
        )
        offered = [kind, *rng.sample(list(types), k=rng.randint(0, 4))]
        for other in dict.fromkeys(offered):
            number += 1
            services.append(
                _service_row(
                    sid=bench_id("service", number),
                    provider=pid,
                    name=f"{types[other]} — {names[pid]}",
                    kind=other,
                    province=province,
                    unit=unit if other == kind else "",
                    rng=rng,
                    now=now,
                    label=types[other],
                    number=number,
                )
            )
    _search_text(services, names, by_id)
    figures.providers += Writer(Provider).write(providers)
    figures.services += Writer(Service).write(services)
    figures.areas += _areas(services, provinces, rng)
    agency_of = {p["id"]: p["agency_id"] for p in providers}
    agency_of.update(dict(Provider.objects.filter(agency__isnull=False).values_list("id", "agency_id")))
    listed = [
        (s["id"], s["provider_id"], agency_of.get(s["provider_id"]), s["service_type"], s["response_hours"])
        for s in services
    ]
    return Directory(
        services=listed,
        shield_services=list(range(shield_count)),
        external_services=list(range(shield_count, len(listed))),
    )


# --- Referrals ----------------------------------------------------------------------------------


def _status(age: datetime.timedelta, rng: random.Random) -> str:
    """A referral's state today from its age: recent ones open, older ones closed."""
    days = age.total_seconds() / 86400
    closed = rng.choices(list(CLOSED_WEIGHTS), list(CLOSED_WEIGHTS.values()))[0]
    if days < 2:
        return ReferralStatus.SENT if rng.random() < 0.7 else ReferralStatus.ACCEPTED
    if days < 14:
        return rng.choices(
            [
                ReferralStatus.SENT,
                ReferralStatus.ACCEPTED,
                ReferralStatus.WAITLISTED,
                ReferralStatus.IN_SERVICE,
                closed,
            ],
            [5, 30, 10, 40, 15],
        )[0]
    if days < OPEN_DAYS:
        return ReferralStatus.IN_SERVICE if rng.random() < 0.75 else closed
    if days < 365 and rng.random() < 0.03:
        return ReferralStatus.IN_SERVICE
    return closed


SHELTER_SHARE = 0.15  # of referrals, to a shelter


def _category(sex: str, born: datetime.date | None, on: datetime.date, rng: random.Random) -> str:
    if rng.random() < 0.05:
        return "families"
    child = born is not None and (on - born).days < 18 * 365
    if sex == "male":
        return "boys" if child else "men"
    return "girls" if child else "women"


def _referral_rows(
    *,
    count: int,
    directory: Directory,
    rng: random.Random,
    steps: list[dict[str, Any]],
) -> Iterator[dict[str, Any]]:
    """The referrals, appending each one's steps to `steps` (written after the referrals) and the
    shelter referrals accepted to `shelter_referrals`."""
    now = timezone.now()
    cases = connection_rows(
        "SELECT id, person_id, owner_agency_id FROM cases_case ORDER BY id"
    )  # seeded: ordered
    if not cases:
        raise RuntimeError("No cases: run `manage.py demo_data --persons N` first.")
    workers: dict[Any, list[Any]] = {}
    supervisors: list[Any] = []
    for user_id, agency_id, role in Membership.objects.filter(is_active=True).values_list(
        "user_id", "agency_id", "role"
    ):
        if role in (Role.CASE_WORKER, Role.SUPERVISOR):
            workers.setdefault(agency_id, []).append(user_id)
        if role == Role.SUPERVISOR:
            supervisors.append(user_id)
    fallback = list(User.objects.filter(is_active=True).order_by("username").values_list("id", flat=True)[:1])
    span = datetime.timedelta(days=365 * YEARS)
    first = now - span
    urgencies, urgency_weights = list(URGENCY_WEIGHTS), list(URGENCY_WEIGHTS.values())
    outcomes, outcome_weights = list(OUTCOME_WEIGHTS), list(OUTCOME_WEIGHTS.values())
    shield, external = directory.shield_services, directory.external_services
    shelters = {
        id(pool): [i for i in pool if directory.services[i][3] == "shelter"] or pool
        for pool in (shield, external)
    }
    for n in range(count):
        case_id, person_id, from_agency = cases[rng.randrange(len(cases))]
        senders = workers.get(from_agency) or supervisors or fallback
        referred_by = senders[n % len(senders)]
        # 70% of referrals to Shield agencies' services: their inboxes carry the load.
        pool = shield if (rng.random() < 0.7 or not external) else external
        if rng.random() < SHELTER_SHARE:
            pool = shelters[id(pool)]
        service_id, provider_id, to_agency, kind, hours = directory.services[pool[rng.randrange(len(pool))]]
        urgency = rng.choices(urgencies, urgency_weights)[0]
        sent_at = first + span * (n / count) + datetime.timedelta(seconds=rng.randint(0, 600))
        sent_at = min(sent_at, now - datetime.timedelta(minutes=5))
        status = _status(now - sent_at, rng)
        respond_by = sent_at + datetime.timedelta(hours=hours or URGENCY_HOURS[ReferralUrgency(urgency)])
        answer_delay = datetime.timedelta(
            minutes=rng.randint(
                1,
                int((respond_by - sent_at).total_seconds() // 60 * (1.6 if rng.random() < 0.15 else 0.9)) + 1,
            )
        )
        answered_at = accepted_at = closed_at = None
        outcome = ""
        path = [ReferralStatus.SENT]
        if status != ReferralStatus.SENT and status != ReferralStatus.CANCELLED:
            answered_at = min(sent_at + answer_delay, now)
        if status in (ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE, ReferralStatus.COMPLETED):
            accepted_at = answered_at
            path.append(ReferralStatus.ACCEPTED)
        if status == ReferralStatus.WAITLISTED:
            path.append(ReferralStatus.WAITLISTED)
        if status in (ReferralStatus.IN_SERVICE, ReferralStatus.COMPLETED):
            path.append(ReferralStatus.IN_SERVICE)
        if status in CLOSED_WEIGHTS:
            assert answered_at is not None or status == ReferralStatus.CANCELLED
            start = answered_at or sent_at
            closed_at = min(
                start + datetime.timedelta(days=rng.randint(0, 90), minutes=rng.randint(1, 600)), now
            )
            path.append(ReferralStatus(status))
            if status == ReferralStatus.COMPLETED:
                outcome = rng.choices(outcomes, outcome_weights)[0]
        rid = uuid.UUID(int=rng.getrandbits(128), version=4)
        updated = closed_at or accepted_at or answered_at or sent_at
        override = supervisors[n % len(supervisors)] if supervisors else referred_by
        yield {
            "id": rid,
            "created_at": sent_at,
            "updated_at": updated,
            "version": len(path),
            "reference": f"{REFERENCE_PREFIX}{sent_at:%Y}-{n:07d}",
            "case_id": case_id,
            "person_id": person_id,
            "from_agency_id": from_agency,
            "referred_by_id": referred_by,
            "provider_id": provider_id,
            "service_id": service_id,
            "to_agency_id": to_agency,
            "service_type": kind,
            "reason": REASONS[n % len(REASONS)],
            "urgency": urgency,
            "status": status,
            "sent_at": sent_at,
            "respond_by": respond_by,
            "answered_at": answered_at,
            "accepted_at": accepted_at,
            "closed_at": closed_at,
            "outcome": outcome,
            "consent_id": None,
            "override_by_id": override,
            "legal_basis": LEGAL_BASIS,
            # The lifecycle part's deadline for an outcome after acceptance (ignored without it).
            "outcome_due_by": accepted_at + datetime.timedelta(days=30) if accepted_at else None,
        }
        moments = [
            sent_at,
            answered_at or sent_at,
            (accepted_at or sent_at) + datetime.timedelta(hours=2),
            closed_at or updated,
        ]
        previous = ""
        for i, to_status in enumerate(path):
            at = moments[min(i, len(moments) - 1)] if to_status != status else updated
            steps.append(
                {
                    "id": uuid.UUID(int=rng.getrandbits(128), version=4),
                    "created_at": at,
                    "updated_at": at,
                    "referral_id": rid,
                    "from_status": previous,
                    "to_status": to_status,
                    "actor_id": referred_by,
                    "on_behalf_of_provider": to_agency is None and i > 0,
                    "note": "",
                }
            )
            previous = to_status


def connection_rows(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


# --- Shelter stays ------------------------------------------------------------------------------


@dataclass
class ShelterReferral:
    """A shelter referral the generator made that a stay (or a bed hold) can follow."""

    referral_id: uuid.UUID
    service_id: uuid.UUID
    case_id: Any
    person_id: Any
    category: str
    status: str
    accepted_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    actor_id: Any


def _model(name: str) -> type[models.Model] | None:
    try:
        return apps.get_model("referrals", name)
    except LookupError:
        return None


def shelter_referrals(rng: random.Random) -> list[ShelterReferral]:
    """The bench's accepted shelter referrals, newest first (the open ones get their beds first)."""
    rows = connection_rows(
        "SELECT r.id, r.service_id, r.case_id, r.person_id, p.sex, p.birth_date, r.status, r.accepted_at, "
        "r.closed_at, r.referred_by_id FROM referrals_referral r JOIN people_person p ON p.id = r.person_id "
        "WHERE r.reference LIKE %s AND r.service_type = 'shelter' AND r.accepted_at IS NOT NULL "
        "ORDER BY r.sent_at DESC, r.id",
        [REFERENCE_PREFIX + "%"],
    )
    return [
        ShelterReferral(
            referral_id=rid,
            service_id=sid,
            case_id=case_id,
            person_id=person_id,
            category=_category(sex, born, accepted_at.date(), rng),
            status=status,
            accepted_at=accepted_at,
            closed_at=closed_at,
            actor_id=actor_id,
        )
        for rid, sid, case_id, person_id, sex, born, status, accepted_at, closed_at, actor_id in rows
    ]


def remove_stays() -> None:
    """Remove the bench's stays, holds and bed inventories (those of bench referrals and services)."""
    with connection.cursor() as cursor:
        for name in ("ShelterStay", "BedHold"):
            model = _model(name)
            if model is not None:
                cursor.execute(
                    f"DELETE FROM {model._meta.db_table} WHERE referral_id IN "  # noqa: S608 (our names)
                    f"(SELECT id FROM {Referral._meta.db_table} WHERE reference LIKE %s)",
                    [REFERENCE_PREFIX + "%"],
                )
    inventory = _model("BedInventory")
    if inventory is not None:
        ids = [bench_id("inventory", n) for n in range(Service.objects.count() * 10 + 10)]
        inventory.objects.filter(pk__in=ids)._raw_delete(connection.alias)  # type: ignore[attr-defined]


def build_stays(*, count: int, rng: random.Random, figures: Figures, out: TextIO) -> None:
    """Bed inventories of every shelter, stays after the shelter referrals accepted, and holds for
    the accepted ones not admitted yet. Skipped while the shelters part's models are absent."""
    inventory_model, stay_model, hold_model = _model("BedInventory"), _model("ShelterStay"), _model("BedHold")
    if inventory_model is None or stay_model is None:
        out.write("  shelter stays skipped: no ShelterStay model on this branch yet\n")
        return
    now = timezone.now()
    today = timezone.localdate()
    shelters = list(
        Service.objects.filter(service_type="shelter").values_list("id", "provider__agency_id", "created_at")
    )
    beds: dict[Any, dict[str, int]] = {}
    inventories = []
    recorder = User.objects.filter(is_active=True).order_by("username").values_list("id", flat=True).first()
    for number, (sid, agency_id, _created) in enumerate(shelters):
        size = rng.randint(60, 160) if agency_id else rng.randint(8, 40)
        split = {"girls": 0.3, "boys": 0.1, "women": 0.4, "men": 0.1, "families": 0.1}
        counts = {c: int(size * share) for c, share in split.items()}
        beds[sid] = counts
        for back_years, factor in ((4, 0.8), (1, 1.0)):
            inventories.append(
                {
                    "id": bench_id("inventory", number * 10 + back_years),
                    "created_at": now,
                    "updated_at": now,
                    "service_id": sid,
                    "effective_from": today - datetime.timedelta(days=365 * back_years),
                    **{c: int(n * factor) for c, n in counts.items()},
                    "recorded_by_id": recorder,
                }
            )
    Writer(inventory_model).write(inventories)

    # Open stays only while the shelter has a bed of the category; the rest were discharged.
    open_now: dict[tuple[Any, str], int] = {}
    stays: list[dict[str, Any]] = []
    holds: list[dict[str, Any]] = []
    destinations = ["family"] * 60 + ["community"] * 15 + ["other_shelter"] * 8 + ["health_facility"] * 4
    destinations += ["foster_care"] * 3 + ["left"] * 6 + ["other"] * 4
    for candidate in shelter_referrals(rng):
        if len(stays) >= count:
            break
        if candidate.accepted_at is None:
            continue
        if candidate.status == "accepted":
            if hold_model is not None and rng.random() < 0.5:
                holds.append(
                    {
                        "id": uuid.UUID(int=rng.getrandbits(128), version=4),
                        "created_at": candidate.accepted_at,
                        "updated_at": candidate.accepted_at,
                        "service_id": candidate.service_id,
                        "referral_id": candidate.referral_id,
                        "category": candidate.category,
                        "held_until": now + datetime.timedelta(hours=rng.randint(1, 72)),
                        "status": "active",
                        "held_by_id": candidate.actor_id,
                    }
                )
            continue
        admitted = (candidate.accepted_at + datetime.timedelta(hours=rng.randint(1, 48))).date()
        key = (candidate.service_id, candidate.category)
        still_in = candidate.status == "in_service" and open_now.get(key, 0) < beds.get(
            candidate.service_id, {}
        ).get(candidate.category, 0)
        if candidate.status == "in_service" and not still_in:
            continue  # in service without a bed: the shelter is full (no stay invented)
        discharged = None
        if not still_in:
            end = candidate.closed_at.date() if candidate.closed_at else admitted
            discharged = max(
                admitted, min(end, admitted + datetime.timedelta(days=rng.randint(3, 180)), today)
            )
        else:
            open_now[key] = open_now.get(key, 0) + 1
        at = datetime.datetime.combine(admitted, datetime.time(9), tzinfo=datetime.UTC)
        stays.append(
            {
                "id": uuid.UUID(int=rng.getrandbits(128), version=4),
                "created_at": at,
                "updated_at": at,
                "version": 1 if discharged is None else 2,
                "service_id": candidate.service_id,
                "referral_id": candidate.referral_id,
                "case_id": candidate.case_id,
                "person_id": candidate.person_id,
                "category": candidate.category,
                "admitted_on": admitted,
                "admitted_by_id": candidate.actor_id,
                "planned_exit_on": admitted + datetime.timedelta(days=90),
                "discharged_on": discharged,
                "discharged_by_id": candidate.actor_id if discharged else None,
                "discharge_destination": rng.choice(destinations) if discharged else "",
                "discharge_reason": "Hoàn thành thời gian hỗ trợ." if discharged else "",
            }
        )
    figures.stays += Writer(stay_model).write(stays)
    if hold_model is not None:
        Writer(hold_model).write(holds)
    out.write(
        f"  shelters: {len(shelters)}, stays: {figures.stays:,} ({sum(open_now.values())} open), "
        f"holds: {len(holds)}\n"
    )


# --- Entry points -------------------------------------------------------------------------------


def remove(*, out: TextIO) -> None:
    """Remove what an earlier run added (generated referrals, their steps, the bench directory)."""
    remove_stays()
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {ReferralStep._meta.db_table} WHERE referral_id IN "  # noqa: S608 (our names)
            f"(SELECT id FROM {Referral._meta.db_table} WHERE reference LIKE %s)",
            [REFERENCE_PREFIX + "%"],
        )
    referrals = Referral.objects.filter(reference__startswith=REFERENCE_PREFIX)
    deleted = referrals._raw_delete(referrals.db)  # bench rows only: no signals, no cascade walk
    # The directory's ids are numbered from 1 (services) and 0 (providers): no run made more rows
    # than the table holds.
    service_ids = [bench_id("service", n) for n in range(1, Service.objects.count() + 1)]
    area_model = _model("ServiceArea")
    if area_model is not None:
        areas = area_model.objects.filter(service_id__in=service_ids)  # type: ignore[attr-defined]
        areas._raw_delete(areas.db)
    services = Service.objects.filter(pk__in=service_ids)
    services._raw_delete(services.db)
    provider_ids = [bench_id("provider", n) for n in range(Provider.objects.count())]
    provider_ids += [
        bench_id("provider-agency", uuid.UUID(str(pk)).int % 10**12)
        for pk in Agency.objects.values_list("pk", flat=True)
    ]
    providers = Provider.objects.filter(pk__in=provider_ids).exclude(services__isnull=False)
    providers._raw_delete(providers.db)
    out.write(f"  removed {deleted} bench referrals and the bench directory\n")


def generate(
    *,
    referrals: int,
    stays: int,
    external_providers: int,
    seed: int,
    replace: bool,
    password: str,
    out: TextIO,
    stays_only: bool = False,
) -> Figures:
    figures = Figures()
    rng = random.Random(seed)  # noqa: S311 (synthetic data, not secrets)
    if stays_only:  # the stays again, over the referrals already there
        started = time.perf_counter()
        with transaction.atomic():
            remove_stays()
            build_stays(count=stays, rng=rng, figures=figures, out=out)
        figures.seconds["stays"] = round(time.perf_counter() - started, 1)
        return figures
    if Referral.objects.filter(reference__startswith=REFERENCE_PREFIX).exists():
        if not replace:
            out.write("Bench referrals already present: nothing added (use --replace to make them again).\n")
            return figures
        started = time.perf_counter()
        with transaction.atomic():
            remove(out=out)
        figures.seconds["remove"] = round(time.perf_counter() - started, 1)

    started = time.perf_counter()
    with transaction.atomic():
        ensure_receiving_staff(password=password, out=out)
        directory = build_directory(external_providers=external_providers, rng=rng, figures=figures)
    figures.seconds["directory"] = round(time.perf_counter() - started, 1)
    out.write(f"  directory: {figures.providers} providers, {figures.services} services\n")

    started = time.perf_counter()
    steps: list[dict[str, Any]] = []
    rows = _referral_rows(count=referrals, directory=directory, rng=rng, steps=steps)
    for batch in _batched(rows, BATCH):
        with transaction.atomic():
            figures.referrals += Writer(Referral).write(batch)
            figures.steps += Writer(ReferralStep).write(steps)
        steps.clear()
        out.write(f"  referrals: {figures.referrals:,} ({time.perf_counter() - started:.0f} s)\n")
    figures.seconds["referrals"] = round(time.perf_counter() - started, 1)

    started = time.perf_counter()
    with transaction.atomic():
        build_stays(count=stays, rng=rng, figures=figures, out=out)
    figures.seconds["stays"] = round(time.perf_counter() - started, 1)

    if connection.vendor == "postgresql":
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for model in (Provider, Service, Referral, ReferralStep):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        figures.seconds["analyze"] = round(time.perf_counter() - started, 1)
    return figures
