"""Demo data of the justice app: proceedings and parties first, then the children's interviews and
diversion, then detention."""

from typing import Any, TextIO

from shield.justice.children import demo as children
from shield.justice.detention import demo as detention
from shield.justice.proceedings import demo as proceedings


def load(*, options: dict[str, Any], out: TextIO) -> None:
    for part in (proceedings, children, detention):
        part.load(options=options, out=out)
