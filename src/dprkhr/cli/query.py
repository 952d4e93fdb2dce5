"""The analysts' commands: events, actors, resolutions, show, search, timeline, related,
stats. Each parses its options, calls one function of `dprkhr.query`, and renders."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from dprkhr.cli.common import Command, at_least_one, state
from dprkhr.cli.output import (
    FORMAT_HELP,
    Column,
    DocumentFormat,
    OutputFormat,
    dump,
    echo,
    emit_data,
    emit_records,
    note,
    note_cut,
    table,
    to_csv,
)
from dprkhr.errors import UsageError
from dprkhr.safetext import safe

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from dprkhr.models import Event, Record
    from dprkhr.names import NameMatch
    from dprkhr.query import EventFilter, QuerySource, Unjudged


class Sort(str, Enum):
    date = "date"
    newest = "-date"


class Kind(str, Enum):
    person = "person"
    state = "state"
    organization = "organization"
    un_body = "un-body"


class ActorOrder(str, Enum):
    match = "match"
    name = "name"
    id = "id"
    events = "events"


class HitOrder(str, Enum):
    score = "score"
    date = "date"
    newest = "-date"
    type = "type"


class RelatedOrder(str, Enum):
    shared = "shared"
    name = "name"
    latest = "latest"


class Adopted(str, Enum):
    vote = "vote"
    without_vote = "without-vote"


FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help=FORMAT_HELP, show_default=True)
]
DocumentFormatOption = Annotated[
    DocumentFormat, typer.Option("--format", "-f", help="Output: table, json or yaml.")
]
SinceOption = Annotated[
    str | None,
    typer.Option(
        metavar="DATE",
        help="From this date (YYYY, YYYY-MM or YYYY-MM-DD); records whose dates overlap count.",
        show_default=False,
    ),
]
UntilOption = Annotated[
    str | None,
    typer.Option(
        metavar="DATE",
        help="Up to this date, inclusive (--until 2023 includes 2023-12-31).",
        show_default=False,
    ),
]
ActorsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--actor",
        "-a",
        metavar="NAME",
        help="Involving this actor (events: as participant; resolutions: as sponsor): id, "
        "name, alias or native name, forgiving of accents, name order and typos. Repeat "
        "for all of them.",
        show_default=False,
    ),
]
AsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--as",
        metavar="ROLE",
        help="Each --actor takes part in this role: speaker, author, host, subject... "
        "(sponsor, for resolutions). Repeat for any of several.",
        show_default=False,
    ),
]
NotAsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--not-as",
        metavar="ROLE",
        help="Each --actor takes part in some other role than this (--not-as subject: "
        "what the actor did, not what was done about it). Repeatable.",
        show_default=False,
    ),
]
ForumsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--forum",
        metavar="FORUM",
        help="Forum code, name or alias (UNSC, 'Security Council'). Repeat for any of several.",
        show_default=False,
    ),
]
TypesOption = Annotated[
    list[str] | None,
    typer.Option(
        "--type",
        "-t",
        metavar="TYPE",
        help="Event type, by id or name (repeat for any of several); resolutions have "
        "none, so they are then left out.",
        show_default=False,
    ),
]
TagsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--tag",
        metavar="TAG",
        help="Tag, by id or name (repeat for records carrying all of them).",
        show_default=False,
    ),
]
ResolutionOption = Annotated[
    str | None,
    typer.Option(
        metavar="ID",
        help="This resolution (id or symbol) and the events referring to it.",
        show_default=False,
    ),
]
TextOption = Annotated[
    str | None,
    typer.Option(
        metavar="WORDS",
        help="Words that one field must all hold, as `search` matches them: whole words, "
        "accents, case and punctuation aside.",
        show_default=False,
    ),
]
FILTERS_HELP = """The filters mean the same in events, timeline, stats and export: --actor and --tag
repeated mean all of them, --type and --forum repeated mean any of them; --as and
--not-as say in what role each --actor takes part (a participation with no recorded
role cannot be judged and is left out, and that is said); --text keeps what `search`
finds (one field holds every word; a tag's name is a field, so --text "forced
repatriation" finds what --tag forced-repatriation finds, and the events that say the
words without the tag: how many is said)."""


def with_filters_help(command: Any) -> Any:
    """Put the shared filters' meanings (`FILTERS_HELP`) into a command's help."""
    indented = "\n".join(f"    {line}" for line in FILTERS_HELP.splitlines()).lstrip()
    command.__doc__ = (command.__doc__ or "").replace("{FILTERS}", indented)
    return command


LimitOption = Annotated[
    int | None,
    typer.Option(
        callback=at_least_one, metavar="N", help="Show at most this many.", show_default=False
    ),
]


# --- resolving what the user typed, reporting guesses -----------------------------------------


def _report(query: str, match: NameMatch) -> None:
    """Say on stderr how an inexact name was understood; a near spelling (fuzzy) is
    labelled as one, since no record holds the name as typed (`Kang` read as King)."""
    from dprkhr.names import FUZZY

    if match.how == FUZZY:
        note(
            f"`{safe(query)}` → {match.id} ({safe(match.label)}), a near match: no name in "
            f"the dataset is `{safe(query)}`"
        )
    elif not match.exact:
        note(f"`{safe(query)}` → {match.id} ({safe(match.label)})")


def actor_id_from_name(kb: QuerySource, name: str) -> str:
    from dprkhr.query import resolve_actor

    match = resolve_actor(kb, name)
    _report(name, match)
    return match.id


def forum_code_from_name(kb: QuerySource, name: str | None) -> str | None:
    if name is None:
        return None
    from dprkhr.query import resolve_forum

    match = resolve_forum(kb, name)
    _report(name, match)
    return match.id


def event_filter_from_options(
    kb: Any,
    actor: list[str] | None,
    forum: list[str] | str | None,
    type_: list[str] | None,
    tag: list[str] | None,
    since: str | None,
    until: str | None,
    resolution: str | None,
    text: str | None,
    as_: list[str] | None = None,
    not_as: list[str] | None = None,
) -> EventFilter:
    """The shared filters (`dprkhr.filters`), names resolved; inexact names reported."""
    from dprkhr.filters import event_filter

    resolved = event_filter(
        kb,
        actors=actor or [],
        roles=as_ or [],
        not_roles=not_as or [],
        forums=[forum] if isinstance(forum, str) else forum or [],
        types=type_ or [],
        tags=tag or [],
        since=since,
        until=until,
        resolution=resolution,
        text=text,
    )
    for typed, match in resolved.guesses:
        _report(typed, match)
    return resolved.criteria


def note_role_unknown(kb: Any, criteria: EventFilter) -> None:
    """Say how many events --as/--not-as could not judge (no role recorded)."""
    from dprkhr.query import role_unknown

    unknown = role_unknown(kb, criteria)
    if unknown:
        who = ", ".join(criteria.actors)
        n = len(unknown)
        note(
            f"{n} more event{'s' if n != 1 else ''} with {who} record no role for "
            f"{'it' if len(criteria.actors) == 1 else 'them'}: --as/--not-as cannot judge "
            f"{'them' if n != 1 else 'it'} ({', '.join(e.id for e in unknown[:3])}"
            f"{', ...' if n > 3 else ''})"
        )


def note_sponsors_unknown(kb: Any, criteria: EventFilter) -> None:
    """Say how many resolutions --actor could not judge (no sponsors recorded)."""
    from dprkhr.query import sponsors_unknown

    unknown, total = sponsors_unknown(kb, criteria)
    if unknown:
        n = len(unknown)
        note(
            f"sponsors are recorded for {total - n} of {total} resolutions; --actor cannot "
            f"judge the other {n} ({', '.join(r.id for r in unknown[:3])}"
            f"{', ...' if n > 3 else ''})"
        )


def note_undated(undated: Sequence[Any], why: str) -> None:
    """Say which resolutions matching the other filters record no date, and so `why`."""
    if undated:
        n = len(undated)
        note(
            f"{n} undated resolution{'s' if n != 1 else ''} match{'es' if n == 1 else ''} "
            f"the other filters but {why} ({', '.join(r.id for r in undated[:3])}"
            f"{', ...' if n > 3 else ''}); `dprkhr resolutions` lists "
            f"{'it' if n == 1 else 'them'}"
        )


def note_dates_unknown(kb: Any, criteria: EventFilter) -> None:
    """After --since/--until: the undated resolutions they could not judge."""
    from dprkhr.query import undated_resolutions

    if criteria.since is not None or criteria.until is not None:
        note_undated(
            undated_resolutions(kb, criteria), "--since/--until cannot judge an undated record"
        )


def note_text(kb: Any, criteria: EventFilter, matched: Sequence[Any]) -> None:
    """After `--text`: which words no event holds, when none matched; and when the words
    name a tag, how many of the events found carry it (the rest say the words without
    the tag), so that `--text` and `--tag` answers can be told apart."""
    query = criteria.text_query()
    if query is None:
        return
    if not matched:
        missing = kb.missing_words("event", query)
        if missing:
            note(f"No event holds {', '.join(f'“{w}”' for w in missing)}.")
        return
    note_tag_share(kb, query, [e for e in matched if e.record_type == "event"], "events")


def note_tag_share(kb: Any, query: Any, records: Sequence[Any], noun: str) -> None:
    """When the words name a tag: how many of `records` carry it."""
    from dprkhr.textmatch import tag_named

    tag = tag_named(kb, query)
    if tag is None or not records:
        return
    tagged = sum(1 for r in records if tag in r.tags)
    if tagged < len(records):
        rest = len(records) - tagged
        note(
            f"{tagged} of these {len(records)} {noun} carry the tag {tag} (--tag {tag}); "
            f"{rest} say{'s' if rest == 1 else ''} the words without it"
        )


# --- table cells ----------------------------------------------------------------------------


def _names(kb: QuerySource, ids: list[str], limit: int | None = None) -> str:
    """Actor names for a table cell; past `limit`, the rest is counted, not listed."""
    shown = ids if limit is None or len(ids) <= limit else ids[: limit - 1]
    out = []
    for actor_id in shown:
        actor = kb.actor(actor_id)
        out.append(actor.name if actor else actor_id)
    text = ", ".join(out)
    if len(shown) < len(ids):
        text += f" +{len(ids) - len(shown)} more"
    return text


def _date_span(event: Event) -> str:
    return f"{event.date}–{event.end_date}" if event.end_date else str(event.date)


def _adoption(resolution: Any) -> str:
    """How a resolution (or an index row) was adopted: `no vote`, `vote 30-6-11`."""
    from dprkhr.query import adoption_method, vote_counts

    method = adoption_method(resolution)
    if method is None:
        return ""
    if method == "without-vote":
        return "no vote"
    counts = vote_counts(resolution) or (None, None, None)
    if all(c is None for c in counts):
        return "vote"
    return "vote " + "-".join("?" if c is None else str(c) for c in counts)


def _event_columns(kb: QuerySource) -> list[Column]:
    return [
        Column("Date", _date_span, no_wrap=True),
        Column("Forum", lambda e: e.forum or "", no_wrap=True),
        Column("Type", lambda e: e.type, max_width=20),
        Column("Title", lambda e: e.title, ratio=3),
        Column(
            "Participants",
            lambda e: _names(kb, [p.actor for p in e.participants], limit=4),
            ratio=2,
        ),
    ]


def _resolution_columns() -> list[Column]:
    return [
        Column("Date", lambda r: r.date or "", no_wrap=True),
        Column("Symbol", lambda r: r.symbol or r.id, no_wrap=True),
        Column("Forum", lambda r: r.forum or "", no_wrap=True),
        Column("Adopted", _adoption, max_width=14),
        Column("Title", lambda r: r.title or r.summary or "", ratio=1),
    ]


# --- events ---------------------------------------------------------------------------------


@with_filters_help
def events(
    ctx: typer.Context,
    actor: ActorsOption = None,
    as_: AsOption = None,
    not_as: NotAsOption = None,
    forum: ForumsOption = None,
    type_: TypesOption = None,
    tag: TagsOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    resolution: ResolutionOption = None,
    text: TextOption = None,
    limit: LimitOption = None,
    sort: Annotated[Sort, typer.Option(help="date (oldest first) or -date.")] = Sort.date,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Events, filtered: who took part and in what role, where, what kind, when, about
    what.

    {FILTERS}

    Examples:

    \b
      dprkhr events --actor Salmon
      dprkhr events --forum UNSC --since 2014 --format csv
      dprkhr events --actor DPRK --as speaker
    """
    from dprkhr.query import filter_events

    app = state(ctx)
    whole = output not in (OutputFormat.table, OutputFormat.ids)
    kb = app.source()
    criteria = event_filter_from_options(
        kb, actor, forum, type_, tag, since, until, resolution, text, as_, not_as
    )
    matched: Sequence[Any] = filter_events(kb, criteria, sort=sort.value)
    found = matched[:limit]
    if not whole:
        kb.prefetch_actors(found)
    emit_records(
        found,
        output,
        kb=kb,
        record_type="event",
        columns=_event_columns(kb),
        noun="events",
        found=len(matched),
        whole=kb.whole if whole else None,
    )
    note_role_unknown(kb, criteria)
    note_text(kb, criteria, matched)


# --- actors ---------------------------------------------------------------------------------


def actors(
    ctx: typer.Context,
    query: Annotated[
        str | None,
        typer.Argument(
            help="A name to look for (forgiving); best matches first.", show_default=False
        ),
    ] = None,
    kind: Annotated[Kind | None, typer.Option(help="Kind of actor.", show_default=False)] = None,
    country: Annotated[
        str | None,
        typer.Option(
            metavar="CODE",
            help="Country code (ISO 3166-1 alpha-2: KR, KP, PE).",
            show_default=False,
        ),
    ] = None,
    role: Annotated[
        str | None,
        typer.Option(
            metavar="WORDS",
            help="Words of a role's title ('Special Rapporteur'), or the id of the body "
            "the role is in.",
            show_default=False,
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="Only actors holding a (matching) role on this date: who was the Special "
            "Rapporteur on 2019-03-12?",
            show_default=False,
        ),
    ] = None,
    limit: LimitOption = None,
    sort: Annotated[
        ActorOrder,
        typer.Option(
            help="match (best match first with a QUERY, else by name), name, id, or events "
            "(most events first)."
        ),
    ] = ActorOrder.match,
    output: FormatOption = OutputFormat.table,
) -> None:
    """People, states, organisations and UN bodies.

    Examples:

    \b
      dprkhr actors salmon
      dprkhr actors --role "Special Rapporteur" --as-of 2019-03-12
      dprkhr actors --kind state --format ids
    """
    from dprkhr.query import ActorFilter, find_actors, matching_roles, parse_query_date

    if country is not None and not (len(country) == 2 and country.isalpha()):
        raise UsageError(f"--country {country!r}: use a two-letter ISO code such as KR or KP")
    on = parse_query_date(as_of, "--as-of")
    kb = state(ctx).source()
    criteria = ActorFilter(
        query=query, kind=kind.value if kind else None, country=country, role=role, as_of=on
    )
    from dprkhr.ordering import sort_actors

    answer = find_actors(kb, criteria)
    matched = sort_actors(kb, answer.actors, sort.value)
    found = matched[:limit]
    if output not in (OutputFormat.table, OutputFormat.ids):
        found = kb.whole(found)
    if answer.near and query is not None:
        note(f"No actor is named `{safe(query)}`; near matches:")
    report_unjudged(answer.unjudged, on)

    def role_cell(a: Any) -> str:
        picks = matching_roles(a, role, on) if (role or on) else list(range(len(a.roles)))
        parts = []
        for i in picks[:2]:
            held = a.roles[i]
            if held.start or held.end:
                span = f" ({held.start or '?'}–{held.end or ''})"
            else:
                span = " (dates unknown)"
            parts.append(f"{held.title}{span}")
        more = len(picks) - 2
        return "; ".join(parts) + (f"; +{more} more" if more > 0 else "")

    columns = [
        Column("Name", lambda a: a.name, ratio=2, min_width=16),
        Column("ID", lambda a: a.id, no_wrap=True),
        Column("Kind", lambda a: f"{kind_text(a.kind)} {a.country or ''}".strip(), max_width=10),
        Column("Role", role_cell, ratio=3, min_width=20),
    ]
    emit_records(
        found,
        output,
        kb=kb,
        record_type="actor",
        columns=columns,
        noun="actors",
        empty=_empty(answer.unjudged),
        found=len(matched),
    )


def report_unjudged(unjudged: Sequence[Unjudged], on: Any = None) -> None:
    """Say on stderr how many records a filter could not judge."""
    for item in unjudged:
        note(unjudged_text(item, on))


def unjudged_text(item: Unjudged, on: Any = None) -> str:
    if item.noun == "roles":
        when = f" on {on}" if on is not None else ""
        return (
            f"{item.missing} of {item.total} matching roles have dates that cannot tell "
            f"whether they were held{when} (dates unknown); they are left out"
        )
    be = "are" if item.field.endswith("s") else "is"
    return (
        f"{item.field} {be} recorded for {item.known} of {item.total} {item.noun}; "
        f"the other {item.missing} could not be judged"
    )


def _empty(unjudged: Sequence[Unjudged]) -> str | None:
    """What an empty answer says when some records could not be judged: unknown, not
    none."""
    if not unjudged:
        return None
    noun = "resolution" if unjudged[0].noun == "resolutions" else "actor"
    return f"Unknown, not none: no {noun} is known to match, but some could not be judged."


# --- resolutions ----------------------------------------------------------------------------


def resolutions(
    ctx: typer.Context,
    forum: Annotated[
        str | None,
        typer.Option(
            metavar="FORUM",
            help="Forum code, name or alias (HRC, 'General Assembly').",
            show_default=False,
        ),
    ] = None,
    session: Annotated[
        str | None, typer.Option(metavar="N", help="Session number, e.g. 22.", show_default=False)
    ] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    sponsor: Annotated[
        list[str] | None,
        typer.Option(
            metavar="NAME",
            help="Sponsored by this actor (forgiving names; repeat for all of several).",
            show_default=False,
        ),
    ] = None,
    adopted: Annotated[
        Adopted | None,
        typer.Option(help="How it was adopted: vote or without-vote.", show_default=False),
    ] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option(metavar="TAG", help="Tag (repeat for all of several).", show_default=False),
    ] = None,
    text: Annotated[
        str | None,
        typer.Option(
            metavar="WORDS",
            help="Words that must all appear in the symbol, title or summary.",
            show_default=False,
        ),
    ] = None,
    limit: LimitOption = None,
    sort: Annotated[Sort, typer.Option(help="date (oldest first) or -date.")] = Sort.date,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Resolutions, filtered by forum, session, date, sponsor and how they were adopted.

    Examples:

    \b
      dprkhr resolutions --forum HRC --adopted vote
      dprkhr resolutions --sponsor Japan --since 2010 --format csv
      dprkhr resolutions --tag accountability --sort=-date
    """
    from dprkhr.query import (
        ResolutionFilter,
        date_range,
        filter_resolutions,
        resolve_tag,
        unjudged_resolutions,
    )

    session = _session(session)
    app = state(ctx)
    start, end = date_range(since, until)
    whole = output not in (OutputFormat.table, OutputFormat.ids)
    kb = app.source()
    criteria = ResolutionFilter(
        forum=forum_code_from_name(kb, forum),
        session=session,
        since=start,
        until=end,
        sponsors=list(dict.fromkeys(actor_id_from_name(kb, s) for s in sponsor or [])),
        adopted=adopted.value if adopted else None,
        tags=[resolve_tag(kb, t) for t in tag or []],
        text=text,
    )
    found: Sequence[Any] = filter_resolutions(kb, criteria, sort=sort.value)
    total = len(found)
    found = found[:limit]
    unjudged = unjudged_resolutions(kb, criteria)
    report_unjudged(unjudged)
    emit_records(
        found,
        output,
        kb=kb,
        record_type="resolution",
        columns=_resolution_columns(),
        noun="resolutions",
        empty=_empty(unjudged),
        found=total,
        whole=kb.whole if whole else None,
    )


def _session(value: str | None) -> str | None:
    """`--session`: a number (22) or a special session (S-28, ES-11), as records write it."""
    import re

    if value is None:
        return None
    text = value.strip().upper()
    if re.fullmatch(r"[1-9][0-9]*", text) or re.fullmatch(r"E?S-[1-9][0-9]*", text):
        return text
    raise UsageError(
        f"--session {value!r}: use a session number (22), or a special session (S-28) or "
        "emergency special session (ES-11)"
    )


# --- show -----------------------------------------------------------------------------------


def _wrap(prefix: str, value: str, width: int) -> list[str]:
    import textwrap

    lines = textwrap.wrap(
        safe(value),
        width=max(width, 40),
        initial_indent=prefix,
        subsequent_indent=" " * len(prefix),
        break_on_hyphens=False,
        break_long_words=False,
    )
    return lines or [prefix.rstrip()]


_EMPTY: tuple[Any, ...] = ([], {}, None)


def _inline(value: Any) -> str:
    """A value on one line: lists joined with commas, objects as `key: value` pairs
    (empty ones left out), never Python's own notation."""
    if isinstance(value, list):
        return ", ".join(_inline(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_inline(v)}" for k, v in value.items() if v not in _EMPTY)
    return str(value)


def _field_lines(data: dict[str, Any], width: int, indent: str = "  ") -> list[str]:
    """A record's fields as `key: value` lines; lists of objects one item a line."""
    lines: list[str] = []
    for key, value in data.items():
        if key == "id" or value in _EMPTY:
            continue
        label = f"{indent}{key}: "
        if isinstance(value, list) and all(isinstance(v, dict) for v in value):
            lines.append(f"{indent}{key}:")
            for item in value:
                cells = [f"{k}: {_inline(v)}" for k, v in item.items() if v not in _EMPTY]
                lines.extend(_wrap(f"{indent}  - ", "; ".join(cells), width))
        else:
            lines.extend(_wrap(label, _inline(value), width))
    return lines


def _record_label(record: Any) -> str:
    if getattr(record, "record_type", "") == "resolution":
        return _record_title(record)
    for attr in ("name", "title"):
        value = getattr(record, attr, None)
        if value:
            return str(value)
    return str(getattr(record, "id", ""))


def _record_line(record: Record) -> tuple[str, str, str]:
    date = getattr(record, "date", None) or getattr(record, "published", None) or ""
    return (str(date), record.id, _record_label(record))


def show(
    ctx: typer.Context,
    id_or_name: Annotated[
        str,
        typer.Argument(
            metavar="ID_OR_NAME",
            help="A record id, a resolution symbol, a forum code, or an actor's name.",
        ),
    ],
    output: DocumentFormatOption = DocumentFormat.table,
) -> None:
    """One record, then everything that points at it: events by date, resolutions,
    actors holding roles in it, records citing it.

    Examples:

    \b
      dprkhr show elizabeth-salmon
      dprkhr show A/HRC/RES/22/13
      dprkhr show HRC --format json
    """
    import shutil

    from dprkhr.models import Forum
    from dprkhr.query import backlinks

    result = backlinks(state(ctx).source(), id_or_name)
    if result.match is not None:
        _report(id_or_name, result.match)
    record = result.record
    data = dump(record)
    groups: list[tuple[str, list[Any]]] = [
        ("events", result.events),
        ("resolutions", result.resolutions),
        ("actors", result.actors),
        ("cited_by", result.cited_by),
    ]
    if output is not DocumentFormat.table:
        document: dict[str, Any] = {"record_type": result.record_type, "record": data}
        for name, items in groups:
            document[name] = [
                {"record_type": r.record_type, "record": dump(r)} if name == "cited_by" else dump(r)
                for r in items
            ]
        if output is DocumentFormat.json:
            echo(_json(document))
        else:
            emit_data(document, output)
        return
    width = min(shutil.get_terminal_size((80, 24)).columns, 100)
    heading = f"{_record_label(record)}  ({result.record_type} {result.id})"
    lines = _wrap("", heading, width)
    shown = "code" if isinstance(record, Forum) else "name"  # already in the heading
    fields = {k: v for k, v in data.items() if k != shown}
    lines += _field_lines(fields, width)
    titles = {
        "events": "Events",
        "resolutions": "Resolutions",
        "actors": "Actors with a role in it",
        "cited_by": "Cited by",
    }
    for name, items in groups:
        if not items:
            continue
        lines.append("")
        lines.append(f"{titles[name]} ({len(items)})")
        date_width = max(len(_record_line(r)[0]) for r in items)
        for item in items:
            date, item_id, label = _record_line(item)
            kind = f"{item.record_type}: " if name == "cited_by" else ""
            prefix = f"  {date.ljust(date_width)}  " if date_width else "  "
            lines += _wrap(prefix, f"{kind}{label} [{item_id}]", width)
    if not any(items for _n, items in groups):
        lines += ["", "Nothing points at it."]
    echo("\n".join(lines) + "\n")


def _json(data: Any) -> str:
    from dprkhr.cli.output import to_json

    return to_json(data)


# --- search ---------------------------------------------------------------------------------


class RecordType(str, Enum):
    actor = "actor"
    event = "event"
    resolution = "resolution"
    source = "source"


def search(
    ctx: typer.Context,
    words: Annotated[
        list[str], typer.Argument(metavar="TEXT", help="Words to look for (all must appear).")
    ],
    type_: Annotated[
        list[RecordType] | None,
        typer.Option(
            "--type",
            "-t",
            help="Only these record types: actor, event, resolution, source.",
            show_default=False,
        ),
    ] = None,
    limit: Annotated[
        int | None, typer.Option(callback=at_least_one, metavar="N", help="Show at most this many.")
    ] = 20,
    sort: Annotated[
        HitOrder,
        typer.Option(
            help="score (best match first), date or -date (undated records last), or type "
            "(actors, resolutions, events, sources). --limit keeps the first N of this order."
        ),
    ] = HitOrder.score,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Search every record for words, best matches first.

    A hit holds every word (accents, case and punctuation aside; a word also matches its
    plural or singular: resolution, resolutions) as a whole word in one of its fields:
    id, name, aliases, native name, title, symbol (an event's document symbols), tags,
    summary, location or quotes. `search --type event WORDS` finds exactly the events
    that `events --text WORDS` keeps, and a tag's name is one of those fields, so the
    words "forced repatriation" find every event tagged forced-repatriation and every
    event that says so.

    When no record holds every word, the command says so and which words no record
    holds. Near matches follow only then, under their own heading (marked `near` in the
    `match` field of json/jsonl/yaml and column of csv; left out of ids), and only when
    each missing word is spelt like a word of the dataset (a typo): never for words
    that appear nowhere.

    Examples:

    \b
      dprkhr search commission of inquiry
      dprkhr search forced repatriation --type event
      dprkhr search Salmon --format csv
    """
    import dataclasses

    from dprkhr.ordering import sort_hits

    kb = state(ctx).source()
    result = kb.search(" ".join(words), types=[t.value for t in type_ or []])
    everything = sort_hits(result.hits or result.near, sort.value)
    shown = everything[:limit]
    whole = kb.whole([h.record for h in shown])
    hits = [dataclasses.replace(h, record=r) for h, r in zip(shown, whole, strict=True)]
    near = not result.hits and bool(result.near)

    def date(hit: Any) -> str:
        record = hit.record
        return str(getattr(record, "date", None) or getattr(record, "published", None) or "")

    if not result.hits:
        _say_no_hit(result, [t.value for t in type_ or []])
    if output is OutputFormat.table:
        if hits:
            columns = [
                Column("Type", lambda h: h.record_type, no_wrap=True),
                Column("Date", date, no_wrap=True),
                Column("Name / title", lambda h: _record_label(h.record), ratio=3),
                Column("ID", lambda h: h.record.id, no_wrap=True),
            ]
            title = None
            if near:
                spelt = ", ".join(f"{w} → {' / '.join(c)}" for w, c in result.corrections.items())
                title = f"Near matches, not the words asked for ({spelt}):"
            table(hits, columns, title=title)
    elif output is OutputFormat.ids:
        if near:
            note(f"{len(result.near)} near matches are not listed as ids; see --format table")
            return
        echo("".join(f"{h.record.id}\n" for h in hits))
    elif output is OutputFormat.csv:
        header = ["record_type", "id", "date", "label", "field", "score", "match"]
        rows = [
            [
                h.record_type,
                h.record.id,
                date(h),
                safe(_record_label(h.record)),
                h.field,
                str(h.score),
                h.match,
            ]
            for h in hits
        ]
        echo(to_csv(header, rows))
    else:
        items = [
            {
                "record_type": h.record_type,
                "match": h.match,
                "score": h.score,
                "field": h.field,
                "record": dump(h.record),
            }
            for h in hits
        ]
        emit_data(items, output)
    noun = "near matches" if near else "hits"
    note_cut(len(hits), len(everything), noun)
    if result.hits:
        from dprkhr.textmatch import TextQuery

        found = [h.record for h in result.hits if h.record_type in ("event", "resolution")]
        note_tag_share(kb, TextQuery.parse(" ".join(words)), found, "events and resolutions")


def _say_no_hit(result: Any, types: list[str]) -> None:
    """Say plainly that no record holds every word, and why."""
    kinds = " or ".join(types) if types else "record"
    asked = safe(result.text.strip())
    if not result.words:  # punctuation, looked for as written
        note(f"No {kinds} holds “{asked}”.")
        return
    note(f"No {kinds} holds every word of “{asked}”.")
    if result.missing:
        listed = ", ".join(f"“{w}”" for w in result.missing)
        note(f"No {kinds} holds {listed}.")
    elif len(result.words) > 1:
        note(f"Each word is in some {kinds}, but none holds them all.")


# --- timeline -------------------------------------------------------------------------------

DEFAULT_GAP_MONTHS = 24


class _OptionalGaps(Command):
    """Lets `--gaps` stand alone (`--gaps` = `--gaps 24`) or take a number of months."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        out: list[str] = []
        for i, arg in enumerate(args):
            if arg == "--":
                out.extend(args[i:])
                break
            out.append(arg)
            if arg == "--gaps":
                following = args[i + 1] if i + 1 < len(args) else None
                if following is None or not following.lstrip("-").isdigit():
                    out.append(str(DEFAULT_GAP_MONTHS))
        return super().parse_args(ctx, out)


@with_filters_help
def timeline(
    ctx: typer.Context,
    actor: ActorsOption = None,
    as_: AsOption = None,
    not_as: NotAsOption = None,
    forum: ForumsOption = None,
    type_: TypesOption = None,
    tag: TagsOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    resolution: ResolutionOption = None,
    text: TextOption = None,
    gaps: Annotated[
        int | None,
        typer.Option(
            "--gaps",
            metavar="[MONTHS]",
            callback=at_least_one,
            help="Mark each forum's silences longer than MONTHS (default "
            f"{DEFAULT_GAP_MONTHS}): no meeting, briefing, dialogue, review, report or "
            "resolution of its own (sanctions aside; see `activity` in data/event-types.yaml "
            "and data/tags.yaml), from --since (or its first record) to --until (or today).",
            show_default=False,
        ),
    ] = None,
    sort: Annotated[Sort, typer.Option(help="date (oldest first) or -date.")] = Sort.date,
    limit: Annotated[
        int | None,
        typer.Option(
            callback=at_least_one,
            metavar="N",
            help="Show at most this many events and resolutions (the first N in --sort "
            "order, with the silences among them); says on stderr how many there are.",
            show_default=False,
        ),
    ] = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Events and resolutions in order, grouped by year, with the silences between them.

    {FILTERS}

    Examples:

    \b
      dprkhr timeline --forum UNSC
      dprkhr timeline --actor Salmon --since 2022
      dprkhr timeline --forum HRC --gaps 24
    """
    from dprkhr.query import timeline as build_timeline

    app = state(ctx)
    today = dt.date.today()
    whole = output not in (OutputFormat.table, OutputFormat.ids, OutputFormat.csv)
    kb = app.source()
    criteria = event_filter_from_options(
        kb, actor, forum, type_, tag, since, until, resolution, text, as_, not_as
    )
    result = build_timeline(kb, criteria, gaps=gaps, sort=sort.value, today=today)
    if whole:
        result.items = kb.whole(result.items)
    note_role_unknown(kb, criteria)
    note_sponsors_unknown(kb, criteria)
    note_undated(result.undated, "cannot be placed on a timeline")
    entries: list[tuple[Any, Any]] = _interleave(result, sort is Sort.newest)
    if limit is not None:
        entries = _first_records(entries, limit, len(result.items))

    if output is OutputFormat.table:
        if not entries:
            note("Nothing in that period." if gaps is None else "No records and no silences.")
            return
        _timeline_table(kb, entries, today)
        if gaps is not None and not result.gaps:
            note(f"No silence longer than {gaps} months.")
        return
    if output is OutputFormat.ids:
        echo("".join(f"{item.id}\n" for kind, item in entries if kind == "record"))
        return

    def row(kind: str, item: Any) -> dict[str, Any]:
        if kind == "gap":
            return {
                "record_type": "gap",
                "forum": item.forum,
                "from": str(item.start),
                "to": str(item.end),
                "months": item.months,
                "after": None if item.after is None else str(item.after),
                "before": None if item.before is None else str(item.before),
            }
        return {"record_type": item.record_type, "record": dump(item)}

    if output is OutputFormat.csv:
        header = [
            "year",
            "record_type",
            "id",
            "date",
            "end_date",
            "forum",
            "type",
            "title",
            "months",
        ]
        rows = []
        for kind, item in entries:
            if kind == "gap":
                rows.append(
                    [
                        str(item.start.year),
                        "gap",
                        "",
                        str(item.start),
                        str(item.end),
                        item.forum,
                        "",
                        _silence(item, today),
                        str(item.months),
                    ]
                )
            else:
                kind_name = item.type if item.record_type == "event" else "resolution"
                end = getattr(item, "end_date", None)
                rows.append(
                    [
                        str(item.date.year),
                        item.record_type,
                        item.id,
                        str(item.date),
                        str(end or ""),
                        item.forum or "",
                        kind_name,
                        safe(_record_title(item)),
                        "",
                    ]
                )
        echo(to_csv(header, rows))
        return
    emit_data([row(kind, item) for kind, item in entries], output)


def _record_title(item: Any) -> str:
    if getattr(item, "record_type", "") == "resolution":
        return " ".join(x for x in (item.symbol, item.title) if x) or item.id
    return str(item.title)


def _first_records(entries: list[tuple[str, Any]], limit: int, total: int) -> list[tuple[str, Any]]:
    """The entries up to the `limit`-th record (with the silences before it); when that
    cuts the list, says so on stderr."""
    if total <= limit:
        return entries
    kept: list[tuple[str, Any]] = []
    records = 0
    for kind, item in entries:
        if kind == "record":
            if records == limit:
                break
            records += 1
        kept.append((kind, item))
    note_cut(limit, total, "events and resolutions")
    return kept


def _interleave(result: Any, newest_first: bool) -> list[tuple[str, Any]]:
    """Records and gaps in one sequence: a gap sits where it begins, after the records of
    its first day."""
    items = result.items[::-1] if newest_first else result.items
    entries: list[tuple[str, Any]] = []
    pending = sorted(result.gaps, key=lambda g: (g.start, g.forum))
    for item in items:
        while pending and pending[0].start < item.date.start:
            entries.append(("gap", pending.pop(0)))
        entries.append(("record", item))
    entries.extend(("gap", gap) for gap in pending)
    return entries[::-1] if newest_first else entries


def _silence(gap: Any, today: Any) -> str:
    """A silence in words: `nothing for 63 months, until 2023-03`, `nothing since
    2024-06-12, to today (29 months)`."""
    if gap.before is None and gap.end == today:
        since = gap.after if gap.after is not None and gap.after.end == gap.start else gap.start
        text = f"nothing since {since}, to today ({gap.months} months)"
    elif gap.before is not None and gap.before.start == gap.end:
        text = f"nothing for {gap.months} months, until {gap.before}"
    else:
        following = f"next: {gap.before}" if gap.before is not None else "none recorded since"
        text = f"nothing for {gap.months} months, to {gap.end} ({following})"
    if gap.after is None:
        text += "; none recorded before"
    elif gap.after.end != gap.start:
        text += f"; last before: {gap.after}"
    return text


def _timeline_table(kb: QuerySource, entries: list[tuple[str, Any]], today: Any) -> None:
    def when(entry: tuple[str, Any]) -> str:
        kind, item = entry
        return (
            f"{item.start}…"
            if kind == "gap"
            else _date_span(item)
            if _is_event(item)
            else item.date
        )

    def what(entry: tuple[str, Any]) -> str:
        kind, item = entry
        return "silence" if kind == "gap" else item.type if _is_event(item) else "resolution"

    def title(entry: tuple[str, Any]) -> str:
        kind, item = entry
        return _silence(item, today) if kind == "gap" else _record_title(item)

    def year(entry: tuple[str, Any]) -> str:
        kind, item = entry
        return str(item.start.year if kind == "gap" else item.date.year)

    columns = [
        Column("Date", when, no_wrap=True),
        Column("Forum", lambda e: e[1].forum or "", no_wrap=True),
        Column("What", what, max_width=20),
        Column("Title", title, ratio=1),
    ]
    table(entries, columns, group=year, row_style=lambda e: "dim" if e[0] == "gap" else "")


def _is_event(item: Any) -> bool:
    return bool(item.record_type == "event")


# --- related --------------------------------------------------------------------------------


def related(
    ctx: typer.Context,
    actor: Annotated[str, typer.Argument(metavar="ACTOR", help="Id or name (forgiving).")],
    limit: LimitOption = None,
    sort: Annotated[
        RelatedOrder,
        typer.Option(
            help="shared (most shared events first), name, or latest (the most recent "
            "shared event first). --limit keeps the first N of this order."
        ),
    ] = RelatedOrder.shared,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Actors who took part in the same events as ACTOR, most shared events first.

    Examples:

    \b
      dprkhr related Salmon
      dprkhr related japan --limit 5 --format csv
    """
    from dprkhr.query import related as find_related

    kb = state(ctx).source()
    actor_id = actor_id_from_name(kb, actor)
    everyone = find_related(kb, actor_id)
    from dprkhr.ordering import sort_related

    found = sort_related(everyone, sort.value)[:limit]
    if output is OutputFormat.table:
        if not found:
            note(f"No one shares an event with {actor_id}.")
            return
        columns = [
            Column("Shared", lambda r: r.count, no_wrap=True),
            Column("ID", lambda r: r.actor.id, no_wrap=True),
            Column("Name", lambda r: r.actor.name, ratio=2, min_width=16),
            Column("Kind", lambda r: kind_text(r.actor.kind), no_wrap=True),
            Column("Latest", lambda r: r.events[-1].date, no_wrap=True),
        ]
        table(found, columns)
    elif output is OutputFormat.ids:
        echo("".join(f"{r.actor.id}\n" for r in found))
    elif output is OutputFormat.csv:
        header = ["id", "name", "kind", "shared", "events"]
        rows = [
            [
                r.actor.id,
                safe(r.actor.name),
                kind_text(r.actor.kind),
                str(r.count),
                "; ".join(e.id for e in r.events),
            ]
            for r in found
        ]
        echo(to_csv(header, rows))
    else:
        items = [
            {
                "id": r.actor.id,
                "name": r.actor.name,
                "kind": kind_text(r.actor.kind),
                "shared": r.count,
                "events": [{"id": e.id, "date": str(e.date), "title": e.title} for e in r.events],
            }
            for r in found
        ]
        emit_data(items, output)
    note_cut(len(found), len(everyone), "actors")


def kind_text(kind: Any) -> str:
    """An actor's kind: an enum on a record, a string in the query index."""
    return str(getattr(kind, "value", kind))


# --- stats ----------------------------------------------------------------------------------


class By(str, Enum):
    year = "year"
    forum = "forum"
    type = "type"
    tag = "tag"


class StatsFormat(str, Enum):
    table = "table"
    json = "json"
    yaml = "yaml"
    csv = "csv"


@with_filters_help
def stats(
    ctx: typer.Context,
    by: Annotated[
        list[By] | None,
        typer.Option(
            "--by",
            metavar="<year|forum|type|tag>",
            help="Count events and resolutions by year, forum, type or tag; give two for a "
            "table of one by the other (--by year --by tag).",
            show_default=False,
        ),
    ] = None,
    actor: ActorsOption = None,
    as_: AsOption = None,
    not_as: NotAsOption = None,
    forum: ForumsOption = None,
    type_: TypesOption = None,
    tag: TagsOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    resolution: ResolutionOption = None,
    text: TextOption = None,
    output: Annotated[
        StatsFormat,
        typer.Option("--format", "-f", help="Output: table, json, yaml, or csv (with --by)."),
    ] = StatsFormat.table,
) -> None:
    """Counts by record type, forum, year and event type; how many records cite and quote
    their sources. With filters, of the events and resolutions they select; with --by,
    events and resolutions counted by year, forum, type or tag, or by two of them.

    With --by tag, --tag picks the tags to count instead of filtering: `stats --by year
    --by tag --tag accountability --tag engagement` counts, year by year, the records
    carrying each (one carrying both counts in both; one carrying neither is left out).
    A record with several tags counts under each; years run from the first to the last
    (or from --since to --until), with the empty ones; a year is the year an event
    starts.

    {FILTERS}

    Examples:

    \b
      dprkhr stats
      dprkhr stats --by year --by tag --tag accountability --tag engagement
      dprkhr stats --by forum --actor Japan --format csv
    """
    import dataclasses

    from dprkhr.query import stats as compute

    app = state(ctx)
    kb = app.source()
    criteria = event_filter_from_options(
        kb, actor, forum, type_, tag, since, until, resolution, text, as_, not_as
    )
    if by:
        _breakdown(kb, criteria, [b.value for b in by], output)
        note_role_unknown(kb, criteria)
        note_sponsors_unknown(kb, criteria)
        note_dates_unknown(kb, criteria)
        return
    if output is StatsFormat.csv:
        raise UsageError("--format csv needs --by (one row a year, forum, type or tag)")
    result = compute(kb, criteria)
    note_role_unknown(kb, criteria)
    note_sponsors_unknown(kb, criteria)
    note_dates_unknown(kb, criteria)
    if output is not StatsFormat.table:
        data = dataclasses.asdict(result)
        data["by_year"] = {str(k): v for k, v in data["by_year"].items()}
        emit_data(data, output)
        return
    plural = {
        "actor": "actors",
        "event": "events",
        "resolution": "resolutions",
        "source": "sources",
    }
    lines = [
        "Records: "
        + ", ".join(f"{n} {plural[k] if n != 1 else k}" for k, n in result.records.items())
    ]
    lines.append("")
    lines.append("Citations         cited   quoted")
    for kind, share in result.cited.items():
        lines.append(f"  {plural[kind]:<14} {share:>6.0%}   {result.quoted[kind]:>6.0%}")
    for title, counts in (
        ("Events by forum", result.events_by_forum),
        ("Resolutions by forum", result.resolutions_by_forum),
        ("Events by type", result.event_types),
    ):
        if counts:
            lines += ["", title]
            width = max(len(k) for k in counts)
            lines += [f"  {safe(k):<{width}}  {n:>5}" for k, n in counts.items()]
    if result.by_year:
        lines += ["", "By year    events  resolutions"]
        lines += [
            f"  {y}     {c['event']:>6}  {c['resolution']:>11}" for y, c in result.by_year.items()
        ]
    echo("\n".join(lines) + "\n")


def _breakdown(kb: Any, criteria: EventFilter, by: list[str], output: StatsFormat) -> None:
    """`stats --by`: a table (one dimension: a row per value; two: the first down, the
    second across, totals in the cells), or rows in json, yaml and csv."""
    from dprkhr.query import breakdown

    result = breakdown(kb, criteria, by)
    if output is StatsFormat.csv:
        header = [*by, "events", "resolutions", "total"]
        echo(to_csv(header, [[safe(str(row[k])) for k in header] for row in result.rows]))
        return
    if output is not StatsFormat.table:
        data = {"by": by, "filters": criteria.describe(), "rows": result.rows}
        emit_data(data, output)
        return
    if not any(row["total"] for row in result.rows):
        note("Nothing to count: no event or resolution matches.")
        return
    first = by[0]
    if len(by) == 1:
        columns = [
            Column(first.capitalize(), lambda r: r[first], no_wrap=True),
            Column("Events", lambda r: r["events"], no_wrap=True, justify="right"),
            Column("Resolutions", lambda r: r["resolutions"], no_wrap=True, justify="right"),
            Column("Total", lambda r: r["total"], no_wrap=True, justify="right"),
        ]
        table(result.rows, columns)
    else:
        second = by[1]
        across = result.values(second)
        cells = {(r[first], r[second]): r["total"] for r in result.rows}
        down = result.values(first)
        columns = [Column(first.capitalize(), _itself, no_wrap=True)]
        columns += [
            Column(str(value), _cell(cells, value), min_width=5, justify="right")
            for value in across
        ]
        table(down, columns)
        note("Cells count events and resolutions together (json and csv give them apart).")
    if "tag" in by:
        note("A record with several tags counts under each.")


def _itself(value: Any) -> Any:
    return value


def _cell(cells: dict[tuple[Any, Any], int], across: Any) -> Callable[[Any], int]:
    """The cell of a row (`down`) in the column `across`."""
    return lambda down: cells[(down, across)]


def register(app: typer.Typer) -> None:
    app.command("events")(events)
    app.command("actors")(actors)
    app.command("resolutions")(resolutions)
    app.command("show")(show)
    app.command("search")(search)
    app.command("timeline", cls=_OptionalGaps)(timeline)
    app.command("related")(related)
    app.command("stats")(stats)
