"""Charts: Vega-Lite specifications, drawn to SVG on the server (vl-convert) and embedded inline.

The page's Content-Security-Policy allows no inline script, so the browser receives a finished
`<svg>` (no Vega runtime); WeasyPrint prints the same SVG in the PDF report. A chart is
decoration: its table beside it is the truth (screen readers read the table; the SVG is
`aria-hidden`). Suppressed cells are not drawn (no value), so a chart never shows more than the
table does.

Rendering costs tens of milliseconds (the first call in a process about half a second, while
vl-convert starts its engine): the SVG is cached (Django's cache) by the SHA-256 of the
specification, so a page drawn again with the same figures draws nothing. Labels go into the
specification as data and vl-convert writes them as escaped text; `sanitize` still refuses any
SVG that carries a script, an event handler, a foreign object or an outside reference.
"""

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
CACHE_PREFIX = "statistics:svg:"
CACHE_SECONDS = 24 * 3600
WIDTH = 520
HEIGHT = 220
BAR_STEP = 18
# Colour-blind-safe (Okabe-Ito) pair: Shield's own figures, then the published ones.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7")
FONT = "DejaVu Sans, Noto Sans, Arial, sans-serif"


class UnsafeSvg(ValueError):
    """The renderer produced markup that could run or fetch something; it is not shown."""


@dataclass(frozen=True)
class SeriesPoint:
    period: str  # the label shown on the axis, e.g. "2025" or "Q3 2025"
    value: int | None  # None: suppressed or not published — not drawn
    low: int | None = None  # lower end of the range when the count is uncertain
    source: str = ""  # which series (e.g. "Shield" / "UNODC GLOTIP")


@dataclass(frozen=True)
class Bar:
    category: str
    value: int | None  # None: suppressed — not drawn


def _config() -> dict[str, Any]:
    return {
        "font": FONT,
        "view": {"stroke": None},
        "axis": {"labelFontSize": 11, "titleFontSize": 11, "grid": True, "gridColor": "#eee"},
        "legend": {"labelFontSize": 11, "titleFontSize": 11, "orient": "bottom"},
        "background": "white",
        "aria": False,
    }


def time_series_spec(points: Sequence[SeriesPoint], *, value_title: str, period_title: str) -> dict[str, Any]:
    """A line per source over the periods in the order given; the range low to value as a band."""
    sources = list(dict.fromkeys(p.source for p in points))
    order = list(dict.fromkeys(p.period for p in points))
    values = [
        {
            "period": p.period,
            "value": p.value,
            "low": p.low if p.low is not None else p.value,
            "source": p.source,
        }
        for p in points
        if p.value is not None
    ]
    x = {
        "field": "period",
        "type": "ordinal",
        "sort": order,
        "title": period_title,
        "axis": {"labelAngle": 0},
    }
    colour = {
        "field": "source",
        "type": "nominal",
        "title": None,
        "scale": {"domain": sources, "range": list(COLOURS[: len(sources)])},
        "legend": {} if len(sources) > 1 else None,
    }
    return {
        "$schema": SCHEMA,
        "width": WIDTH,
        "height": HEIGHT,
        "data": {"values": values},
        "encoding": {"x": x, "color": colour},
        "layer": [
            {
                "mark": {"type": "rule", "strokeWidth": 3, "opacity": 0.35},
                "encoding": {"y": {"field": "low", "type": "quantitative"}, "y2": {"field": "value"}},
            },
            {
                "mark": {"type": "line", "point": True},
                "encoding": {
                    "y": {"field": "value", "type": "quantitative", "title": value_title},
                },
            },
        ],
        "config": _config(),
    }


def bar_spec(bars: Sequence[Bar], *, value_title: str, category_title: str) -> dict[str, Any]:
    """Horizontal bars in the order given (the categories' display order)."""
    order = [b.category for b in bars]
    values = [{"category": b.category, "value": b.value} for b in bars if b.value is not None]
    return {
        "$schema": SCHEMA,
        "width": WIDTH - 160,
        "height": {"step": BAR_STEP},
        "data": {"values": values},
        "mark": {"type": "bar", "color": COLOURS[0]},
        "encoding": {
            "y": {"field": "category", "type": "nominal", "sort": order, "title": category_title},
            "x": {"field": "value", "type": "quantitative", "title": value_title},
        },
        "config": _config(),
    }


def spec_key(spec: dict[str, Any]) -> str:
    canonical = json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


_FORBIDDEN = re.compile(
    r"<\s*(script|foreignObject|iframe|object|embed|image|use)\b|\son[a-z]+\s*=|javascript:|(?:xlink:)?href\s*=\s*[\"'](?!#)",
    re.IGNORECASE,
)


def sanitize(svg: str) -> str:
    """The SVG, hidden from screen readers (the table beside it is read instead); UnsafeSvg when it
    carries anything that could run or fetch."""
    text = svg.strip()
    if text.startswith("<?xml"):
        text = text[text.index("?>") + 2 :].lstrip()
    if not text.startswith("<svg"):
        raise UnsafeSvg("not an SVG document")
    if _FORBIDDEN.search(text):
        raise UnsafeSvg("the SVG carries a script, a handler or an outside reference")
    return text.replace("<svg ", '<svg aria-hidden="true" focusable="false" role="presentation" ', 1)


def render(spec: dict[str, Any]) -> str:
    """The spec drawn as SVG (uncached)."""
    import vl_convert

    return sanitize(vl_convert.vegalite_to_svg(spec))


def svg(spec: dict[str, Any]) -> SafeString:
    """The spec as inline SVG markup, from the cache when the same spec was drawn before (only
    `render`, which sanitises, writes there)."""
    key = CACHE_PREFIX + spec_key(spec)
    cached = cache.get(key)
    if cached is None:
        cached = render(spec)
        cache.set(key, cached, CACHE_SECONDS)
    return mark_safe(cached)  # noqa: S308 - drawn by vl-convert from data, checked by sanitize
