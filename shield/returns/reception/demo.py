"""Demo data of the reception part."""

from typing import Any, TextIO


def load(*, options: dict[str, Any], out: TextIO) -> None:
    pass
