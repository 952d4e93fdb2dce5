"""Reading and summarising files in worker processes.

Each worker reads a chunk of files and sends back compact results: the summary (small
lists and strings) and the cache entries already encoded as JSON, never parsed node trees
or models. Workers ignore Ctrl-C (the command handles it) and never print; if the pool
cannot start or breaks (a worker killed), the files not yet done are read in this process
instead, so a run always finishes with the same results.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from dprkhr.lint.base import FileEnv
from dprkhr.lint.collect import Job, Result, process

_STATE: dict[str, Any] = {}


def _start(env: FileEnv, entries: bool, records: bool) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _STATE.update(env=env, entries=entries, records=records)


def _chunk(jobs: list[Job]) -> list[Result]:
    import gc

    gc.disable()  # many small long-lived objects, no cycles: as in the main process
    env, entries, records = _STATE["env"], _STATE["entries"], _STATE["records"]
    return [process(job, env, entries, records) for job in jobs]


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    # fork starts a worker in milliseconds with everything already imported; it is the
    # default on Linux only, and only safe there
    if sys.platform.startswith("linux") and "fork" in methods:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def run(
    jobs: list[Job], env: FileEnv, entries: bool, records: bool, workers: int, chunk: int
) -> Iterator[Result]:
    """Every job's result, in order."""
    chunks = [jobs[i : i + chunk] for i in range(0, len(jobs), chunk)]
    futures: list[Future[list[Result]]] = []
    executor = None
    try:
        executor = ProcessPoolExecutor(
            max_workers=min(workers, len(chunks)),
            mp_context=_context(),
            initializer=_start,
            initargs=(env, entries, records),
        )
        futures = [executor.submit(_chunk, part) for part in chunks]
    except (OSError, RuntimeError, ValueError, BrokenProcessPool):
        futures = []  # no pool here: read everything in this process
    done = 0
    try:
        for future in futures:
            try:
                results = future.result()
            except (BrokenProcessPool, OSError, EOFError):
                break  # a worker died: do the rest here
            yield from results
            done += 1
        for part in chunks[done:]:
            for job in part:
                yield process(job, env, entries, records)
    finally:
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)
