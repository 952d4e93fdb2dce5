from __future__ import annotations

import datetime as dt

import pytest

from dprkhr.dates import DateError, PartialDate


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31), "year"),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29), "month"),
        ("2023-02", dt.date(2023, 2, 1), dt.date(2023, 2, 28), "month"),
        ("2023-08-17", dt.date(2023, 8, 17), dt.date(2023, 8, 17), "day"),
    ],
)
def test_partial_dates_are_intervals(text: str, start: dt.date, end: dt.date, precision: str):
    date = PartialDate(text)
    assert (date.start, date.end, date.precision) == (start, end, precision)
    assert str(date) == text


@pytest.mark.parametrize(
    "text", ["2023-02-30", "2023-13", "2023-00-10", "23-01-01", "2023/01/01", "2023-1-5", "", "x"]
)
def test_invalid_dates_are_refused(text: str):
    with pytest.raises(DateError):
        PartialDate(text)


def test_leap_day():
    assert PartialDate("2024-02-29").day == 29
    with pytest.raises(DateError, match="28 days"):
        PartialDate("2023-02-29")


@pytest.mark.parametrize(
    ("record", "since", "until", "expected"),
    [
        ("2024-03", "2024-03-15", None, True),  # a month overlaps a day inside it
        ("2023-12-31", None, "2023", True),  # --until 2023 includes 31 December
        ("2024-01-01", None, "2023", False),
        ("2023", "2023-06", "2023-06", True),
        ("2022-12", "2023", None, False),
        ("2023-08-17", "2023-08-17", "2023-08-17", True),
    ],
)
def test_overlap(record: str, since: str | None, until: str | None, expected: bool):
    s = PartialDate(since) if since else None
    u = PartialDate(until) if until else None
    assert PartialDate(record).overlaps(s, u) is expected


def test_ordering_is_chronological_with_mixed_precision():
    dates = [PartialDate(t) for t in ("2024-03-12", "2024", "2023-12", "2024-03")]
    assert [str(d) for d in sorted(dates)] == ["2023-12", "2024", "2024-03", "2024-03-12"]


def test_coerce_accepts_a_bare_year_but_not_booleans():
    assert PartialDate.coerce(2013).text == "2013"
    with pytest.raises(DateError):
        PartialDate.coerce(True)
