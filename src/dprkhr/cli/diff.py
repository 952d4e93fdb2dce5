"""`dprkhr diff`: what a change does to the knowledge base, record by record."""

from __future__ import annotations

import json
import re
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from dprkhr.cli.common import state
from dprkhr.safetext import json_safe

if TYPE_CHECKING:
    from dprkhr.diff import DiffResult, RecordChange


class DiffFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"


def diff(
    ctx: typer.Context,
    rev: Annotated[
        str | None,
        typer.Argument(
            help="Base revision (default: the merge base of HEAD with main).",
            metavar="REV",
            show_default=False,
        ),
    ] = None,
    rev2: Annotated[
        str | None,
        typer.Argument(
            help="Revision to compare with (default: the working tree).",
            show_default=False,
            metavar="REV2",
        ),
    ] = None,
    output_format: Annotated[
        DiffFormat,
        typer.Option("--format", "-f", help="text, markdown (for a pull-request comment) or json."),
    ] = DiffFormat.text,
) -> None:
    """Show the records added, removed and changed between two revisions, field by field.

    Reads the files from git, so renamed files are followed, and a file that does not
    load is reported as broken rather than stopping the comparison. Uncommitted and
    untracked files count when comparing with the working tree.

    Exit status: 0 (also when records changed or are broken), 2 usage error (not a git
    repository, unknown revision).

    Examples:

    \b
      dprkhr diff
      dprkhr diff HEAD~1 --format markdown
    """
    from dprkhr.diff import diff_dataset

    root = state(ctx).data_root()
    result = diff_dataset(root, rev, rev2)
    if output_format is DiffFormat.json:
        typer.echo(
            json_safe(json.dumps(result.to_dict(), ensure_ascii=False, indent=2, default=str))
        )
    elif output_format is DiffFormat.markdown:
        typer.echo(render_markdown(result), nl=False)
    else:
        typer.echo(render_text(result), nl=False)


# ---------------------------------------------------------------------------- rendering


def _value(value: Any, limit: int = 120) -> str:
    from dprkhr.lint.reporters import safe

    text = safe(json.dumps(value, ensure_ascii=False, default=str))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _summary(result: DiffResult) -> str:
    counts = result.counts()
    parts = [f"{n} {status}" for status, n in counts.items() if n]
    return ", ".join(parts) if parts else "no record changed"


def _field_lines(record: RecordChange) -> list[tuple[str, str, str]]:
    out = []
    for change in record.fields:
        if change.change == "added":
            out.append(("+", change.path, _value(change.new)))
        elif change.change == "removed":
            out.append(("-", change.path, _value(change.old)))
        else:
            out.append(("~", change.path, f"{_value(change.old)} -> {_value(change.new)}"))
    return out


def _short(commit: str | None) -> str:
    return commit[:10] if commit else ""


def render_text(result: DiffResult) -> str:
    from dprkhr.lint.reporters import safe

    base = f"{_short(result.base)} ({safe(result.base_label)})"
    head = (
        f"{_short(result.head)} ({safe(result.head_label)})" if result.head else result.head_label
    )
    lines = [f"{base} -> {head}: {_summary(result)}"]
    for record in result.records:
        where = safe(record.new_path or record.old_path or "")
        if record.status == "renamed":
            where = f"{safe(record.old_path or '')} -> {safe(record.new_path or '')}"
        label = f"  {safe(record.label)}" if record.label else ""
        lines.append(f"{record.status:<8} {record.kind} {safe(record.id)}{label}  ({where})")
        for sign, path, text in _field_lines(record):
            lines.append(f"    {sign} {safe(path)}: {text}")
        for broken in record.broken:
            side = "base" if broken.side == "base" else "head"
            lines.append(
                f"    ! broken in {side}: line {broken.line}, column {broken.column}: "
                f"{safe(broken.message)}"
            )
    return "\n".join(lines) + "\n"


_MD_PUNCT = re.compile(r"([\\`*_\[\]<>&|~])")


def _md(text: str) -> str:
    """Data text as literal markdown: the marks that could format or link escaped."""
    from dprkhr.lint.reporters import safe

    return _MD_PUNCT.sub(r"\\\1", safe(text))


def _code(text: str) -> str:
    """A markdown code span that holds any text (backticks included)."""
    from dprkhr.lint.reporters import safe

    text = safe(text)
    run = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (run + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def render_markdown(result: DiffResult) -> str:
    head = _code(_short(result.head)) if result.head else "the working tree"
    lines = [
        "### Knowledge base changes",
        "",
        f"From {_code(_short(result.base))} ({_md(result.base_label)}) to {head}: "
        f"**{_summary(result)}**.",
        "",
    ]
    for record in result.records:
        where = _code(record.new_path or record.old_path or "")
        if record.status == "renamed":
            where = f"{_code(record.old_path or '')} → {_code(record.new_path or '')}"
        label = f": {_md(record.label)}" if record.label else ""
        lines.append(f"- **{record.status}** {record.kind} {_code(record.id)}{label} ({where})")
        for change in record.fields:
            if change.change == "changed":
                detail = f"{_code(_value(change.old))} → {_code(_value(change.new))}"
            else:
                detail = _code(_value(change.new if change.change == "added" else change.old))
            lines.append(f"  - {_code(change.path)} {change.change}: {detail}")
        for broken in record.broken:
            side = "base" if broken.side == "base" else "head"
            lines.append(
                f"  - ⚠️ does not load in the {side} (line {broken.line}, column "
                f"{broken.column}): {_md(broken.message)}"
            )
    if not result.records:
        lines.append("No record was added, removed or changed.")
    return "\n".join(lines) + "\n"


def register(app: typer.Typer) -> None:
    app.command("diff")(diff)
