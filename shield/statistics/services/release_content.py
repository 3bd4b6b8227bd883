"""What a frozen release holds, its canonical form and hash, and what it tells later protections.

`content_of(report)` keeps, per table, each cell's printed value and status, and the published
number only for a published cell; for the audit each suppressed cell's interval and required
width, never its true value (see `models.releases` for why). `content_hash` is the SHA-256 of the
canonical JSON (sorted keys, no spaces, UTF-8) of the content with the release's period, titles and
the release it replaces, so changing any of them — through the ORM, a dump or by hand — is detected
when the release is downloaded (`verify`).
"""

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from shield.statistics import disclosure, reports
from shield.statistics.reports import Report

FORMAT = 1
PUBLISHED = "published"


def content_of(report: Report) -> dict[str, Any]:
    tables: list[dict[str, Any]] = []
    for protected in report.protection.tables:
        table = protected.table
        cells = []
        for key in table.keys():  # noqa: SIM118 (Table.keys: every cell, margins included)
            cell: dict[str, Any] = {
                "key": list(key),
                "status": str(protected.status[key]),
                "display": protected.display(key),
            }
            printed = protected.printed(key)
            if printed is not None:
                cell["value"] = printed
            cells.append(cell)
        tables.append(
            {
                "indicator": table.indicator,
                "unit": table.unit,
                "period": table.period,
                "dimensions": list(table.dimensions),
                "categories": [list(c) for c in table.categories],
                "additive": list(table.additive),
                "cells": cells,
            }
        )
    # The audit without `value`: a suppressed cell's true value never enters the release.
    audit = [
        {
            "table": row.table,
            "key": list(row.key),
            "status": str(row.status),
            "lower": row.lower,
            "upper": row.upper,
            "required_width": row.required,
            "ok": bool(row.ok),
        }
        for row in report.audit
    ]
    return {
        "format": FORMAT,
        "period": report.period,
        "threshold": report.protection.threshold,
        "protection": report.protection.protection,
        "method": report.protection.method,
        "specs": [reports.spec_as_dict(spec) for spec in report.specs],
        "tables": tables,
        "audit": audit,
        "audit_ok": report.audit_ok,
    }


def canonical(document: Mapping[str, Any]) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def hashed_document(
    *, period: str, title_vi: str, title_en: str, replaces: str | None, content: Mapping[str, Any]
) -> dict[str, Any]:
    return {
        "period": period,
        "title_vi": title_vi,
        "title_en": title_en,
        "replaces": replaces,
        "content": content,
    }


def content_hash(document: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(document)).hexdigest()


def published_tables(contents: Iterable[Mapping[str, Any]]) -> list[disclosure.PublishedTable]:
    """What earlier releases published, as `disclosure.protect(published=...)` reads it: the
    printed figure of each published cell, None for a suppressed one."""
    found: list[disclosure.PublishedTable] = []
    for content in contents:
        for table in content.get("tables", []):
            values: dict[tuple[str, ...], int | None] = {}
            for cell in table["cells"]:
                key = tuple(cell["key"])
                values[key] = cell["value"] if cell["status"] == PUBLISHED else None
            shape = disclosure.Shape(
                indicator=table["indicator"],
                unit=table["unit"],
                period=table["period"],
                dimensions=tuple(table["dimensions"]),
                categories=tuple(tuple(c) for c in table["categories"]),
                additive=tuple(bool(a) for a in table["additive"]),
            )
            found.append(disclosure.PublishedTable(shape=shape, values=values))
    return found
