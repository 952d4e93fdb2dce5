"""`dprkhr export FORMAT`: the knowledge base for other tools."""

from __future__ import annotations

import io
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from dprkhr.cli.common import state
from dprkhr.cli.query import (
    ActorsOption,
    AsOption,
    ForumsOption,
    NotAsOption,
    ResolutionOption,
    SinceOption,
    TagsOption,
    TextOption,
    TypesOption,
    UntilOption,
    event_filter_from_options,
    note_dates_unknown,
    note_role_unknown,
    note_sponsors_unknown,
    with_filters_help,
)


class ExportFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    sqlite = "sqlite"
    popolo = "popolo"
    ics = "ics"
    graphml = "graphml"
    dot = "dot"


@with_filters_help
def export(
    ctx: typer.Context,
    format_name: Annotated[
        ExportFormat,
        typer.Argument(
            metavar="FORMAT",
            help="What to write; docs/export.md describes each format.",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="Where to write (required for csv: a folder or a .zip; and for sqlite). "
            "Text formats go to standard output without it.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing file or CSV export folder.")
    ] = False,
    actor: ActorsOption = None,
    as_: AsOption = None,
    not_as: NotAsOption = None,
    forum: ForumsOption = None,
    event_type: TypesOption = None,
    tag: TagsOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    resolution: ResolutionOption = None,
    text: TextOption = None,
    bipartite: Annotated[
        bool,
        typer.Option(
            "--bipartite", help="graphml, dot: the actor-event graph instead of the actor network."
        ),
    ] = False,
) -> None:
    """Export the knowledge base for spreadsheets, SQL/datasette, Popolo tools, calendars
    and network analysis.

    Filters select events and resolutions; the export then adds every actor, resolution
    and source they point at, so that it stands on its own (so with --type, resolutions
    come in only when a selected event names them).

    {FILTERS}

    The same data always gives the same bytes. An existing file is never replaced
    without --force, and a file is only ever replaced whole.

    Examples:

    \b
      dprkhr export json --forum HRC > hrc.json
      dprkhr export csv --output tables/
      dprkhr export sqlite --output dprkhr.db --since 2014
    """
    from dprkhr.export import ExportOptions, run_export

    app = state(ctx)
    # json and jsonl are written in one pass, from records read part by part (the store);
    # the other formats go over the records several times (the knowledge base in memory)
    streamed = format_name in (ExportFormat.json, ExportFormat.jsonl)
    kb = app.source() if streamed else app.kb()
    flt = event_filter_from_options(
        kb, actor, forum, event_type, tag, since, until, resolution, text, as_, not_as
    )
    note_role_unknown(kb, flt)
    note_sponsors_unknown(kb, flt)
    note_dates_unknown(kb, flt)
    options = ExportOptions(bipartite=bipartite)
    if output is None:
        stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
        try:
            run_export(
                kb,
                format_name.value,
                stdout=stream,
                flt=flt,
                options=options,
                data_root=state(ctx).data_root(),
            )
        finally:
            stream.flush()
            stream.detach()
        return
    result = run_export(
        kb,
        format_name.value,
        output=output,
        force=force,
        flt=flt,
        options=options,
        data_root=state(ctx).data_root(),
    )
    from dprkhr.lint.reporters import safe

    counts = ", ".join(
        f"{n} {name if n != 1 else name.removesuffix('s')}" for name, n in result.counts.items()
    )
    typer.echo(f"Wrote {safe(str(output))} ({counts}).", err=True)
    if result.companion is not None:
        typer.echo(
            f"Wrote {safe(str(result.companion))}: datasette {safe(str(output))} "
            f"-m {safe(str(result.companion))}",
            err=True,
        )


def register(app: typer.Typer) -> None:
    app.command("export")(export)
