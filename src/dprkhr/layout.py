"""Where the files of a data root are, without importing the models (so that a query served
from the persisted index never loads pydantic models it does not need)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from stat import S_ISDIR, S_ISLNK

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
    `stat` a file, relative to its open folder, in two threads for a large folder; no
    path objects). In a stable order (not `discover`'s)."""
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
    for folder, kind in RECORD_FOLDERS.items():
        _scan_folder(os.path.join(top, folder), f"{folder}/", kind, out)
    return out


_AT = os.stat in os.supports_dir_fd and os.listdir in os.supports_fd
"""Whether files can be asked about relative to an open folder (shorter path look-ups)."""

_OPEN_FOLDER = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)

THREADED = 4096
"""A folder with at least this many records is stat-ed by two threads (`stat` lets other
threads run while the file system answers)."""


def _scan_folder(folder: str, relative: str, kind: str, out: list[Scanned]) -> None:
    """Add the records of `folder` (and of its subfolders, never through a link) to `out`:
    its files in name order, then each subfolder's."""
    try:
        where: int | str = os.open(folder, _OPEN_FOLDER) if _AT else folder
    except (FileNotFoundError, NotADirectoryError):
        return
    except OSError:  # as `discover`: the folder itself stands for its files
        out.append((relative.rstrip("/"), UNREADABLE_FOLDER, None))
        return
    subfolders: list[str] = []
    try:
        try:
            names = sorted(os.listdir(where))
        except (FileNotFoundError, NotADirectoryError):
            return
        except OSError:
            out.append((relative.rstrip("/"), UNREADABLE_FOLDER, None))
            return
        records = [name for name in names if name.endswith(RECORD_SUFFIXES)]
        for name, info in zip(records, _stat_all(records, where), strict=True):
            if info is None:
                if _exists(name, where, follow=False):  # a dangling link, as `discover` lists it
                    out.append((relative + name, kind, None))
            elif not S_ISDIR(info.st_mode):
                out.append((relative + name, kind, info))
            elif not _is_link(name, where):  # as os.walk: never into linked folders
                subfolders.append(name)
        if len(records) < len(names):
            others = set(names).difference(records)
            subfolders += [
                name
                for name in names
                if name in others and _exists(name, where, follow=True, folder=True)
                if not _is_link(name, where)
            ]
    finally:
        if isinstance(where, int):
            os.close(where)
    for name in sorted(subfolders):
        _scan_folder(folder + os.sep + name, f"{relative}{name}/", kind, out)


def _stat_all(names: list[str], where: int | str) -> list[os.stat_result | None]:
    """`os.stat` of every name in a folder (an open descriptor, or its path), None for
    those that fail; a large folder in two threads."""
    if len(names) < THREADED:
        return _stats(names, where)
    import threading

    half = len(names) // 2
    tail: list[list[os.stat_result | None]] = []
    worker = threading.Thread(target=lambda: tail.append(_stats(names[half:], where)), daemon=True)
    worker.start()
    try:
        head = _stats(names[:half], where)
    finally:
        worker.join()
    return head + (tail[0] if tail else _stats(names[half:], where))


def _stats(names: list[str], where: int | str) -> list[os.stat_result | None]:
    stat = os.stat
    try:
        if isinstance(where, int):
            return [stat(name, dir_fd=where) for name in names]
        base = where + os.sep
        return [stat(base + name) for name in names]
    except OSError:
        pass
    found: list[os.stat_result | None] = []
    for name in names:
        try:
            found.append(_stat(name, where, follow=True))
        except OSError:
            found.append(None)
    return found


def _stat(name: str, where: int | str, follow: bool) -> os.stat_result:
    if isinstance(where, int):
        return os.stat(name, dir_fd=where, follow_symlinks=follow)
    return os.stat(where + os.sep + name, follow_symlinks=follow)


def _exists(name: str, where: int | str, follow: bool, folder: bool = False) -> bool:
    """Whether `name` exists in the folder (a dangling link does, unless `follow`), and,
    with `folder`, is a folder."""
    try:
        info = _stat(name, where, follow)
    except OSError:
        return False
    return S_ISDIR(info.st_mode) or not folder


def _is_link(name: str, where: int | str) -> bool:
    try:
        return S_ISLNK(_stat(name, where, follow=False).st_mode)
    except OSError:
        return False
