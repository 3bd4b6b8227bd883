"""Demo data of the referrals app: the directory first, then referrals, shelter stays, support."""

from typing import Any, TextIO

from shield.referrals.directory import demo as directory
from shield.referrals.lifecycle import demo as lifecycle
from shield.referrals.shelters import demo as shelters
from shield.referrals.support import demo as support


def load(*, options: dict[str, Any], out: TextIO) -> None:
    for part in (directory, lifecycle, shelters, support):
        part.load(options=options, out=out)
