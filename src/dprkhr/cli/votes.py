"""`dprkhr votes`: a state's votes, sponsorships, dissociations and statements across the
resolutions; one resolution's roll call; the states-by-resolutions matrix; the changes
along a series. Parses, calls one function of `dprkhr.votes`, renders."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from dprkhr.cli.common import at_least_one, state
from dprkhr.cli.output import Column, echo, note, note_cut, table, to_csv, to_json, to_yaml
from dprkhr.errors import UsageError
from dprkhr.safetext import safe

if TYPE_CHECKING:
    from collections.abc import Callable

    from dprkhr.query import QuerySource
    from dprkhr.votes import Ballot, Change, Matrix, RollCall, StateRecord, StateRow


class VotesFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    yaml = "yaml"


_GROUP_NAMES = {"yes": "In favour", "no": "Against", "abstain": "Abstaining", "absent": "Absent"}
_GROUP_WORDS = {"yes": "voting in favour", "no": "voting against", "abstain": "abstaining"}


def votes(
    ctx: typer.Context,
    actor: Annotated[
        str | None,
        typer.Argument(
            metavar="STATE",
            help="A state (id or name, forgiving): its record across every resolution.",
            show_default=False,
        ),
    ] = None,
    resolution: Annotated[
        str | None,
        typer.Option(
            "--resolution",
            "-r",
            metavar="ID",
            help="One resolution (id or symbol) or vote event (id): its roll call grouped by "
            "vote, sponsors, dissociations and statements.",
            show_default=False,
        ),
    ] = None,
    matrix: Annotated[
        bool,
        typer.Option(
            "--matrix",
            help="States by resolutions, one cell per vote: Y yes, N no, A abstained, X "
            "absent, D dissociated; +L lead sponsor, +C co-sponsor, +S sponsor (role not "
            "recorded); blank: no vote (adopted without a vote, or not in a complete roll); "
            "?: not recorded (a partial or missing roll does not name the state).",
        ),
    ] = False,
    changed: Annotated[
        bool,
        typer.Option(
            "--changed",
            help="The states whose position changed between a resolution and the one it "
            "follows (a 'not recorded' position is never a change); with STATE, that "
            "state's changes only.",
        ),
    ] = False,
    forum: Annotated[
        list[str] | None,
        typer.Option(
            "--forum",
            metavar="FORUM",
            help="Only resolutions (and vote events) of this forum: code, name or alias. "
            "Repeat for any of several.",
            show_default=False,
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(metavar="DATE", help="From this date (YYYY, YYYY-MM or YYYY-MM-DD)."),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(metavar="DATE", help="Up to this date, inclusive."),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option(
            callback=at_least_one,
            metavar="N",
            help="Show at most this many rows.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        VotesFormat,
        typer.Option("--format", "-f", help="Output: table (for people), json, csv or yaml."),
    ] = VotesFormat.table,
) -> None:
    """How states voted on the resolutions, sponsored them, dissociated from them and
    spoke on them: one state's record (STATE), one roll call (--resolution), the matrix
    of states by resolutions (--matrix), or the changes along a series (--changed).
    A state's statements are the `statement` events linked to a resolution (for a vote
    event: those of its forum and day) where it spoke or was spoken for; the table
    counts them (Said) and lists them below it.

    A position is what the record says: yes, no, abstained, absent (as the roll lists
    it), dissociated; "no recorded vote" (adopted without a vote), "not in the roll" (a
    complete roll that does not name the state), and three kinds of not knowing: "not
    recorded" (a partial roll that does not name it), "no roll recorded" (a vote whose
    voters no page we read names), "adoption unknown".

    Examples:

    \b
      dprkhr votes China
      dprkhr votes --resolution A/RES/69/188
      dprkhr votes --matrix --forum UNGA --format csv
    """
    from dprkhr.cli.query import actor_id_from_name, event_filter_from_options
    from dprkhr.votes import Selection, changes, find_ballot, roll_call, state_record
    from dprkhr.votes import matrix as states_by_resolutions

    modes = [
        name
        for name, given in (
            ("STATE", actor is not None and not changed),
            ("--resolution", resolution is not None),
            ("--matrix", matrix and not changed),
            ("--changed", changed),
        )
        if given
    ]
    if not modes:
        raise UsageError(
            "name a STATE (`dprkhr votes China`), or use --resolution ID, --matrix or --changed"
        )
    if len(modes) > 1:
        raise UsageError(f"{' and '.join(modes)} ask different questions: use one of them")
    if resolution is not None and (forum or since or until or limit):
        raise UsageError(
            "--forum, --since, --until and --limit select resolutions; --resolution names one"
        )
    if actor is not None and not actor.strip():
        raise UsageError("STATE needs a name; leave it out to use --matrix or --changed")
    app = state(ctx)
    kb = app.source()
    criteria = event_filter_from_options(kb, None, forum, None, None, since, until, None, None)
    selection = Selection(criteria.forums, criteria.since, criteria.until)
    if resolution is not None:
        ballot = find_ballot(kb, resolution) or _resolution_ballot(kb, resolution)
        _render_roll(kb, roll_call(kb, ballot), output)
        return
    if changed:
        actor_id = actor_id_from_name(kb, actor) if actor is not None else None
        series = changes(kb, selection)
        found = series.changes
        if actor_id is not None:
            found = [c for c in found if c.actor.id == actor_id]
        _render_changes(found, output, limit)
        n, pairs = series.compared, series.pairs
        note(
            f"{len(series.changes)} change{'s' if len(series.changes) != 1 else ''} in {n} "
            f"comparison{'s' if n != 1 else ''} (a state whose position is recorded in both "
            f"resolutions of a consecutive pair; {pairs} pair{'s' if pairs != 1 else ''}); "
            'a position not recorded is never counted as a change, nor is "no recorded '
            'vote" (adopted without a vote, the state not named as dissociating)'
        )
        return
    if matrix:
        _render_matrix(states_by_resolutions(kb, selection), output, limit)
        return
    assert actor is not None
    actor_id = actor_id_from_name(kb, actor)
    _render_state(state_record(kb, actor_id, selection), output, limit)


def _resolution_ballot(kb: QuerySource, text: str) -> Ballot:
    from dprkhr.query import resolve_resolution
    from dprkhr.votes import find_ballot

    match = resolve_resolution(kb, text)
    ballot = find_ballot(kb, match.id)
    if ballot is None:  # pragma: no cover - a resolution is always a ballot
        raise UsageError(f"`{safe(text)}` is not a resolution or a vote event")
    return ballot


def _emit(data: Any, output: VotesFormat) -> None:
    """A JSON-ready list or document as json or yaml."""
    echo(to_json(data) if output is VotesFormat.json else to_yaml(data))


def _note_undated(undated: list[Ballot]) -> None:
    if undated:
        n = len(undated)
        shown = ", ".join(b.id for b in undated[:3]) + (", ..." if n > 3 else "")
        note(
            f"{n} undated record{'s' if n != 1 else ''} match{'es' if n == 1 else ''} the "
            f"other filters but --since/--until cannot judge {'it' if n == 1 else 'them'} "
            f"({shown})"
        )


def _statement(event: Any) -> dict[str, Any]:
    return {"id": event.id, "date": str(event.date), "title": event.title}


# --- one state ------------------------------------------------------------------------------


def _render_state(found: StateRecord, output: VotesFormat, limit: int | None) -> None:
    from dprkhr.votes import LABELS, UNKNOWN

    actor = found.actor
    rows = found.rows[:limit]
    from dprkhr.cli.query import kind_text

    kind = kind_text(actor.kind)
    if kind != "state":
        note(
            f"{actor.id} is {'an' if kind[0] in 'aeiou' else 'a'} "
            f"{kind.replace('-', ' ')}, not a state: only states vote; its "
            "sponsorships and statements are shown"
        )
    if output is VotesFormat.table:
        if not rows:
            note("No resolutions match.")
        else:
            columns = [
                Column("Date", lambda r: r.ballot.date, no_wrap=True),
                Column("Record", lambda r: r.ballot.label, no_wrap=True),
                Column("Vote", lambda r: LABELS[r.position], no_wrap=True),
                Column("Sponsor", lambda r: r.sponsor, no_wrap=True),
                Column("Said", lambda r: len(r.statements) or None, no_wrap=True),
            ]
            table(rows, columns, title=safe(f"{actor.name} ({actor.id})"))
            _statement_lines(rows)
    elif output is VotesFormat.csv:
        header = [
            "state",
            "record_kind",
            "record",
            "symbol",
            "date",
            "forum",
            "position",
            "vote",
            "roll",
            "sponsor",
            "statements",
        ]
        body = [
            [
                actor.id,
                r.ballot.kind,
                r.ballot.id,
                r.ballot.symbol or "",
                str(r.ballot.date or ""),
                r.ballot.forum or "",
                r.position,
                LABELS[r.position],
                r.ballot.roll() or "",
                r.sponsor or "",
                "; ".join(e.id for e in r.statements),
            ]
            for r in rows
        ]
        echo(to_csv(header, body))
    else:
        items = [
            {
                "state": actor.id,
                "record_kind": r.ballot.kind,
                "record": r.ballot.id,
                "symbol": r.ballot.symbol,
                "date": None if r.ballot.date is None else str(r.ballot.date),
                "forum": r.ballot.forum,
                "title": r.ballot.title or None,
                "position": r.position,
                "vote": LABELS[r.position],
                "roll": r.ballot.roll(),
                "sponsor": r.sponsor,
                "dissociated": r.dissociated,
                "statements": [_statement(e) for e in r.statements],
            }
            for r in rows
        ]
        _emit(items, output)
    if len(rows) < len(found.rows):
        note_cut(len(rows), len(found.rows), "records")
    elif output is VotesFormat.table and rows:
        unknown = sum(1 for r in found.rows if r.position in UNKNOWN)
        n = len(found.rows)
        note(
            f"{n} record{'s' if n != 1 else ''}; the vote is not known for {unknown} of "
            "them (not recorded, no roll recorded, adoption unknown)"
            if unknown
            else f"{n} record{'s' if n != 1 else ''}"
        )
    _note_undated(found.undated)


def _statement_lines(rows: list[StateRow]) -> None:
    """Below the table: the statements counted in its `Said` column, one a line."""
    import textwrap

    from dprkhr.cli.output import console

    said = [(r, e) for r in rows for e in r.statements]
    if not said:
        return
    width = max(console().width, 40)
    lines = ["", f"Statements ({len(said)}):"]
    for row, event in said:
        text = f"{event.date}  {row.ballot.label}: {event.title} [{event.id}]"
        lines += textwrap.wrap(
            safe(text),
            width,
            initial_indent="  ",
            subsequent_indent="      ",
            break_long_words=False,
            break_on_hyphens=False,
        )
    echo("".join(f"{line}\n" for line in lines))


# --- one roll call --------------------------------------------------------------------------


def _names(kb: QuerySource, ids: list[str]) -> list[dict[str, str]]:
    out = []
    for actor_id in ids:
        actor = kb.actor(actor_id)
        out.append({"id": actor_id, "name": actor.name if actor is not None else actor_id})
    return out


def _name_list(kb: QuerySource, ids: list[str]) -> str:
    return ", ".join(n["name"] for n in _names(kb, ids))


def partial_note(call: RollCall) -> str | None:
    """What a partial roll leaves out, in words: `the page names only the 20 states
    voting against`."""
    if call.roll not in ("partial", "roles"):
        return None
    named = dict(call.groups)
    if call.roll == "roles":
        named = {}
        for actor, position in call.role_positions.items():
            named.setdefault(position, []).append(actor)
    counts = call.counts()
    parts = []
    for position in ("yes", "no", "abstain"):
        ids = named.get(position)
        if not ids:
            continue
        count = counts.get(position)
        n = len(ids)
        word = _GROUP_WORDS[position]
        if count is None or n >= count:
            parts.append(f"the {n} state{'s' if n != 1 else ''} {word}")
        else:
            parts.append(f"{n} of the {count} {word}")
    adoption = call.ballot.adoption
    several = adoption is not None and len(adoption.roll_sources()) > 1
    if call.roll != "partial":
        where, verb = "the event's participants", "names"
    elif several:
        where, verb = "the pages", "name"
    else:
        where, verb = "the page", "names"
    if not parts:
        return f"{where} {verb} no voter by group"
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"{where} {verb} only {listed}"


def _render_roll(kb: QuerySource, call: RollCall, output: VotesFormat) -> None:
    ballot = call.ballot
    adoption = ballot.adoption
    method = adoption.method if adoption is not None else None
    if output is VotesFormat.csv:
        header = ["record", "symbol", "state", "name", "position", "detail"]
        body: list[list[str]] = []
        for position, ids in call.groups:
            body += [
                [ballot.id, ballot.symbol or "", n["id"], n["name"], position, ""]
                for n in _names(kb, ids)
            ]
        for actor_id, position in call.role_positions.items():
            name = _names(kb, [actor_id])[0]["name"]
            body.append(
                [ballot.id, ballot.symbol or "", actor_id, name, position, "participant role"]
            )
        for n in _names(kb, call.dissociated):
            body.append([ballot.id, ballot.symbol or "", n["id"], n["name"], "dissociated", ""])
        for actor_id, role in call.sponsors:
            name = _names(kb, [actor_id])[0]["name"]
            body.append([ballot.id, ballot.symbol or "", actor_id, name, "sponsor", role or ""])
        echo(to_csv(header, body))
        _roll_notes(call)
        return
    if output is not VotesFormat.table:
        data = {
            "record_kind": ballot.kind,
            "id": ballot.id,
            "symbol": ballot.symbol,
            "date": None if ballot.date is None else str(ballot.date),
            "forum": ballot.forum,
            "title": ballot.title or None,
            "method": method,
            "counts": call.counts() or None,
            "roll": call.roll,
            "roll_source": adoption.roll_source if adoption is not None else None,
            "roll_sources": adoption.roll_sources() if adoption is not None else [],
            "partial": partial_note(call),
            "votes": {position: _names(kb, ids) for position, ids in call.groups},
            "participant_roles": [
                {**_names(kb, [a])[0], "position": p} for a, p in call.role_positions.items()
            ],
            "sponsors": [{**_names(kb, [a])[0], "role": role} for a, role in call.sponsors],
            "dissociated": _names(kb, call.dissociated),
            "statements": [_statement(e) for e in call.statements],
        }
        _emit(data, output)
        _roll_notes(call)
        return
    lines = [f"{ballot.label}  ({ballot.id})" if ballot.symbol else ballot.id]
    facts = [f for f in (ballot.forum, str(ballot.date) if ballot.date else None) if f]
    if facts:
        lines[0] += "  " + "  ".join(facts)
    if ballot.title:
        lines.append(ballot.title)
    lines.append("")
    lines.append(_adoption_line(call))
    note_text = partial_note(call)
    if note_text is not None:
        lines.append(f"Roll: partial: {note_text}.")
    elif call.roll == "complete":
        several = adoption is not None and len(adoption.roll_sources()) > 1
        lines.append(
            "Roll: complete: the pages together list every voter."
            if several
            else "Roll: complete: the page lists every voter."
        )
    if adoption is not None and adoption.roll_source:
        lines.append(f"Names from: {', '.join(adoption.roll_sources())}")
    for position, ids in call.groups:
        lines += ["", f"{_GROUP_NAMES[position]} ({len(ids)}): {_name_list(kb, ids) or '-'}"]
    if call.role_positions:
        grouped: dict[str, list[str]] = {}
        for actor_id, position in call.role_positions.items():
            grouped.setdefault(position, []).append(actor_id)
        for position, ids in grouped.items():
            label = "Dissociated" if position == "dissociated" else _GROUP_NAMES[position]
            lines += ["", f"{label}, as participant roles ({len(ids)}): {_name_list(kb, ids)}"]
    if call.dissociated:
        lines += ["", f"Dissociated ({len(call.dissociated)}): {_name_list(kb, call.dissociated)}"]
    elif method == "without-vote":
        lines += ["", "Dissociated: none recorded"]
    if ballot.kind == "resolution":
        if call.sponsors:
            shown = ", ".join(
                n["name"] + (f" ({role})" if role else "")
                for n, (_a, role) in zip(
                    _names(kb, [a for a, _r in call.sponsors]), call.sponsors, strict=True
                )
            )
            lines += ["", f"Sponsors ({len(call.sponsors)}): {shown}"]
        else:
            lines += ["", "Sponsors: not recorded"]
    if call.statements:
        lines += ["", "Statements:"]
        lines += [f"  {e.date}  {e.id}: {e.title}" for e in call.statements]
    echo("".join(f"{line}\n" for line in _wrapped(lines)))


def _wrapped(lines: list[str]) -> list[str]:
    """Lines made safe and wrapped at word boundaries to the terminal's width (80 when
    not a terminal), continued two spaces further in; a word is never broken."""
    import textwrap

    from dprkhr.cli.output import console

    width = max(console().width, 40)
    out: list[str] = []
    for line in lines:
        text = safe(line)
        if len(text) <= width:
            out.append(text)
            continue
        indent = " " * (len(text) - len(text.lstrip(" ")))
        out += textwrap.wrap(
            text.strip(" "),
            width,
            initial_indent=indent,
            subsequent_indent=indent + "    ",
            break_long_words=False,
            break_on_hyphens=False,
        )
    return out


def _adoption_line(call: RollCall) -> str:
    adoption = call.ballot.adoption
    if adoption is None:
        return "Adoption: not recorded."
    if adoption.method == "without-vote":
        return "Adopted without a vote."
    counts = call.counts()
    shown = ", ".join(
        f"{value} {word}"
        for word, value in (
            ("in favour", counts.get("yes")),
            ("against", counts.get("no")),
            ("abstaining", counts.get("abstain")),
        )
        if value is not None
    )
    line = f"Recorded vote: {shown}." if shown else "Recorded vote (counts not recorded)."
    if call.roll is None:
        line += " No roll recorded: no page we read names the voters."
    return line


def _roll_notes(call: RollCall) -> None:
    text = partial_note(call)
    if text is not None:
        note(f"the roll is partial: {text}")
    elif (
        call.roll is None
        and call.ballot.adoption is not None
        and (call.ballot.adoption.method == "vote")
    ):
        note("no roll recorded: no page we read names the voters")


# --- the matrix -----------------------------------------------------------------------------


def _render_matrix(found: Matrix, output: VotesFormat, limit: int | None) -> None:
    from dprkhr.cli.query import kind_text
    from dprkhr.votes import LEGEND

    rows = found.rows[:limit]
    labels = [b.label for b in found.columns]
    if output is VotesFormat.table:
        labels = _short_labels(found.columns)
        from dprkhr.cli.output import console

        # rich puts three spaces between columns
        width = max([len(a.id) for a, _c in rows] + [5]) + sum(max(len(x), 3) + 3 for x in labels)
        if width > console().width:
            raise UsageError(
                f"the matrix is {len(labels)} resolutions wide and does not fit this terminal "
                f"({width} columns needed): use --format csv or json, or fewer resolutions "
                "with --forum, --since and --until"
            )
        if not found.columns:
            note("No resolutions match.")
            return
        columns = [Column("State", lambda r: r[0].id, no_wrap=True)]
        for i, label in enumerate(labels):
            columns.append(Column(label, _nth_cell(i), no_wrap=True))
        table(rows, columns)
        note("legend: " + "; ".join(f"{k or 'blank'} {v}" for k, v in LEGEND.items()))
    elif output is VotesFormat.csv:
        header = ["state", "name", *labels]
        echo(to_csv(header, [[a.id, a.name, *cells] for a, cells in rows]))
    else:
        data = {
            "legend": LEGEND,
            "resolutions": [
                {
                    "id": b.id,
                    "symbol": b.symbol,
                    "date": None if b.date is None else str(b.date),
                    "forum": b.forum,
                    "method": b.adoption.method if b.adoption is not None else None,
                    "roll": b.roll(),
                }
                for b in found.columns
            ],
            "states": [
                {
                    "id": a.id,
                    "name": a.name,
                    "kind": kind_text(a.kind),
                    "cells": dict(zip([b.id for b in found.columns], cells, strict=True)),
                }
                for a, cells in rows
            ],
        }
        _emit(data, output)
    note_cut(len(rows), len(found.rows), "states")
    if found.left_out:
        n = found.left_out
        note(
            f"{n} state{'s' if n != 1 else ''} named in none of the {len(found.columns)} "
            f"resolutions {'are' if n != 1 else 'is'} left out (every cell of "
            f"{'theirs' if n != 1 else 'its'} would be blank or ?)"
        )
    _note_undated(found.undated)


def _nth_cell(i: int) -> Callable[[tuple[Any, list[str]]], str]:
    def get(row: tuple[Any, list[str]]) -> str:
        return row[1][i]

    return get


def _short_labels(columns: list[Ballot]) -> list[str]:
    """Column headings for the matrix table: the part of each symbol after `RES/`
    (`69/188`), while they stay distinct; else the symbols."""
    short = [b.label.rsplit("RES/", 1)[-1] for b in columns]
    return short if len(set(short)) == len(short) else [b.label for b in columns]


# --- changes ----------------------------------------------------------------------------------


def _render_changes(found: list[Change], output: VotesFormat, limit: int | None) -> None:
    from dprkhr.votes import LABELS

    rows = found[:limit]
    if output is VotesFormat.table:
        if not rows:
            note("No change found.")
        else:
            columns = [
                Column("State", lambda c: c.actor.name, ratio=1, min_width=10),
                Column("From", lambda c: c.before.label, no_wrap=True),
                Column("Was", lambda c: LABELS[c.before_position], no_wrap=True),
                Column("To", lambda c: c.after.label, no_wrap=True),
                Column("Now", lambda c: LABELS[c.after_position], no_wrap=True),
            ]
            table(rows, columns)
    elif output is VotesFormat.csv:
        header = [
            "state",
            "name",
            "from",
            "from_symbol",
            "from_date",
            "from_position",
            "to",
            "to_symbol",
            "to_date",
            "to_position",
        ]
        body = [
            [
                c.actor.id,
                c.actor.name,
                c.before.id,
                c.before.symbol or "",
                str(c.before.date or ""),
                c.before_position,
                c.after.id,
                c.after.symbol or "",
                str(c.after.date or ""),
                c.after_position,
            ]
            for c in rows
        ]
        echo(to_csv(header, body))
    else:
        items = [
            {
                "state": c.actor.id,
                "name": c.actor.name,
                "from": {
                    "id": c.before.id,
                    "symbol": c.before.symbol,
                    "date": str(c.before.date),
                    "position": c.before_position,
                },
                "to": {
                    "id": c.after.id,
                    "symbol": c.after.symbol,
                    "date": str(c.after.date),
                    "position": c.after_position,
                },
            }
            for c in rows
        ]
        _emit(items, output)
    note_cut(len(rows), len(found), "changes")


def register(app: typer.Typer) -> None:
    app.command("votes")(votes)
