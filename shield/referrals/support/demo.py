"""Demo data of the support part, loaded by shield/referrals/demo.py."""

from typing import Any, TextIO


def load(*, options: dict[str, Any], out: TextIO) -> None:
    return None
