"""Where the files of a data root are, without importing the models (so that a query served
from the persisted index never loads pydantic models it does not need)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from stat import S_ISDIR

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


BUNDLED = "bundled"
"""How a data root was found when nothing pointed at it: the dataset shipped with dprkhr."""


def find_data_root(
    explicit: Path | None = None, cwd: Path | None = None, env: Mapping[str, str] | None = None
) -> Path:
    """Resolve the data folder: `--data`, then `$DPRKHR_DATA`, then the nearest ancestor of
    the working directory holding `data/actors` and `data/events`, then the bundled copy."""
    return locate_data_root(explicit, cwd, env)[0]


def locate_data_root(
    explicit: Path | None = None, cwd: Path | None = None, env: Mapping[str, str] | None = None
) -> tuple[Path, str]:
    """The data folder (as `find_data_root`) and how it was found: `--data`,
    `$DPRKHR_DATA`, `cwd` or `BUNDLED`."""
    env = os.environ if env is None else env
    for given, origin in ((explicit, "--data"), (env.get(ENV_VAR) or None, f"${ENV_VAR}")):
        if given is None:
            continue
        try:
            path = Path(given).expanduser()
        except RuntimeError:  # `~nosuchuser/x`
            raise DataRootError(
                f"{origin} {given}: no home folder for `{str(given).split('/')[0]}` (no such user)"
            ) from None
        if is_data_root(path):
            return path, origin
        if is_data_root(path / "data"):
            return path / "data", origin
        raise DataRootError(
            f"{origin} {given}: not a dprkhr data folder (it needs `actors/` and `events/`)"
        )
    start = (cwd or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if is_data_root(folder / "data"):
            return folder / "data", "cwd"
        if folder.name == "data" and is_data_root(folder):
            return folder, "cwd"
    bundled = bundled_data_root()
    if bundled is not None:
        return bundled, BUNDLED
    raise DataRootError("no dataset found: pass --data PATH or set $DPRKHR_DATA")


def display_path(path: Path, cwd: Path | None = None) -> str:
    """A path as users should see it: relative to the working directory when inside it.
    A link keeps its own name (its folder is resolved, not the link): the file to fix is
    the link, not the file it leads to."""
    cwd = (cwd or Path.cwd()).resolve()
    absolute = Path(os.path.abspath(path))
    for candidate in (absolute, absolute.parent.resolve() / absolute.name):
        try:
            return candidate.relative_to(cwd).as_posix()
        except ValueError:
            continue
    return path.as_posix()


VOCAB_FILE_NAMES: tuple[str, ...] = ("forums.yaml", "tags.yaml", "event-types.yaml")
"""The vocabulary files at the top of the data root (the models' `file_name`)."""

RECORD_SUFFIXES = (".yaml", ".yml")
"""Files with these endings under the record folders are records (`.yml` is reported)."""


UNREADABLE_FOLDER = "unreadable-folder"
"""The kind `discover` gives a folder it could not list (its files are missing)."""


def vocabulary_files(root: Path) -> list[tuple[str, str, str]]:
    """The vocabulary files of a data root, as `discover` lists them (first)."""
    return [
        (str(root / name), name, name)
        for name in VOCAB_FILE_NAMES
        if os.path.lexists(root / name) and not (root / name).is_dir()
    ]


def discover(root: Path) -> list[tuple[str, str, str]]:
    """Every record and vocabulary file under a data root, in a stable order, as
    (path, kind, path relative to the root with `/` separators). A folder that cannot be
    listed is in the list too, as kind `UNREADABLE_FOLDER`, so that it is reported rather
    than silently missing."""
    found = vocabulary_files(root)
    top = os.fspath(root)
    for folder, kind in RECORD_FOLDERS.items():
        base = os.path.join(top, folder)
        if not os.path.isdir(base):
            continue
        paths: list[tuple[str, str]] = []
        unreadable: list[tuple[str, str]] = []

        def failed(
            error: OSError,
            base: str = base,
            folder: str = folder,
            unreadable: list[tuple[str, str]] = unreadable,
        ) -> None:
            where = os.fspath(error.filename or base)
            relative = folder + where[len(base) :].replace(os.sep, "/")
            unreadable.append((where, relative))

        for directory, subdirs, names in os.walk(base, onerror=failed):
            subdirs.sort()
            prefix = folder + directory[len(base) :].replace(os.sep, "/") + "/"
            start = directory + os.sep
            paths.extend([(start + n, prefix + n) for n in names if n.endswith(RECORD_SUFFIXES)])
        paths.sort()
        found.extend([(path, UNREADABLE_FOLDER, relative) for path, relative in unreadable])
        found.extend([(path, kind, relative) for path, relative in paths])
    return found


Scanned = tuple[str, str, "os.stat_result | None"]
"""(path relative to the root with `/` separators, kind, the file's `os.stat`, or None
when it cannot be had: a dangling link, a file gone meanwhile, a folder that cannot be
listed, whose kind is `UNREADABLE_FOLDER`)."""


def scan(root: Path) -> list[Scanned]:
    """The same files as `discover`, each with its kind and `os.stat`: what the store needs
    to tell whether anything changed, as fast as Python can ask the file system (one
    `stat` a file, no path objects). In a stable order (not `discover`'s)."""
    out: list[Scanned] = []
    add = out.append
    stat = os.stat
    top = os.fspath(root)
    for name in VOCAB_FILE_NAMES:
        path = os.path.join(top, name)
        try:
            info: os.stat_result | None = stat(path)
        except OSError:
            if not os.path.lexists(path):
                continue
            info = None  # a dangling link: `discover` lists it (and loading reports it)
        if info is not None and S_ISDIR(info.st_mode):
            continue
        add((name, name, info))

    def walk(folder: str, relative: str, kind: str) -> None:
        try:
            names = sorted(os.listdir(folder))
        except (FileNotFoundError, NotADirectoryError):
            return
        except OSError:  # as `discover`: the folder itself stands for its files
            add((relative.rstrip("/"), UNREADABLE_FOLDER, None))
            return
        base = folder + os.sep
        subfolders: list[str] = []
        for name in names:
            path = base + name
            if name.endswith(RECORD_SUFFIXES):
                try:
                    info = stat(path)
                except OSError:
                    if os.path.lexists(path):  # a dangling link, as `discover` lists it
                        add((relative + name, kind, None))
                    continue
                if not S_ISDIR(info.st_mode):
                    add((relative + name, kind, info))
                    continue
            elif not os.path.isdir(path):
                continue
            if not os.path.islink(path):  # as os.walk: never into linked folders
                subfolders.append(name)
        for name in subfolders:
            walk(base + name, f"{relative}{name}/", kind)

    for folder, kind in RECORD_FOLDERS.items():
        walk(os.path.join(top, folder), f"{folder}/", kind)
    return out
