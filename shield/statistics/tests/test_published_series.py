"""Viet Nam's published GLOTIP rows: vendored exactly, read as UNODC wrote them; and the charts'
SVG carries no script."""

import os
from pathlib import Path

import pytest

from shield.statistics import charts, published_series

ROOT = Path(__file__).resolve().parents[3]
SHARED_FILE = "data/unodc_glotip/data_glotip_2025-04-14.csv"


def _shared_file() -> Path | None:
    """`../shared/` beside the repository (or beside a worktree's parent; SHIELD_SHARED_DIR wins)."""
    candidates = [Path(os.environ["SHIELD_SHARED_DIR"])] if os.environ.get("SHIELD_SHARED_DIR") else []
    candidates += [parent / "shared" for parent in ROOT.parents]
    return next((d / SHARED_FILE for d in candidates if (d / SHARED_FILE).is_file()), None)


def test_the_vendored_rows_are_the_shared_files_viet_nam_rows_byte_for_byte() -> None:
    shared = _shared_file()
    if shared is None:
        pytest.skip(f"UNODC's GLOTIP file ../shared/{SHARED_FILE} is not on this machine")
    lines = shared.read_text(encoding="utf-8").splitlines(keepends=True)
    expected = [lines[0], *[line for line in lines[1:] if line.startswith("VNM,")]]

    assert published_series.FILE.read_text(encoding="utf-8").splitlines(keepends=True) == expected
    assert len(expected) == 51  # the header and Viet Nam's 50 rows


def test_the_published_totals_as_unodc_wrote_them() -> None:
    victims = published_series.totals(published_series.DETECTED_VICTIMS)
    convicted = published_series.totals(published_series.PERSONS_CONVICTED)
    prosecuted = published_series.totals(published_series.PERSONS_PROSECUTED)

    assert [p.year for p in victims] == list(range(2007, 2016))
    assert {p.year: p.value for p in victims}[2012] == 1206
    assert {p.year: p.value for p in victims}[2015] == 449
    assert [p.year for p in convicted] == list(range(2007, 2016))
    assert [p.year for p in prosecuted] == list(range(2007, 2012))
    assert published_series.parse_value("<5") is None


def test_labels_are_escaped_and_an_svg_with_a_script_is_refused() -> None:
    spec = charts.bar_spec([charts.Bar('<script>alert(1)</script>"', 3)], value_title="n", category_title="c")

    svg = charts.render(spec)

    assert "<script" not in svg
    assert "&lt;script&gt;" in svg
    assert svg.startswith('<svg aria-hidden="true"')
    for bad in (
        "<svg><script>x</script></svg>",
        '<svg onload="x()"></svg>',
        '<svg><a href="https://e.x/"/></svg>',
    ):
        with pytest.raises(charts.UnsafeSvg):
            charts.sanitize(bad)


def test_the_svg_is_cached_by_its_spec(settings) -> None:
    spec = charts.bar_spec([charts.Bar("Nữ", 3)], value_title="n", category_title="c")
    first = charts.svg(spec)
    from django.core.cache import cache

    assert cache.get(charts.CACHE_PREFIX + charts.spec_key(spec)) == str(first)
    assert charts.svg(spec) == first
