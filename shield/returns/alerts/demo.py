"""Demo data of the alerts part."""

from typing import Any, TextIO


def load(*, options: dict[str, Any], out: TextIO) -> None:
    pass
