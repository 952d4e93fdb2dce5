"""Writing exports safely: never over an existing file without `force`, always atomically."""

from __future__ import annotations

from pathlib import Path

from dprkhr import __version__
from dprkhr.errors import UsageError
from dprkhr.safetext import clean_text as clean_text  # re-exported (older imports)

FORMAT_VERSION = 1
"""Bumped when the layout of an export changes incompatibly."""

MARKER_FILE = "meta.csv"
"""A folder export holds this file; only such a folder (or an empty one) is replaced."""


def stamp() -> dict[str, object]:
    """The version stamp every export carries (no time: same data, same bytes)."""
    return {"dprkhr_version": __version__, "format_version": FORMAT_VERSION}


def check_target(path: Path, force: bool, folder: bool = False) -> None:
    """Refuse to write where we must not: missing parent, existing target without force,
    a folder where a file is wanted, or a non-export folder."""
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"{path}: folder {parent} does not exist")
    if not path.exists() and not path.is_symlink():
        return
    if folder:
        if not path.is_dir():
            raise UsageError(f"{path} exists and is not a folder")
        if not force:
            raise UsageError(f"{path} exists; pass --force to replace it")
        if any(path.iterdir()) and not (path / MARKER_FILE).is_file():
            raise UsageError(
                f"{path} is a folder that does not hold a dprkhr CSV export; "
                "refusing to replace it even with --force"
            )
        return
    if path.is_dir():
        raise UsageError(f"{path} is a folder; give a file name")
    if path.is_symlink() or not path.is_file():
        raise UsageError(
            f"{path} is not a regular file; give the path of a file to write "
            "(text formats go to standard output without --output)"
        )
    if not force:
        raise UsageError(f"{path} exists; pass --force to replace it")


def export_file_names() -> frozenset[str]:
    """The names a folder export writes: only these are ever deleted from a folder it
    replaces (`dprkhr.fsio.atomic_folder`)."""
    from dprkhr.export.tables import TABLES

    return frozenset(f"{table.name}.csv" for table in TABLES)
