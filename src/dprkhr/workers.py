"""Worker processes for one run: bulk work done in parallel (a cold refresh of the store
reads, parses and derives the rows of many files; lint summarises files and hands out
other bulk work, `dprkhr.lint.view.DatasetView.map`).

Work goes out in items (a list of files, say) and compact results come back (rows, small
lists and strings), never parsed node trees or models. Workers ignore Ctrl-C (the command
handles it), never print, and die with their parent (`die_with`); if the pool cannot start
or breaks (a worker killed), the work not yet done is done in this process instead, so a
run always finishes with the same results.
"""

from __future__ import annotations

import collections
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # (imported when a pool starts: most runs need none)
    from concurrent.futures import Future, ProcessPoolExecutor

PARALLEL_FROM = 1500
"""Read files in worker processes when at least this many must be read (starting workers
costs about 0.1 s; a file takes about 0.1 ms to read, parse and derive)."""

T = TypeVar("T")
R = TypeVar("R")

_STATE: dict[str, Any] = {}


def state() -> Any:
    """In a worker: the `state` its pool was made with."""
    return _STATE.get("state")


def _start(shared: Any, parent: int) -> None:
    import gc

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):  # not the parent's clean-up handlers (fork)
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    die_with(parent)
    # many small long-lived objects and no cycles worth collecting, as in the main process
    gc.disable()
    _STATE.update(state=shared)


_PR_SET_PDEATHSIG = 1


def die_with(parent: int) -> None:
    """End this worker when its parent ends, however it ends (SIGKILL too), so that no
    worker outlives a killed command and keeps its output pipe open. On Linux the kernel
    sends SIGKILL (`prctl(PR_SET_PDEATHSIG)`); everywhere a watchdog thread also checks
    every half second that the parent is still there."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    # fork starts a worker in milliseconds with everything already imported; it is the
    # default on Linux only, and only safe there
    if sys.platform.startswith("linux") and "fork" in methods:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def cpus() -> int:
    """The processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class Pool:
    """Up to `workers` processes, started on first use and shut down by `close`; `state`
    is handed to each (see `state`)."""

    def __init__(self, workers: int, shared: Any = None) -> None:
        self.workers = workers
        self.shared = shared
        self.executor: ProcessPoolExecutor | None = None
        self.futures: set[Future[Any]] = set()
        self.broken = False

    def _executor(self) -> ProcessPoolExecutor | None:
        if self.executor is None and not self.broken:
            try:
                from concurrent.futures import ProcessPoolExecutor

                self.executor = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=_context(),
                    initializer=_start,
                    initargs=(self.shared, os.getpid()),
                )
            except (OSError, RuntimeError, ValueError, ImportError):
                self.broken = True
        return self.executor

    def imap(
        self,
        function: Callable[[T], R],
        items: list[T],
        local: Callable[[T], R] | None = None,
        ahead: int | None = None,
    ) -> Iterator[R]:
        """`function` (a module-level function) over `items`, in order; `local` (by
        default `function`) in this process for whatever the workers cannot do. At most
        `ahead` items are handed out before their results are taken (all when None), so
        that results waiting in memory stay bounded."""
        from concurrent.futures.process import BrokenProcessPool

        limit = len(items) if ahead is None else max(1, ahead)
        pending: collections.deque[Future[R]] = collections.deque()
        executor = self._executor()
        submitted = done = 0
        while executor is not None:
            try:
                while submitted < len(items) and len(pending) < limit:
                    future = executor.submit(function, items[submitted])
                    pending.append(future)
                    self.futures.add(future)
                    submitted += 1
            except (OSError, RuntimeError, BrokenProcessPool):
                break
            if not pending:
                break
            future = pending.popleft()
            try:
                result = future.result()
            except (BrokenProcessPool, OSError, EOFError):
                break  # a worker died: do the rest here
            self.futures.discard(future)
            yield result
            done += 1
        if done < len(items) and executor is not None:
            self.broken = True
            self.close()
        for item in items[done:]:
            yield (local or function)(item)

    def map(self, function: Callable[[T], R], items: list[T]) -> list[R]:
        return list(self.imap(function, items))

    def close(self) -> None:
        """Stop the workers once the tasks they are running are done; tasks not yet
        started are cancelled (so Ctrl-C ends the command at once)."""
        for future in self.futures:
            future.cancel()
        self.futures.clear()
        if self.executor is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = None
