"""Dates as letters write them: "20 July 2004", "July 20, 2004", "20 July" (year implied)."""

import re
from dataclasses import dataclass
from datetime import date

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTH_NAMES = "|".join(_MONTHS)
_DAY_MONTH_YEAR = (
    rf"(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH_NAMES})(?:,?\s+(?P<year>\d{{4}}))?\b"
    rf"|(?P<month2>{_MONTH_NAMES})\s+(?P<day2>\d{{1,2}})(?:,\s*(?P<year2>\d{{4}}))?\b"
)
# ASCII only: under Unicode case folding a long s would match an "s" and name no month.
_DATE = re.compile(rf"\b(?:{_DAY_MONTH_YEAR})", re.IGNORECASE | re.ASCII)
_DISTRIBUTION_DATE = re.compile(
    rf"\bDistr\.?\s*:?\s*[A-Za-z]+\s+(?:{_DAY_MONTH_YEAR})", re.IGNORECASE | re.ASCII
)
_LETTER_DATED = re.compile(rf"\bletters?\s+dated\s+(?:{_DAY_MONTH_YEAR})", re.IGNORECASE | re.ASCII)
# "my letter dated ...", "Distr.: General ...", "Sent: Monday, ..." never date the meeting.
_NOT_THE_MEETING = re.compile(
    r"(?:\bdated|\bDistr\.?\s*:?\s*[A-Za-z]+|\b(?:Sent|Date):\s*(?:[A-Za-z]+,?)?)\s*$",
    re.IGNORECASE,
)
_NOT_THE_MEETING_REACH = 40


@dataclass(frozen=True)
class _DayMonth:
    day: int
    month: int
    year: int | None

    def on(self, year: int) -> date | None:
        try:
            return date(year, self.month, self.day)
        except ValueError:
            return None

    def resolve(self, reference: date | None) -> date | None:
        """The full date; a missing year is the one putting it nearest `reference`."""
        if self.year is not None:
            return self.on(self.year)
        if reference is None:
            return None
        candidates = [d for y in (-1, 0, 1) if (d := self.on(reference.year + y))]
        return min(candidates, key=lambda d: abs((d - reference).days), default=None)


def _day_month(match: re.Match[str]) -> _DayMonth:
    day = match.group("day") or match.group("day2")
    month = (match.group("month") or match.group("month2")).capitalize()
    year = match.group("year") or match.group("year2")
    return _DayMonth(int(day), _MONTHS.index(month) + 1, int(year) if year else None)


def _dates_in(text: str) -> list[_DayMonth]:
    return [
        _day_month(match)
        for match in _DATE.finditer(text)
        if not _NOT_THE_MEETING.search(
            text, max(0, match.start() - _NOT_THE_MEETING_REACH), match.start()
        )
    ]
