"""`dprkhr new`: scaffold a record file from a few facts."""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated, Any

import typer

from dprkhr.cli.common import state


class RecordKind(str, Enum):
    event = "event"
    actor = "actor"
    resolution = "resolution"
    source = "source"


_PROMPTS = {
    "date": "Date (YYYY-MM-DD, or YYYY-MM or YYYY when only that is known)",
    "type": "Event type (see data/event-types.yaml, e.g. briefing)",
    "title": "Title, in your own words",
    "name": "Name, as the actor writes it",
    "kind": "Kind",
    "symbol": "UN symbol (e.g. A/HRC/RES/22/13; leave empty if none)",
    "forum": "Forum code (e.g. HRC, UNGA, UNSC)",
}
_KIND_CHOICES = {
    "actor": "person, state, organization, un-body",
    "source": "article, news, report, statement, un-document, web-page, ...",
}


def interactive() -> bool:
    """Whether to ask for missing values: only when both stdin and stdout are terminals."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def new(
    ctx: typer.Context,
    record: Annotated[RecordKind, typer.Argument(help="What to create.", metavar="RECORD")],
    record_id: Annotated[
        str | None,
        typer.Option(
            "--id",
            metavar="ID",
            help="The id (default: derived; see CONTRIBUTING.md).",
            show_default=False,
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            metavar="DATE",
            help="Event or adoption date: YYYY-MM-DD, YYYY-MM or YYYY.",
            show_default=False,
        ),
    ] = None,
    end_date: Annotated[
        str | None,
        typer.Option(metavar="DATE", help="Event: last day, for spans.", show_default=False),
    ] = None,
    event_type: Annotated[
        str | None,
        typer.Option(
            "--type",
            metavar="TYPE",
            help="Event: a type from data/event-types.yaml.",
            show_default=False,
        ),
    ] = None,
    forum: Annotated[
        str | None,
        typer.Option(
            metavar="FORUM",
            help="Event or resolution: forum code or name (a resolution's is read from its "
            "symbol when it is left out).",
            show_default=False,
        ),
    ] = None,
    title: Annotated[
        str | None,
        typer.Option(
            metavar="TEXT", help="Event, resolution or source: the title.", show_default=False
        ),
    ] = None,
    location: Annotated[
        str | None, typer.Option(metavar="TEXT", help="Event: where.", show_default=False)
    ] = None,
    participant: Annotated[
        list[str] | None,
        typer.Option(
            metavar="ACTOR[:ROLE]",
            help="Event: an actor's id, name or alias, with :ROLE after it if you like "
            '("Elizabeth Salmon:briefer"; repeatable). A name no actor has creates nothing: '
            "add the actor first.",
            show_default=False,
        ),
    ] = None,
    slug: Annotated[
        str | None,
        typer.Option(
            metavar="WORDS",
            help="Event: the words after the date in the id (default: forum and type, "
            "else the title).",
            show_default=False,
        ),
    ] = None,
    symbol: Annotated[
        str | None,
        typer.Option(
            metavar="SYMBOL",
            help="Resolution: the UN symbol, e.g. A/HRC/RES/22/13.",
            show_default=False,
        ),
    ] = None,
    session: Annotated[
        str | None,
        typer.Option(
            metavar="N",
            help="Resolution: session (default: read from the symbol).",
            show_default=False,
        ),
    ] = None,
    adoption: Annotated[
        str | None,
        typer.Option(
            metavar="HOW",
            help="Resolution: without-vote, vote, or counts YES-NO-ABSTAIN (30-6-11).",
            show_default=False,
        ),
    ] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option(
            metavar="TAG",
            help="Event or resolution: a tag from data/tags.yaml (repeatable).",
            show_default=False,
        ),
    ] = None,
    name: Annotated[
        str | None, typer.Option(metavar="TEXT", help="Actor: the name.", show_default=False)
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            metavar="KIND",
            help="Actor: person, state, organization or un-body. Source: article, news, "
            "report, statement, un-document, web-page...",
            show_default=False,
        ),
    ] = None,
    alias: Annotated[
        list[str] | None,
        typer.Option(
            metavar="TEXT", help="Actor: another spelling (repeatable).", show_default=False
        ),
    ] = None,
    native_name: Annotated[
        str | None,
        typer.Option(metavar="TEXT", help="Actor: the name in its own script.", show_default=False),
    ] = None,
    country: Annotated[
        str | None,
        typer.Option(
            metavar="CC", help="Actor: ISO 3166-1 alpha-2 code (KR, KP).", show_default=False
        ),
    ] = None,
    publisher: Annotated[
        str | None, typer.Option(metavar="TEXT", help="Source: the publisher.", show_default=False)
    ] = None,
    author: Annotated[
        str | None, typer.Option(metavar="TEXT", help="Source: the author.", show_default=False)
    ] = None,
    published: Annotated[
        str | None,
        typer.Option(metavar="DATE", help="Source: publication date.", show_default=False),
    ] = None,
    url: Annotated[
        str | None,
        typer.Option(metavar="URL", help="Source: where to read it.", show_default=False),
    ] = None,
    language: Annotated[
        str | None,
        typer.Option(metavar="LANG", help="Source: ISO 639-1 code (en, ko).", show_default=False),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            metavar="ID", help="Cite this source id (data/sources/<id>.yaml).", show_default=False
        ),
    ] = None,
    page: Annotated[
        str | None, typer.Option(metavar="PAGE", help="Page of the citation.", show_default=False)
    ] = None,
    quote: Annotated[
        str | None,
        typer.Option(
            metavar="TEXT",
            help="A short exact quote from the source that supports the record.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Create a record file from options, and print its path.

    The id is derived (date and slug for events, the symbol for resolutions, the name
    for actors); an existing file is never overwritten. On a terminal, missing required
    values are asked for; otherwise they are a usage error. The file is in canonical
    form and passes `dprkhr lint` except for what only you can add: without --source,
    lint reports the missing citation (DPK601).

    Examples:

    \b
      dprkhr new event --date 2023-08-17 --forum UNSC --type briefing --title "..."
      dprkhr new resolution --symbol A/HRC/RES/22/13 --date 2013-03-21 \\
          --adoption without-vote
      dprkhr new actor --name "Elizabeth Salmón" --kind person --country PE
    """
    from dprkhr.errors import UsageError
    from dprkhr.new import REQUIRED, plan_record, write_new

    root = state(ctx).writable_root("new")
    values: dict[str, Any] = {
        "id": record_id,
        "date": date,
        "end_date": end_date,
        "type": event_type,
        "forum": forum,
        "title": title,
        "location": location,
        "participants": participant or [],
        "slug": slug,
        "symbol": symbol,
        "session": session,
        "adoption": adoption,
        "tags": tag or [],
        "name": name,
        "kind": kind,
        "aliases": alias or [],
        "native_name": native_name,
        "country": country,
        "publisher": publisher,
        "author": author,
        "published": published,
        "url": url,
        "language": language,
        "source": source,
        "page": page,
        "quote": quote,
    }
    wanted = list(REQUIRED[record.value])
    if record is RecordKind.resolution and not symbol and not forum:
        wanted.insert(0, "symbol")
    missing = [f for f in wanted if not values.get(f)]
    if missing and interactive():
        from dprkhr.new import check_answer, symbol_forum

        def ask(field: str, label: str, default: str | None = None) -> str | None:
            """Ask until the answer is valid: a mistyped type is said at once."""
            while True:
                answer = typer.prompt(label, default=default, show_default=False)
                try:
                    return check_answer(root, record.value, field, answer)
                except UsageError as exc:
                    typer.echo(f"Error: {exc}", err=True)

        for field in missing:
            label = _PROMPTS[field]
            if field == "kind":
                label += f" ({_KIND_CHOICES[record.value]})"
            if field == "symbol":
                values["symbol"] = ask("symbol", label, default="")
                forum_known = values.get("forum") or (
                    values["symbol"] and symbol_forum(root, values["symbol"])
                )
                if not forum_known:
                    values["forum"] = ask("forum", _PROMPTS["forum"])
                continue
            values[field] = ask(field, label)
    elif missing:
        options = " ".join(f"--{m.replace('_', '-')} ..." for m in missing)
        raise UsageError(
            f"a new {record.value} needs {options} (pass them, or run on a terminal to be asked)"
        )
    plan = plan_record(root, record.value, values)
    from dprkhr.layout import display_path

    path = write_new(plan)
    for line in plan.notes:
        typer.echo(line, err=True)
    typer.echo(display_path(path))
    if not plan.cited and record is not RecordKind.source:
        typer.echo(
            "next: fill in the fields, cite a source with a short exact quote, then run "
            "`dprkhr lint` and `dprkhr fmt`",
            err=True,
        )


def register(app: typer.Typer) -> None:
    app.command("new")(new)
