"""Collecting every file's `FileSummary` for lint: from the store (`dprkhr.lint.storage`)
when the file is unchanged since it was summarised, else by reading, validating and
summarising it, in worker processes when there are many files to read."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import itertools
import json
import os
import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from dprkhr.dataset import (
    Job,
    LoadedFile,
    _attach_vocab,
    _problem,
    file_jobs,
    load_file,
    no_gc,
)
from dprkhr.fsio import read_regular
from dprkhr.layout import (
    RECORD_FOLDERS,
    UNREADABLE_FOLDER,
    Scanned,
    display_path,
    vocabulary_files,
)
from dprkhr.lint.base import FileEnv
from dprkhr.lint.view import DamagedSummary, DatasetView, FileSummary
from dprkhr.models import VOCAB_FILES
from dprkhr.problems import UNKNOWN_FILE, Problem
from dprkhr.workers import PARALLEL_FROM, Pool, cpus, state
from dprkhr.yamlio import MAX_FILE_BYTES

if TYPE_CHECKING:
    from dprkhr.dataset import LoadedFile
    from dprkhr.lint.storage import LintRows
    from dprkhr.store import Changes

CHUNK = 400
"""Files a worker reads per task."""

Result = tuple[FileSummary, str | None]
"""A file's summary, and the digest of the bytes it was made from (None when not asked
for, or when the file could not be read as a plain file)."""


@dataclass
class Collected:
    """Every file of a lint run, in dataset order, with what the report needs."""

    view: DatasetView
    locations: list[str]
    loose: list[Problem] = field(default_factory=list)
    """Problems that belong to no file read (a missing vocabulary)."""
    pool: Pool | None = None
    """The worker processes, if files were read in some; `close` ends them."""
    rows: LintRows | None = None
    """Lint's rows in the store, when the run uses it."""
    made: list[tuple[str, str, FileSummary]] = field(default_factory=list)
    """The summaries made by this run, to be stored: (file, digest, summary)."""
    reused: int = 0
    """How many summaries (and remembered answers) came from the store."""

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()

    def drop(self) -> None:
        """Close the store without storing anything."""
        if self.rows is not None:
            self.rows.store.close()
            self.rows = None

    def save(self) -> None:
        """Store the summaries made and the "did you mean" answers, and close the store.
        Never raises."""
        if self.rows is None:
            return
        try:
            self.rows.write(self.made, self.view.suggestions, self.view.keep)
        except (sqlite3.Error, OSError):
            pass  # the store is remade or caught up by a later run
        finally:
            self.rows.store.close()
            self.rows = None


def _read(path: str) -> tuple[os.stat_result, bytes | None] | None:
    try:
        return read_regular(path, MAX_FILE_BYTES)
    except OSError:  # `load_file` says why
        return None


def process(job: Job, env: FileEnv, digest: bool) -> Result:
    """Read, validate and summarise one file; with `digest`, also the digest of its
    content (see `dprkhr.store.content_digest`)."""
    from dprkhr.lint.summary import summarise

    path, kind, display, relative = job
    read = _read(path) if relative is not None and digest else None
    if read is None or read[1] is None:
        return summarise(load_file(path, kind, display), env), None
    from dprkhr.store import content_digest

    raw = read[1]
    loaded = load_file(path, kind, display, raw)
    summary = summarise(loaded, env)
    loaded.doc = None
    return summary, content_digest(raw)


def _chunk(work: tuple[list[Job], bool]) -> list[Result]:
    """(In a worker process.) `process` over a part of the files."""
    jobs, digest = work
    env: FileEnv = state()
    return [process(job, env, digest) for job in jobs]


def summarise_file(env: FileEnv, _file: str, loaded: LoadedFile) -> FileSummary:
    """A file's summary as the store's refresh reads it (`dprkhr.store.Extension.derive`,
    maybe in a worker process)."""
    from dprkhr.lint.summary import summarise

    return summarise(loaded, env)


class Readers:
    """Reads files for one run: in this process, or in worker processes (started on first
    need, for many files: by the store's refresh or by `summarise`) that also serve
    `DatasetView.map`."""

    def __init__(self, env: FileEnv, workers: int) -> None:
        self.env = env
        self.workers = Pool(workers, env) if workers >= 2 else None

    @property
    def pool(self) -> Pool | None:
        """The worker processes, once started."""
        workers = self.workers
        return workers if workers is not None and workers.executor is not None else None

    def summarise(self, jobs: list[Job], digest: bool) -> Iterable[Result]:
        """Each file's summary (see `process`), in order."""
        if self.workers is None or len(jobs) < PARALLEL_FROM:
            return (process(job, self.env, digest) for job in jobs)
        parts = [(jobs[i : i + CHUNK], digest) for i in range(0, len(jobs), CHUNK)]

        def here(part: tuple[list[Job], bool]) -> list[Result]:
            return [process(job, self.env, digest) for job in part[0]]

        ahead = 2 * self.workers.workers + 2
        return itertools.chain.from_iterable(self.workers.imap(_chunk, parts, here, ahead))

    def close(self) -> None:
        if self.workers is not None:
            self.workers.close()


def _listed(root: Path, scanned: list[Scanned]) -> list[tuple[str, str, str]]:
    """The files a store's refresh listed (`Store.scanned`) as `discover` lists them: the
    vocabularies, then each record folder's unreadable subfolders (in the order met) and
    its files, sorted by path (the folders' names are in `RECORD_FOLDERS` order)."""
    top = os.path.join(os.fspath(root), "")
    vocab = [(str(root / r), kind, r) for r, kind, _info in scanned if kind in VOCAB_FILES]
    files = sorted([(r, kind) for r, kind, _info in scanned if kind not in VOCAB_FILES])
    if any(kind == UNREADABLE_FOLDER for _r, kind in files):
        rank = {folder: number for number, folder in enumerate(RECORD_FOLDERS)}
        met = [r for r, kind, _info in scanned if kind == UNREADABLE_FOLDER]

        def order(item: tuple[str, str]) -> tuple[int, int, int]:
            relative, kind = item
            if kind == UNREADABLE_FOLDER:
                return (rank[relative.split("/", 1)[0]], 0, met.index(relative))
            return (rank[relative.split("/", 1)[0]], 1, 0)  # (a stable sort: still sorted)

        files.sort(key=order)
    return vocab + [(top + r, kind, r) for r, kind in files]


def _stored(
    root: Path, cwd: Path | None, key: str, readers: Readers, reuse: bool
) -> tuple[LintRows, dict[str, FileSummary | None], set[str], int] | None:
    """Lint's rows in the store of `root`, brought up to date with the files: the files
    the refresh reads are summarised as it reads them (their node trees in hand, in the
    `readers`' worker processes when there are many) and their rows written in its
    transaction; then the stored summaries of the others, the files the store has no
    summary of, and how many summaries were read from the store (-1 when the refresh read
    some files). None when the store cannot be used: the files are read."""
    from dprkhr.lint.storage import LintRows
    from dprkhr.store import Extension, StoreError, open_store
    from dprkhr.storequery import EXTENSION_NAME as QUERY_TABLES

    store = open_store(root)
    if store is None:
        return None
    env = readers.env
    rows = LintRows(store, key, env.today)
    made: dict[str, FileSummary | None] = {}
    name = "lint-run"

    def write(db: sqlite3.Connection, changes: Changes) -> None:
        derived: dict[str, FileSummary] = changes.derived.get(name, {})
        if rows.insert(db, derived):  # their references are in the store: not kept here
            derived = {file: summary._replace(refs=None) for file, summary in derived.items()}
        made.update(derived)

    run = Extension(name, (), write, functools.partial(summarise_file, env))
    try:
        if not reuse:
            rows.clear()
        rows.prepare()
        # the query tables are left to the next query (`defer`): see docs/architecture.md
        store.refresh(cwd=cwd, extra=[run], pool=readers.workers, defer=(QUERY_TABLES,))
        missing = rows.missing() - made.keys()
        stored = rows.summaries(made)
        # (the vocabularies are read again by every run)
        read = -1 if made else sum(1 for file in stored if file not in VOCAB_FILES)
        stored.update(made)
        return rows, stored, missing, read
    except (StoreError, sqlite3.Error):
        store.close()
        return None
    except BaseException:
        store.close()
        raise


def collect(
    root: Path,
    extra: Sequence[Path] = (),
    cwd: Path | None = None,
    today: dt.date | None = None,
    archive: Path | None = None,
    cache: bool = False,
    workers: int | None = None,
    reuse: bool = True,
) -> Collected:
    """Summarise every file under `root` and the `extra` files (as
    `dprkhr.dataset.file_jobs` lists them): with `cache=True`, from the store for the files
    summarised since they last changed (unless `reuse` is False: then every summary is made
    again and stored)."""
    day = today or dt.date.today()

    from dprkhr.dataset import Dataset
    from dprkhr.lint.summary import summarise

    with no_gc():
        # the vocabularies first: per-file rules read them, and they are part of the key.
        # With the store and no extra files, the root's vocabularies are at known places
        # and the other files are those its refresh lists (not listed a second time here)
        listed = file_jobs(root, extra, cwd) if extra or not cache else None
        first, in_root = listed or file_jobs(root, (), cwd, vocabulary_files(root))
        vocab = Dataset(root=root)
        vocab_files: dict[str, LoadedFile] = {}
        raw_vocab: list[tuple[str, bytes | None]] = []
        for index, (path, kind, display, _relative) in enumerate(first):
            if kind not in VOCAB_FILES:
                continue
            read = _read(path)
            raw = read[1] if read is not None else None
            loaded = (
                load_file(path, kind, display, raw)
                if raw is not None
                else load_file(path, kind, display)
            )
            raw_vocab.append((kind if index < in_root else path, raw))
            vocab_files[path] = loaded
            if loaded.vocab is not None:
                _attach_vocab(vocab, loaded.vocab)
        env = FileEnv(forums=vocab.forums, today=day, archive=archive)

        rows: LintRows | None = None
        stored: dict[str, FileSummary | None] = {}
        missing: set[str] = set()
        from_store = -1
        readers = Readers(env, workers if workers is not None else cpus())
        try:
            if cache:
                from dprkhr.lint.storage import summary_key

                key = summary_key(raw_vocab, archive)
                found = _stored(root, cwd, key, readers, reuse)
                if found is not None:
                    rows, stored, missing, from_store = found
            if listed is not None:
                jobs = listed[0]
            else:
                scanned = _listed(root, rows.store.scanned) if rows is not None else None
                jobs = file_jobs(root, (), cwd, scanned)[0]
            summaries: list[FileSummary | None] = [None] * len(jobs)
            pending: list[int] = []
            reused = 0
            vocab_read: list[LoadedFile] = []
            for index, job in enumerate(jobs):
                early = vocab_files.get(job[0]) if job[1] in VOCAB_FILES else None
                if early is not None:
                    summaries[index] = summarise(early, env)
                    early.doc = None
                    vocab_read.append(early)
                    continue
                relative = job[3]
                if relative is not None and relative not in missing:
                    hit = stored.get(relative)
                    if hit is not None:
                        summaries[index] = hit
                        reused += 1
                        continue
                pending.append(index)
            del stored
            results = readers.summarise([jobs[i] for i in pending], rows is not None)
            made: list[tuple[str, str, FileSummary]] = []
            for index, (summary, content) in zip(pending, results, strict=True):
                summaries[index] = summary
                relative = jobs[index][3]
                if relative is not None and content is not None:
                    made.append((relative, content, summary))
        except BaseException:
            readers.close()
            if rows is not None:
                rows.store.close()
            raise

    view = DatasetView(
        displays=[job[2] for job in jobs],
        kinds=[job[1] for job in jobs],
        summaries=cast("list[FileSummary]", summaries),  # every file has one by now
        forums=vocab.forums,
        tags=[t.id for t in vocab.tags],
        event_types=[t.id for t in vocab.event_types],
        vocab_loaded={
            name: any(f.kind == name and f.vocab is not None for f in vocab_read)
            for name in VOCAB_FILES
        },
        map=readers.pool.map if readers.pool is not None else None,
        suggested=rows.suggested if rows is not None else {},
        kept=rows.kept if rows is not None else {},
        locations=[job[0] for job in jobs],
    )
    if rows is not None:
        view.unresolved, view.load_refs = _stored_refs(rows, view, jobs)
        if listed is None and not pending and reused == from_store:
            # every summary is the store's, as of that generation: what was found across
            # them can be kept for the next run that finds them so
            whole = [rows.generation, rows.key, os.fspath(root), display_path(root, cwd)]
            view.unchanged = hashlib.blake2b(json.dumps(whole).encode(), digest_size=20).hexdigest()
    collected = Collected(view=view, locations=[job[0] for job in jobs], pool=readers.pool)
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
    collected.rows, collected.made = rows, made
    collected.reused = reused + bool(view.suggested) + bool(view.kept)
    return collected


def _stored_refs(
    rows: LintRows, view: DatasetView, jobs: list[Job]
) -> tuple[
    Callable[
        [Collection[str] | None, Collection[tuple[str, str]]],
        Iterator[tuple[int, str, str, int, int]],
    ],
    Callable[[], dict[int, list[list[Any]]]],
]:
    """`DatasetView.unresolved` and `DatasetView.load_refs` for the summaries that came
    from the store (their references stay in it)."""
    index_of: dict[str, int] = {}

    def stored() -> dict[str, int]:
        if not index_of:
            index_of.update(
                (job[3], index)
                for index, job in enumerate(jobs)
                if job[3] is not None and view.summaries[index].refs is None
            )
        return index_of

    def unresolved(
        kinds: Collection[str] | None, resolved: Collection[tuple[str, str]]
    ) -> Iterator[tuple[int, str, str, int, int]]:
        index_of = stored()
        for file, kind, target, line, column in rows.unresolved(kinds, resolved):
            index = index_of.get(file)
            if index is None:
                continue  # read by this run: its summary holds its references
            if not (type(kind) is str and type(target) is str):
                raise DamagedSummary(view.displays[index])
            yield index, kind, target, line, column

    def load_refs() -> dict[int, list[list[Any]]]:
        by_file = rows.refs()
        return {index: by_file.get(file, []) for file, index in stored().items()}

    return unresolved, load_refs
