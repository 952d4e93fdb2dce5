"""Partial ISO dates (`2024`, `2024-03`, `2024-03-12`) that behave as intervals."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import total_ordering
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic.json_schema import JsonSchemaValue
    from pydantic_core import CoreSchema

_DATE_RE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
"""The shape of a partial date (matched whole, ASCII digits only); `DATE_PATTERN` is exact."""

_YEAR = r"(?:1[89]|[2-9][0-9])[0-9]{2}"
_LEAP = r"(?:(?:1[89]|[2-9][0-9])(?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[3579][26])00)"
DATE_PATTERN = (
    rf"^(?:{_YEAR}(?:-(?:0[1-9]|1[0-2])"
    r"|-(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])"
    r"|-(?:0[13-9]|1[0-2])-(?:29|30)"
    r"|-(?:0[13578]|1[02])-31)?"
    rf"|{_LEAP}-02-29)$"
)
"""Exactly the dates `PartialDate` accepts (years 1800-9999, real days, leap years), as a
regular expression that means the same in Python and ECMAScript (JSON Schema `pattern`)."""
MIN_YEAR, MAX_YEAR = 1800, 9999


_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _days_in_month(year: int, month: int) -> int:
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS[month - 1]


class DateError(ValueError):
    """A string that is not a valid partial date."""


@total_ordering
class PartialDate:
    """A date known to the year, the month or the day.

    A partial date stands for an interval: ``2024-03`` is 1 to 31 March 2024. Ordering
    compares the start of the interval, then its length (so ``2024`` sorts before
    ``2024-01-01``), which gives a stable chronological sort for mixed precisions.
    """

    __slots__ = ("_end", "_start", "day", "month", "text", "year")

    def __init__(self, text: str) -> None:
        match = _DATE_RE.fullmatch(text)
        if not match:
            raise DateError("not a date; use YYYY, YYYY-MM or YYYY-MM-DD")
        year = int(match.group(1))
        month = int(match.group(2)) if match.group(2) else None
        day = int(match.group(3)) if match.group(3) else None
        if year < MIN_YEAR:
            raise DateError(f"year {year} is out of range")
        if month is not None and not 1 <= month <= 12:
            raise DateError(f"month {month} does not exist")
        if day is not None:
            assert month is not None
            last = _days_in_month(year, month)
            if not 1 <= day <= last:
                raise DateError(f"{calendar.month_name[month]} {year} has {last} days, not {day}")
        self.text = text
        self.year = year
        self.month = month
        self.day = day
        if day is not None:
            self._start = self._end = dt.date(year, month or 1, day)
        elif month is not None:
            self._start = dt.date(year, month, 1)
            self._end = dt.date(year, month, _days_in_month(year, month))
        else:
            self._start = dt.date(year, 1, 1)
            self._end = dt.date(year, 12, 31)

    @classmethod
    def coerce(cls, value: object) -> PartialDate:
        """Build from a string (surrounding spaces dropped: for command-line options), a bare
        year (YAML reads `2024` as a number) or a date."""
        if isinstance(value, str):
            return cls(value.strip())
        return cls.from_data(value)

    @classmethod
    def from_data(cls, value: object) -> PartialDate:
        """Build from a value read from a record file, exactly as the JSON Schema allows: a
        string `YYYY`, `YYYY-MM` or `YYYY-MM-DD` as written, or a bare year as an integer."""
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, bool):
            raise DateError("not a date; use YYYY, YYYY-MM or YYYY-MM-DD")
        if isinstance(value, int):
            if not MIN_YEAR <= value <= MAX_YEAR:
                raise DateError(f"year {value} is out of range")
            return cls(f"{value:04d}")
        if isinstance(value, dt.date):
            return cls(value.isoformat()[:10])
        if isinstance(value, str):
            return cls(value)
        raise DateError("not a date; use YYYY, YYYY-MM or YYYY-MM-DD")

    @property
    def precision(self) -> str:
        """`year`, `month` or `day`."""
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    @property
    def start(self) -> dt.date:
        """First day of the interval."""
        return self._start

    @property
    def end(self) -> dt.date:
        """Last day of the interval."""
        return self._end

    def overlaps(self, since: PartialDate | None = None, until: PartialDate | None = None) -> bool:
        """True when this interval meets the interval from `since` to `until` (both inclusive)."""
        if since is not None and self.end < since.start:
            return False
        return not (until is not None and self.start > until.end)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def _key(self) -> tuple[dt.date, dt.date]:
        return (self._start, self._end)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() < other._key()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PartialDate):
            return self.text == other.text
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.text)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"PartialDate({self.text!r})"

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        from pydantic_core import core_schema

        def validate(value: object) -> PartialDate:
            try:
                return cls.from_data(value)
            except DateError as exc:
                raise ValueError(str(exc)) from None

        return core_schema.no_info_plain_validator_function(
            validate,
            serialization=core_schema.plain_serializer_function_ser_schema(str),
            json_schema_input_schema=core_schema.str_schema(pattern=DATE_PATTERN),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "anyOf": [
                {"type": "string", "pattern": DATE_PATTERN},
                {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR},
            ],
            "description": "ISO date at the known precision: YYYY, YYYY-MM or YYYY-MM-DD.",
            "examples": ["2023-08-17", "2023-08", "2023"],
        }


def parse_date(text: str) -> PartialDate:
    """Parse a partial date, raising `DateError` with a readable message."""
    return PartialDate.coerce(text)
