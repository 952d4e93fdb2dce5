"""The store: one SQLite database per data root, derived from the files and never the
source of truth, so that a run re-reads only the files that changed.

It lives in the user's cache folder (`$DPRKHR_CACHE_DIR`, else `$XDG_CACHE_HOME/dprkhr`,
else `~/.cache/dprkhr`), never in the data folder: `store-<digest of the root>.db`.

- `files`: one row per file of the data root as it was last read: its `dprkhr.fsio.stamp`
  (size, modification and change times, inode, device), the digest of its content and
  when that content was last compared (`checked_ns`). A file is unchanged while its stamp
  is the same and, if it was modified within `dprkhr.fsio.RACY_NS` of that moment or after
  it, its content too (`dprkhr.fsio.racy`, as git does for "racily clean" files).
- `records`: what loading each file produced (`dprkhr.dataset.load_file`): its data as
  JSON, its load problems, whether it failed and whether it validated as a record.
- Other tables (the query tables of `dprkhr.storequery`, lint's findings) hold rows per
  file, each with a `file` column that references `files(path) ON DELETE CASCADE`: when a
  file changes or goes, its row in `files` is deleted and every row derived from it goes
  with it, in the same transaction.

`Store.refresh` stats every file, reads and parses only the changed and added ones (in
worker processes, `dprkhr.workers`, when there are many), and applies the changes (with
the rows the extensions derive per file) in one transaction. The database runs in WAL
mode with a busy timeout, so readers never wait and concurrent writers queue. One code fingerprint (`fingerprint`: the version, Python, and
every source file of the package) covers everything in it: a store made by other code,
for another root, or damaged is made again silently; a store that cannot be used at all
(an unwritable cache folder) is None, and callers read the files instead.
"""

from __future__ import annotations

import bisect
import contextlib
import dataclasses
import functools
import hashlib
import itertools
import json
import os
import sqlite3
import sys
import time
import unicodedata
from array import array
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dprkhr import __version__, fsio

if TYPE_CHECKING:
    from dprkhr.dataset import LoadedFile
    from dprkhr.workers import Pool

FORMAT = 1
"""The layout of the core tables; part of the fingerprint."""

CHUNK = 2000
"""Files read, parsed and written at a time in a refresh (memory stays bounded however
many changed); extensions' `update` is called once per chunk."""

CACHE_KIB = 65536
"""SQLite's page cache while a refresh writes (the default, 2 MiB, makes bulk inserts and
building indexes go to disk more often)."""

BUSY_TIMEOUT_MS = 30_000
"""How long a run waits for another run's write transaction before giving up on the store."""


# --- where, and for which code ------------------------------------------------------------------


def cache_dir(env: dict[str, str] | None = None) -> Path:
    """The user's cache folder for dprkhr."""
    env = dict(os.environ) if env is None else env
    if env.get("DPRKHR_CACHE_DIR"):
        return Path(env["DPRKHR_CACHE_DIR"])
    base = env.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dprkhr"


def store_file(root: Path) -> Path:
    """The database file of a data root."""
    key = hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
    return cache_dir() / f"store-{key[:20]}.db"


@functools.cache
def fingerprint() -> str:
    """Changes whenever anything that shapes what the store holds may have changed: the
    version, Python (names are folded with its Unicode database), SQLite, and the source
    of every module of the package. Computed once per process."""
    here = Path(__file__).resolve().parent
    seed = f"{FORMAT}:{__version__}:{sys.version}:{unicodedata.unidata_version}"
    digest = hashlib.blake2b(f"{seed}:{sqlite3.sqlite_version}".encode(), digest_size=16)
    for path in sorted(here.rglob("*.py")):
        digest.update(str(path.relative_to(here)).encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"?")
    return digest.hexdigest()


def content_digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


# --- the core tables ----------------------------------------------------------------------------

_CORE_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files (
    path TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL,
    inode INTEGER NOT NULL, device INTEGER NOT NULL,
    digest TEXT NOT NULL,
    checked_ns INTEGER NOT NULL
);
CREATE TABLE records (
    file TEXT PRIMARY KEY REFERENCES files (path) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    data TEXT,
    problems TEXT NOT NULL,
    failed INTEGER NOT NULL,
    validated INTEGER NOT NULL,
    id TEXT
);
CREATE INDEX records_id ON records (id);
CREATE INDEX records_failed ON records (failed) WHERE failed;
CREATE TABLE deferred (
    file TEXT NOT NULL REFERENCES files (path) ON DELETE CASCADE,
    extension TEXT NOT NULL,
    PRIMARY KEY (file, extension)
) WITHOUT ROWID;
"""


@dataclass(frozen=True)
class Extension:
    """Tables another module keeps in the store, with rows derived per file.

    `schema` creates them (run once, when the store is made; every table that holds rows
    per file has a `file TEXT NOT NULL REFERENCES files (path) ON DELETE CASCADE` column
    and an index on it). `update`, if given, runs inside every refresh's transaction,
    after the core tables are up to date, with what changed."""

    name: str
    schema: str | Sequence[str]
    """SQL statements: one string split at every `;`, or a sequence of statements (for
    triggers, whose bodies hold `;`)."""
    update: Callable[[sqlite3.Connection, Changes], None] | None = None
    derive: Callable[[str, LoadedFile], Any] | None = None
    """What `update` needs of one file (its path relative to the root, and the file as
    just read and parsed, node tree in hand), as plain data: `update` finds it in
    `changes.derived[name][file]` for every file read. A module-level function (or a
    `functools.partial` of one) that returns what can be pickled: when many files are
    read, it runs in worker processes, so that only the writing is left to this one."""
    rebuild: Sequence[str] = ()
    """Statements that make again what triggers keep up to date (a full-text index), run
    after a refresh that wrote most rows anew with the triggers off (see `_unindexed`)."""

    def statements(self) -> list[str]:
        parts = self.schema.split(";") if isinstance(self.schema, str) else self.schema
        return [part for part in parts if part.strip()]


_EXTENSIONS: dict[str, Extension] = {}
EXTENSION_MODULES: tuple[str, ...] = ("dprkhr.storequery",)
"""Modules that define an `EXTENSION` (imported when a store is opened, so that every
run makes the same tables whatever command it is)."""


def register(extension: Extension) -> Extension:
    """Add an extension's tables to every store (call at import time of its module, and
    name the module in `EXTENSION_MODULES`)."""
    _EXTENSIONS[extension.name] = extension
    return extension


def extensions() -> list[Extension]:
    import importlib

    for name in EXTENSION_MODULES:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    return [_EXTENSIONS[name] for name in sorted(_EXTENSIONS)]


# --- what a refresh found -----------------------------------------------------------------------


@dataclass
class Changes:
    """What a refresh changed, by path relative to the data root (`/` separators)."""

    added: list[str] = field(default_factory=list)
    modified: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    loaded: dict[str, LoadedFile] = field(default_factory=dict)
    """The added and modified files as just read and parsed (with their record), when
    they were read in this process (not in workers: see `dprkhr.workers.PARALLEL_FROM`)."""
    derived: dict[str, dict[str, Any]] = field(default_factory=dict)
    """What each extension's `derive` made of the files read: by extension, by file."""
    rebuilt: bool = False
    """The store was empty (new, or made again): every file is added."""

    @property
    def changed(self) -> list[str]:
        """Added and modified."""
        return [*self.added, *self.modified]

    def __bool__(self) -> bool:
        return bool(self.added or self.modified or self.removed)


@dataclass(frozen=True)
class Row:
    """A file's row in `records`, as stored."""

    file: str
    kind: str
    data: Any
    problems: list[list[Any]]
    failed: bool
    validated: bool


class StoreError(Exception):
    """The store cannot be used now (damaged beyond repair, or locked for too long)."""


# --- opening ------------------------------------------------------------------------------------


def key_values(connection: sqlite3.Connection, table: str) -> dict[str, str]:
    """A `(key, value)` table's rows as a dict; empty when the table is not there yet."""
    try:
        return dict(connection.execute(f'SELECT key, value FROM "{table}"'))
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return {}
        raise


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA foreign_keys = ON")
    return connection


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            os.unlink(f"{path}{suffix}")


class Store:
    """An open store of one data root. Use `Store.open`."""

    def __init__(self, root: Path, path: Path, connection: sqlite3.Connection) -> None:
        self.root = root
        self.path = path
        self.connection = connection
        self.refreshed = False
        self._signed: tuple[list[tuple[str, str]], list[tuple[str, str | None]]] = ([], [])
        """The stored signature's parts and those the last refresh found stale."""
        self.scanned: list[tuple[str, str, os.stat_result | None]] = []
        """What the last refresh listed (`dprkhr.layout.scan`): every file's relative path,
        kind and `os.stat` (None when it could not be had), for callers that need the
        listing too."""
        self.unstored: list[tuple[str, str, str]] = []
        """(path, kind, relative path) of what the last refresh found but could not store:
        folders that cannot be listed, files that are not regular or cannot be read (they
        are read, and reported, on every load)."""

    @classmethod
    def open(cls, root: Path) -> Store | None:
        """The store of `root`, made (again) when missing, damaged, foreign or made by other
        code. None when it cannot be used (the cache folder cannot be written, or another
        run holds it locked for longer than the busy timeout). Never raises."""
        path = store_file(root)
        for attempt in range(2):
            try:
                path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                fsio.sweep(path.parent)  # what runs killed mid-write left (lint's caches)
                connection = _connect(path)
            except (OSError, sqlite3.Error):
                return None
            try:
                store = cls(root, path, connection)
                store._prepare()
                return store
            except sqlite3.OperationalError as exc:
                connection.close()
                if "locked" in str(exc) or "busy" in str(exc) or attempt:
                    return None
                _remove(path)  # e.g. "disk I/O error" on a damaged file
            except (sqlite3.DatabaseError, ValueError):
                connection.close()
                if attempt:
                    return None
                _remove(path)  # not a database, or damaged: make it again
        return None

    def _meta(self) -> dict[str, str]:
        return key_values(self.connection, "meta")

    def _wanted_meta(self) -> dict[str, str]:
        return {
            "format": str(FORMAT),
            "fingerprint": fingerprint(),
            "root": str(self.root.resolve()),
        }

    def _prepare(self) -> None:
        """Check the store is ours; make its tables (again) in one transaction if not."""
        wanted = self._wanted_meta()
        meta = self._meta()
        if all(meta.get(k) == v for k, v in wanted.items()):
            return
        self.connection.execute("PRAGMA journal_mode = WAL")
        with self.transaction():
            meta = self._meta()  # another run may have made it meanwhile
            if all(meta.get(k) == v for k, v in wanted.items()):
                return
            self._drop_all()
            core = [part for part in _CORE_SCHEMA.split(";") if part.strip()]
            for statement in (
                *core,
                *(s for e in extensions() for s in e.statements()),
            ):
                self.connection.execute(statement)  # (executescript would commit first)
            self.connection.executemany(
                "INSERT INTO meta VALUES (?, ?)", [*wanted.items(), ("written_ns", "0")]
            )

    def _drop_all(self) -> None:
        connection = self.connection
        connection.execute("PRAGMA foreign_keys = OFF")
        try:
            rows = connection.execute(
                "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view') "
                "AND name NOT LIKE 'sqlite_%'"
            ).fetchall()
            for kind, name in rows:
                with contextlib.suppress(sqlite3.OperationalError):  # shadow tables of FTS
                    connection.execute(f'DROP {kind.upper()} IF EXISTS "{name}"')
        finally:
            connection.execute("PRAGMA foreign_keys = ON")

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (taken at once, so that concurrent writers queue): committed
        when the block ends, rolled back if it raises."""
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield self.connection
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")

    @contextlib.contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: every query in the block sees the same state of the store,
        whatever other runs write meanwhile."""
        self.connection.execute("BEGIN")
        try:
            yield self.connection
        finally:
            with contextlib.suppress(sqlite3.Error):
                self.connection.execute("COMMIT")

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.connection.close()

    # --- refreshing -----------------------------------------------------------------------------

    def refresh(
        self,
        cwd: Path | None = None,
        extra: Sequence[Extension] = (),
        pool: Pool | None = None,
        defer: Collection[str] = (),
    ) -> Changes:
        """Bring the store up to date with the files of the root: stat every file, read and
        parse the added and modified ones, and apply it all (core tables, then the
        extensions', then the `extra` ones' `derive` and `update`: a caller's own rows,
        whose tables are made by a registered extension) in one transaction. When at least
        `dprkhr.workers.PARALLEL_FROM` files must be read, they are read, parsed and
        derived in worker processes (`pool`, else a pool of this refresh's own). Raises
        `StoreError` if the store cannot be written (it is then left as it was).

        The registered extensions named in `defer` derive nothing in this run (lint, which
        reads none of the query tables, leaves them out of a cold build): the files read
        are marked in `deferred`, and the next refresh that does not defer them derives
        their rows from the records as stored.

        The files are compared in parts of about `PART` files (by path): a part whose
        files all have the stamps they had at the last refresh (one digest of them,
        `meta.signature`) and none modified within `RACY_NS` of it is not compared file
        by file; the `files` rows of the other parts only are read. So a warm run costs one
        `stat` a file, and the run after an edit compares only the edited file's part."""
        from dprkhr.layout import RECORD_FOLDERS, VOCAB_FILE_NAMES, scan

        storable = {*RECORD_FOLDERS.values(), *VOCAB_FILE_NAMES}
        started_ns = time.time_ns()
        scanned = scan(self.root)
        self.scanned = scanned
        top = os.fspath(self.root) + os.sep
        self.unstored = [
            (top + relative, kind, relative)
            for relative, kind, info in scanned
            if not _storable(relative, kind, info, storable)
        ]
        connection = self.connection
        try:
            with self.reading():
                meta = self._meta()
                ranges, checked = _stale(
                    scanned, meta.get("signature", ""), int(meta.get("signature_ns", "0"))
                )
                self._signed = (_parts(meta.get("signature", "")), ranges)
                owed = set(meta.get("deferred", "").split()) - set(defer)
                if not ranges and not owed:
                    self.refreshed = True
                    return Changes()
                generation = meta.get("generation", "0")
                sql = (
                    "SELECT path, kind, size, mtime_ns, ctime_ns, inode, device, digest, "
                    "checked_ns FROM files WHERE path >= ?"
                )
                stored = {
                    row[0]: row[1:]
                    for low, high in ranges
                    for row in (
                        connection.execute(sql, (low,))
                        if high is None
                        else connection.execute(f"{sql} AND path < ?", (low, high))
                    )
                }
                rebuilt = (
                    not stored
                    and not connection.execute("SELECT EXISTS (SELECT 1 FROM files)").fetchone()[0]
                )
        except sqlite3.DatabaseError as exc:
            raise self.failed(exc) from None
        changes = Changes(rebuilt=rebuilt)
        verified: list[tuple[int, str]] = []
        to_read: list[tuple[str, str, tuple[os.stat_result, bytes] | None, bool]] = []
        present: set[str] = set()
        for relative, kind, info in checked:
            if info is None or not _storable(relative, kind, info, storable):
                continue  # read (and reported) on every load
            present.add(relative)
            old = stored.get(relative)
            read: tuple[os.stat_result, bytes] | None = None
            if old is not None and old[0] == kind and list(old[1:6]) == fsio.stamp(info):
                if not fsio.racy(info, old[7]):
                    continue
                with contextlib.suppress(OSError):
                    read = fsio.read_regular(top + relative, fsio.RECORD_LIMIT)
                same = read is not None and fsio.stamp(read[0]) == fsio.stamp(info)
                if same and read is not None and content_digest(read[1]) == old[6]:
                    verified.append((started_ns, relative))
                    continue
            to_read.append((relative, kind, read, old is not None))
        changes.removed = [p for p in stored if p not in present]
        del stored
        from dprkhr.dataset import no_gc  # (not before: a warm run imports no model)

        with no_gc():  # many objects, no cycles: see `dprkhr.dataset.no_gc`
            self._write(
                changes,
                to_read,
                verified,
                scanned,
                generation,
                started_ns,
                cwd,
                extra,
                pool,
                defer,
            )
        self.refreshed = True
        return changes

    def _write(
        self,
        changes: Changes,
        to_read: list[tuple[str, str, tuple[os.stat_result, bytes] | None, bool]],
        verified: list[tuple[int, str]],
        scanned: list[tuple[str, str, os.stat_result | None]],
        generation: str,
        started_ns: int,
        cwd: Path | None,
        extra: Sequence[Extension],
        pool: Pool | None,
        defer: Collection[str],
    ) -> None:
        """The slow path of `refresh`: read, parse and derive the files `to_read` (in
        worker processes when there are many), derive the rows deferred by earlier runs
        (`defer`), and write everything (core tables, extensions, meta) in one
        transaction."""
        from dprkhr import workers
        from dprkhr.layout import display_path

        deferring = [e.name for e in extensions() if e.name in defer and e.derive is not None]
        every = [*(e for e in extensions() if e.name not in deferring), *extra]
        own: list[Pool] = []

        def pool_for(files: int) -> Pool | None:
            if files < workers.PARALLEL_FROM or workers.cpus() < 2:
                return None
            if pool is None and not own:
                own.append(workers.Pool(workers.cpus()))
            return pool or own[0]

        reader = pool_for(len(to_read))
        keep = reader is None and len(to_read) <= CHUNK  # the files as parsed, for the caller
        reading = Reading(
            os.fspath(self.root) + os.sep,
            display_path(self.root, cwd),
            started_ns,
            {e.name: e.derive for e in every if e.derive is not None},
            reader is None,
        )
        jobs = [(relative, kind, read) for relative, kind, read, _old in to_read]
        results = _in_parts(reading, reading.one, jobs, reader)
        with contextlib.suppress(sqlite3.Error):
            self.connection.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        try:
            with self.transaction() as db:
                db.executemany("DELETE FROM files WHERE path = ?", ((p,) for p in changes.removed))
                db.executemany(
                    "DELETE FROM files WHERE path = ?",
                    ((r,) for r, _k, _x, old in to_read if old),
                )
                db.executemany("UPDATE files SET checked_ns = ? WHERE path = ?", verified)
                due = self._due(db, defer)
                owed = max((len(files) for _extension, files in due), default=0)
                bulk = len(to_read) + owed > max(CHUNK, len(scanned) // 2)
                indexes = self._unindexed(db) if bulk else []
                stamps = self._insert(db, changes, to_read, results, every, keep, deferring)
                if changes.removed and not to_read:
                    self._derive(db, Changes(removed=changes.removed), every)
                for extension, files in due:
                    self._catch_up(db, extension, files, reading, pool_for(len(files)))
                for _name, sql in indexes:
                    db.execute(sql)
                for statement in (s for e in every if indexes for s in e.rebuild):
                    db.execute(statement)
                now = self._meta()
                signature = _signature(
                    [(r, k, stamps.get(r, i)) for r, k, i in scanned], *self._signed
                )
                if now.get("generation", "0") != generation:
                    signature = ""  # another run wrote meanwhile: the next one compares all
                db.executemany(
                    "INSERT OR REPLACE INTO meta VALUES (?, ?)",
                    [
                        ("written_ns", str(started_ns)),
                        ("signature", signature),
                        ("signature_ns", str(started_ns)),
                        ("generation", str(int(now.get("generation", "0")) + 1)),
                        ("deferred", " ".join(self._deferred(db))),
                    ],
                )
        except sqlite3.DatabaseError as exc:
            raise self.failed(exc) from None
        finally:
            for started in own:
                started.close()

    @staticmethod
    def _deferred(db: sqlite3.Connection) -> list[str]:
        """The extensions whose rows of some files are deferred."""
        return [name for (name,) in db.execute("SELECT DISTINCT extension FROM deferred")]

    def _due(
        self, db: sqlite3.Connection, defer: Collection[str]
    ) -> list[tuple[Extension, list[str]]]:
        """The registered extensions (but those in `defer`) whose rows of some files were
        deferred by earlier runs, with those files."""
        due = []
        for extension in extensions():
            if extension.name in defer or extension.derive is None:
                continue
            files = [
                file
                for (file,) in db.execute(
                    "SELECT file FROM deferred WHERE extension = ? ORDER BY file",
                    (extension.name,),
                )
            ]
            if files:
                due.append((extension, files))
        return due

    def _catch_up(
        self,
        db: sqlite3.Connection,
        extension: Extension,
        files: list[str],
        reading: Reading,
        pool: Pool | None,
    ) -> None:
        """Derive an extension's deferred rows of `files` from their records as stored
        (validated again, as `dprkhr.dataset.load_dataset` does), a part at a time."""
        derivers = {extension.name: extension.derive} if extension.derive is not None else {}
        again = dataclasses.replace(reading, derivers=derivers, keep=False, deriver=extension.name)
        for start in range(0, len(files), CHUNK):
            stored = db.execute(
                "SELECT file, kind, data, failed, validated FROM records "
                "WHERE file IN (SELECT value FROM json_each(?)) ORDER BY file",
                (json.dumps(files[start : start + CHUNK]),),
            ).fetchall()
            part = Changes(derived={extension.name: {}})
            for file, derived in _in_parts(again, again.stored, stored, pool):
                part.derived[extension.name][file] = derived
            if extension.update is not None:
                extension.update(db, part)
        db.execute("DELETE FROM deferred WHERE extension = ?", (extension.name,))

    def _insert(
        self,
        db: sqlite3.Connection,
        changes: Changes,
        to_read: list[tuple[str, str, tuple[os.stat_result, bytes] | None, bool]],
        results: Iterator[Read],
        every: list[Extension],
        keep: bool,
        deferring: list[str],
    ) -> dict[str, os.stat_result | None]:
        """Insert the rows of the files read (`results`, in the order of `to_read`), a part
        of `CHUNK` files at a time, each part told to the extensions (and marked for the
        `deferring` ones); the `os.stat` of each file as read."""
        top = os.fspath(self.root) + os.sep
        stamps: dict[str, os.stat_result | None] = {}
        gone = list(changes.removed)
        for start in range(0, len(to_read), CHUNK):
            # (the files gone are told with the first part)
            part = Changes(removed=list(gone) if start == 0 else [], rebuilt=changes.rebuilt)
            part.derived = {e.name: {} for e in every if e.derive is not None}
            rows: list[tuple[Any, ...]] = []
            for (relative, kind, _read, old), (row, got, derived, loaded) in zip(
                to_read[start : start + CHUNK],
                itertools.islice(results, CHUNK),
                strict=True,
            ):
                stamps[relative] = got  # as read: a later edit shows in the next scan
                if row is None:  # not a regular readable file: never stored
                    self.unstored.append((top + relative, kind, relative))
                    if old:
                        part.removed.append(relative)
                    continue
                (part.modified if old else part.added).append(relative)
                if loaded is not None:
                    part.loaded[relative] = loaded
                for name, value in derived.items():
                    part.derived[name][relative] = value
                rows.append((relative, kind, *row))
            db.executemany(
                "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (row[:9] for row in rows),
            )
            db.executemany(
                "INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?)",
                ((row[0], row[1], *row[9:]) for row in rows),
            )
            db.executemany(
                "INSERT INTO deferred VALUES (?, ?)",
                ((row[0], name) for row in rows for name in deferring),
            )
            self._derive(db, part, every)
            changes.added += part.added
            changes.modified += part.modified
            changes.removed += part.removed[len(gone) if start == 0 else 0 :]
            if keep:
                changes.loaded.update(part.loaded)
            del part, rows
        return stamps

    @staticmethod
    def _unindexed(db: sqlite3.Connection) -> list[tuple[str, str]]:
        """Drop the secondary indexes and the triggers of every table, to make them again
        once a refresh that writes most rows anew has inserted them (much faster than
        keeping them up to date row by row: then `Extension.rebuild`); their names and
        statements. Inside the refresh's transaction, so no other run ever sees the store
        without them."""
        found = list(
            db.execute(
                "SELECT type, name, sql FROM sqlite_master "
                "WHERE type IN ('index', 'trigger') AND sql NOT NULL"
            )
        )
        for kind, name, _sql in found:
            db.execute(f'DROP {kind.upper()} "{name}"')
        return [(name, sql) for _kind, name, sql in found]

    @staticmethod
    def _derive(db: sqlite3.Connection, part: Changes, every: Sequence[Extension]) -> None:
        """Let the extensions write their rows of a part of the changes (inside the
        refresh's transaction)."""
        for extension in every:
            if extension.update is not None:
                extension.update(db, part)

    def failed(self, exc: sqlite3.DatabaseError) -> StoreError:
        """The error to raise for a failed statement. Unless another run held the store
        locked for too long, the store is damaged: it is removed, so that the next run makes
        it again."""
        text = str(exc)
        if not ("locked" in text or "busy" in text):
            self.close()
            _remove(self.path)
        return StoreError(text)

    # --- reading --------------------------------------------------------------------------------

    def rows(self, files: Iterable[str] | None = None) -> dict[str, Row]:
        """The `records` rows of the given files (every file when None), as stored, by
        file. Raises `StoreError`."""
        sql = "SELECT file, kind, data, problems, failed, validated FROM records"
        try:
            if files is None:
                cursor = self.connection.execute(sql)
            else:
                cursor = self.connection.execute(
                    f"{sql} WHERE file IN (SELECT value FROM json_each(?))",
                    (json.dumps(list(files)),),
                )
            return {
                file: Row(
                    file,
                    kind,
                    None if data is None else json.loads(data),
                    json.loads(problems),
                    bool(failed),
                    bool(validated),
                )
                for file, kind, data, problems, failed, validated in cursor
            }
        except sqlite3.DatabaseError as exc:
            raise self.failed(exc) from None
        except ValueError as exc:
            raise self.failed(sqlite3.DatabaseError(f"damaged row: {exc}")) from None

    def missing(self, table: str) -> list[str]:
        """The files that have no row in an extension's `table` (its `file` column): the
        ones it has not derived rows from since they last changed."""
        return [
            path
            for (path,) in self.connection.execute(
                f'SELECT path FROM files WHERE path NOT IN (SELECT file FROM "{table}") '
                "ORDER BY path"
            )
        ]


Read = tuple[tuple[Any, ...] | None, os.stat_result | None, dict[str, Any], "LoadedFile | None"]
"""A file as `Reading` read it: its row for `files` and `records` (None when it is not a
regular file that can be read: never stored), its `os.stat` as read, what each
extension's `derive` made of it, and the file as parsed (only when asked to keep it)."""

ReadJob = tuple[str, str, tuple[os.stat_result, bytes] | None]
"""A file to read: its path relative to the root, its kind, and its `os.stat` and bytes
when they were already read."""

READ_PART = 250
"""Files a worker process reads, parses and derives per task."""


@dataclass(frozen=True)
class Reading:
    """How a refresh reads files, here or in a worker process (it is pickled with each
    part: everything in it must be)."""

    top: str
    """The data root, ending with a separator."""
    shown: str
    """How the data root is shown (`dprkhr.layout.display_path`)."""
    started_ns: int
    derivers: dict[str, Callable[[str, LoadedFile], Any]]
    keep: bool
    """Whether to hand back the parsed files (`Changes.loaded`: not from workers)."""
    deriver: str | None = None
    """When set, the parts are `records` rows to derive this extension's rows from
    (`stored`), not files to read."""

    def __call__(self, part: list[Any]) -> list[Any]:
        """(In a worker process.) A part of the files, read (or derived again)."""
        return self.here(part)

    def here(self, part: list[Any]) -> list[Any]:
        one = self.one if self.deriver is None else self.stored
        return [one(job) for job in part]

    def stored(self, row: tuple[Any, ...]) -> tuple[str, Any]:
        """A file's rows of the one extension (`deriver`) from its `records` row: the
        record validated again from its JSON, or, when that cannot be (data JSON cannot
        hold), the file read again, as `dprkhr.dataset.load_dataset` does."""
        from dprkhr.dataset import _from_row, load_file

        file, kind, data, failed, validated = row
        path = self.top + file
        display = file if self.shown in ("", ".") else f"{self.shown}/{file}"
        try:
            value = None if data is None else json.loads(data)
            row_ = Row(file, kind, value, [], bool(failed), bool(validated))
            loaded = _from_row(path, kind, display, row_)
        except ValueError:
            loaded = None
        if loaded is None:
            loaded = load_file(path, kind, display)
        return file, self.derivers[str(self.deriver)](file, loaded)

    def one(self, job: ReadJob) -> Read:
        """Read, parse and derive one file (`read`: its bytes, when already read)."""
        from dprkhr.dataset import load_file

        relative, kind, read = job
        path = self.top + relative
        display = relative if self.shown in ("", ".") else f"{self.shown}/{relative}"
        if read is None:
            try:
                read = fsio.read_regular(path, fsio.RECORD_LIMIT)
            except OSError:
                loaded = load_file(path, kind, display)
                return None, None, {}, loaded if self.keep else None
        info, raw = read
        loaded = load_file(path, kind, display, raw)
        data = loaded.data
        try:
            text = None if data is None else json.dumps(data, ensure_ascii=False, allow_nan=True)
        except (TypeError, ValueError):
            text = None  # not representable: the file is parsed again when loaded whole
        problems = [
            [
                p.line,
                p.column,
                p.code,
                p.rule,
                p.severity.value,
                p.message,
                p.suggestion,
            ]
            for p in loaded.problems
        ]
        record = loaded.record
        row = (
            *fsio.stamp(info),
            content_digest(raw),
            self.started_ns,
            text,
            json.dumps(problems, ensure_ascii=False),
            int(loaded.failed),
            int(record is not None or loaded.vocab is not None),
            None if record is None else record.id,
        )
        derived = {name: derive(relative, loaded) for name, derive in self.derivers.items()}
        return row, info, derived, loaded if self.keep else None


def _in_parts(
    reading: Reading, one: Callable[[Any], Any], jobs: list[Any], pool: Pool | None
) -> Iterator[Any]:
    """`one` over the jobs, in order: here, or in parts of `READ_PART` in the `pool`'s
    worker processes (read ahead of the writing, not further: memory)."""
    if pool is None:
        return map(one, jobs)
    parts = [jobs[i : i + READ_PART] for i in range(0, len(jobs), READ_PART)]
    ahead = 2 * pool.workers + 2
    here = reading.here  # (what a worker that died left undone)
    return itertools.chain.from_iterable(pool.imap(reading, parts, here, ahead))


PART = 1024
"""Files per part of the signature (`_signature`): a change makes a refresh read the
stored rows of its part only."""


def _digests(
    ordered: Sequence[tuple[str, str, os.stat_result | None]],
) -> tuple[str, int]:
    """One digest of every file's path, kind and stamp (a canonical encoding), and the
    latest modification time among them."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(
        "\n".join([f"{r}\0{k}" for r, k, _i in ordered]).encode("utf-8", "surrogateescape")
    )
    infos = [i for _r, _k, i in ordered]
    mtimes = array("q", [-1 if i is None else i.st_mtime_ns for i in infos])
    digest.update(array("q", [-1 if i is None else i.st_size for i in infos]).tobytes())
    digest.update(mtimes.tobytes())
    digest.update(array("q", [-1 if i is None else i.st_ctime_ns for i in infos]).tobytes())
    digest.update(array("Q", [0 if i is None else i.st_ino for i in infos]).tobytes())
    digest.update(array("Q", [0 if i is None else i.st_dev for i in infos]).tobytes())
    return digest.hexdigest(), max(mtimes, default=-1)


def _signature(
    scanned: Sequence[tuple[str, str, os.stat_result | None]],
    previous: Sequence[tuple[str, str]] = (),
    stale: Sequence[tuple[str, str | None]] = (),
) -> str:
    """What `meta.signature` holds for a listing: the listing sorted by path, cut in
    parts of about `PART` files, as JSON `[[first path, digest of the part], ...]` (the
    first part starts at ""). Given the `previous` parts and which of them were `stale`
    (`_stale`), the others keep their digest (their files are as they were) and only the
    stale ones are digested again, unless a part has grown to twice `PART` files: then
    the listing is cut afresh."""
    ordered = sorted(scanned, key=_path)
    lows = {low for low, _high in stale}
    if previous and previous[0][0] == "" and len(lows) < len(previous):
        paths = [entry[0] for entry in ordered]
        parts = []
        for n, (low, digest) in enumerate(previous):
            if low in lows:
                high = previous[n + 1][0] if n + 1 < len(previous) else None
                end = len(paths) if high is None else bisect.bisect_left(paths, high)
                part = ordered[bisect.bisect_left(paths, low) : end]
                if len(part) >= 2 * PART:
                    break
                digest = _digests(part)[0]
            parts.append([low, digest])
        else:
            return json.dumps(parts, ensure_ascii=False)
    parts = [
        ["" if start == 0 else ordered[start][0], _digests(ordered[start : start + PART])[0]]
        for start in range(0, max(len(ordered), 1), PART)
    ]
    return json.dumps(parts, ensure_ascii=False)


def _path(entry: tuple[str, str, os.stat_result | None]) -> str:
    return entry[0]


def _parts(signature: str) -> list[tuple[str, str]]:
    """The (first path, digest) parts of a stored signature ([] when unreadable)."""
    try:
        return [(str(low), str(digest)) for low, digest in json.loads(signature)]
    except (ValueError, TypeError):
        return []


def _stale(
    scanned: Sequence[tuple[str, str, os.stat_result | None]], signature: str, signed_ns: int
) -> tuple[list[tuple[str, str | None]], list[tuple[str, str, os.stat_result | None]]]:
    """The path ranges `[low, high)` (high None: to the end) of the parts of a stored
    signature that must be compared file by file (their digest differs now, or a file of
    theirs was modified within `RACY_NS` of `signed_ns` or after: as `fsio.racy`), and
    the scanned files in them. Everything, when the signature is missing or unreadable."""
    parts = _parts(signature)
    if not parts or parts[0][0] != "":
        return [("", None)], list(scanned)
    ordered = sorted(scanned, key=_path)
    paths = [entry[0] for entry in ordered]
    limit = signed_ns - fsio.RACY_NS
    ranges: list[tuple[str, str | None]] = []
    checked: list[tuple[str, str, os.stat_result | None]] = []
    for n, (low, digest) in enumerate(parts):
        high = parts[n + 1][0] if n + 1 < len(parts) else None
        end = len(paths) if high is None else bisect.bisect_left(paths, high)
        part = ordered[bisect.bisect_left(paths, low) : end]
        now, newest = _digests(part)
        if now != digest or newest >= limit:
            ranges.append((low, high))
            checked += part
    return ranges, checked


def _storable(relative: str, kind: str, info: os.stat_result | None, storable: set[str]) -> bool:
    """Whether a listed file can have rows: a record or vocabulary file whose status could
    be had and whose name SQLite can hold (a name that is not UTF-8, kept by Python as
    surrogates, cannot be: such a file is read, and reported, on every load)."""
    if info is None or kind not in storable:
        return False
    try:
        relative.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def open_store(root: Path) -> Store | None:
    """`Store.open` (None when the store cannot be used)."""
    return Store.open(root)
