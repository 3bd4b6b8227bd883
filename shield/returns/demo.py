"""Demo data of the returns app: returns and receptions first, then follow-ups, then alerts."""

from typing import Any, TextIO

from shield.returns.alerts import demo as alerts
from shield.returns.followup import demo as followup
from shield.returns.reception import demo as reception


def load(*, options: dict[str, Any], out: TextIO) -> None:
    for part in (reception, followup, alerts):
        part.load(options=options, out=out)
