"""Worker processes for one lint run: reading and summarising files, and other bulk work
the rules hand out (`DatasetView.map`).

Each worker reads a chunk of files and sends back compact results: the summary (small
lists and strings) and the digest of the content read, never parsed node trees or
models. Workers ignore Ctrl-C (the command handles it), never print, and die with
their parent (`die_with`); if the pool cannot start or breaks (a worker killed), the work
not yet done is done in this process instead, so a run always finishes with the same
results.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from dprkhr.dataset import Job
from dprkhr.lint.base import FileEnv
from dprkhr.lint.collect import Result, process

T = TypeVar("T")
R = TypeVar("R")

_STATE: dict[str, Any] = {}


def _start(env: FileEnv, parent: int) -> None:
    import gc

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):  # not the parent's clean-up handlers (fork)
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    die_with(parent)
    # many small long-lived objects and no cycles worth collecting, as in the main process
    gc.disable()
    _STATE.update(env=env)


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


def _chunk(work: tuple[list[Job], bool]) -> list[Result]:
    jobs, digest = work
    return [process(job, _STATE["env"], digest) for job in jobs]


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    # fork starts a worker in milliseconds with everything already imported; it is the
    # default on Linux only, and only safe there
    if sys.platform.startswith("linux") and "fork" in methods:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


class Pool:
    """Up to `workers` processes, started on first use and shut down by `close`."""

    def __init__(self, workers: int, env: FileEnv) -> None:
        self.workers = workers
        self.env = env
        self.executor: ProcessPoolExecutor | None = None
        self.futures: set[Future[Any]] = set()
        self.broken = False

    def _executor(self) -> ProcessPoolExecutor | None:
        if self.executor is None and not self.broken:
            try:
                self.executor = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=_context(),
                    initializer=_start,
                    initargs=(self.env, os.getpid()),
                )
            except (OSError, RuntimeError, ValueError, ImportError):
                self.broken = True
        return self.executor

    def imap(
        self,
        function: Callable[[T], R],
        items: list[T],
        local: Callable[[T], R] | None = None,
    ) -> Iterator[R]:
        """`function` (a module-level function) over `items`, in order; `local` (by
        default `function`) in this process for whatever the workers cannot do."""
        futures: list[Future[R] | None] = []
        executor = self._executor()
        if executor is not None:
            try:
                for item in items:
                    submitted = executor.submit(function, item)
                    futures.append(submitted)
                    self.futures.add(submitted)
            except (OSError, RuntimeError, BrokenProcessPool):
                self.broken = True
                self.close()
                futures = []
        done = 0
        for index in range(len(futures)):
            future = futures[index]
            assert future is not None
            try:
                result = future.result()
            except (BrokenProcessPool, OSError, EOFError):
                self.broken = True  # a worker died: do the rest here
                break
            futures[index] = None  # its result is handed on: do not keep it
            self.futures.discard(future)
            yield result
            done += 1
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

    def read(self, jobs: list[Job], digest: bool, chunk: int) -> Iterator[Result]:
        """Every job's summary (see `collect.process`), in order."""
        parts = [(jobs[i : i + chunk], digest) for i in range(0, len(jobs), chunk)]

        def here(part: tuple[list[Job], bool]) -> list[Result]:
            return [process(job, self.env, digest) for job in part[0]]

        for results in self.imap(_chunk, parts, here):
            yield from results
