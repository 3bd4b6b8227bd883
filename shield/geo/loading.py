"""Loading the reference geography: divisions from the vietnam-provinces package, former provinces
and border gates from the CSV files in `data/`.

Every function takes the model classes as arguments so that data migrations can pass their
historical models (from `apps.get_model`) and the management command the real ones.
"""

import csv
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import timezone

if TYPE_CHECKING:
    from shield.geo.models import BorderGate, Commune, FormerProvince, Province

DATA_DIR = Path(__file__).resolve().parent / "data"
FORMER_PROVINCES_CSV = DATA_DIR / "former_provinces.csv"
BORDER_GATES_CSV = DATA_DIR / "border_gates.csv"

PROVINCE_CODE_WIDTH = 2
COMMUNE_CODE_WIDTH = 5


@dataclass(frozen=True)
class ProvinceRow:
    code: str
    name: str
    codename: str
    division_type: str


@dataclass(frozen=True)
class CommuneRow:
    code: str
    name: str
    codename: str
    division_type: str
    province_code: str


@dataclass(frozen=True)
class SyncCounts:
    created: int
    updated: int
    unchanged: int
    # Rows in the database that the package no longer lists; kept, since records may point at them.
    not_in_source: int


def province_code(value: int) -> str:
    return f"{value:0{PROVINCE_CODE_WIDTH}d}"


def commune_code(value: int) -> str:
    return f"{value:0{COMMUNE_CODE_WIDTH}d}"


def package_provinces() -> list[ProvinceRow]:
    # Imported here so that merely importing this module (e.g. from a migration file being
    # inspected) does not load the package's data.
    from vietnam_provinces import Province as PackageProvince

    return [
        ProvinceRow(
            code=province_code(int(p.code.value)),
            name=p.name,
            codename=p.codename,
            division_type=p.division_type.value,
        )
        for p in PackageProvince.iter_all()
    ]


def package_communes() -> list[CommuneRow]:
    from vietnam_provinces import Ward as PackageWard

    return [
        CommuneRow(
            code=commune_code(int(w.code.value)),
            name=w.name,
            codename=w.codename,
            division_type=w.division_type.value,
            province_code=province_code(int(w.province_code.value)),
        )
        for w in PackageWard.iter_all()
    ]


def divisions_load(province_model: "type[Province]", commune_model: "type[Commune]") -> tuple[int, int]:
    """Insert every province and commune of the package into empty tables; answer the counts."""
    provinces = province_model.objects.bulk_create(
        [province_model(**asdict(row)) for row in package_provinces()]
    )
    province_ids = dict(province_model.objects.values_list("code", "id"))
    communes = commune_model.objects.bulk_create(
        [
            commune_model(
                code=row.code,
                name=row.name,
                codename=row.codename,
                division_type=row.division_type,
                province_id=province_ids[row.province_code],
            )
            for row in package_communes()
        ],
        batch_size=500,
    )
    return len(provinces), len(communes)


def divisions_unload(province_model: "type[Province]", commune_model: "type[Commune]") -> None:
    """Remove the provinces and communes that `divisions_load` inserted (matched by code)."""
    commune_model.objects.filter(code__in=[row.code for row in package_communes()]).delete()
    province_model.objects.filter(code__in=[row.code for row in package_provinces()]).delete()


def _sync_by_code(model: type[models.Model], rows: list[dict[str, Any]], fields: list[str]) -> SyncCounts:
    """Insert rows whose code is new, update those whose fields differ, leave the rest alone."""
    existing = {obj.code: obj for obj in model._default_manager.all()}  # type: ignore[attr-defined]
    wanted = {row["code"] for row in rows}
    to_create: list[models.Model] = []
    to_update: list[models.Model] = []
    now = timezone.now()
    for row in rows:
        obj = existing.get(row["code"])
        if obj is None:
            to_create.append(model(**row))
            continue
        changed = [field for field in fields if getattr(obj, field) != row[field]]
        if changed:
            for field in changed:
                setattr(obj, field, row[field])
            # bulk_update does not run auto_now, so the update time is set here.
            obj.updated_at = now  # type: ignore[attr-defined]
            to_update.append(obj)
    model._default_manager.bulk_create(to_create, batch_size=500)
    model._default_manager.bulk_update(to_update, [*fields, "updated_at"], batch_size=500)
    return SyncCounts(
        created=len(to_create),
        updated=len(to_update),
        unchanged=len(rows) - len(to_create) - len(to_update),
        not_in_source=len(set(existing) - wanted),
    )


def divisions_sync(
    province_model: "type[Province]", commune_model: "type[Commune]"
) -> tuple[SyncCounts, SyncCounts]:
    """Bring provinces and communes in line with the package, matching rows by code; safe to repeat."""
    province_counts = _sync_by_code(
        province_model,
        [asdict(row) for row in package_provinces()],
        ["name", "codename", "division_type"],
    )
    province_ids = dict(province_model.objects.values_list("code", "id"))
    commune_counts = _sync_by_code(
        commune_model,
        [
            {
                "code": row.code,
                "name": row.name,
                "codename": row.codename,
                "division_type": row.division_type,
                "province_id": province_ids[row.province_code],
            }
            for row in package_communes()
        ],
        ["name", "codename", "division_type", "province_id"],
    )
    return province_counts, commune_counts


def _read_csv(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _rows_naming_provinces(
    province_model: "type[Province]", path: Path, column: str
) -> tuple[list[dict[str, str]], dict[str, Any]]:
    """The CSV's rows and the province ids by codename; refuses a file naming an unknown province."""
    province_ids = dict(province_model.objects.values_list("codename", "id"))
    rows = list(_read_csv(path))
    unknown = sorted({row[column] for row in rows} - set(province_ids))
    if unknown:
        raise ValueError(f"{path.name}: unknown {column} value(s): {', '.join(unknown)}")
    return rows, province_ids


def former_provinces_load(
    former_province_model: "type[FormerProvince]",
    province_model: "type[Province]",
    path: Path = FORMER_PROVINCES_CSV,
) -> int:
    """Insert the pre-2025 provinces, each linked to the province that absorbed it."""
    rows, province_ids = _rows_naming_provinces(province_model, path, "successor_codename")
    created = former_province_model.objects.bulk_create(
        [
            former_province_model(
                code=row["code"],
                name=row["name"],
                successor_id=province_ids[row["successor_codename"]],
            )
            for row in rows
        ]
    )
    return len(created)


def former_provinces_unload(
    former_province_model: "type[FormerProvince]", path: Path = FORMER_PROVINCES_CSV
) -> None:
    former_province_model.objects.filter(code__in=[row["code"] for row in _read_csv(path)]).delete()


def border_gates_load(
    border_gate_model: "type[BorderGate]",
    province_model: "type[Province]",
    path: Path = BORDER_GATES_CSV,
) -> int:
    """Insert the border gates, each in its post-2025 province."""
    rows, province_ids = _rows_naming_provinces(province_model, path, "province_codename")
    created = border_gate_model.objects.bulk_create(
        [
            border_gate_model(
                code=row["code"],
                name=row["name"],
                province_id=province_ids[row["province_codename"]],
                kind=row["kind"],
                neighbour_country=row["neighbour_country"],
            )
            for row in rows
        ]
    )
    return len(created)


def border_gates_unload(border_gate_model: "type[BorderGate]", path: Path = BORDER_GATES_CSV) -> None:
    border_gate_model.objects.filter(code__in=[row["code"] for row in _read_csv(path)]).delete()
