"""`dprkhr lint`: check records for errors, with annotations for CI."""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from dprkhr.cli.common import state, use_color


class LintFormat(str, Enum):
    text = "text"
    parsable = "parsable"
    json = "json"
    github = "github"
    sarif = "sarif"


def _split(values: list[str] | None) -> list[str]:
    """Accept both `--select DPK3 --select DPK4` and `--select DPK3,DPK4`."""
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def lint(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files or folders to report on (default: the whole dataset). Cross-record "
            "checks always see the whole dataset.",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        LintFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format (default: text; github when $GITHUB_ACTIONS is set).",
            show_default=False,
        ),
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option(
            help="Run only these rules: code prefixes (DPK3) or names.", show_default=False
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option(help="Skip these rules: code prefixes or names.", show_default=False),
    ] = None,
    strict: Annotated[
        bool | None,
        typer.Option("--strict/--no-strict", help="Fail on warnings too.", show_default=False),
    ] = None,
    archive: Annotated[
        Path | None,
        typer.Option(
            help="Folder of archived source texts (<source id>.txt) to check quotes against.",
            file_okay=False,
            show_default=False,
        ),
    ] = None,
    list_rules: Annotated[
        bool, typer.Option("--list-rules", help="List every rule and exit.")
    ] = False,
    changed: Annotated[
        bool,
        typer.Option(
            "--changed",
            help="Report on the files changed since the revision given as the argument "
            "(default: the merge base with main), untracked ones included, and on the "
            "records that point at them.",
        ),
    ] = False,
) -> None:
    """Check records for errors: YAML, schema, references, dates, votes, citations.

    Exit status: 0 clean (warnings allowed), 1 errors found (or warnings with --strict),
    2 usage error. Never writes to data files.

    Examples:

    \b
      dprkhr lint
      dprkhr lint data/events --format github
      dprkhr lint --select DPK6 --format json
    """
    from dprkhr.errors import UsageError
    from dprkhr.lint import find_pyproject, lint_paths, load_config
    from dprkhr.lint.reporters import REPORTERS

    if list_rules:
        typer.echo(_rules_table(), nl=False)
        return
    app_state = state(ctx)
    root = app_state.data_root()
    if changed and len(paths or []) > 1:
        raise UsageError("--changed takes one revision, not paths: dprkhr lint --changed [REV]")
    for path in [] if changed else paths or []:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
    if archive is not None and not archive.is_dir():
        raise UsageError(f"--archive {archive}: no such folder")
    config = load_config(find_pyproject(Path.cwd(), root.resolve()))
    config = config.merged(
        select=_split(select) or None, ignore=_split(ignore), strict=strict, archive=archive
    )
    if config.archive is not None and not config.archive.is_dir():
        raise UsageError(f"archive {config.archive}: no such folder")
    if changed:
        from dprkhr.changed import lint_changed

        result = lint_changed(
            root, str(paths[0]) if paths else None, config, cache=app_state.use_cache()
        )
    else:
        result = lint_paths(root, paths or [], config, cache=app_state.use_cache())
    chosen = output_format or (
        LintFormat.github if os.environ.get("GITHUB_ACTIONS") == "true" else LintFormat.text
    )
    render = REPORTERS[chosen.value]
    typer.echo(render(result, chosen is LintFormat.text and use_color()), nl=False)
    if chosen is LintFormat.github:
        from dprkhr.lint.reporters import summary_line

        typer.echo(summary_line(result), err=True)
    raise typer.Exit(result.exit_code)


def _rules_table() -> str:
    from dprkhr.lint.rules import RULES

    width = max(len(r.name) for r in RULES)
    return "".join(
        f"{r.code}  {r.name.ljust(width)}  {r.severity.value.ljust(7)}  {r.summary}\n"
        for r in RULES
    )


def register(app: typer.Typer) -> None:
    app.command("lint")(lint)
