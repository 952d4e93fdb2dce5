"""`dprkhr schema`: JSON Schema of the record files, for editors and validators."""

from __future__ import annotations

from typing import Annotated

import typer


def schema(
    kind: Annotated[
        str | None,
        typer.Argument(
            help="actor, event, resolution, source, forums, tags or event-types "
            "(default: list them).",
            show_default=False,
            metavar="KIND",
        ),
    ] = None,
) -> None:
    """Print the JSON Schema (draft 2020-12) of a kind of record file.

    The schemas are generated from the data model. Copies are committed under
    `schemas/`, and `.vscode/settings.json` maps them to the data folders for the YAML
    language server; see CONTRIBUTING.md for other editors.

    Examples:

    \b
      dprkhr schema event
      dprkhr schema actor > actor.schema.json
    """
    from dprkhr.schema import SCHEMA_KINDS, file_name, schema_text

    if kind is None:
        width = max(len(k) for k in SCHEMA_KINDS)
        for name, files in SCHEMA_KINDS.items():
            typer.echo(f"{name.ljust(width)}  schemas/{file_name(name)}  {files}")
        return
    typer.echo(schema_text(kind), nl=False)


def register(app: typer.Typer) -> None:
    app.command("schema")(schema)
