"""Exports of the knowledge base: json, jsonl, csv, sqlite, popolo, ics, graphml and dot.

Each format is an `Exporter` in `EXPORTERS`; `run_export` selects the records, checks
the target and writes it atomically. Nothing here prints.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import IO, Any, Literal

from dprkhr.errors import DprkhrError, UsageError
from dprkhr.export.csvfmt import write_csv
from dprkhr.export.datasette import metadata, metadata_path
from dprkhr.export.graph import write_dot, write_graphml
from dprkhr.export.ics import write_ics
from dprkhr.export.jsonfmt import write_json, write_jsonl
from dprkhr.export.output import check_target, export_file_names
from dprkhr.export.popolo import write_popolo
from dprkhr.export.selection import ExportFilter, Selection, build_filter, select
from dprkhr.export.sqlitefmt import write_sqlite
from dprkhr.fsio import ForeignContent, atomic_folder, atomic_path, write_text
from dprkhr.kb import KnowledgeBase
from dprkhr.query import QuerySource

Target = Literal["text", "file", "csv"]


@dataclass(frozen=True)
class ExportOptions:
    """Options that only some formats take."""

    bipartite: bool = False
    """graphml, dot: the actor-event graph instead of the actor network."""


@dataclass(frozen=True)
class Exporter:
    name: str
    summary: str
    target: Target
    """`text`: a text stream (stdout or a file); `file`: a file path (binary);
    `csv`: a folder, or a zip file when the path ends in `.zip`."""
    write: Callable[..., None]
    options: frozenset[str] = field(default_factory=frozenset)
    """Names of the `ExportOptions` fields the format uses."""
    takes_root: bool = False
    """The writer reads the records' history from the data folder (`data_root=`)."""


EXPORTERS: dict[str, Exporter] = {
    e.name: e
    for e in (
        Exporter("json", "one JSON document: records, vocabularies, version", "text", write_json),
        Exporter(
            "jsonl", "JSON Lines: one record a line with its record_type", "text", write_jsonl
        ),
        Exporter("csv", "a CSV file per table, into a folder or a .zip", "csv", write_csv),
        Exporter(
            "sqlite", "an SQLite database (tables, FTS5, views) for datasette", "file", write_sqlite
        ),
        Exporter(
            "popolo",
            "Popolo JSON: persons, organizations, memberships, motions, votes",
            "text",
            write_popolo,
        ),
        Exporter("ics", "iCalendar: events as all-day entries", "text", write_ics, takes_root=True),
        Exporter(
            "graphml",
            "GraphML actor network (Gephi, networkx)",
            "text",
            write_graphml,
            frozenset({"bipartite"}),
        ),
        Exporter("dot", "Graphviz DOT actor network", "text", write_dot, frozenset({"bipartite"})),
    )
}
"""Format name -> exporter."""


@dataclass(frozen=True)
class ExportResult:
    format: str
    path: Path | None
    counts: dict[str, int]
    companion: Path | None = None
    """A file written beside the export: the datasette metadata of an SQLite export."""


def _kwargs(exporter: Exporter, options: ExportOptions) -> dict[str, Any]:
    """The options the format takes; an option set for a format without it is an error."""
    used = {}
    for option in fields(ExportOptions):
        value = getattr(options, option.name)
        if option.name in exporter.options:
            used[option.name] = value
        elif value != option.default:
            raise UsageError(f"--{option.name} does not apply to {exporter.name}")
    return used


def run_export(
    kb: KnowledgeBase | QuerySource,
    format_name: str,
    *,
    output: Path | None = None,
    stdout: IO[str] | None = None,
    force: bool = False,
    flt: ExportFilter | None = None,
    options: ExportOptions | None = None,
    data_root: Path | None = None,
) -> ExportResult:
    """Export the (filtered) knowledge base in `format_name` to `output`, or to `stdout`
    for text formats. Refuses to overwrite without `force`; writes atomically."""
    exporter = EXPORTERS.get(format_name)
    if exporter is None:
        raise UsageError(f"unknown format {format_name}; choose from {', '.join(EXPORTERS)}")
    kwargs = _kwargs(exporter, options or ExportOptions())
    if exporter.takes_root and data_root is not None:
        kwargs["data_root"] = data_root
    if output is None and exporter.target != "text":
        what = "a folder or a .zip file" if exporter.target == "csv" else "a file"
        raise UsageError(f"{format_name} needs --output PATH ({what})")
    if output is not None:
        as_folder = exporter.target == "csv" and output.suffix.lower() != ".zip"
        check_target(output, force, folder=as_folder)
        if exporter.name == "sqlite":
            check_target(metadata_path(output), force)
    selection = select(kb, flt)
    if output is None:
        if stdout is None:
            raise UsageError(f"{format_name}: give --output PATH or a stream to write to")
        exporter.write(selection, stdout, **kwargs)
        return ExportResult(format_name, output, selection.counts())
    try:
        _write(exporter, selection, output, force, kwargs)
    except ForeignContent as exc:  # a file someone else put in the folder
        raise UsageError(
            f"{output} holds {exc.name}, which this export did not write; nothing was "
            "replaced: move that file away, or export to another folder"
        ) from None
    except FileExistsError:  # created while the export ran: never replaced
        raise UsageError(
            f"{output} appeared while the export ran; nothing was replaced: "
            "pass --force to replace it"
        ) from None
    except sqlite3.Error as exc:  # a full disk, a read-only folder: not a bug
        raise DprkhrError(f"cannot write {output}: {exc}") from None
    companion = None
    if exporter.name == "sqlite":
        companion = metadata_path(output)
        text = json.dumps(metadata(output.stem), indent=2, ensure_ascii=False) + "\n"
        try:
            write_text(companion, text, replace=force)
        except FileExistsError:
            raise UsageError(
                f"{companion} appeared while the export ran; it was not replaced: "
                "pass --force to replace it"
            ) from None
    return ExportResult(format_name, output, selection.counts(), companion)


def _write(
    exporter: Exporter, selection: Selection, output: Path, force: bool, kwargs: dict[str, Any]
) -> None:
    """Write beside `output`, then put it in place: over what is there only with `force`
    (a folder export then deletes only the files an export writes)."""
    if exporter.target == "text":
        with (
            atomic_path(output, replace=force) as temp,
            open(temp, "w", encoding="utf-8", newline="") as stream,
        ):
            exporter.write(selection, stream, **kwargs)
    elif exporter.target == "csv" and output.suffix.lower() != ".zip":
        names = export_file_names()
        with atomic_folder(output, replace=names.__contains__ if force else None) as folder:
            exporter.write(selection, folder, **kwargs)
    else:
        if exporter.target == "csv":
            kwargs["archive"] = True
        with atomic_path(output, replace=force) as temp:
            exporter.write(selection, temp, **kwargs)


__all__ = [
    "EXPORTERS",
    "ExportFilter",
    "ExportOptions",
    "ExportResult",
    "Exporter",
    "Selection",
    "build_filter",
    "run_export",
    "select",
]
