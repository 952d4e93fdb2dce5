"""Lint's tables in the store (`dprkhr.store`): every file's `FileSummary`, derived from the
file's content as the store last saw it, so that a warm lint reads only the files that
changed and runs the cross-record rules over the summaries of all.

- `lint_files`: one row per file of the data root, its summary but for its references;
  `lint_refs`: one row per reference (`dangling-reference` asks SQLite for the ones that do
  not resolve instead of reading half a million of them). Rows go with their file's row in
  `files` (`ON DELETE CASCADE`) whenever the file changes or goes, so a row present is for
  the file's current content. The files lint's refresh reads are summarised in its hook,
  node trees in hand, and their rows written in its transaction (`LintRows.insert`); the
  files another command's refresh read have no row (`Store.missing`) and are read again by
  lint (in worker processes when there are many), their rows written only while the
  file's stored digest is that of the bytes read (`LintRows.write`).
- `lint_meta`: what the summaries depend on besides their file (`key`: the vocabularies'
  content and the archive of source texts; a different key empties the tables), the latest
  day a summary was made on (`as_of`: summaries keep only the dates after that day, so a
  run on an earlier day, the clock put back, empties them), the "did you mean" answers
  of the last run (`suggestions`, see `DatasetView.closest`), and the findings of the
  cross-record rules that read a small part of the summaries, with a digest of that part
  (`findings`, see `Rule.dataset_inputs`).

The code that made the rows is covered by the store's one fingerprint
(`dprkhr.store.fingerprint`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path
from typing import Any

from dprkhr import fsio
from dprkhr import store as store_module
from dprkhr.lint.rules.citations import ARCHIVE_TEXT_LIMIT
from dprkhr.lint.view import FileSummary

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS lint_files ("
    " file TEXT PRIMARY KEY REFERENCES files (path) ON DELETE CASCADE,"
    " state INTEGER NOT NULL, id TEXT, id_line INTEGER, id_column INTEGER,"
    " rest TEXT);"
    "CREATE TABLE IF NOT EXISTS lint_refs ("
    " file TEXT NOT NULL REFERENCES files (path) ON DELETE CASCADE,"
    " kind TEXT NOT NULL, target TEXT NOT NULL, line INTEGER NOT NULL, col INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS lint_refs_file ON lint_refs (file);"
    "CREATE INDEX IF NOT EXISTS lint_refs_target ON lint_refs (kind, target);"
    "CREATE TABLE IF NOT EXISTS lint_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
)
"""`lint_files.rest` is `[actor, ignores, problems, dates]` as JSON, NULL when there is no
actor and the three lists are empty (most files); `lint_refs` holds the references, so
that `dangling-reference` asks SQLite for the ones that do not resolve instead of reading
them all (their distinct targets come from the index on `(kind, target)`)."""


def _columns(file: str, summary: FileSummary) -> tuple[Any, ...]:
    state, record_id, id_at, _refs, actor, ignores, problems, dates = summary
    rest = (
        None
        if actor is None and not ignores and not problems and not dates
        else json.dumps([actor, ignores, problems, dates], ensure_ascii=False)
    )
    line, column = id_at if id_at is not None else (None, None)
    return (file, state, record_id, line, column, rest)


def _summary(row: tuple[Any, ...]) -> FileSummary | None:
    """A summary from its `lint_files` row (its references left out), if the row is what
    lint writes."""
    _file, state, record_id, line, column, rest = row
    if line is None:
        id_at = None
    elif type(line) is int and type(column) is int:
        id_at = [line, column]
    else:
        return None
    if rest is None:  # most files: quickly
        if type(state) is not int or not (record_id is None or type(record_id) is str):
            return None
        return FileSummary(state, record_id, id_at, None, None, [], [], [])
    try:
        loaded = json.loads(rest)
    except (TypeError, ValueError):
        return None
    if type(loaded) is not list or len(loaded) != 4:
        return None
    summary = FileSummary.from_json([state, record_id, id_at, None, *loaded])
    return summary


def _ref_rows(file: str, summary: FileSummary) -> Iterable[tuple[Any, ...]]:
    return ((file, *ref) for ref in summary.refs or ())


EXTENSION = store_module.register(store_module.Extension(name="lint", schema=SCHEMA))


def archive_state(archive: Path | None) -> Any:
    """What the archive of source texts is, for the key: each text's name and
    `dprkhr.fsio.stamp`, and its content digest when it changed very recently."""
    if archive is None:
        return None
    import time

    now = time.time_ns()
    listing: list[Any] = []
    try:
        for entry in sorted(os.scandir(archive), key=lambda e: e.name):
            if not entry.name.endswith(".txt"):
                continue
            stat = entry.stat()
            item: list[Any] = [entry.name, fsio.stamp(stat)]
            if fsio.racy(stat, now):
                try:
                    raw = fsio.read_regular(entry.path, ARCHIVE_TEXT_LIMIT)[1]
                    item.append(store_module.content_digest(raw))
                except OSError as exc:  # reported by the rule; never kept as read
                    item.append(f"unreadable {exc.strerror} {now}")
            listing.append(item)
    except OSError:
        return ["unreadable", str(archive.resolve()), os.urandom(8).hex()]
    return [str(archive.resolve()), listing]


def summary_key(vocabularies: list[tuple[str, bytes | None]], archive: Path | None) -> str:
    """Everything besides a file itself (and the code) that its summary depends on."""
    digest = hashlib.blake2b(digest_size=20)
    for name, raw in vocabularies:
        digest.update(name.encode() + b"\0")
        digest.update(b"-" if raw is None else store_module.content_digest(raw).encode())
    digest.update(json.dumps(archive_state(archive)).encode())
    return digest.hexdigest()


class LintRows:
    """Lint's rows in an open store, for one run (`key` and `today` as in the module
    docstring). Methods raise `sqlite3.Error` (the caller then reads the files)."""

    def __init__(self, store: store_module.Store, key: str, today: dt.date) -> None:
        self.store = store
        self.db = store.connection
        self.key = key
        self.today = today
        self.suggested: dict[str, Any] = {}
        self.kept: dict[str, Any] = {}
        self.generation: str | None = None
        """The store's `meta.generation` when `summaries` read them."""

    def prepare(self) -> None:
        """Make the tables if needed, and empty them if made under another key or on a
        later day (before the refresh, whose hook then stores the new summaries)."""
        meta = self._meta()
        as_of = meta.get("as_of", "")
        if meta.get("key") != self.key or as_of > self.today.isoformat():
            with self.store.transaction() as db:
                for statement in SCHEMA.split(";"):
                    db.execute(statement)
                for table in ("lint_files", "lint_refs", "lint_meta"):
                    db.execute(f"DELETE FROM {table}")
                db.execute("INSERT INTO lint_meta VALUES ('key', ?)", (self.key,))
            meta = {"key": self.key}
        self.suggested = _json_dict(meta.get("suggestions"))
        self.kept = _json_dict(meta.get("findings"))

    def insert(self, db: sqlite3.Connection, derived: dict[str, FileSummary]) -> bool:
        """Store the summaries of files a refresh read, in its transaction (`db`), unless
        another run (other settings) has changed the key since; whether they were."""
        if not derived or not self._ours(db):
            return False
        # (the refresh deleted the rows of these files: no row of theirs is left to replace)
        db.executemany(
            "INSERT INTO lint_files VALUES (?, ?, ?, ?, ?, ?)",
            (_columns(file, summary) for file, summary in derived.items()),
        )
        db.executemany(
            "INSERT INTO lint_refs VALUES (?, ?, ?, ?, ?)",
            (row for file, summary in derived.items() for row in _ref_rows(file, summary)),
        )
        db.execute(
            "INSERT OR REPLACE INTO lint_meta VALUES ('as_of', ?)", (self.today.isoformat(),)
        )
        return True

    def _ours(self, db: sqlite3.Connection) -> bool:
        known = db.execute("SELECT value FROM lint_meta WHERE key = 'key'").fetchone()
        return known is not None and known[0] == self.key

    def missing(self) -> set[str]:
        """The files of the store that have no summary."""
        return set(self.store.missing("lint_files"))

    def clear(self) -> None:
        """Forget every summary and answer (they are made again)."""
        with self.store.transaction() as db:
            for statement in SCHEMA.split(";"):
                db.execute(statement)
            for table in ("lint_files", "lint_refs", "lint_meta"):
                db.execute(f"DELETE FROM {table}")

    def _meta(self) -> dict[str, str]:
        return store_module.key_values(self.db, "lint_meta")

    def summaries(self, known: Iterable[str] = ()) -> dict[str, FileSummary | None]:
        """Every stored summary but those of the `known` files, by file, its references
        left out (see `unresolved`); None for one that is not what lint writes. Starts the
        read transaction in which `unresolved` answers (`write` ends it)."""
        self.db.execute("BEGIN")
        found = self.db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        self.generation = None if found is None else str(found[0])
        return {
            row[0]: _summary(row)
            for row in self.db.execute(
                "SELECT file, state, id, id_line, id_column, rest FROM lint_files "
                "WHERE file NOT IN (SELECT value FROM json_each(?))",
                (json.dumps(list(known)),),
            )
        }

    def unresolved(
        self, kinds: Collection[str] | None, resolved: Collection[tuple[str, str]]
    ) -> Iterator[tuple[str, Any, Any, Any, Any]]:
        """`(file, kind, target, line, column)` of every stored reference of the given
        kinds (all when None) whose `(kind, target)` is not among `resolved`: the distinct
        targets are read from their index (a few ten thousand for half a million
        references), and the references of those not resolved are looked up by it."""
        db = self.db
        if kinds is None:
            targets = db.execute("SELECT DISTINCT kind, target FROM lint_refs")
        else:
            targets = db.execute(
                "SELECT DISTINCT kind, target FROM lint_refs "
                "WHERE kind IN (SELECT value FROM json_each(?))",
                (json.dumps(list(kinds)),),
            )
        wanted = [pair for pair in targets if pair not in resolved]
        if not wanted:
            return iter(())
        return iter(
            db.execute(
                "SELECT r.file, r.kind, r.target, r.line, r.col FROM json_each(?) AS j "
                "CROSS JOIN lint_refs AS r ON r.kind = json_extract(j.value, '$[0]') "
                "AND r.target = json_extract(j.value, '$[1]') ORDER BY r.rowid",
                (json.dumps(wanted),),
            )
        )

    def refs(self) -> dict[str, list[list[Any]]]:
        """Every stored reference, by file."""
        out: dict[str, list[list[Any]]] = {}
        for file, kind, target, line, column in self.db.execute(
            "SELECT file, kind, target, line, col FROM lint_refs ORDER BY rowid"
        ):
            out.setdefault(file, []).append([kind, target, line, column])
        return out

    def write(
        self,
        made: Iterable[tuple[str, str, FileSummary]],
        suggestions: dict[str, Any],
        findings: dict[str, Any],
    ) -> None:
        """Store new summaries `(file, digest of the bytes read, summary)`, each only while
        its file's row has that digest, and this run's "did you mean" answers and kept
        findings."""
        if self.db.in_transaction:
            self.db.execute("COMMIT")  # the read transaction of `summaries`
        suggestions = {**self.suggested, **suggestions}
        findings = {**self.kept, **findings}
        if not made and suggestions == self.suggested and findings == self.kept:
            return
        with self.store.transaction() as db:
            if not self._ours(db):
                return  # another run (other settings) made the rows since: leave them
            digests = dict(
                db.execute(
                    "SELECT path, digest FROM files WHERE path IN (SELECT value FROM json_each(?))",
                    (json.dumps([file for file, _digest, _summary in made]),),
                )
            )
            rows = [
                (file, summary) for file, digest, summary in made if digests.get(file) == digest
            ]
            db.executemany(
                "DELETE FROM lint_refs WHERE file = ?", ((file,) for file, _summary in rows)
            )
            db.executemany(
                "INSERT OR REPLACE INTO lint_files VALUES (?, ?, ?, ?, ?, ?)",
                (_columns(file, summary) for file, summary in rows),
            )
            db.executemany(
                "INSERT INTO lint_refs VALUES (?, ?, ?, ?, ?)",
                (row for file, summary in rows for row in _ref_rows(file, summary)),
            )
            meta = []
            if rows:
                meta.append(("as_of", self.today.isoformat()))
            if suggestions != self.suggested:
                meta.append(("suggestions", json.dumps(suggestions, ensure_ascii=False)))
            if findings != self.kept:
                meta.append(("findings", json.dumps(findings, ensure_ascii=False)))
            db.executemany("INSERT OR REPLACE INTO lint_meta VALUES (?, ?)", meta)


def _json_dict(text: str | None) -> dict[str, Any]:
    """A dict kept as JSON in `lint_meta`, or an empty one (none kept, or not a dict)."""
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
