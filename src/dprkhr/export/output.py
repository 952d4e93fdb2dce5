"""Writing exports safely: never over an existing file without `force`, always atomically."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from dprkhr import __version__
from dprkhr.errors import UsageError

FORMAT_VERSION = 1
"""Bumped when the layout of an export changes incompatibly."""

MARKER_FILE = "meta.csv"
"""A folder export holds this file; only such a folder (or an empty one) is replaced."""


def stamp() -> dict[str, object]:
    """The version stamp every export carries (no time: same data, same bytes)."""
    return {"dprkhr_version": __version__, "format_version": FORMAT_VERSION}


_UNSAFE = {c: "\ufffd" for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)}
_UNSAFE.update({c: "\ufffd" for c in range(0x80, 0xA0)})


def clean_text(text: str) -> str:
    """Replace control characters (other than tab, newline and carriage return) with U+FFFD.

    For formats that cannot carry them (XML, iCalendar) or that often reach a terminal.
    """
    return text.translate(_UNSAFE)


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


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path next to `path`; on success move it over `path` in one step."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    except OSError as exc:  # name the target the user gave, not our temporary file
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        try:  # a replaced file keeps its permissions; a new one gets the umask's
            mode = path.stat().st_mode & 0o777
        except OSError:
            mode = 0o666 & ~_umask()
        os.chmod(tmp_path, mode)
        os.replace(tmp_path, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()
        raise


@contextlib.contextmanager
def atomic_text(path: Path) -> Iterator[IO[str]]:
    """A UTF-8 text stream (no newline translation) that becomes `path` on success."""
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as stream:
        yield stream


@contextlib.contextmanager
def atomic_folder(path: Path) -> Iterator[Path]:
    """Yield a temporary folder next to `path`; on success put it in place of `path`.

    A folder cannot be swapped in one system call, so an existing export is first moved
    aside, the new one renamed in, and the old one removed.
    """
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or "."))
    try:
        yield tmp
        os.chmod(tmp, 0o777 & ~_umask())
        if path.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".old", dir=path.parent))
            os.replace(path, old / path.name)
            os.replace(tmp, path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
