"""Collecting every file's `FileSummary` for lint: from the per-file cache when the file is
unchanged, else by reading, validating and summarising it, in worker processes when there
are many files to read."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dprkhr.dataset import (
    _attach_vocab,
    _problem,
    _to_entry,
    discover,
    display_path,
    load_file,
    no_gc,
    record_kind,
)
from dprkhr.lint.base import FileEnv
from dprkhr.lint.filecache import FileCache
from dprkhr.lint.view import DatasetView, FileSummary
from dprkhr.models import RECORD_TYPES, VOCAB_FILES
from dprkhr.problems import UNKNOWN_FILE, Problem
from dprkhr.yamlio import MAX_FILE_BYTES

PARALLEL_FROM = 1500
"""Read files in worker processes when at least this many must be read (starting workers
costs about 0.1 s; a file takes about 0.1 ms to read, validate and summarise)."""
CHUNK = 400
"""Files a worker reads per task."""

Job = tuple[str, str, str, str | None]
"""(path, kind, display path, path relative to the data root or None when not cached)."""
Result = tuple[FileSummary, str | None, str | None]
"""A file's summary, its lint cache entry and its record cache entry (both JSON, or None)."""


@dataclass
class Collected:
    """Every file of a lint run, in dataset order, with what the report needs."""

    view: DatasetView
    locations: list[str]
    loose: list[Problem] = field(default_factory=list)
    """Problems that belong to no file read (a missing vocabulary)."""
    stored: FileCache | None = None
    entries: dict[str, Any] = field(default_factory=dict)
    started_ns: int = 0

    def save(self) -> None:
        """Write back the per-file lint cache, with what the rules remembered. Never
        raises."""
        if self.stored is not None:
            self.stored.write(self.entries, self.started_ns, self.view.memory)


def _read(path: str) -> tuple[os.stat_result, bytes | None] | None:
    try:
        stat = os.stat(path)
        if stat.st_size > MAX_FILE_BYTES:
            return stat, None  # refused by size: `load_file` says so without reading it
        with open(path, "rb") as handle:
            return stat, handle.read()
    except OSError:
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
    record_entry = _to_entry(stat, raw, loaded) if records else None
    digest = record_entry.digest if record_entry is not None else ""
    lint_entry = None
    if entries:
        if not digest:
            from dprkhr.cache import content_digest

            digest = content_digest(raw)
        lint_entry = _encode([stat.st_size, stat.st_mtime_ns, digest, list(summary)])
    return (
        summary,
        lint_entry,
        _encode(record_entry.to_json()) if record_entry is not None else None,
    )


def _encode(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def collect(
    root: Path,
    extra: Sequence[Path] = (),
    cwd: Path | None = None,
    today: dt.date | None = None,
    archive: Path | None = None,
    cache: bool = False,
    workers: int | None = None,
) -> Collected:
    """Summarise every file under `root` (plus `extra` files elsewhere), reusing the
    per-file lint cache with `cache=True` and then updating it (and writing the record
    cache when every record file had to be read, so that a query after a cold lint is
    warm)."""
    started_ns = time.time_ns()
    day = today or dt.date.today()
    jobs: list[Job] = []
    root_display = display_path(root, cwd)
    found = discover(root)
    for path, kind, relative in found:
        display = relative if root_display in ("", ".") else f"{root_display}/{relative}"
        jobs.append((path, kind, display, relative if kind in RECORD_TYPES else None))
    seen = {Path(p).resolve() for p, _kind, _rel in found} if extra else set()
    for extra_path in extra:
        if extra_path.resolve() not in seen:
            jobs.append(
                (
                    str(extra_path),
                    record_kind(extra_path, root),
                    display_path(extra_path, cwd),
                    None,
                )
            )
            seen.add(extra_path.resolve())

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
            raw_vocab.append((kind if index < len(found) else path, raw))
            vocab_files[index] = loaded
            if loaded.vocab is not None:
                _attach_vocab(vocab, loaded.vocab)
        env = FileEnv(forums=vocab.forums, today=day, archive=archive)

        from dprkhr.lint import filecache

        stored: FileCache | None = None
        if cache:
            key = filecache.cache_key(raw_vocab, archive)
            stored = filecache.FileCache.read(root, key, day)
        summaries: list[FileSummary | None] = [None] * len(jobs)
        entries: dict[str, Any] = {}
        pending: list[int] = []
        from dprkhr.cache import Encoded
        from dprkhr.lint.summary import summarise

        for index, job in enumerate(jobs):
            path, kind, _display, relative = job
            if index in vocab_files:
                summaries[index] = summarise(vocab_files[index], env)
                vocab_files[index].doc = None
                continue
            if stored is not None and relative is not None:
                hit = stored.fresh(relative, path)
                if hit is not None:
                    summaries[index], entries[relative] = hit
                    continue
            pending.append(index)
        records_wanted = (
            cache
            and bool(pending)
            and all(summaries[i] is None for i, job in enumerate(jobs) if job[3] is not None)
        )
        record_entries: dict[str, Encoded] = {}
        results = _run([jobs[i] for i in pending], env, cache, records_wanted, workers)
        for index, (summary, lint_entry, record_entry) in zip(pending, results, strict=True):
            summaries[index] = summary
            relative = jobs[index][3]
            if relative is None:
                continue
            if lint_entry is not None:
                entries[relative] = Encoded(lint_entry)
                if stored is not None:
                    stored.dirty.add(filecache.shard_of(relative))
            if record_entry is not None:
                record_entries[relative] = Encoded(record_entry)

    view = DatasetView(
        displays=[job[2] for job in jobs],
        kinds=[job[1] for job in jobs],
        summaries=[s for s in summaries if s is not None],
        forums=vocab.forums,
        tags=[t.id for t in vocab.tags],
        event_types=[t.id for t in vocab.event_types],
        vocab_loaded={
            name: any(f.kind == name and f.vocab is not None for f in vocab_files.values())
            for name in VOCAB_FILES
        },
        memory=dict(stored.memory) if stored is not None else {},
    )
    collected = Collected(view=view, locations=[job[0] for job in jobs])
    for name in VOCAB_FILES:
        if not any(job[1] == name for job in jobs):
            collected.loose.append(
                _problem(
                    display_path(root / name, cwd),
                    1,
                    1,
                    UNKNOWN_FILE,
                    f"the vocabulary file {name} is missing, so references to it cannot be checked",
                    f"restore data/{name} (see docs/data-model.md)",
                )
            )
    collected.stored, collected.entries, collected.started_ns = stored, entries, started_ns
    if records_wanted and len(record_entries) == sum(1 for job in jobs if job[3] is not None):
        from dprkhr.cache import write as write_records

        write_records(root, record_entries, started_ns)
    return collected


def _run(
    jobs: list[Job], env: FileEnv, entries: bool, records: bool, workers: int | None
) -> Iterator[Result]:
    """Every job's result, in order: in this process, or in worker processes when there
    are many (falling back to this process if they cannot be used)."""
    count = workers if workers is not None else _cpus()
    if count < 2 or len(jobs) < PARALLEL_FROM:
        for job in jobs:
            yield process(job, env, entries, records)
        return
    from dprkhr.lint import workers as pool

    yield from pool.run(jobs, env, entries, records, count, CHUNK)


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1
