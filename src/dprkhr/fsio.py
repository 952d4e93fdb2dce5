"""Files as dprkhr reads and writes them: one mechanism for each, used everywhere.

- Reading: `read_regular` opens without blocking (a named pipe never hangs a command),
  refuses anything but a regular file (a device such as `/dev/zero` is never read) and
  reads at most the limit plus one byte, whatever the file claims its size is.
- Freshness: `stamp` is what every cache compares to tell a file unchanged (as git does:
  size, modification and change time in nanoseconds, inode and device); `unchanged`
  also compares the content of a file modified within `RACY_NS` of the cache write, or
  after it (a clock that was ahead, then set back).
- Writing: `atomic_path` and `atomic_folder` write beside the target and then put the
  result in place in one step; without `replace`, the final step refuses to replace
  anything (a no-replace rename), so a file or folder created meanwhile is never lost.
  Temporary names carry the writer's process id: `sweep` removes those of processes that
  are gone (a run killed by SIGKILL), and `cleanup_on_signals` makes SIGTERM and SIGHUP
  unwind like Ctrl-C so that nothing is left behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import shutil
import signal
import stat as stat_module
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType

RECORD_LIMIT = 1024 * 1024
"""Larger record files are refused: no record needs a megabyte."""

RACY_NS = 2_000_000_000
"""Files modified this close to a cache write (or later) are compared by content too."""

TEMP_SUFFIX = ".tmp"
_TEMP_NAME = re.compile(r"^\..+\.p(\d+)-[A-Za-z0-9_]+\.tmp$")
"""`.<target name>.p<pid>-<random>.tmp`, as `temp_prefix` makes them (`.gitignore`: `.*.tmp`)."""

STALE_AFTER_S = 24 * 3600
"""A temporary file this old is swept even if a process with its id is running."""


# --- reading ----------------------------------------------------------------------------------


class NotRegularFile(OSError):
    """The path is a device, a named pipe, a socket or a folder: never read as data."""

    def __init__(self, path: str | os.PathLike[str], what: str) -> None:
        super().__init__(errno.EINVAL, f"not a regular file ({what})", os.fspath(path))
        self.what = what


class TooLarge(OSError):
    """The file holds more than the limit."""

    def __init__(self, path: str | os.PathLike[str], size: int, limit: int) -> None:
        super().__init__(errno.EFBIG, f"larger than {limit:,} bytes", os.fspath(path))
        self.size, self.limit = size, limit


def kind_of(mode: int) -> str:
    """What a file that is not regular is, in words."""
    if stat_module.S_ISDIR(mode):
        return "a folder"
    if stat_module.S_ISFIFO(mode):
        return "a named pipe"
    if stat_module.S_ISCHR(mode) or stat_module.S_ISBLK(mode):
        return "a device"
    if stat_module.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def read_regular(path: str | os.PathLike[str], limit: int) -> tuple[os.stat_result, bytes]:
    """The status and content of a regular file of at most `limit` bytes.

    Opens without blocking and checks what was opened (not what the path named a moment
    before); reads at most `limit + 1` bytes, so a file that grows or lies about its size
    is still bounded. Raises `NotRegularFile`, `TooLarge` or another `OSError`.
    """
    fd = os.open(path, _READ_FLAGS)
    try:
        info = os.fstat(fd)
        if not stat_module.S_ISREG(info.st_mode):
            raise NotRegularFile(path, kind_of(info.st_mode))
        if info.st_size > limit:
            raise TooLarge(path, info.st_size, limit)
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        raw = b"".join(chunks)
        if len(raw) > limit:
            raise TooLarge(path, len(raw), limit)
        return info, raw
    finally:
        os.close(fd)


def read_text(path: str | os.PathLike[str], limit: int, errors: str = "strict") -> str:
    """A regular file's UTF-8 text (see `read_regular`)."""
    return read_regular(path, limit)[1].decode("utf-8", errors)


# --- freshness --------------------------------------------------------------------------------


def stamp(info: os.stat_result) -> list[int]:
    """What tells a file unchanged: size, modification and change times (ns), inode and
    device. The change time cannot be set back by a program (`touch -r` sets it to now)."""
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev]


def racy(info: os.stat_result, written_ns: int) -> bool:
    """Whether a file's times cannot tell an edit after `written_ns` apart: modified
    within `RACY_NS` before it, or after it (a clock that was ahead, then set back). As
    git does, by the modification time; an edit that sets that time back (`touch -r`)
    still changes the change time, which `stamp` compares."""
    return info.st_mtime_ns >= written_ns - RACY_NS


def unchanged(
    stored: object,
    info: os.stat_result,
    written_ns: int,
    path: str | os.PathLike[str],
    digest: str,
    content_digest: Callable[[bytes], str],
    limit: int,
) -> bool:
    """Whether a file whose `stamp` was `stored` when a cache was written at `written_ns`
    (with content digest `digest`) is unchanged now that its status is `info`. The one
    freshness test of every cache."""
    if stored != stamp(info):
        return False
    if racy(info, written_ns):
        try:
            return bool(content_digest(read_regular(path, limit)[1]) == digest)
        except OSError:
            return False
    return True


# --- writing ----------------------------------------------------------------------------------

_LIVE: set[str] = set()
"""Temporary files and folders of this process not yet put in place or removed."""


def temp_prefix(target: Path) -> str:
    return f".{target.name}.p{os.getpid()}-"


def _discard(temp: str) -> None:
    _LIVE.discard(temp)
    if os.path.isdir(temp) and not os.path.islink(temp):
        shutil.rmtree(temp, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            os.unlink(temp)


def _renameat2() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    function.restype = ctypes.c_int
    return function


_AT_FDCWD = -100
_RENAME_NOREPLACE = 1


def rename_new(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
    """Rename `source` to `target` only if `target` does not exist, in one step: raises
    FileExistsError otherwise. Linux's `renameat2(RENAME_NOREPLACE)`; elsewhere (or on a
    file system without it) a hard link then unlink for a file, and for a folder a rename
    after a check (a folder created in between is replaced only if it is empty)."""
    src, dst = os.fsencode(source), os.fsencode(target)
    function = _renameat2()
    if function is not None:
        if function(_AT_FDCWD, src, _AT_FDCWD, dst, _RENAME_NOREPLACE) == 0:
            return
        code = ctypes.get_errno()
        if code == errno.EEXIST:
            raise FileExistsError(code, os.strerror(code), os.fsdecode(dst))
        if code not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
            raise OSError(code, os.strerror(code), os.fsdecode(dst))
    if os.path.isdir(src) and not os.path.islink(src):
        if os.path.lexists(dst):
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), os.fsdecode(dst))
        os.rename(src, dst)
        return
    os.link(src, dst, follow_symlinks=False)  # FileExistsError if it exists
    os.unlink(src)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _as_target(exc: OSError, temp: str, target: Path) -> OSError:
    """The error with the target's name in place of the temporary one."""
    if exc.filename in (temp, os.fsencode(temp)) or exc.filename is None:
        return type(exc)(exc.errno, exc.strerror, str(target)) if exc.errno else exc
    return exc


@contextlib.contextmanager
def atomic_path(
    target: Path,
    replace: bool,
    mode: int | None = None,
    check: Callable[[], None] | None = None,
) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success put it in place in one step.

    With `replace`, an existing file is replaced (and keeps its permissions); without, the
    final rename refuses to replace anything (FileExistsError), even a file created while
    the content was written. `check`, if given, runs just before the final rename (to
    re-check that the target is still what was read: it raises to stop). On any failure
    or interruption the temporary file is removed. OSErrors name `target`, not the
    temporary file.
    """
    folder = target.parent if str(target.parent) else Path(".")
    sweep(folder)
    try:
        fd, temp = tempfile.mkstemp(prefix=temp_prefix(target), suffix=TEMP_SUFFIX, dir=folder)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(target)) from None
    os.close(fd)
    _LIVE.add(temp)
    try:
        yield Path(temp)
        if mode is None:
            try:
                mode = os.stat(target).st_mode & 0o7777 if replace else None
            except OSError:
                mode = None
        os.chmod(temp, mode if mode is not None else 0o666 & ~_umask())
        if check is not None:
            check()
        if replace:
            os.replace(temp, target)
        else:
            rename_new(temp, target)
        _LIVE.discard(temp)
    except OSError as exc:
        _discard(temp)
        raise _as_target(exc, temp, target) from None
    except BaseException:
        _discard(temp)
        raise


class ForeignContent(FileExistsError):
    """A folder to be replaced holds a file that the writer did not write."""

    def __init__(self, target: Path, name: str) -> None:
        super().__init__(
            errno.EEXIST, f"holds {name}, which this export did not write", str(target)
        )
        self.name = name


@contextlib.contextmanager
def atomic_folder(target: Path, replace: Callable[[str], bool] | None = None) -> Iterator[Path]:
    """Yield a temporary folder beside `target`; on success put it in place of `target`.

    Without `replace`, the folder is renamed in only where nothing exists
    (FileExistsError). With `replace` (a function telling whether a name in the old
    folder is one this export writes), the old folder is moved aside, only the files it
    names are deleted: if it holds anything else, nothing is deleted, the folder is put
    back and `ForeignContent` raised.
    """
    folder = target.parent if str(target.parent) else Path(".")
    sweep(folder)
    try:
        temp = tempfile.mkdtemp(prefix=temp_prefix(target), suffix=TEMP_SUFFIX, dir=folder)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(target)) from None
    _LIVE.add(temp)
    try:
        yield Path(temp)
        os.chmod(temp, 0o777 & ~_umask())
        if replace is None or not os.path.lexists(target):
            rename_new(temp, target)
            _LIVE.discard(temp)
            return
        _replace_folder(target, Path(temp), folder, replace)
        _LIVE.discard(temp)
    except OSError as exc:
        _discard(temp)
        raise _as_target(exc, temp, target) from None
    except BaseException:
        _discard(temp)
        raise


def _replace_folder(target: Path, temp: Path, folder: Path, replace: Callable[[str], bool]) -> None:
    """Put `temp` in place of the folder `target`, deleting only the files of `target`
    that `replace` names. The old folder is moved aside (`<aside>/old`) for the switch;
    until the new one is in place, any failure or interruption puts it back, and the
    aside folder is never registered for clean-up while it holds the old one (a run
    killed in between leaves it for the user, never for `sweep`)."""
    foreign = [name for name in os.listdir(target) if not replace(name)]
    if foreign:  # nothing moved yet
        raise ForeignContent(target, sorted(foreign)[0])
    aside = tempfile.mkdtemp(prefix=f".{target.name}.aside-", dir=folder)
    old = os.path.join(aside, "old")
    placed = False
    try:
        os.rename(target, old)
        foreign = [name for name in os.listdir(old) if not replace(name)]
        if foreign:  # added meanwhile
            raise ForeignContent(target, sorted(foreign)[0])
        rename_new(temp, target)
        placed = True  # the new folder is in place: the old one is only to delete
    except BaseException:
        if not placed and os.path.lexists(old):  # (even if interrupted just after the move)
            with contextlib.suppress(OSError):
                rename_new(old, target)  # put it back as it was
        with contextlib.suppress(OSError):
            os.rmdir(aside)  # only if empty: the old folder is back
        raise
    for name in os.listdir(old):
        with contextlib.suppress(OSError):
            os.unlink(os.path.join(old, name))
    with contextlib.suppress(OSError):
        os.rmdir(old)
        os.rmdir(aside)


def write_text(
    target: Path,
    text: str,
    replace: bool,
    mode: int | None = None,
    check: Callable[[], None] | None = None,
) -> None:
    """`text` as UTF-8 (newlines as given) into `target`, atomically (see `atomic_path`)."""
    with (
        atomic_path(target, replace, mode, check) as temp,
        open(temp, "w", encoding="utf-8", newline="") as handle,
    ):
        handle.write(text)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process
        return True
    return True


_SWEPT: set[str] = set()


def sweep(folder: Path | str) -> int:
    """Remove the temporary files and folders that runs killed before they could clean up
    left in `folder` (their process is gone, or they are a day old), once per folder and
    process (before its first write there). Never raises; how many were removed."""
    key = os.path.abspath(folder)
    if key in _SWEPT:
        return 0
    _SWEPT.add(key)
    removed = 0
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        match = _TEMP_NAME.match(entry.name)
        if match is None or entry.path in _LIVE:
            continue
        try:
            age = now - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        if _alive(int(match.group(1))) and age < STALE_AFTER_S:
            continue
        _discard(entry.path)
        removed += 1
    return removed


def _die_clean(signum: int, _frame: FrameType | None) -> None:
    """Remove this process's temporary files, then die of the signal as if unhandled.
    (Not unwinding: an exception raised at an arbitrary point could leave a lock held
    and hang the exit.)"""
    remove_live()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def cleanup_on_signals() -> None:
    """On SIGTERM and SIGHUP, remove the temporary files of this process before dying of
    the signal. Signals already ignored stay ignored. Main thread only."""
    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is None:
            continue
        with contextlib.suppress(ValueError, OSError):
            if signal.getsignal(signum) is signal.SIG_DFL:
                signal.signal(signum, _die_clean)


def remove_live() -> None:
    """Remove every temporary file of this process still outstanding (at exit)."""
    for temp in list(_LIVE):
        _discard(temp)
