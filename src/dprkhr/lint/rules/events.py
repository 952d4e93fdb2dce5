"""Event and date rules (codes 4xx)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from dprkhr.dataset import LoadedFile
from dprkhr.dates import PartialDate
from dprkhr.lint.base import FileEnv, Finding, Rule
from dprkhr.models import Actor, Event, Record, Resolution, Source
from dprkhr.names import normalize
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
            quote: North Korea’s fourth cycle of the Universal Periodic Review in November 2024

    Passes:
        # data/events/2024-11-07-upr-review.yaml
        id: 2024-11-07-upr-review
        date: "2024-11-07"
        type: review
        title: Fourth Universal Periodic Review of the DPRK
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: North Korea’s fourth cycle of the Universal Periodic Review in November 2024
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


_WHAT = r"(meeting|debate|session|briefing|resolution|vote|discussion|hearing|dialogue)s?"
_ABSENCE = re.compile(
    rf"^(no|nothing)( \w+){{0,4}} {_WHAT}\b"
    rf"|^(absence|lack) of( \w+){{0,4}} {_WHAT}\b"
    rf"|\b(held|holds|hold|had|has|have|took|takes) no( \w+){{0,4}} {_WHAT}\b"
    r"|\b(did not|didn t|does not|do not|was not|were not|has not|have not|never|fails? to"
    r"|failed to)( \w+){0,2} (meet|met|held|hold|convene|convened|take place|took place"
    r"|taken place)\b"
)
"""A title that says something did not happen (in folded text): "No Security Council
meeting on DPRK human rights in 2018", "The Council held no debate", "The Council did not
meet", "The session was not held", "The Council fails to hold a meeting". What a title
says an actor did (did not attend, rejected, was denied access) is an event."""


class AbsenceEvent(Rule):
    """An event records something that happened, never an absence.

    "No meeting was held in 2018" is not an event: it has no date of its own, no
    participants and nothing a source reports as having taken place, and it makes the
    forum look active in `timeline --gaps`. Record what a source reports instead (the
    statement or report that notes the absence, dated and attributed to its author),
    and let `timeline --gaps` show the silence. The rule reads the title: one that says
    a meeting, debate, session, resolution or vote did not happen (`No ... meeting`,
    `... held no debate`, `... did not meet`, `... was not held`). An act of not taking
    part ("the DPRK did not attend") is an event; a record the rule misreads can
    suppress it with a reason.

    Fails:
        # data/events/2018-unsc-no-dprk-meeting.yaml
        id: 2018-unsc-no-dprk-meeting
        date: "2018"
        type: other
        forum: UNSC
        title: No Security Council meeting on DPRK human rights in 2018
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: series of summits surrounding the Korean Peninsula in 2018 and 2019

    Passes:
        # data/events/2019-03-12-hrw-statement-hrc40.yaml
        id: 2019-03-12-hrw-statement-hrc40
        date: "2019-03-12"
        type: statement
        forum: HRC
        title: Human Rights Watch notes that the Security Council held no debate in 2018
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: series of summits surrounding the Korean Peninsula in 2018 and 2019
    """

    code = "DPK403"
    name = "absence-event"
    summary = "an event records that something did not happen"

    def check_file(self, loaded: LoadedFile, env: FileEnv) -> Iterator[Finding]:
        record = loaded.record
        if not isinstance(record, Event):
            return
        title = normalize(record.title)
        subject = re.split(r"\b(notes?|noted|says?|said|reports?|reported|finds?|found)\b", title)
        if len(subject) == 1 and _ABSENCE.search(title):
            yield Finding(
                ("title",),
                f"the title says something did not happen ({record.title!r}): an absence "
                "is not an event",
                "record what the source reports instead (the statement or report that notes "
                "the absence, with its date and author); `timeline --gaps` shows silences",
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
            quote: both addressed the Security Council during the briefing

    Passes:
        # data/events/2023-08-17-unsc-briefing.yaml
        id: 2023-08-17-unsc-briefing
        date: "2023-08-17"
        type: briefing
        title: Security Council briefing on human rights in the DPRK
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: both addressed the Security Council during the briefing
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
