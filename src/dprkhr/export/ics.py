"""iCalendar (RFC 5545): every event as an all-day VEVENT.

A partial date is shown as the whole interval it stands for: an event known to the month
spans that month, one known to the year spans the year, so that no event is pinned to a
day nobody recorded. The description says which precision the date has.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from dprkhr import __version__
from dprkhr.export.selection import Selection
from dprkhr.gitio import Revision, revisions
from dprkhr.models import Event
from dprkhr.safetext import clean_text

UID_DOMAIN = "dprkhr"
"""UIDs are `<event id>@dprkhr`: stable across exports, so re-importing updates entries."""

_PRECISION = {"day": "", "month": "known to the month", "year": "known to the year"}


def escape(text: str) -> str:
    """RFC 5545 TEXT: backslash, semicolon, comma and newline escaped; controls removed."""
    text = clean_text(text).replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line into lines of at most 75 octets, never inside a UTF-8 character;
    continuation lines start with one space. Returns the line(s) with CRLF endings."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line + "\r\n"
    parts: list[str] = []
    limit = 75
    current: list[str] = []
    size = 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, 74  # the leading space takes one octet
        current.append(ch)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts) + "\r\n"


def _day(value: dt.date) -> str:
    return value.strftime("%Y%m%d")


def _describe(sel: Selection, e: Event) -> str:
    lines: list[str] = []
    if e.summary:
        lines.append(e.summary.strip())
    when = e.date.text + (f" to {e.end_date.text}" if e.end_date else "")
    precisions = {e.date.precision, e.end_date.precision if e.end_date else "day"}
    vague = [_PRECISION[p] for p in ("year", "month") if p in precisions]
    lines.append(f"Date: {when}" + (f" ({vague[0]})" if vague else ""))
    if e.forum:
        forum = sel.kb.forum_by_code.get(e.forum)
        lines.append(f"Forum: {forum.name if forum else e.forum}")
    if e.participants:
        names = []
        for p in e.participants:
            actor = sel.kb.actor(p.actor)
            name = actor.name if actor else p.actor
            names.append(f"{name} ({p.role})" if p.role else name)
        lines.append("Participants: " + "; ".join(names))
    if e.resolutions:
        symbols = []
        for rid in e.resolutions:
            r = sel.kb.get(rid)
            symbols.append(getattr(r, "symbol", None) or rid)
        lines.append("Resolutions: " + "; ".join(symbols))
    if e.documents:
        lines.append("Documents: " + "; ".join(e.documents))
    for source_id in dict.fromkeys(c.source for c in e.sources):
        source = sel.kb.get(source_id)
        title = getattr(source, "title", None) or source_id
        url = getattr(source, "url", None)
        lines.append(f"Source: {title}" + (f" <{url}>" if url else ""))
    lines.append(f"dprkhr id: {e.id}")
    return "\n".join(lines)


def _utc(seconds: float) -> str:
    return dt.datetime.fromtimestamp(int(seconds), dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def vevent(sel: Selection, e: Event, revision: Revision | None = None) -> Iterator[str]:
    first = e.date.start
    last = (e.end_date or e.date).end
    if last < first:  # end_date before date: lint reports it; show the start interval
        last = e.date.end
    yield "BEGIN:VEVENT"
    yield f"UID:{e.id}@{UID_DOMAIN}"
    if revision is None:
        # DTSTAMP is required; without the record's history it is the start of the event
        # (the export time would make every export differ)
        yield f"DTSTAMP:{_day(first)}T000000Z"
    else:
        # the record's last revision: a changed record is newer on re-import
        yield f"DTSTAMP:{_utc(revision.modified)}"
        yield f"LAST-MODIFIED:{_utc(revision.modified)}"
        yield f"SEQUENCE:{revision.sequence}"
    yield f"DTSTART;VALUE=DATE:{_day(first)}"
    yield f"DTEND;VALUE=DATE:{_day(last + dt.timedelta(days=1))}"
    yield f"SUMMARY:{escape(e.title)}"
    yield f"DESCRIPTION:{escape(_describe(sel, e))}"
    if e.location:
        yield f"LOCATION:{escape(e.location)}"
    categories = [e.type, *([e.forum] if e.forum else []), *e.tags]
    yield "CATEGORIES:" + ",".join(escape(c) for c in categories)
    yield "TRANSP:TRANSPARENT"
    yield "END:VEVENT"


def write_ics(sel: Selection, stream: IO[str], data_root: Path | None = None) -> None:
    """A VCALENDAR with one VEVENT per event, CRLF line endings, folded lines.

    With `data_root`, each event carries its record's last revision (`revisions`): the
    last commit that changed its file (or the file's time, when changed since), as
    DTSTAMP and LAST-MODIFIED, and the number of earlier revisions as SEQUENCE, so that a
    calendar re-importing the file sees a changed record as changed."""
    history = revisions(data_root / "events") if data_root is not None else {}
    head = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//dprkhr//dprkhr {__version__}//EN",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:dprkhr: human rights in North Korea",
    ]
    for line in head:
        stream.write(fold(line))
    for e in sel.events:
        for line in vevent(sel, e, history.get(e.id)):
            stream.write(fold(line))
    stream.write(fold("END:VCALENDAR"))
