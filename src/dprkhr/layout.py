"""Where the files of a data root are, without importing the models (so that a query served
from the persisted index never loads pydantic models it does not need)."""

from __future__ import annotations

import os
from pathlib import Path

from dprkhr.errors import DataRootError

RECORD_FOLDERS: dict[str, str] = {
    "actors": "actor",
    "events": "event",
    "resolutions": "resolution",
    "sources": "source",
}
"""Folder under the data root -> record type (the models' `folder` and `record_type`)."""

ENV_VAR = "DPRKHR_DATA"


def bundled_data_root() -> Path | None:
    """The dataset shipped with the package (in a wheel), or the checkout's `data/`."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "data", here.parent.parent / "data"):
        if is_data_root(candidate):
            return candidate
    return None


def is_data_root(path: Path) -> bool:
    return (path / "actors").is_dir() and (path / "events").is_dir()


def find_data_root(
    explicit: Path | None = None, cwd: Path | None = None, env: dict[str, str] | None = None
) -> Path:
    """Resolve the data folder: `--data`, then `$DPRKHR_DATA`, then the nearest ancestor of
    the working directory holding `data/actors` and `data/events`, then the bundled copy."""
    env = os.environ if env is None else env
    for given, origin in ((explicit, "--data"), (env.get(ENV_VAR) or None, f"${ENV_VAR}")):
        if given is None:
            continue
        path = Path(given).expanduser()
        if is_data_root(path):
            return path
        if is_data_root(path / "data"):
            return path / "data"
        raise DataRootError(
            f"{origin} {given}: not a dprkhr data folder (it needs `actors/` and `events/`)"
        )
    start = (cwd or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if is_data_root(folder / "data"):
            return folder / "data"
        if folder.name == "data" and is_data_root(folder):
            return folder
    bundled = bundled_data_root()
    if bundled is not None:
        return bundled
    raise DataRootError("no dataset found: pass --data PATH or set $DPRKHR_DATA")


def display_path(path: Path, cwd: Path | None = None) -> str:
    """A path as users should see it: relative to the working directory when inside it."""
    cwd = cwd or Path.cwd()
    try:
        return path.resolve().relative_to(cwd.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


VOCAB_FILE_NAMES: tuple[str, ...] = ("forums.yaml", "tags.yaml", "event-types.yaml")
"""The vocabulary files at the top of the data root (the models' `file_name`)."""


def discover(root: Path) -> list[tuple[str, str, str]]:
    """Every record and vocabulary file under a data root, in a stable order, as
    (path, kind, path relative to the root with `/` separators)."""
    found: list[tuple[str, str, str]] = [
        (str(root / name), name, name) for name in VOCAB_FILE_NAMES if (root / name).is_file()
    ]
    for folder, kind in RECORD_FOLDERS.items():
        base = root / folder
        if not base.is_dir():
            continue
        paths: list[tuple[str, str]] = []
        for directory, subdirs, names in os.walk(base):
            subdirs.sort()
            inside = os.path.relpath(directory, base).replace(os.sep, "/")
            prefix = folder if inside == "." else f"{folder}/{inside}"
            paths.extend(
                (os.path.join(directory, n), f"{prefix}/{n}")
                for n in names
                if n.endswith((".yaml", ".yml"))
            )
        found.extend((p, kind, rel) for p, rel in sorted(paths))
    return found
