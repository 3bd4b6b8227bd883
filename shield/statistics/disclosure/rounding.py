"""OpenSAFELY-style rounding: counts up to 7 suppressed, every other count rounded to the nearest 5.

Rounded tables do not add up: each cell and each margin is rounded on its own, so a margin may
differ from the sum of its printed categories by a few units (that is the point: the exact values
cannot be recovered by subtraction). Zeros stay 0.
"""

ROUNDING_BASE = 5
ROUNDING_SUPPRESS_AT_MOST = 7


def round_count(value: int, base: int = ROUNDING_BASE) -> int:
    """The nearest multiple of `base` (so 12 -> 10, 13 -> 15, 15 -> 15)."""
    return ((value + base // 2) // base) * base
