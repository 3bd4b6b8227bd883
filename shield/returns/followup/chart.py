"""The person's reintegration scores over time as server-rendered inline SVG (no JS library):
one line per dimension and a thicker line for the composite, scores 0 to 1 on the vertical axis."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from shield.returns.followup.selectors import ScorePoint

WIDTH, HEIGHT, PAD = 560, 220, 36
SERIES = (
    ("economic", "#1f77b4", 1.5),
    ("social", "#2ca02c", 1.5),
    ("psychosocial", "#9467bd", 1.5),
    ("composite", "#d62728", 3.0),
)


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    colour: str
    width: float
    points: str
    dots: list[tuple[float, float]]


def _labels() -> dict[str, str]:
    return {
        "economic": _("Economic"),
        "social": _("Social"),
        "psychosocial": _("Psychosocial"),
        "composite": _("Composite"),
    }


def lines(series: list[ScorePoint]) -> dict[str, object]:
    """What the template draws: the lines' point lists, the x-axis day labels, the grid."""
    if not series:
        return {"lines": [], "ticks": [], "width": WIDTH, "height": HEIGHT}
    first, last = series[0].day, series[-1].day
    span = max((last - first).days, 1)
    inner_w, inner_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD

    def x(point: ScorePoint) -> float:
        if len(series) == 1:
            return PAD + inner_w / 2
        return round(PAD + inner_w * (point.day - first).days / span, 1)

    def y(value: Decimal) -> float:
        return round(PAD + inner_h * (1 - float(value)), 1)

    names = _labels()
    drawn = []
    for key, colour, width in SERIES:
        dots = [(x(p), y(v)) for p in series if (v := getattr(p, key)) is not None]
        drawn.append(Line(key, names[key], colour, width, " ".join(f"{a},{b}" for a, b in dots), dots))
    ticks = [(x(p), p.day) for p in series]
    grid = [(y(Decimal(v) / 4), f"{v / 4:.2f}") for v in range(5)]
    return {
        "lines": drawn,
        "ticks": ticks,
        "grid": grid,
        "width": WIDTH,
        "height": HEIGHT,
        "left": PAD,
        "right": WIDTH - PAD,
        "bottom": HEIGHT - PAD,
    }
