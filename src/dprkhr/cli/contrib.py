"""The contributors' commands: `new`, `schema`, `fmt` and `diff`."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    from dprkhr.cli import diff, fmt, new, schema

    new.register(app)
    schema.register(app)
    fmt.register(app)
    diff.register(app)
