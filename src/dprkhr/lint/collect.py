"""Collecting every file's `FileSummary` for lint: from the per-file cache when the file is
unchanged, else by reading, validating and summarising it, in worker processes when there
are many files to read."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from dprkhr.cache import Entry, content_digest
from dprkhr.dataset import (
    Job,
    LoadedFile,
    _attach_vocab,
    _problem,
    display_path,
    file_jobs,
    load_file,
    no_gc,
)
from dprkhr.fsio import read_regular, stamp
from dprkhr.lint.base import FileEnv
from dprkhr.lint.filecache import FileCache, member
from dprkhr.lint.view import DamagedSummary, DatasetView, FileSummary
from dprkhr.models import VOCAB_FILES
from dprkhr.problems import UNKNOWN_FILE, Problem
from dprkhr.yamlio import MAX_FILE_BYTES

if TYPE_CHECKING:
    from dprkhr.lint.workers import Pool

PARALLEL_FROM = 1500
"""Read files in worker processes when at least this many must be read (starting workers
costs about 0.1 s; a file takes about 0.1 ms to read, validate and summarise)."""
CHUNK = 400
"""Files a worker reads per task."""

Result = tuple[FileSummary, tuple[str, str] | None, str | None]
"""A file's summary; its lint cache entry and references; its record cache entry (each
encoded as a `"path":value` member, or None)."""


@dataclass
class Collected:
    """Every file of a lint run, in dataset order, with what the report needs."""

    view: DatasetView
    locations: list[str]
    loose: list[Problem] = field(default_factory=list)
    """Problems that belong to no file read (a missing vocabulary)."""
    pool: Pool | None = None
    """The worker processes, if files were read in some; `close` ends them."""
    stored: FileCache | None = None
    entries: dict[str, Any] = field(default_factory=dict)
    started_ns: int = 0
    reused: int = 0
    """How many summaries (and remembered answers) came from the cache."""

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()

    def save(self) -> None:
        """Write back the per-file lint cache and the "did you mean" answers. Never
        raises."""
        if self.stored is not None:
            self.stored.write(self.entries, self.started_ns, self.view.suggestions)


def _read(path: str) -> tuple[os.stat_result, bytes | None] | None:
    try:
        return read_regular(path, MAX_FILE_BYTES)
    except OSError:  # `load_file` says why
        return None


def process(job: Job, env: FileEnv, entries: bool, records: bool) -> Result:
    """Read, validate and summarise one file; with `entries`, also encode its lint cache
    entry, and with `records` its record cache entry (see `dprkhr.cache`)."""
    from dprkhr.lint.summary import summarise

    path, kind, display, relative = job
    read = _read(path) if relative is not None and (entries or records) else None
    if read is None or read[1] is None:
        loaded = load_file(path, kind, display)
        return summarise(loaded, env), None, None
    stat, raw = read
    loaded = load_file(path, kind, display, raw)
    summary = summarise(loaded, env)
    loaded.doc = None
    digest = content_digest(raw)
    record_entry = _record_entry(relative, stat, raw, digest, loaded) if records else None
    lint_entry = None
    if entries:
        stored = list(summary)
        stored[3] = None  # the references are cached apart (see `filecache.FileCache`)
        lint_entry = (
            member(relative, [stamp(stat), digest, stored]),
            member(relative, summary.refs),
        )
    return summary, lint_entry, record_entry


def _record_entry(
    relative: str, stat: os.stat_result, raw: bytes, digest: str, loaded: LoadedFile
) -> str:
    """The record cache entry of a file, encoded as a member of the cache's JSON object:
    what `dprkhr.dataset._to_entry` makes (and `dprkhr.cache.write` would encode), with
    the data encoded once rather than twice."""
    entry = Entry(
        stamp=stamp(stat),
        digest=digest,
        data=loaded.data,
        problems=[
            [p.line, p.column, p.code, p.rule, p.severity.value, p.message, p.suggestion]
            for p in loaded.problems
        ],
        failed=loaded.failed,
        validated=loaded.record is not None,
    )
    try:
        return member(relative, entry.to_json())
    except (TypeError, ValueError):
        entry.data = None  # not representable: the file is parsed again next time
        entry.digest = digest if loaded.failed else ""
        return member(relative, entry.to_json())


@dataclass
class Scan:
    """The files of a lint run, in dataset order, each with its state on disk."""

    jobs: list[Job]
    stats: list[os.stat_result | None]
    """Each file's `os.stat`, or None if it could not be had."""
    in_root: int
    """How many of the jobs are the data root's own files (the others come after)."""
    cwd: Path | None = None
    started_ns: int = 0
    """When the scan started: files changed since may have been missed, so the caches
    written by this run count as written then."""


def scan(root: Path, extra: Sequence[Path] = (), cwd: Path | None = None) -> Scan:
    """Every file under `root` (as `dprkhr.dataset.discover` finds them) and the `extra`
    files not among them, with their `os.stat`."""
    started_ns = time.time_ns()
    jobs, in_root = file_jobs(root, extra, cwd)
    stats: list[os.stat_result | None]
    try:
        stats = list(map(os.stat, [job[0] for job in jobs]))  # the common case, quickly
    except OSError:
        stats = []
        for job in jobs:
            try:
                stats.append(os.stat(job[0]))
            except OSError:
                stats.append(None)
    return Scan(jobs, stats, in_root, cwd, started_ns)


def collect(
    root: Path,
    files: Scan,
    today: dt.date | None = None,
    archive: Path | None = None,
    cache: bool = False,
    workers: int | None = None,
    reuse: bool = True,
) -> Collected:
    """Summarise every file of the run, reusing the per-file lint cache with `cache=True`
    (unless `reuse` is False: then it is only rewritten) and then updating it (and writing
    the record cache when every record file had to be read, so that a query after a cold
    lint is warm)."""
    started_ns = files.started_ns
    day = today or dt.date.today()
    jobs = files.jobs

    from dprkhr.dataset import Dataset

    with no_gc():
        # the vocabularies first: per-file rules read them, and they are part of the key
        vocab = Dataset(root=root)
        vocab_files: dict[int, Any] = {}
        raw_vocab: list[tuple[str, bytes | None]] = []
        for index, (path, kind, display, _relative) in enumerate(jobs):
            if kind not in VOCAB_FILES:
                continue
            read = _read(path)
            raw = read[1] if read is not None else None
            loaded = (
                load_file(path, kind, display, raw)
                if raw is not None
                else load_file(path, kind, display)
            )
            raw_vocab.append((kind if index < files.in_root else path, raw))
            vocab_files[index] = loaded
            if loaded.vocab is not None:
                _attach_vocab(vocab, loaded.vocab)
        env = FileEnv(forums=vocab.forums, today=day, archive=archive)

        from dprkhr.lint import filecache

        stored: FileCache | None = None
        if cache:
            key = filecache.cache_key(raw_vocab, archive)
            stored = (
                filecache.FileCache.read(root, key, day)
                if reuse
                else filecache.FileCache.empty(root, key, day)
            )
        summaries: list[FileSummary | None] = [None] * len(jobs)
        entries: dict[str, Any] = {}
        pending: list[int] = []
        reused = 0
        from dprkhr.lint.summary import summarise

        for index, job in enumerate(jobs):
            path, kind, _display, relative = job
            if index in vocab_files:
                summaries[index] = summarise(vocab_files[index], env)
                vocab_files[index].doc = None
                continue
            stat = files.stats[index]
            if stored is not None and relative is not None and stat is not None:
                hit = stored.fresh(relative, path, stat)
                if hit is not None:
                    summaries[index] = hit[0]
                    entries[relative] = (hit[1], None)
                    reused += 1
                    continue
            pending.append(index)
        records_wanted = (
            cache
            and bool(pending)
            and all(summaries[i] is None for i, job in enumerate(jobs) if job[3] is not None)
        )
        record_entries: list[str] = []
        count = workers if workers is not None else _cpus()
        pool = None
        if count >= 2 and len(pending) >= PARALLEL_FROM:
            from dprkhr.lint.workers import Pool

            pool = Pool(count, env, cache, records_wanted)
            results: Iterable[Result] = pool.read([jobs[i] for i in pending], CHUNK)
        else:
            results = (process(jobs[i], env, cache, records_wanted) for i in pending)
        try:
            for index, (summary, lint_entry, record_entry) in zip(pending, results, strict=True):
                summaries[index] = summary
                relative = jobs[index][3]
                if relative is None:
                    continue
                if lint_entry is not None:
                    entries[relative] = lint_entry
                    if stored is not None:
                        known = stored.index.get(relative)
                        stored.dirty.add(known[1] if known else filecache.shard_of(relative))
                if record_entry is not None:
                    record_entries.append(record_entry)
        except BaseException:
            if pool is not None:
                pool.close()
            raise

    view = DatasetView(
        displays=[job[2] for job in jobs],
        kinds=[job[1] for job in jobs],
        summaries=cast("list[FileSummary]", summaries),  # every file has one by now
        forums=vocab.forums,
        tags=[t.id for t in vocab.tags],
        event_types=[t.id for t in vocab.event_types],
        vocab_loaded={
            name: any(f.kind == name and f.vocab is not None for f in vocab_files.values())
            for name in VOCAB_FILES
        },
        map=pool.map if pool is not None else None,
        suggested=stored.suggested if stored is not None else {},
        locations=[job[0] for job in jobs],
        load_refs=_refs_loader(stored, jobs),
    )
    collected = Collected(view=view, locations=[job[0] for job in jobs], pool=pool)
    for name in VOCAB_FILES:
        if not any(job[1] == name for job in jobs):
            collected.loose.append(
                _problem(
                    display_path(root / name, files.cwd),
                    1,
                    1,
                    UNKNOWN_FILE,
                    f"the vocabulary file {name} is missing, so references to it cannot be checked",
                    f"restore data/{name} (see docs/data-model.md)",
                )
            )
    collected.stored, collected.entries, collected.started_ns = stored, entries, started_ns
    collected.reused = reused + bool(view.suggested)
    if records_wanted and len(record_entries) == sum(1 for job in jobs if job[3] is not None):
        from dprkhr.cache import cache_file, write_fragments

        groups = (
            ",".join(record_entries[i : i + 1000]) for i in range(0, len(record_entries), 1000)
        )
        write_fragments(cache_file(root), root, groups, started_ns)
    return collected


def _refs_loader(stored: FileCache | None, jobs: list[Job]) -> Callable[[int], list[Any]] | None:
    if stored is None:
        return None

    def load(index: int) -> list[Any]:
        relative = jobs[index][3]
        refs = stored.refs_of(relative) if relative is not None else None
        if refs is None:
            raise DamagedSummary(jobs[index][2])
        return refs

    return load


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1
