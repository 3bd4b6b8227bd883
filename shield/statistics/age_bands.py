"""Age groups statistics cut by, in one place for the counting and the HTCDS export (pure Python).

UNODC's GLOTIP groups: children (0-17) and adults (18+). CTDC's bands come from its public
k-anonymised microdata: (code, lowest age, highest age or None for open-ended).
"""

CHILD = "0-17"
ADULT = "18+"

CTDC_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0-8", 0, 8),
    ("9-17", 9, 17),
    ("18-20", 18, 20),
    ("21-23", 21, 23),
    ("24-26", 24, 26),
    ("27-29", 27, 29),
    ("30-38", 30, 38),
    ("39-47", 39, 47),
    ("48+", 48, None),
)
