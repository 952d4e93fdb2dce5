"""Event and date rules (codes 4xx)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from dprkhr.dataset import LoadedFile
from dprkhr.dates import PartialDate
from dprkhr.lint.base import FileEnv, Finding, Rule
from dprkhr.models import Actor, Event, Record, Resolution, Source
from dprkhr.problems import Severity
from dprkhr.yamlio import Path_


class EndBeforeStart(Rule):
    """An event's `end_date` is not before its `date`.

    Fails:
        # data/events/2024-11-07-upr-review.yaml
        id: 2024-11-07-upr-review
        date: "2024-11-07"
        end_date: "2024-11-06"
        type: review
        title: Fourth Universal Periodic Review of the DPRK
        sources:
          - source: ijks-2024-un-and-nk-human-rights

    Passes:
        # data/events/2024-11-07-upr-review.yaml
        id: 2024-11-07-upr-review
        date: "2024-11-07"
        type: review
        title: Fourth Universal Periodic Review of the DPRK
        sources:
          - source: ijks-2024-un-and-nk-human-rights
    """

    code = "DPK401"
    name = "end-before-start"
    summary = "an event ends before it starts"

    def check_file(self, loaded: LoadedFile, env: FileEnv) -> Iterator[Finding]:
        record = loaded.record
        if (
            isinstance(record, Event)
            and record.end_date is not None
            and record.end_date.end < record.date.start
        ):
            yield Finding(
                ("end_date",),
                f"`end_date` {record.end_date} is before `date` {record.date}",
                "swap the two dates, or correct one of them",
            )


def _dates(record: Record) -> Iterator[tuple[Path_, PartialDate]]:
    if isinstance(record, Event):
        yield ("date",), record.date
        if record.end_date:
            yield ("end_date",), record.end_date
    elif isinstance(record, Resolution) and record.date:
        yield ("date",), record.date
    elif isinstance(record, Source) and record.published:
        yield ("published",), record.published
    elif isinstance(record, Actor):
        for i, role in enumerate(record.roles):
            if role.start:
                yield ("roles", i, "start"), role.start
            if role.end:
                yield ("roles", i, "end"), role.end


class FutureDate(Rule):
    """A date lies in the future (a warning).

    The knowledge base records what has happened. A future date is usually a typo
    (`2032` for `2023`); a scheduled event can suppress the warning with
    `lint: {ignore: [DPK402]}`.

    Fails:
        # data/events/2032-08-17-unsc-briefing.yaml
        id: 2032-08-17-unsc-briefing
        date: "2032-08-17"
        type: briefing
        title: Security Council briefing on human rights in the DPRK
        sources:
          - source: ijks-2024-un-and-nk-human-rights

    Passes:
        # data/events/2023-08-17-unsc-briefing.yaml
        id: 2023-08-17-unsc-briefing
        date: "2023-08-17"
        type: briefing
        title: Security Council briefing on human rights in the DPRK
        sources:
          - source: ijks-2024-un-and-nk-human-rights
    """

    code = "DPK402"
    name = "future-date"
    summary = "a date is in the future"
    severity = Severity.warning

    def check_file(self, loaded: LoadedFile, env: FileEnv) -> Iterator[Finding]:
        for loc, date in self.dates_after(loaded, env.today):
            yield Finding(loc, *self.report(str(date), env.today))

    @staticmethod
    def dates_after(loaded: LoadedFile, day: dt.date) -> Iterator[tuple[Path_, PartialDate]]:
        """The record's dates that start after `day`. A cached run keeps those after the
        day it read the file, and decides with `report` on the day of each run."""
        if loaded.record is not None:
            for loc, date in _dates(loaded.record):
                if date.start > day:
                    yield loc, date

    @staticmethod
    def report(date: str, today: dt.date) -> tuple[str, str]:
        """The message and suggestion for a date in the future."""
        return (
            f"{date} is in the future (today is {today.isoformat()})",
            "check the year; for a scheduled event add `lint: {ignore: [DPK402]}`",
        )
