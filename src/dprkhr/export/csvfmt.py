"""CSV: one file per table (see `tables.py`), into a folder or a zip archive."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import IO

from dprkhr.export.selection import Selection
from dprkhr.export.tables import TABLES, Table
from dprkhr.safetext import formula_safe

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
"""Every member of the zip gets this time stamp, so that the archive is reproducible."""


def _write_table(table: Table, sel: Selection, stream: IO[str]) -> None:
    """Text cells that a spreadsheet would run as a formula are neutralised
    (`dprkhr.safetext.formula_safe`; see docs/export.md); numbers are written as they are."""
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(table.column_names)
    for row in table.rows(sel):
        writer.writerow(
            ["" if v is None else formula_safe(v) if isinstance(v, str) else v for v in row]
        )


def write_csv_folder(sel: Selection, folder: Path) -> None:
    """Write `<table>.csv` files (RFC 4180: UTF-8, CRLF, header row) into `folder`."""
    for table in TABLES:
        path = folder / f"{table.name}.csv"
        with open(path, "w", encoding="utf-8", newline="") as stream:
            _write_table(table, sel, stream)


def write_csv_zip(sel: Selection, path: Path) -> None:
    """The same files in a zip archive, with fixed time stamps and order."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in TABLES:
            info = zipfile.ZipInfo(f"{table.name}.csv", date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with (
                archive.open(info, "w") as raw,
                io.TextIOWrapper(raw, encoding="utf-8", newline="") as stream,
            ):
                _write_table(table, sel, stream)


def write_csv(sel: Selection, target: Path, archive: bool = False) -> None:
    """Into the folder `target`, or into the zip file `target` when `archive`."""
    if archive:
        write_csv_zip(sel, target)
    else:
        write_csv_folder(sel, target)
