"""Output shared by the query commands: `--format table|json|jsonl|csv|yaml|ids`.

- `table`: rich, no markup and no highlighting, data text escaped (`safe`), sized to the
  terminal (80 columns when not a terminal).
- `json`: one array; `jsonl`: one object a line; `yaml`: one list. Records are their own
  fields, `model_dump(mode="json", exclude_none=True)`, nothing added.
- `csv`: one row a record, with a header even when empty; the columns of each record type
  are in `dprkhr.cli.csvrows` (lists whose items stand whole in one cell, joined by `; `;
  `dprkhr export csv` has every list as a table of its own).
- `ids`: one id a line, for pipes (`dprkhr events --format ids | xargs ...`).
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, Literal, Protocol

import typer

from dprkhr.safetext import csv_cell, has_unsafe, json_safe, safe

if TYPE_CHECKING:
    from pydantic import BaseModel
    from rich.console import Console, RenderableType
    from rich.text import Text

    from dprkhr.cli.csvrows import ActorLookup


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    yaml = "yaml"
    ids = "ids"


class DocumentFormat(str, Enum):
    """For commands that answer with one document rather than a list (show, stats)."""

    table = "table"
    json = "json"
    yaml = "yaml"


FORMAT_HELP = (
    "Output: table (for people), json, jsonl, csv (one row a record; lists joined with '; '; "
    "citations' quotes and pages are in `dprkhr export csv`'s tables), yaml, or ids (one a "
    "line)."
)


def echo(text: str) -> None:
    typer.echo(text, nl=False)


def note(message: str) -> None:
    """A short message for people, on stderr (never mixed into piped output)."""
    typer.echo(message, err=True)


def note_cut(shown: int, found: int, noun: str, more: str = "--limit") -> None:
    """Say on stderr that a list shows fewer than it found, and the option that shows
    more (`showing 3 of 15 events; --limit 15 shows them all`)."""
    if shown < found:
        note(f"showing {shown} of {found} {noun}; {more} {found} shows them all")


def dump(record: BaseModel) -> dict[str, Any]:
    """A record's own fields, as JSON-ready data."""
    return record.model_dump(mode="json", exclude_none=True)


# --- serialisations -------------------------------------------------------------------------


def to_json(items: object) -> str:
    return json_safe(json.dumps(items, ensure_ascii=False, indent=2)) + "\n"


def to_jsonl(items: Iterable[object]) -> str:
    return "".join(json_safe(json.dumps(item, ensure_ascii=False)) + "\n" for item in items)


def to_yaml(items: object) -> str:
    import yaml

    if items == [] or items == {}:
        return "[]\n" if items == [] else "{}\n"
    text = yaml.safe_dump(items, sort_keys=False, allow_unicode=True, width=88)
    if has_unsafe(text):  # bidirectional controls, which YAML counts as printable: escape
        text = yaml.safe_dump(items, sort_keys=False, allow_unicode=False, width=88)
    return text


def _csv_cell(value: object) -> str:
    """A value as CSV text (`to_csv` makes each whole cell safe)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV for stdout: every cell through `dprkhr.safetext.csv_cell` (terminal escapes
    shown literally, formulas neutralised)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([csv_cell(name) for name in header])
    writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


# --- tables ---------------------------------------------------------------------------------


def text(value: object, style: str = "") -> Text:
    """Data as rich `Text`: never parsed as markup, control characters escaped."""
    from rich.text import Text

    return Text("" if value is None else safe(str(value)), style=style)


def console() -> Console:
    from rich.console import Console

    from dprkhr.cli.common import use_color

    color = use_color()
    return Console(
        file=sys.stdout,
        markup=False,
        highlight=False,
        emoji=False,
        color_system="auto" if color else None,
        force_terminal=color or None,
    )


@dataclass
class Column:
    header: str
    get: Callable[[Any], object]
    """The cell of a row (None for an empty one)."""
    no_wrap: bool = False
    """Never wrapped (ids, symbols, dates): the column is as wide as its widest cell."""
    ratio: int | None = None
    min_width: int | None = None
    max_width: int | None = None
    style: str = ""
    justify: Literal["left", "right"] = "left"


NARROW = 60
"""At this width and below, list commands print one record per block."""
_GAP = 2
"""In blocks, a value starts two spaces after the widest field name."""
_COLUMN_GAP = 3
"""Table columns are three characters apart: rich pads each cell by one space on either side
of a one-space divider (`box.SIMPLE_HEAD`, no edge padding)."""


def _longest_word(value: str) -> int:
    return max((len(word) for word in value.split()), default=0)


def _min_width(column: Column, cells: list[str]) -> int:
    """The narrowest a column may be without breaking a word (or, for `no_wrap`, a
    cell) in the middle."""
    if column.no_wrap:
        widest = max((len(c) for c in cells), default=0)
    else:
        widest = max((_longest_word(c) for c in cells), default=0)
    return max(widest, _longest_word(column.header), column.min_width or 0)


def table(
    rows: Sequence[Any],
    columns: Sequence[Column],
    title: str | None = None,
    *,
    group: Callable[[Any], str] | None = None,
    row_style: Callable[[Any], str] | None = None,
) -> None:
    """Print rows as a borderless table that fits the terminal, never breaking an id, a
    symbol or a word in the middle; when the terminal is narrow (`NARROW` columns or
    fewer) or the words do not fit side by side, one record per block instead.

    `group` gives a heading to each run of rows (the year, in a timeline); `row_style`
    a style to a row (dim for silences)."""
    from rich import box
    from rich.table import Table

    out = console()
    cells = [[safe("" if (v := c.get(row)) is None else str(v)) for c in columns] for row in rows]
    widths = [_min_width(c, [r[i] for r in cells]) for i, c in enumerate(columns)]
    if out.width <= NARROW or sum(widths) + _COLUMN_GAP * (len(columns) - 1) > out.width:
        _blocks(rows, cells, columns, out.width, title, group)
        return
    grid = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        expand=any(c.ratio for c in columns),
        title=title,
        title_justify="left",
        header_style="bold",
    )
    for column, width in zip(columns, widths, strict=True):
        grid.add_column(
            column.header,
            no_wrap=column.no_wrap,
            ratio=column.ratio,
            min_width=width,
            max_width=None if column.max_width is None else max(column.max_width, width),
            overflow="fold",
            style=column.style,
            justify=column.justify,
        )
    heading = None
    for row, values in zip(rows, cells, strict=True):
        if group is not None and (now := group(row)) != heading:
            if heading is not None:
                grid.add_section()
            grid.add_row(text(now, "bold"), *([None] * (len(columns) - 1)))
            heading = now
        style = row_style(row) if row_style is not None else ""
        grid.add_row(*(text(value, style) for value in values))
    print_table(grid)


def _blocks(
    rows: Sequence[Any],
    cells: list[list[str]],
    columns: Sequence[Column],
    width: int,
    title: str | None,
    group: Callable[[Any], str] | None,
) -> None:
    """One record per block: a line a field, `Header  value`, values wrapped at word
    boundaries (a word longer than the line is kept whole), a blank line between
    records."""
    import textwrap

    label = max(len(c.header) for c in columns) + _GAP
    room = width - label
    lines: list[str] = [title, ""] if title else []
    heading = None
    for row, values in zip(rows, cells, strict=True):
        if group is not None and (now := group(row)) != heading:
            lines += [now, ""]
            heading = now
        for column, value in zip(columns, values, strict=True):
            if not value:
                continue
            if room >= 20 and _longest_word(value) <= room:
                wrapped = textwrap.wrap(
                    value, room, break_long_words=False, break_on_hyphens=False
                ) or [""]
                lines.append(f"{column.header:<{label}}{wrapped[0]}")
                lines += [" " * label + more for more in wrapped[1:]]
            else:  # no room for the label beside the value: the value below it
                lines.append(column.header)
                lines += [
                    "  " + part
                    for part in textwrap.wrap(
                        value, max(width - 2, 10), break_long_words=False, break_on_hyphens=False
                    )
                ]
        lines.append("")
    echo("\n".join(lines[:-1]) + "\n" if lines else "")


def print_table(grid: RenderableType) -> None:
    """Print a rich renderable without the padding rich leaves at the end of lines."""
    out = console()
    with out.capture() as captured:
        out.print(grid)
    rendered = "".join(line.rstrip() + "\n" for line in captured.get().splitlines())
    typer.echo(rendered, nl=False, color=out.is_terminal)


# --- the common case ------------------------------------------------------------------------


def emit_records(
    records: Sequence[BaseModel],
    fmt: OutputFormat,
    *,
    kb: ActorLookup,
    record_type: str,
    columns: Sequence[Column],
    noun: str,
    empty: str | None = None,
    found: int | None = None,
    whole: Callable[[Sequence[Any]], Sequence[Any]] | None = None,
) -> None:
    """Print records of one type in the chosen format; an empty result is a success with
    a note on stderr for tables (`empty`, or "No events match."). Records may be index
    rows for table and ids; for the other formats `whole` (the source's) makes them
    records, `PART` at a time for csv, json and jsonl, so that memory holds one part however
    many are printed. `found`: how many matched, when `records` is cut to fewer
    (`--limit`): said on stderr in every format."""
    count = len(records)
    if whole is not None and fmt not in (OutputFormat.table, OutputFormat.ids):
        given = records
        parts = (whole(given[i : i + PART]) for i in range(0, count, PART))
        records = [r for p in parts for r in p] if fmt is OutputFormat.yaml else _Parts(parts)
    if fmt is OutputFormat.table:
        if not records:
            note(empty or f"No {noun} match.")
            return
        table(records, columns)
    elif fmt is OutputFormat.ids:
        echo("".join(f"{getattr(r, 'id', '')}\n" for r in records))
    elif fmt is OutputFormat.csv:
        from dprkhr.cli.csvrows import rows

        header, body = rows(kb, record_type, records)
        echo(to_csv(header, ([_csv_cell(cell) for cell in row] for row in body)))
    elif fmt is OutputFormat.jsonl and isinstance(records, _Parts):
        for part in records.parts:
            echo(to_jsonl(dump(r) for r in part))
    elif fmt is OutputFormat.json and isinstance(records, _Parts):
        # as `to_json` of the whole list, byte for byte: each item indented by two more
        # spaces (JSON text has no newline inside a string), one part at a time
        opened = False
        for part in records.parts:
            for r in part:
                item = json.dumps(dump(r), ensure_ascii=False, indent=2).replace("\n", "\n  ")
                echo(json_safe((",\n  " if opened else "[\n  ") + item))
                opened = True
        echo("\n]\n" if opened else "[]\n")
    else:
        emit_data([dump(r) for r in records], fmt)
    if found is not None and found > count:
        note_cut(count, found, noun)
    elif fmt is OutputFormat.table:
        note(f"{count} {noun if count != 1 else noun.rstrip('s')}")


PART = 500
"""Records made whole at a time by `emit_records`."""


class _Parts(Sequence[Any]):
    """Records made whole part by part as they are printed (`emit_records`); iterated
    once, in order."""

    def __init__(self, parts: Iterator[Sequence[Any]]) -> None:
        self.parts = parts

    def __iter__(self) -> Iterator[Any]:
        for part in self.parts:
            yield from part

    def __len__(self) -> int:  # pragma: no cover - printing never asks
        raise TypeError("records printed part by part have no length")

    def __getitem__(self, index: Any) -> Any:  # pragma: no cover - as __len__
        raise TypeError("records printed part by part are read in order")


class NamedFormat(Protocol):
    """An output format named by its value (`json`, `jsonl`, `yaml`): the members of
    `OutputFormat`, `DocumentFormat` and the commands' own format enums."""

    @property
    def value(self) -> str: ...


def emit_data(items: list[Any] | dict[str, Any], fmt: NamedFormat) -> None:
    """JSON-ready data as json, jsonl or yaml."""
    if fmt.value == "json":
        echo(to_json(items))
    elif fmt.value == "jsonl":
        echo(to_jsonl(items))
    elif fmt.value == "yaml":
        echo(to_yaml(items))
    else:  # pragma: no cover - callers handle table, csv and ids
        raise ValueError(fmt)
