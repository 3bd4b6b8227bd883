"""Reporting periods: a year ("2025"), a quarter ("2025-Q3") or a month ("2025-07").

Dates are calendar days in Viet Nam (Asia/Ho_Chi_Minh, the project's TIME_ZONE): a tip received at
23:30 on 31 December local time belongs to that year even though it is 16:30 UTC.
"""

import calendar
import datetime
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
FIRST_YEAR = 1990
LAST_YEAR = 2100

_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?:Q(?P<quarter>[1-4])|(?P<month>0[1-9]|1[0-2])))?$")

YEAR = "year"
QUARTER = "quarter"
MONTH = "month"


@dataclass(frozen=True, order=True)
class Period:
    """One year, quarter or month. Build it with `Period.parse`."""

    year: int
    kind: str = YEAR
    number: int = 0  # the quarter (1-4) or month (1-12); 0 for a year

    @classmethod
    def parse(cls, text: str) -> "Period":
        """ "2025", "2025-Q3" or "2025-07"; anything else is a ValueError saying what is expected."""
        match = _PATTERN.match((text or "").strip())
        if match is None:
            raise ValueError(
                _("Not a period: “%(text)s”. Give a year (2025), a quarter (2025-Q3) or a month (2025-07).")
                % {"text": text}
            )
        year = int(match["year"])
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(
                _("The year %(year)s is out of range (%(first)s to %(last)s).")
                % {"year": year, "first": FIRST_YEAR, "last": LAST_YEAR}
            )
        if match["quarter"]:
            return cls(year, QUARTER, int(match["quarter"]))
        if match["month"]:
            return cls(year, MONTH, int(match["month"]))
        return cls(year)

    @property
    def code(self) -> str:
        if self.kind == QUARTER:
            return f"{self.year}-Q{self.number}"
        if self.kind == MONTH:
            return f"{self.year}-{self.number:02d}"
        return f"{self.year}"

    def __str__(self) -> str:
        return self.code

    @property
    def start(self) -> datetime.date:
        if self.kind == QUARTER:
            return datetime.date(self.year, 3 * self.number - 2, 1)
        if self.kind == MONTH:
            return datetime.date(self.year, self.number, 1)
        return datetime.date(self.year, 1, 1)

    @property
    def end(self) -> datetime.date:
        """The last day of the period (inclusive)."""
        if self.kind == QUARTER:
            last_month = 3 * self.number
            return datetime.date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])
        if self.kind == MONTH:
            return datetime.date(self.year, self.number, calendar.monthrange(self.year, self.number)[1])
        return datetime.date(self.year, 12, 31)

    @property
    def start_at(self) -> datetime.datetime:
        """The first instant of the period in Viet Nam."""
        return datetime.datetime.combine(self.start, datetime.time(), tzinfo=ZONE)

    @property
    def end_before(self) -> datetime.datetime:
        """The first instant after the period in Viet Nam (timestamps are `< end_before`)."""
        return datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time(), tzinfo=ZONE)

    def label(self, language: str = "vi") -> str:
        if language.startswith("vi"):
            if self.kind == QUARTER:
                return f"Quý {self.number}/{self.year}"
            if self.kind == MONTH:
                return f"Tháng {self.number:02d}/{self.year}"
            return f"Năm {self.year}"
        if self.kind == QUARTER:
            return f"Q{self.number} {self.year}"
        if self.kind == MONTH:
            return f"{calendar.month_name[self.number]} {self.year}"
        return f"{self.year}"

    def months(self) -> list["Period"]:
        first = self.start.month
        last = self.end.month
        return [Period(self.year, MONTH, m) for m in range(first, last + 1)]

    def quarters(self) -> list["Period"]:
        if self.kind == MONTH:
            return [Period(self.year, QUARTER, (self.number - 1) // 3 + 1)]
        first = (self.start.month - 1) // 3 + 1
        last = (self.end.month - 1) // 3 + 1
        return [Period(self.year, QUARTER, q) for q in range(first, last + 1)]


def parse(text: str) -> Period:
    return Period.parse(text)
