"""`dprkhr fmt`: rewrite record files in canonical form."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dprkhr.cli.common import state


def fmt(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files or folders to format (default: the whole dataset).",
            show_default=False,
            metavar="PATHS",
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Change nothing: print a diff of each file that is not canonical and exit 1.",
        ),
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print only errors and diffs.")
    ] = False,
) -> None:
    """Rewrite records in canonical form: key order as in the data model, block style,
    consistent quoting, folded long text, one trailing newline.

    Comments and every value are kept: a result is only written when it loads to the
    same data and holds the same comments. Files are replaced atomically. A file that
    does not parse is reported and left untouched.

    Exit status: 0 all canonical (or reformatted), 1 a file is not canonical (with
    --check) or could not be formatted, 2 usage error.

    Examples:

    \b
      dprkhr fmt --check
      dprkhr fmt data/events
    """
    from dprkhr.errors import UsageError
    from dprkhr.fmt import format_paths
    from dprkhr.layout import display_path
    from dprkhr.lint.reporters import safe

    root = state(ctx).data_root() if check else state(ctx).writable_root("fmt")
    for path in paths or []:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
    results = format_paths(paths or [root], root, check)
    changed = errors = unchanged = skipped = 0
    for result in results:
        shown = safe(display_path(result.path))
        if result.status == "error":
            errors += 1
            typer.echo(
                f"{shown}:{result.line}:{result.column}: error: {safe(result.message)} "
                "(left untouched; run `dprkhr lint` for details)",
                err=True,
            )
        elif result.status == "skipped":
            skipped += 1
            if not quiet:
                typer.echo(f"{shown}: skipped: {result.message}", err=True)
        elif result.status == "reformatted":
            changed += 1
            if check:
                typer.echo(
                    "".join(safe(line) + "\n" for line in result.diff.splitlines()), nl=False
                )
            elif not quiet:
                typer.echo(f"reformatted {shown}", err=True)
        else:
            unchanged += 1
    if not quiet:
        typer.echo(_summary(check, changed, unchanged, errors, skipped), err=True)
    raise typer.Exit(1 if errors or (check and changed) else 0)


def _files(n: int) -> str:
    return f"{n} file{'' if n == 1 else 's'}"


def _summary(check: bool, changed: int, unchanged: int, errors: int, skipped: int) -> str:
    parts = [
        f"{_files(changed)} {'would be reformatted' if check else 'reformatted'}"
        if changed
        else "",
        f"{_files(unchanged)} already canonical" if unchanged else "",
        f"{_files(errors)} could not be formatted" if errors else "",
        f"{_files(skipped)} skipped" if skipped else "",
    ]
    text = ", ".join(p for p in parts if p) or "no record files found"
    if check and changed:
        text += "; run `dprkhr fmt` to fix"
    return text


def register(app: typer.Typer) -> None:
    app.command("fmt")(fmt)
