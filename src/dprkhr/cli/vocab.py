"""`dprkhr vocab`: the forums, tags and event types, with how many records use each."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from dprkhr.cli.common import state
from dprkhr.cli.output import (
    FORMAT_HELP,
    Column,
    OutputFormat,
    echo,
    emit_data,
    note,
    table,
    to_csv,
)


class Vocabulary(str, Enum):
    forums = "forums"
    tags = "tags"
    types = "types"


def vocab(
    ctx: typer.Context,
    vocabulary: Annotated[
        list[Vocabulary] | None,
        typer.Argument(
            metavar="VOCABULARY",
            help="Which vocabularies (default: all three; types are event types).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", "-f", help=FORMAT_HELP, show_default=True)
    ] = OutputFormat.table,
) -> None:
    """The forums, tags and event types records may use (data/forums.yaml, tags.yaml,
    event-types.yaml), each with the number of events and resolutions using it.

    Examples:

    \b
      dprkhr vocab
      dprkhr vocab tags
      dprkhr vocab types --format csv
    """
    from dprkhr.vocab import FILES, VOCABULARIES, vocab_usage

    chosen = tuple(dict.fromkeys(v.value for v in vocabulary)) if vocabulary else VOCABULARIES
    entries = vocab_usage(state(ctx).kb(), chosen)

    def count(value: int | None) -> str:
        return "" if value is None else str(value)

    if output is OutputFormat.table:
        for name in chosen:
            rows = [e for e in entries if e.vocabulary == name]
            if not rows:
                note(f"No {name} in {FILES[name]}.")
                continue
            columns = [
                Column("ID" if name != "forums" else "Code", lambda e: e.id, no_wrap=True),
                Column("Name", lambda e: e.name, ratio=1),
                Column("Events", lambda e: e.events, no_wrap=True),
            ]
            if name != "types":
                columns.append(Column("Resolutions", lambda e: count(e.resolutions), no_wrap=True))
            if name != chosen[0]:
                echo("\n")
            table(rows, columns, title=f"{name.capitalize()} ({FILES[name]})")
    elif output is OutputFormat.ids:
        echo("".join(f"{e.id}\n" for e in entries))
    elif output is OutputFormat.csv:
        header = ["vocabulary", "id", "name", "events", "resolutions"]
        cells = [[e.vocabulary, e.id, e.name, str(e.events), count(e.resolutions)] for e in entries]
        echo(to_csv(header, cells))
    else:
        items = [
            {
                "vocabulary": e.vocabulary,
                "id": e.id,
                "name": e.name,
                "events": e.events,
                **({} if e.resolutions is None else {"resolutions": e.resolutions}),
            }
            for e in entries
        ]
        emit_data(items, output)


def register(app: typer.Typer) -> None:
    app.command("vocab")(vocab)
