"""Demo data of the children part, loaded by shield/justice/demo.py."""

from typing import Any, TextIO


def load(*, options: dict[str, Any], out: TextIO) -> None:
    return None
