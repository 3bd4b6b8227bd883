"""The population table: reading an uploaded CSV (every bad row with its line number), storing it
as a new version (all or nothing, or the good rows only: the uploader chooses), and the figures in
force for a year.

CSV columns (a header line first, any order): `year, province, sex, age_group, count`.
- `province`: the 2025 province code (`01`, `79`), empty for the whole country;
- `sex`: `_T` (total), `F`, `M` (or Total / Female / Male);
- `age_group`: `_T` (all ages), `Y0T17`, `Y_GE18` (or 0-17 / 18+);
- `count`: the resident population, a whole number above zero.

Who uploads: holders of `statistics.export` (statisticians, who make the rate exports) or of
`accounts.manage_system` (system administrators). Holders of `statistics.view` may see the table.
"""

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from shield.accounts.models import User
from shield.accounts.policy import has_permission
from shield.audit.models import AuditAction
from shield.audit.services import record
from shield.core.errors import PermissionRefused, ValidationFailed
from shield.geo.models import Province
from shield.statistics.models import PopulationFigure, PopulationUpload
from shield.statistics.tables import TOTAL

UPLOAD_PERMISSIONS = ("statistics.export", "accounts.manage_system")
VIEW_PERMISSIONS = ("statistics.view", "accounts.manage_system")
COLUMNS = ("year", "province", "sex", "age_group", "count")
MAX_ROWS = 20_000
MAX_BYTES = 2_000_000
MAX_ERRORS_SHOWN = 200
ON_ERROR_NOTHING = "nothing"
ON_ERROR_VALID_ROWS = "valid_rows"

_SEXES = {"_t": TOTAL, "total": TOTAL, "f": "F", "female": "F", "m": "M", "male": "M"}
_AGES = {
    "_t": TOTAL,
    "total": TOTAL,
    "y0t17": "Y0T17",
    "0-17": "Y0T17",
    "y_ge18": "Y_GE18",
    "18+": "Y_GE18",
}

# (province code or "" for national, sex, age group) -> population
Figures = dict[tuple[str, str, str], int]


def may_upload(user: Any) -> bool:
    return any(has_permission(user, p) for p in UPLOAD_PERMISSIONS)


def may_view(user: Any) -> bool:
    return any(has_permission(user, p) for p in VIEW_PERMISSIONS)


@dataclass(frozen=True)
class RowError:
    line: int
    message: str


@dataclass
class Parsed:
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def parse(text: str) -> Parsed:
    """Every row checked; each bad one reported with its line number (the header is line 1)."""
    result = Parsed()
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        result.errors.append(
            RowError(
                1,
                _("The header must name the columns %(columns)s; missing: %(missing)s.")
                % {"columns": ", ".join(COLUMNS), "missing": ", ".join(missing)},
            )
        )
        return result
    provinces = dict(Province.objects.values_list("code", "pk"))
    seen: dict[tuple[int, str, str, str], int] = {}
    for number, raw in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            result.errors.append(RowError(number, _("A file may hold at most %(n)s rows.") % {"n": MAX_ROWS}))
            break
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k is not None}
        if not any(row.values()):
            continue
        problems: list[str] = []
        year = row.get("year", "")
        if not (year.isdigit() and 1900 <= int(year) <= 2100):
            problems.append(_("year must be a year such as 2025"))
        province = row.get("province", "")
        if province.isdigit() and len(province) < 2:
            province = province.zfill(2)
        if province and province not in provinces:
            problems.append(_("no province has the code %(code)s") % {"code": province[:10]})
        sex = _SEXES.get(row.get("sex", "").lower())
        if sex is None:
            problems.append(_("sex must be _T, F or M"))
        age = _AGES.get(row.get("age_group", "").lower())
        if age is None:
            problems.append(_("age_group must be _T, Y0T17 or Y_GE18"))
        count = row.get("count", "").replace(",", "").replace(" ", "")
        if not (count.isdigit() and 0 < int(count) < 10**10):
            problems.append(_("count must be a whole number above zero"))
        if not problems:
            key = (int(year), province, str(sex), str(age))
            if key in seen:
                problems.append(_("the same figure is already on line %(line)s") % {"line": seen[key]})
            else:
                seen[key] = number
        if problems:
            result.errors.append(RowError(number, "; ".join(problems)))
            continue
        result.rows.append(
            {
                "year": int(year),
                "province_id": provinces[province] if province else None,
                "sex": sex,
                "age_group": age,
                "count": int(count),
            }
        )
    return result


def describe(errors: list[RowError]) -> list[str]:
    """The row errors as the page lists them ("line 7: ..."), the first MAX_ERRORS_SHOWN."""
    shown = [
        _("line %(line)s: %(problem)s") % {"line": e.line, "problem": e.message}
        for e in errors[:MAX_ERRORS_SHOWN]
    ]
    if len(errors) > MAX_ERRORS_SHOWN:
        shown.append(_("… and %(n)s more rows with errors.") % {"n": len(errors) - MAX_ERRORS_SHOWN})
    return shown


@transaction.atomic
def population_upload(
    *, actor: User, text: str, source: str, filename: str = "", on_error: str = ON_ERROR_NOTHING
) -> tuple[PopulationUpload, Parsed]:
    """Store the file as the next version; refuse it whole (with every row error) unless the
    uploader chose to import the good rows only."""
    if not may_upload(actor):
        raise PermissionRefused()
    if not source.strip():
        raise ValidationFailed(field_errors={"source": [_("Say where the figures come from.")]})
    parsed = parse(text)
    if parsed.errors and (on_error != ON_ERROR_VALID_ROWS or not parsed.rows):
        raise ValidationFailed(
            _("Nothing was imported: %(n)s rows have errors.") % {"n": len(parsed.errors)},
            field_errors={"file": describe(parsed.errors)},
        )
    if not parsed.rows:
        raise ValidationFailed(field_errors={"file": [_("The file holds no figures.")]})
    number = (PopulationUpload.objects.select_for_update().aggregate(m=Max("number"))["m"] or 0) + 1
    upload = PopulationUpload.objects.create(
        number=number,
        source=source.strip()[:200],
        filename=filename[:200],
        years=sorted({r["year"] for r in parsed.rows}),
        row_count=len(parsed.rows),
        skipped_rows=len(parsed.errors),
        uploaded_by=actor,
    )
    PopulationFigure.objects.bulk_create(PopulationFigure(upload=upload, **row) for row in parsed.rows)
    record(
        action=AuditAction.IMPORT,
        actor=actor,
        obj=upload,
        details={
            "rows": upload.row_count,
            "skipped": upload.skipped_rows,
            "years": upload.years,
            "version": number,
        },
    )
    return upload, parsed


def upload_in_force(year: int) -> PopulationUpload | None:
    """The newest upload holding figures for `year` (None: no population for that year)."""
    return PopulationUpload.objects.filter(figures__year=year).order_by("-number").first()


def figures_for(year: int) -> tuple[PopulationUpload | None, Figures]:
    upload = upload_in_force(year)
    if upload is None:
        return None, {}
    rows = PopulationFigure.objects.filter(upload=upload, year=year).values_list(
        "province__code", "sex", "age_group", "count"
    )
    return upload, {(code or "", sex, age): count for code, sex, age, count in rows}


def upload_list() -> list[PopulationUpload]:
    """The uploads, newest first (capped: a page never lists more than 50)."""
    return list(PopulationUpload.objects.select_related("uploaded_by").order_by("-number")[:50])


def national(figures: Mapping[tuple[str, str, str], int], sex: str, age: str) -> int | None:
    return figures.get(("", sex, age))
